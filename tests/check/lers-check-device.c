/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device-plugin test helpers (see lers-check-device.h). Failures assert with
 * GLib's g_assert family, which both Check and g_test programs report. */
#include "lers-check-device.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

#define LERS_CHECK_TYPE_TEST_MODULE (lers_check_test_module_get_type ())
G_DECLARE_FINAL_TYPE (LersCheckTestModule, lers_check_test_module, LERS_CHECK, TEST_MODULE,
                      GTypeModule)

struct _LersCheckTestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (LersCheckTestModule, lers_check_test_module, G_TYPE_TYPE_MODULE)

static gboolean
lers_check_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
lers_check_test_module_unload (GTypeModule *module)
{
}

static void
lers_check_test_module_class_init (LersCheckTestModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = lers_check_test_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = lers_check_test_module_unload;
}

static void
lers_check_test_module_init (LersCheckTestModule *self)
{
}

/* a type module that loads nothing: the plugin's register functions put
 * their dynamic types into it, as libpeas would */
GTypeModule *
lers_check_type_module_new (void)
{
  return g_object_new (LERS_CHECK_TYPE_TEST_MODULE, NULL);
}

/* calls each register function (NULL-terminated) once per process with
 * one module kept in use; later calls do nothing */
void
lers_check_register_types (LersCheckRegisterFunc first, ...)
{
  static GTypeModule *module = NULL;
  va_list ap;

  if (module != NULL)
    return;
  module = lers_check_type_module_new ();
  g_type_module_use (module);
  va_start (ap, first);
  for (LersCheckRegisterFunc f = first; f != NULL; f = va_arg (ap, LersCheckRegisterFunc))
    f (module);
  va_end (ap);
}

/* "01 0a:FF 0x10 # comment" → bytes: hex digit pairs, each pair may have a
 * "0x" prefix; anything else but a '#' comment (to the line's end)
 * separates; a digit without its pair fails */
GBytes *
lers_check_hex (const gchar *text)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gint hi = -1;

  g_assert_nonnull (text);
  for (const gchar *p = text; *p != '\0'; p++)
    {
      gint v = g_ascii_xdigit_value (*p);
      guint8 b;

      if (*p == '#')
        {
          while (p[1] != '\0' && p[1] != '\n')
            p++;
          v = -1;
        }
      else if (hi < 0 && *p == '0' && (p[1] == 'x' || p[1] == 'X'))
        {
          p++;
          continue;
        }
      if (v < 0)
        {
          if (hi >= 0)
            g_error ("a lone hex digit before offset %d in \"%s\"", (int) (p - text), text);
          continue;
        }
      if (hi < 0)
        {
          hi = v;
          continue;
        }
      b = (guint8) (hi << 4 | v);
      g_byte_array_append (out, &b, 1);
      hi = -1;
    }
  if (hi >= 0)
    g_error ("odd number of hex digits in \"%s\"", text);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* bytes → "010AFF" */
gchar *
lers_check_to_hex (GBytes *bytes)
{
  GString *s = g_string_new (NULL);
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (bytes, &n);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%02X", p[i]);
  return g_string_free (s, FALSE);
}

/* runs what is pending in the default main context */
void
lers_check_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* user_data: a GAsyncResult ** set to a reference on the result */
void
lers_check_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* runs the default main context until *result is set */
GAsyncResult *
lers_check_wait (GAsyncResult **result)
{
  for (guint i = 0; *result == NULL && i < 1000000; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
  return *result;
}

GIOStream *
lers_check_socket_stream (int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

/* two connected ends of a Unix socket pair */
void
lers_check_socketpair (GIOStream **server, GIOStream **client)
{
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  *server = lers_check_socket_stream (fds[0]);
  *client = lers_check_socket_stream (fds[1]);
}

static void
served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
}

/* @sim served (in the default main context, until @cancel) on one end of a
 * socket pair, *@server; returns an opened transport on the other end */
LersTransport *
lers_check_serve_socketpair (LersDeviceSimulator *sim, GCancellable *cancel, GIOStream **server)
{
  g_autoptr (GIOStream) client = NULL;
  LersTransport *transport;

  lers_check_socketpair (server, &client);
  lers_device_simulator_serve_async (sim, *server, cancel, served_cb, NULL);
  transport = lers_stream_transport_new (client, "socketpair");
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  return transport;
}

typedef struct
{
  LersDeviceSimulator *sim;
  GIOStream *server;
  GCancellable *cancel;
  gint served;
} ServeThread;

static void
thread_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ServeThread *st = user_data;

  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
  g_atomic_int_set (&st->served, 1);
}

