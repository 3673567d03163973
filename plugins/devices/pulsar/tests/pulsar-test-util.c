/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's types without libpeas, a session over the
 * simulator (a socket pair) or over a scripted memory transport, and
 * blocking wrappers that run the default main context. */
#include "pulsar-test-util.h"

#include <check.h>
#include <math.h>

#include "lers-pulsar-driver.h"
#include "lers-pulsar-session.h"
#include "lers-pulsar-simulator.h"
#include "pulsar-frame.h"

void
pulsar_test_register_types (void)
{
  lers_check_register_types (lers_pulsar_driver_register, lers_pulsar_simulator_register,
                             lers_pulsar_session_register, NULL);
}

GDateTime *
pulsar_test_utc (const gchar *iso)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *t = g_date_time_new_from_iso8601 (iso, utc);

  ck_assert_msg (t != NULL, "bad time %s", iso);
  return t;
}

/* the device's clock zone, as the server resolves it */
void
pulsar_test_set_zone (PulsarTestSession *t, const gchar *zone)
{
  g_autoptr (GTimeZone) tz = lers_time_zone_new (zone, NULL);

  ck_assert_ptr_nonnull (tz);
  lers_device_set_clock_zone (t->device, zone);
  lers_device_set_effective_clock_zone (t->device, tz);
}

static void
device_init (PulsarTestSession *t, const gchar *address)
{
  t->device = lers_device_new ();
  lers_device_set_protocol (t->device, "pulsar");
  lers_device_set_network_address (t->device, address);
  pulsar_test_set_zone (t, "UTC");
}

/* @sim served on one end of a socket pair, the transport on the other */
void
pulsar_test_session_sim (PulsarTestSession *t, LersPulsarSimulator *sim, const gchar *address)
{
  pulsar_test_register_types ();
  memset (t, 0, sizeof *t);
  t->sim = g_object_ref (sim);
  t->cancel = g_cancellable_new ();
  t->transport = lers_check_serve_socketpair (LERS_DEVICE_SIMULATOR (sim), t->cancel, &t->server);
  lers_transport_set_first_byte_timeout_ms (t->transport, 2000);
  device_init (t, address);
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  PulsarTestSession *t = user_data;
  guint i = t->n_writes++;
  g_autofree gchar *hex = pulsar_test_to_hex (bytes);

  g_string_append_printf (t->written, "%s\n", hex);
  if (i < t->answers->len && g_ptr_array_index (t->answers, i) != NULL)
    lers_memory_transport_push_input (transport, g_ptr_array_index (t->answers, i));
}

/* a memory transport that answers its n-th write with the n-th answer */
void
pulsar_test_session_script (PulsarTestSession *t, const gchar *address)
{
  pulsar_test_register_types ();
  memset (t, 0, sizeof *t);
  t->transport = lers_memory_transport_new ();
  t->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  t->written = g_string_new (NULL);
  lers_transport_set_first_byte_timeout_ms (t->transport, 50);
  lers_transport_set_retries (t->transport, 1);
  g_signal_connect (t->transport, "written", G_CALLBACK (written_cb), t);
  ck_assert (lers_transport_open_sync (t->transport, NULL, NULL));
  device_init (t, address);
}

void
pulsar_test_script_answer (PulsarTestSession *t, const gchar *hex)
{
  g_ptr_array_add (t->answers, hex != NULL ? pulsar_test_hex (hex) : NULL);
}

/* after the device's options are set */
void
pulsar_test_session_create (PulsarTestSession *t)
{
  g_autoptr (LersPulsarDriver) driver = lers_pulsar_driver_new ();
  g_autoptr (GError) error = NULL;

  t->session = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), t->transport,
                                                  t->device, &error);
  ck_assert_msg (t->session != NULL, "%s", error != NULL ? error->message : "");
}

void
pulsar_test_session_clear (PulsarTestSession *t)
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
pulsar_test_open (PulsarTestSession *t, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  if (t->session == NULL)
    pulsar_test_session_create (t);
  lers_device_session_open_async (t->session, NULL, pulsar_test_wait_cb, &result);
  return lers_device_session_open_finish (t->session, pulsar_test_wait (&result), error);
}

GPtrArray *
pulsar_test_read (PulsarTestSession *t, LersArchiveKind kind, const gchar *from, const gchar *to,
                  GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GDateTime) f = from != NULL ? pulsar_test_utc (from) : NULL;
  g_autoptr (GDateTime) e = to != NULL ? pulsar_test_utc (to) : NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  GPtrArray *out;

  lers_device_session_read_archive_async (t->session, kind, f, e, progress, NULL,
                                          pulsar_test_wait_cb, &result);
  out = lers_device_session_read_archive_finish (t->session, pulsar_test_wait (&result), error);
  if (out != NULL)
    ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 1.0, 1e-9);
  return out;
}

GPtrArray *
pulsar_test_events (PulsarTestSession *t, const gchar *from, const gchar *to, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GDateTime) f = pulsar_test_utc (from);
  g_autoptr (GDateTime) e = pulsar_test_utc (to);

  lers_device_session_read_events_async (t->session, f, e, NULL, NULL, pulsar_test_wait_cb,
                                         &result);
  return lers_device_session_read_events_finish (t->session, pulsar_test_wait (&result), error);
}

GDateTime *
pulsar_test_clock (PulsarTestSession *t, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lers_device_session_read_clock_async (t->session, NULL, pulsar_test_wait_cb, &result);
  return lers_device_session_read_clock_finish (t->session, pulsar_test_wait (&result), error);
}

gboolean
pulsar_test_set_clock (PulsarTestSession *t, const gchar *time, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GDateTime) when = pulsar_test_utc (time);

  lers_device_session_set_clock_async (t->session, when, NULL, pulsar_test_wait_cb, &result);
  return lers_device_session_set_clock_finish (t->session, pulsar_test_wait (&result), error);
}

/* the record stamped @time (UTC ISO 8601) for @channel, or NULL */
LersRecord *
pulsar_test_find (GPtrArray *records, const gchar *time, guint channel)
{
  g_autoptr (GDateTime) want = pulsar_test_utc (time);

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      if (lers_record_get_channel (r) == channel
          && g_date_time_equal (lers_record_get_timestamp (r), want))
        return r;
    }
  return NULL;
}

gdouble
pulsar_test_value (LersRecord *r, LersParameter p, LersValueFlags *flags)
{
  gdouble v = NAN;

  ck_assert_ptr_nonnull (r);
  ck_assert_msg (lers_record_get_value (r, p, &v, flags), "no value for parameter %d", p);
  return v;
}
