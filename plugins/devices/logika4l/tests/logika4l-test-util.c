/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/socket.h>

#include "logika4l-test-util.h"

#include "lers-logika4l-driver.h"
#include "lers-logika4l-session.h"

#define L4L_TYPE_TEST_MODULE (l4l_test_module_get_type ())
G_DECLARE_FINAL_TYPE (L4lTestModule, l4l_test_module, L4L, TEST_MODULE, GTypeModule)

struct _L4lTestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_FINAL_TYPE (L4lTestModule, l4l_test_module, G_TYPE_TYPE_MODULE)

static gboolean
l4l_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
l4l_test_module_unload (GTypeModule *module)
{
}

static void
l4l_test_module_class_init (L4lTestModuleClass *klass)
{
  GTypeModuleClass *module_class = G_TYPE_MODULE_CLASS (klass);

  module_class->load = l4l_test_module_load;
  module_class->unload = l4l_test_module_unload;
}

static void
l4l_test_module_init (L4lTestModule *self)
{
}

void
l4l_test_register_types (void)
{
  static GTypeModule *module = NULL;

  if (module != NULL)
    return;
  module = g_object_new (L4L_TYPE_TEST_MODULE, NULL);
  g_type_module_use (module);
  lers_logika4l_driver_register (module);
  lers_logika4l_simulator_register (module);
  lers_logika4l_session_register (module);
}

GBytes *
l4l_test_hex (const gchar *hex)
{
  GByteArray *out = g_byte_array_new ();
  gint hi = -1;

  for (const gchar *p = hex; *p != '\0'; p++)
    {
      gint v = g_ascii_xdigit_value (*p);
      if (v < 0)
        continue;
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) (hi << 4 | v);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  return g_byte_array_free_to_bytes (out);
}

static void
serve_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  L4lTestPeer *peer = user_data;

  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
  g_main_loop_quit (peer->loop);
}

static gpointer
peer_thread (gpointer user_data)
{
  L4lTestPeer *peer = user_data;

  g_main_context_push_thread_default (peer->context);
  lers_device_simulator_serve_async (LERS_DEVICE_SIMULATOR (peer->sim), peer->server, NULL,
                                     serve_cb, peer);
  g_main_loop_run (peer->loop);
  g_main_context_pop_thread_default (peer->context);
  return NULL;
}

static GIOStream *
stream_for_fd (int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

void
l4l_test_peer_start (L4lTestPeer *peer, LersLogika4lSimulator *sim)
{
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  peer->sim = g_object_ref (sim);
  peer->server = stream_for_fd (fds[0]);
  peer->client = stream_for_fd (fds[1]);
  peer->context = g_main_context_new ();
  peer->loop = g_main_loop_new (peer->context, FALSE);
  peer->transport = lers_stream_transport_new (peer->client, "socketpair");
  lers_transport_set_answer_timeout_ms (peer->transport, 2000);
  lers_transport_set_first_byte_timeout_ms (peer->transport, 2000);
  peer->thread = g_thread_new ("l4l-sim", peer_thread, peer);
}

void
l4l_test_peer_stop (L4lTestPeer *peer)
{
  g_io_stream_close (peer->client, NULL, NULL);
  g_thread_join (peer->thread);
  g_clear_object (&peer->transport);
  g_clear_object (&peer->client);
  g_clear_object (&peer->server);
  g_clear_pointer (&peer->loop, g_main_loop_unref);
  g_clear_pointer (&peer->context, g_main_context_unref);
  g_clear_object (&peer->sim);
}
