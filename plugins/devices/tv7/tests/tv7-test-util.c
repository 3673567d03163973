/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, hex, and the
 * simulator on one end of a socket pair. */
#include "tv7-test-util.h"

#include "lers-tv7-driver.h"
#include "lers-tv7-session.h"
#include "tv7-frame.h"

void
tv7_test_init (int *argc, char ***argv)
{
  /* the simulator and the session keep the local zone: UTC here */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (argc, argv, NULL);
  lers_check_register_types (lers_tv7_driver_register, lers_tv7_simulator_register,
                             lers_tv7_session_register, NULL);
}

void
tv7_test_link_open (Tv7TestLink *l, LersTv7Simulator *sim)
{
  l->sim = g_object_ref (sim);
  l->cancel = g_cancellable_new ();
  l->transport = lers_check_serve_socketpair (LERS_DEVICE_SIMULATOR (sim), l->cancel, &l->server);
}

void
tv7_test_link_close (Tv7TestLink *l)
{
  lers_check_unserve (&l->transport, &l->server, &l->cancel);
  g_clear_object (&l->sim);
}

/* ---- a scripted peer --------------------------------------------------------- */

static void peer_read (Tv7TestPeer *p);

static void
peer_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
}

static void
peer_process (Tv7TestPeer *p)
{
  while (p->next < p->requests->len)
    {
      GBytes *want = g_ptr_array_index (p->requests, p->next);
      GBytes *reply = g_ptr_array_index (p->replies, p->next);
      gsize n = g_bytes_get_size (want);
      g_autoptr (GBytes) got = NULL;

      if (p->rx->len < n)
        break;
      got = g_bytes_new (p->rx->data, n);
      g_byte_array_remove_range (p->rx, 0, (guint) n);
      if (!g_bytes_equal (got, want) && p->mismatch == NULL)
        {
          g_autofree gchar *g = tv7_test_to_hex (got);
          g_autofree gchar *w = tv7_test_to_hex (want);
          p->mismatch = g_strdup_printf ("request %u: got %s, want %s", p->next, g, w);
        }
      p->next++;
      if (reply != NULL)
        g_output_stream_write_all_async (g_io_stream_get_output_stream (p->stream),
                                         g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                         G_PRIORITY_DEFAULT, NULL, peer_written_cb, NULL);
    }
}

static void
peer_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Tv7TestPeer *p = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    return;
  g_byte_array_append (p->rx, p->chunk, (guint) n);
  peer_process (p);
  peer_read (p);
}

static void
peer_read (Tv7TestPeer *p)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (p->stream), p->chunk, sizeof p->chunk,
                             G_PRIORITY_DEFAULT, NULL, peer_read_cb, p);
}

/* `> hex` a request the peer expects, `< hex` its reply (none: silence) */
void
tv7_test_peer_load (Tv7TestPeer *p, const gchar *text)
{
  g_auto (GStrv) lines = NULL;

  p->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '>')
        {
          g_ptr_array_add (p->requests, tv7_test_hex (lines[i] + 1));
          g_ptr_array_add (p->replies, NULL);
        }
      else if (lines[i][0] == '<')
        {
          g_assert_cmpuint (p->replies->len, >, 0);
          g_assert_null (g_ptr_array_index (p->replies, p->replies->len - 1));
          p->replies->pdata[p->replies->len - 1] = tv7_test_hex (lines[i] + 1);
        }
    }
}

void
tv7_test_peer_start (Tv7TestPeer *p, GIOStream *stream)
{
  p->stream = g_object_ref (stream);
  p->rx = g_byte_array_new ();
  peer_read (p);
}

void
tv7_test_peer_clear (Tv7TestPeer *p)
{
  if (p->stream != NULL)
    g_io_stream_close (p->stream, NULL, NULL);
  tv7_test_drain ();
  g_clear_object (&p->stream);
  g_clear_pointer (&p->requests, g_ptr_array_unref);
  g_clear_pointer (&p->replies, g_ptr_array_unref);
  g_clear_pointer (&p->rx, g_byte_array_unref);
  g_clear_pointer (&p->mismatch, g_free);
}
