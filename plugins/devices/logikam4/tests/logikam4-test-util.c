/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, main-loop
 * waits, a simulator on a socket pair, session calls waited for. */
#include "logikam4-test-util.h"

#include <math.h>
#include <sys/socket.h>

#include "lers-logikam4-driver.h"
#include "lers-logikam4-session.h"
#include "logikam4-frame.h"

#define M4_TYPE_TEST_MODULE (m4_test_module_get_type ())
G_DECLARE_FINAL_TYPE (M4TestModule, m4_test_module, M4, TEST_MODULE, GTypeModule)

struct _M4TestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (M4TestModule, m4_test_module, G_TYPE_TYPE_MODULE)

static gboolean
m4_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
m4_test_module_unload (GTypeModule *module)
{
}

static void
m4_test_module_class_init (M4TestModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = m4_test_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = m4_test_module_unload;
}

static void
m4_test_module_init (M4TestModule *self)
{
}

void
m4_test_register_types (void)
{
  static GTypeModule *module = NULL;

  if (module != NULL)
    return;
  module = g_object_new (M4_TYPE_TEST_MODULE, NULL);
  g_type_module_use (module);
  lers_logikam4_driver_register (module);
  lers_logikam4_simulator_register (module);
  lers_logikam4_session_register (module);
}

void
m4_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GBytes *
m4_test_hex (const gchar *text)
{
  g_autoptr (GError) error = NULL;
  GBytes *b = m4_hex_parse (text, &error);

  ck_assert_msg (b != NULL, "%s", error ? error->message : "");
  return b;
}

gchar *
m4_test_to_hex (GBytes *bytes)
{
  GString *s = g_string_new (NULL);
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (bytes, &n);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%s%02X", i > 0 ? " " : "", p[i]);
  return g_string_free (s, FALSE);
}

void
m4_test_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  M4TestWait *w = user_data;
  w->result = g_object_ref (result);
}

void
m4_test_wait_for (M4TestWait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
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

  ck_assert_msg (socket != NULL, "%s", error ? error->message : "");
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

void
m4_test_link_open (M4TestLink *l, LersLogikam4Simulator *sim)
{
  int fds[2];
  g_autoptr (GIOStream) client = NULL;

  ck_assert_int_eq (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), 0);
  l->sim = g_object_ref (sim);
  l->server = stream_from_fd (fds[0]);
  client = stream_from_fd (fds[1]);
  l->cancel = g_cancellable_new ();
  lers_device_simulator_serve_async (LERS_DEVICE_SIMULATOR (sim), l->server, l->cancel, served_cb,
                                     NULL);
  l->transport = lers_stream_transport_new (client, "socketpair");
  lers_transport_set_first_byte_timeout_ms (l->transport, 500);
  ck_assert (lers_transport_open_sync (l->transport, NULL, NULL));
}

void
m4_test_link_close (M4TestLink *l)
{
  g_cancellable_cancel (l->cancel);
  lers_transport_close_sync (l->transport, NULL, NULL);
  m4_test_drain ();
  g_clear_object (&l->transport);
  g_io_stream_close (l->server, NULL, NULL);
  m4_test_drain ();
  g_clear_object (&l->server);
  g_clear_object (&l->cancel);
  g_clear_object (&l->sim);
}

LersDeviceSession *
m4_test_open (LersTransport *transport, LersDevice *device, GError **error)
{
  g_autoptr (LersDeviceSession) s = lers_logikam4_session_new (transport, device);
  M4TestWait w = { NULL };

  lers_device_session_open_async (s, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  if (!lers_device_session_open_finish (s, w.result, error))
    {
      g_object_unref (w.result);
      return NULL;
    }
  g_object_unref (w.result);
  return g_steal_pointer (&s);
}

GPtrArray *
m4_test_read (LersDeviceSession *s, LersArchiveKind kind, GDateTime *from, GDateTime *to,
              GError **error)
{
  M4TestWait w = { NULL };
  g_autoptr (LersProgress) progress = lers_progress_new ();
  GPtrArray *out;

  lers_device_session_read_archive_async (s, kind, from, to, progress, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  out = lers_device_session_read_archive_finish (s, w.result, error);
  g_object_unref (w.result);
  return out;
}

GPtrArray *
m4_test_events (LersDeviceSession *s, GDateTime *from, GDateTime *to, GError **error)
{
  M4TestWait w = { NULL };
  GPtrArray *out;

  lers_device_session_read_events_async (s, from, to, NULL, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  out = lers_device_session_read_events_finish (s, w.result, error);
  g_object_unref (w.result);
  return out;
}

GDateTime *
m4_test_clock (LersDeviceSession *s, GError **error)
{
  M4TestWait w = { NULL };
  GDateTime *out;

  lers_device_session_read_clock_async (s, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  out = lers_device_session_read_clock_finish (s, w.result, error);
  g_object_unref (w.result);
  return out;
}

gboolean
m4_test_set_clock (LersDeviceSession *s, GDateTime *t, GError **error)
{
  M4TestWait w = { NULL };
  gboolean ok;

  lers_device_session_set_clock_async (s, t, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  ok = lers_device_session_set_clock_finish (s, w.result, error);
  g_object_unref (w.result);
  return ok;
}

void
m4_test_close (LersDeviceSession *s)
{
  M4TestWait w = { NULL };

  lers_device_session_close_async (s, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  ck_assert (lers_device_session_close_finish (s, w.result, NULL));
  g_object_unref (w.result);
}

/* the record of @channel whose timestamp is @utc_iso */
LersRecord *
m4_test_find (GPtrArray *records, const gchar *utc_iso, guint channel)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (utc_iso, NULL);

  ck_assert_ptr_nonnull (t);
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      if (lers_record_get_channel (r) == channel
          && g_date_time_equal (lers_record_get_timestamp (r), t))
        return r;
    }
  ck_abort_msg ("no record at %s on channel %u", utc_iso, channel);
  return NULL;
}

gdouble
m4_test_value (LersRecord *r, LersParameter p)
{
  gdouble v = NAN;

  ck_assert_msg (lers_record_get_value (r, p, &v, NULL), "no value for %s",
                 lers_parameter_get_name (p));
  return v;
}