static gpointer
serve_thread (gpointer data)
{
  ServeThread *st = data;
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  lers_device_simulator_serve_async (st->sim, st->server, st->cancel, thread_served_cb, st);
  while (!g_atomic_int_get (&st->served))
    g_main_context_iteration (context, TRUE);
  /* whatever is still ready on this context runs before it is dropped
   * (a belt and braces: the serve task itself only returns from a read,
   * write or delay callback) */
  for (guint i = 0; i < 100 && g_main_context_pending (context); i++)
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  g_object_unref (st->sim);
  g_object_unref (st->server);
  g_clear_object (&st->cancel);
  g_free (st);
  return NULL;
}

/* @sim served on @server in a thread of its own with a private main
 * context (so a session's sync calls may block the caller's), until the
 * peer closes; g_thread_join() it after closing the peer. @cancel (may be
 * NULL) is for the serving thread's own use: cancelling it from another
 * thread races GLib 2.74's disposal of the pending read's cancellable
 * source (LeakSanitizer and memcheck saw a lost source now and then) */
GThread *
lers_check_serve_in_thread (LersDeviceSimulator *sim, GIOStream *server, GCancellable *cancel)
{
  ServeThread *st = g_new0 (ServeThread, 1);

  st->sim = g_object_ref (sim);
  st->server = g_object_ref (server);
  st->cancel = cancel != NULL ? g_object_ref (cancel) : NULL;
  return g_thread_new ("lers-check-sim", serve_thread, st);
}

/* undoes lers_check_serve_socketpair(): cancels the serving, closes both
 * ends and clears the three (any may be NULL) */
void
lers_check_unserve (LersTransport **transport, GIOStream **server, GCancellable **cancel)
{
  if (*cancel != NULL)
    g_cancellable_cancel (*cancel);
  if (*transport != NULL)
    lers_transport_close_sync (*transport, NULL, NULL);
  lers_check_drain ();
  g_clear_object (transport);
  if (*server != NULL)
    g_io_stream_close (*server, NULL, NULL);
  lers_check_drain ();
  g_clear_object (server);
  g_clear_object (cancel);
}

GDateTime *
lers_check_utc (const gchar *iso)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *t = g_date_time_new_from_iso8601 (iso, utc);

  if (t == NULL)
    g_error ("bad time %s", iso);
  return t;
}

/* the device's clock zone, as the server resolves it */
void
lers_check_device_set_zone (LersDevice *device, const gchar *zone)
{
  g_autoptr (GTimeZone) tz = lers_time_zone_new (zone, NULL);

  g_assert_nonnull (tz);
  lers_device_set_clock_zone (device, zone);
  lers_device_set_effective_clock_zone (device, tz);
}

/* a device of @protocol at @address whose clock keeps UTC */
LersDevice *
lers_check_device_new (const gchar *protocol, const gchar *address)
{
  LersDevice *device = lers_device_new ();

  lers_device_set_protocol (device, protocol);
  lers_device_set_network_address (device, address);
  lers_check_device_set_zone (device, "UTC");
  return device;
}

typedef struct
{
  GPtrArray *answers;
  guint *n_writes;
  GString *written;
} Script;

static void
script_written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Script *s = user_data;
  guint i = (*s->n_writes)++;
  g_autofree gchar *hex = lers_check_to_hex (bytes);

  g_string_append_printf (s->written, "%s\n", hex);
  if (i < s->answers->len && g_ptr_array_index (s->answers, i) != NULL)
    lers_memory_transport_push_input (transport, g_ptr_array_index (s->answers, i));
}

static void
script_free (gpointer data, GClosure *closure)
{
  g_free (data);
}

/* an opened memory transport that answers its n-th write with @answers'
 * n-th (GBytes, NULL: silence), counts the writes in *@n_writes and appends
 * each to @written as a hex line; the three outlive the transport */
LersTransport *
lers_check_script_transport_new (GPtrArray *answers, guint *n_writes, GString *written)
{
  LersTransport *transport = lers_memory_transport_new ();
  Script *s = g_new0 (Script, 1);

  s->answers = answers;
  s->n_writes = n_writes;
  s->written = written;
  lers_transport_set_first_byte_timeout_ms (transport, 50);
  lers_transport_set_retries (transport, 1);
  g_signal_connect_data (transport, "written", G_CALLBACK (script_written_cb), s, script_free, 0);
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  return transport;
}

/* @sim served on one end of a socket pair, the transport on the other, a
 * @protocol device at @address */
