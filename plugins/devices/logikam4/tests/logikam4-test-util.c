/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, main-loop
 * waits, a simulator on a socket pair, session calls waited for. */
#include "logikam4-test-util.h"

#include <math.h>

#include "lers-logikam4-driver.h"
#include "lers-logikam4-session.h"
#include "logikam4-frame.h"

void
m4_test_register_types (void)
{
  lers_check_register_types (lers_logikam4_driver_register, lers_logikam4_simulator_register,
                             lers_logikam4_session_register, NULL);
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
  lers_check_wait (&w->result);
}

void
m4_test_link_open (M4TestLink *l, LersLogikam4Simulator *sim)
{
  l->sim = g_object_ref (sim);
  l->cancel = g_cancellable_new ();
  l->transport = lers_check_serve_socketpair (LERS_DEVICE_SIMULATOR (sim), l->cancel, &l->server);
  lers_transport_set_first_byte_timeout_ms (l->transport, 500);
}

void
m4_test_link_close (M4TestLink *l)
{
  lers_check_unserve (&l->transport, &l->server, &l->cancel);
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
  return lers_check_value (r, p, NULL);
}
