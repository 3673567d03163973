/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, hex frames, and
 * a simulator serving one end of a socket pair in a thread of its own. */
#include "km5-test-util.h"

#include <check.h>
#include <sys/socket.h>

#include "lers-km5-driver.h"
#include "lers-km5-session.h"
#include "lers-km5-simulator.h"

#define KM5_TYPE_TEST_MODULE (km5_test_module_get_type ())
G_DECLARE_FINAL_TYPE (Km5TestModule, km5_test_module, KM5, TEST_MODULE, GTypeModule)

struct _Km5TestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (Km5TestModule, km5_test_module, G_TYPE_TYPE_MODULE)

static gboolean
km5_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
km5_test_module_unload (GTypeModule *module)
{
}

static void
km5_test_module_class_init (Km5TestModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = km5_test_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = km5_test_module_unload;
}

static void
km5_test_module_init (Km5TestModule *self)
{
}

void
km5_test_register_types (void)
{
  static GTypeModule *module = NULL;

  if (module != NULL)
    return;
  module = g_object_new (KM5_TYPE_TEST_MODULE, NULL);
  g_type_module_use (module);
  lers_km5_driver_register (module);
  lers_km5_simulator_register (module);
  lers_km5_session_register (module);
}

/* "01 00 a0" → bytes */
GBytes *
km5_test_hex (const gchar *hex)
{
  GByteArray *a = g_byte_array_new ();

  for (const gchar *p = hex; *p != '\0';)
    {
      guint8 b;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      ck_assert (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
      b = (guint8) (g_ascii_xdigit_value (p[0]) * 16 + g_ascii_xdigit_value (p[1]));
      g_byte_array_append (a, &b, 1);
      p += 2;
    }
  return g_byte_array_free_to_bytes (a);
}

/* the test's own checksum (XOR, then sum mod 256 of all bytes before them),
 * written apart from km5_checksum() */
void
km5_test_checksum (guint8 *frame, gsize len)
{
  guint x = 0, s = 0;

  for (gsize i = 0; i + 2 < len; i++)
    {
      x ^= frame[i];
      s += frame[i];
    }
  frame[len - 2] = (guint8) x;
  frame[len - 1] = (guint8) (s % 256);
}

static void
serve_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Km5TestPair *pair = user_data;
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
  g_main_loop_quit (pair->loop);
}

static gpointer
serve_thread (gpointer user_data)
{
  Km5TestPair *pair = user_data;

  g_main_context_push_thread_default (pair->context);
  lers_device_simulator_serve_async (pair->sim, pair->server, NULL, serve_cb, pair);
  g_main_loop_run (pair->loop);
  g_main_context_pop_thread_default (pair->context);
  return NULL;
}

static GIOStream *
stream_for_fd (int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  ck_assert_msg (socket != NULL, "%s", error ? error->message : "?");
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

void
km5_test_pair_start (Km5TestPair *pair, LersDeviceSimulator *sim)
{
  int fds[2];

  ck_assert_int_eq (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), 0);
  pair->server = stream_for_fd (fds[0]);
  pair->client = stream_for_fd (fds[1]);
  pair->sim = g_object_ref (sim);
  pair->context = g_main_context_new ();
  pair->loop = g_main_loop_new (pair->context, FALSE);
  pair->thread = g_thread_new ("km5-sim", serve_thread, pair);
}

void
km5_test_pair_stop (Km5TestPair *pair)
{
  g_io_stream_close (pair->client, NULL, NULL);
  g_thread_join (pair->thread);
  g_io_stream_close (pair->server, NULL, NULL);
  g_clear_object (&pair->server);
  g_clear_object (&pair->client);
  g_clear_object (&pair->sim);
  g_main_loop_unref (pair->loop);
  g_main_context_unref (pair->context);
}