void
lers_check_session_sim (LersCheckSession *t, LersDeviceSimulator *sim, const gchar *protocol,
                        const gchar *address)
{
  memset (t, 0, sizeof *t);
  t->sim = g_object_ref (sim);
  t->cancel = g_cancellable_new ();
  t->transport = lers_check_serve_socketpair (sim, t->cancel, &t->server);
  lers_transport_set_first_byte_timeout_ms (t->transport, 2000);
  t->device = lers_check_device_new (protocol, address);
}

/* a memory transport that answers its n-th write with the n-th answer */
void
lers_check_session_script (LersCheckSession *t, const gchar *protocol, const gchar *address)
{
  memset (t, 0, sizeof *t);
  t->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  t->written = g_string_new (NULL);
  t->transport = lers_check_script_transport_new (t->answers, &t->n_writes, t->written);
  t->device = lers_check_device_new (protocol, address);
}

void
lers_check_session_answer (LersCheckSession *t, const gchar *hex)
{
  g_ptr_array_add (t->answers, hex != NULL ? lers_check_hex (hex) : NULL);
}

/* @driver's session on t's transport and device (after the device's
 * options are set) */
void
lers_check_session_create (LersCheckSession *t, LersDeviceDriver *driver)
{
  g_autoptr (GError) error = NULL;

  t->session = lers_device_driver_create_session (driver, t->transport, t->device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t->session);
}

void
lers_check_session_clear (LersCheckSession *t)
{
  lers_check_unserve (&t->transport, &t->server, &t->cancel);
  g_clear_object (&t->session);
  g_clear_object (&t->sim);
  g_clear_object (&t->device);
  g_clear_pointer (&t->answers, g_ptr_array_unref);
  if (t->written != NULL)
    g_string_free (g_steal_pointer (&t->written), TRUE);
}

gboolean
lers_check_session_open (LersDeviceSession *session, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lers_device_session_open_async (session, NULL, lers_check_wait_cb, &result);
  return lers_device_session_open_finish (session, lers_check_wait (&result), error);
}

/* an archive read over [@from, @to) (NULL: open), its progress asserted
 * complete on success */
GPtrArray *
lers_check_session_read (LersDeviceSession *session, LersArchiveKind kind, const gchar *from,
                         const gchar *to, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GDateTime) f = from != NULL ? lers_check_utc (from) : NULL;
  g_autoptr (GDateTime) e = to != NULL ? lers_check_utc (to) : NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  GPtrArray *out;

  lers_device_session_read_archive_async (session, kind, f, e, progress, NULL, lers_check_wait_cb,
                                          &result);
  out = lers_device_session_read_archive_finish (session, lers_check_wait (&result), error);
  if (out != NULL)
    g_assert_cmpfloat_with_epsilon (lers_progress_get_fraction (progress), 1.0, 1e-9);
  return out;
}

GPtrArray *
lers_check_session_events (LersDeviceSession *session, const gchar *from, const gchar *to,
                           GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GDateTime) f = lers_check_utc (from);
  g_autoptr (GDateTime) e = lers_check_utc (to);

  lers_device_session_read_events_async (session, f, e, NULL, NULL, lers_check_wait_cb, &result);
  return lers_device_session_read_events_finish (session, lers_check_wait (&result), error);
}

GDateTime *
lers_check_session_clock (LersDeviceSession *session, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lers_device_session_read_clock_async (session, NULL, lers_check_wait_cb, &result);
  return lers_device_session_read_clock_finish (session, lers_check_wait (&result), error);
}

gboolean
lers_check_session_set_clock (LersDeviceSession *session, const gchar *time, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GDateTime) when = lers_check_utc (time);

  lers_device_session_set_clock_async (session, when, NULL, lers_check_wait_cb, &result);
  return lers_device_session_set_clock_finish (session, lers_check_wait (&result), error);
}

/* the record stamped @time (UTC ISO 8601) for @channel, or NULL */
LersRecord *
lers_check_find (GPtrArray *records, const gchar *time, guint channel)
{
  g_autoptr (GDateTime) want = lers_check_utc (time);

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      if (lers_record_get_channel (r) == channel
          && g_date_time_equal (lers_record_get_timestamp (r), want))
        return r;
    }
  return NULL;
}

/* @r's value of @p, asserted present */
gdouble
lers_check_value (LersRecord *r, LersParameter p, LersValueFlags *flags)
{
  gdouble v = NAN;

  g_assert_nonnull (r);
  if (!lers_record_get_value (r, p, &v, flags))
    g_error ("no value for %s", lers_parameter_get_name (p));
  return v;
}
