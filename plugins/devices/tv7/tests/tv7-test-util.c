/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, hex, and the
 * simulator on one end of a socket pair. */
#include "tv7-test-util.h"

#include <sys/socket.h>

#include "lers-tv7-driver.h"
#include "lers-tv7-session.h"
#include "tv7-frame.h"

#define TV7_TYPE_TEST_MODULE (tv7_test_module_get_type ())
G_DECLARE_FINAL_TYPE (Tv7TestModule, tv7_test_module, TV7, TEST_MODULE, GTypeModule)

struct _Tv7TestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (Tv7TestModule, tv7_test_module, G_TYPE_TYPE_MODULE)

static gboolean
tv7_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
tv7_test_module_unload (GTypeModule *module)
{
}

static void
tv7_test_module_class_init (Tv7TestModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = tv7_test_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = tv7_test_module_unload;
}

static void
tv7_test_module_init (Tv7TestModule *self)
{
}

void
tv7_test_init (int *argc, char ***argv)
{
  static GTypeModule *module = NULL;

  /* the simulator and the session keep the local zone: UTC here */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (argc, argv, NULL);
  if (module != NULL)
    return;
  module = g_object_new (TV7_TYPE_TEST_MODULE, NULL);
  g_type_module_use (module);
  lers_tv7_driver_register (module);
  lers_tv7_simulator_register (module);
  lers_tv7_session_register (module);
}

GBytes *
tv7_test_hex (const gchar *text)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes = tv7_hex_to_bytes (text, &error);

  g_assert_no_error (error);
  return bytes;
}

gchar *
tv7_test_to_hex (GBytes *bytes)
{
  gsize n = 0;
  const guint8 *d = g_bytes_get_data (bytes, &n);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, i == 0 ? "%02x" : " %02x", d[i]);
  return g_string_free (s, FALSE);
}

void
tv7_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
}

static GIOStream *
stream_from_fd (int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

void
tv7_test_link_open (Tv7TestLink *l, LersTv7Simulator *sim)
{
  int fds[2];
  g_autoptr (GIOStream) client = NULL;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  l->sim = g_object_ref (sim);
  l->server = stream_from_fd (fds[0]);
  client = stream_from_fd (fds[1]);
  l->cancel = g_cancellable_new ();
  lers_device_simulator_serve_async (LERS_DEVICE_SIMULATOR (sim), l->server, l->cancel, served_cb,
                                     NULL);
  l->transport = lers_stream_transport_new (client, "socketpair");
  g_assert_true (lers_transport_open_sync (l->transport, NULL, NULL));
}

void
tv7_test_link_close (Tv7TestLink *l)
{
  g_cancellable_cancel (l->cancel);
  lers_transport_close_sync (l->transport, NULL, NULL);
  tv7_test_drain ();
  g_clear_object (&l->transport);
  g_io_stream_close (l->server, NULL, NULL);
  tv7_test_drain ();
  g_clear_object (&l->server);
  g_clear_object (&l->cancel);
  g_clear_object (&l->sim);
}
