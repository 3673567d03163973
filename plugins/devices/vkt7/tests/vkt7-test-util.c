/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, hex bytes, the
 * simulator on a socket pair. */
#include "vkt7-test-util.h"

#include <check.h>
#include <math.h>

#include "lers-vkt7-driver.h"
#include "lers-vkt7-session.h"
#include "vkt7-frame.h"

void
vkt7_test_register_types (void)
{
  lers_check_register_types (lers_vkt7_driver_register, lers_vkt7_simulator_register,
                             lers_vkt7_session_register, NULL);
}

void
vkt7_test_assert_bytes (GBytes *got, const gchar *expected_hex)
{
  g_autoptr (GBytes) expected = lers_check_hex (expected_hex);
  g_autofree gchar *text = NULL;

  ck_assert_ptr_nonnull (got);
  text = lers_check_to_hex (got);
  ck_assert_msg (g_bytes_equal (got, expected), "got %s", text);
}

void
vkt7_test_link_open (Vkt7TestLink *l, LersVkt7Simulator *sim)
{
  g_autoptr (GIOStream) client = NULL;

  vkt7_test_register_types ();
  lers_check_socketpair (&l->server, &client);
  l->sim = g_object_ref (sim);
  l->cancel = g_cancellable_new ();
  /* the simulator runs in a thread of its own: the sessions' sync calls
   * iterate a private main context */
  l->thread = lers_check_serve_in_thread (LERS_DEVICE_SIMULATOR (sim), l->server, l->cancel);
  l->transport = lers_stream_transport_new (client, "socketpair");
  lers_transport_set_first_byte_timeout_ms (l->transport, 300);
  ck_assert (lers_transport_open_sync (l->transport, NULL, NULL));
}

void
vkt7_test_link_close (Vkt7TestLink *l)
{
  /* closing our end ends the serving thread (the simulator reads the end
   * of the stream); cancelling from this thread instead would race the
   * serving thread's disposal of its pending read (GLib 2.74's cancellable
   * sources), which LeakSanitizer and memcheck now and then saw as a lost
   * source */
  lers_transport_close_sync (l->transport, NULL, NULL);
  g_clear_object (&l->transport);
  g_thread_join (l->thread);
  l->thread = NULL;
  g_io_stream_close (l->server, NULL, NULL);
  g_clear_object (&l->server);
  g_clear_object (&l->cancel);
  g_clear_object (&l->sim);
}

/* a session to the simulator at @address with the device options @options
 * (JSON or NULL), opened */
LersDeviceSession *
vkt7_test_open (Vkt7TestLink *l, const gchar *address, const gchar *options, GError **error)
{
  g_autoptr (LersVkt7Driver) driver = lers_vkt7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();

  lers_device_set_protocol (device, "vkt7");
  lers_device_set_network_address (device, address);
  lers_device_set_clock_zone (device, "UTC");
  if (options != NULL)
    ck_assert (lers_device_set_options (device, options, NULL));
  return lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), l->transport, device,
                                               NULL, error);
}

gdouble
vkt7_test_value (LersRecord *r, LersParameter p)
{
  return lers_check_value (r, p, NULL);
}

/* the simulator's answer to one request, over a fresh socket pair */
GBytes *
vkt7_test_exchange (LersVkt7Simulator *sim, const gchar *request_hex)
{
  Vkt7TestLink l = { 0 };
  g_autoptr (GBytes) req = vkt7_test_hex (request_hex);
  g_autoptr (GError) error = NULL;
  GBytes *answer;

  vkt7_test_link_open (&l, sim);
  answer
      = lers_transport_exchange_sync (l.transport, req, lers_vkt7_scan_frame, NULL, NULL, &error);
  ck_assert_msg (answer != NULL, "%s", error ? error->message : "");
  vkt7_test_link_close (&l);
  return answer;
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Vkt7TestScript *s = user_data;
  guint i = s->n_writes++;
  g_autoptr (GString) got = g_string_new (NULL);

  ck_assert_msg (i < s->rx->len, "request %u is beyond the script", i);
  for (gsize k = 0; k < g_bytes_get_size (bytes); k++)
    g_string_append_printf (got, "%02X ", ((const guint8 *) g_bytes_get_data (bytes, NULL))[k]);
  if (g_ptr_array_index (s->tx, i) != NULL)
    ck_assert_msg (g_bytes_equal (g_ptr_array_index (s->tx, i), bytes), "request %u is %s", i,
                   got->str);
  if (g_ptr_array_index (s->rx, i) != NULL)
    lers_memory_transport_push_input (transport, g_ptr_array_index (s->rx, i));
}

static void
bytes_unref0 (gpointer p)
{
  if (p != NULL)
    g_bytes_unref (p);
}

void
vkt7_test_script_init (Vkt7TestScript *s)
{
  vkt7_test_register_types ();
  s->transport = lers_memory_transport_new ();
  s->tx = g_ptr_array_new_with_free_func (bytes_unref0);
  s->rx = g_ptr_array_new_with_free_func (bytes_unref0);
  s->n_writes = 0;
  lers_transport_set_first_byte_timeout_ms (s->transport, 50);
  g_signal_connect (s->transport, "written", G_CALLBACK (written_cb), s);
  ck_assert (lers_transport_open_sync (s->transport, NULL, NULL));
}

void
vkt7_test_script_clear (Vkt7TestScript *s)
{
  g_clear_object (&s->transport);
  g_clear_pointer (&s->tx, g_ptr_array_unref);
  g_clear_pointer (&s->rx, g_ptr_array_unref);
}

/* @rx: (transfer full) (nullable) */
void
vkt7_test_script_add (Vkt7TestScript *s, const gchar *tx_hex, GBytes *rx)
{
  g_ptr_array_add (s->tx, tx_hex != NULL ? vkt7_test_hex (tx_hex) : NULL);
  g_ptr_array_add (s->rx, rx);
}

/* a replay file: "> hex" requests, "< hex" answers, "#" comments */
void
vkt7_test_script_load (Vkt7TestScript *s, const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  const gchar *tx = NULL;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '>')
        tx = lines[i] + 1;
      else if (lines[i][0] == '<')
        {
          ck_assert_ptr_nonnull (tx);
          vkt7_test_script_add (s, tx, vkt7_test_hex (lines[i] + 1));
          tx = NULL;
        }
    }
}

LersDeviceSession *
vkt7_test_script_open (Vkt7TestScript *s, const gchar *options, GError **error)
{
  g_autoptr (LersVkt7Driver) driver = lers_vkt7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();

  lers_device_set_protocol (device, "vkt7");
  lers_device_set_network_address (device, "0");
  lers_device_set_clock_zone (device, "UTC");
  if (options != NULL)
    ck_assert (lers_device_set_options (device, options, NULL));
  return lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), s->transport, device,
                                               NULL, error);
}
