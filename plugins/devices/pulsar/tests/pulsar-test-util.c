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

/* the device's clock zone, as the server resolves it */
void
pulsar_test_set_zone (PulsarTestSession *t, const gchar *zone)
{
  lers_check_device_set_zone (t->device, zone);
}

static void
device_init (PulsarTestSession *t, const gchar *address)
{
  t->device = lers_check_device_new ("pulsar", address);
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

/* a memory transport that answers its n-th write with the n-th answer */
void
pulsar_test_session_script (PulsarTestSession *t, const gchar *address)
{
  pulsar_test_register_types ();
  memset (t, 0, sizeof *t);
  t->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  t->written = g_string_new (NULL);
  t->transport = lers_check_script_transport_new (t->answers, &t->n_writes, t->written);
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
  if (t->session == NULL)
    pulsar_test_session_create (t);
  return lers_check_session_open (t->session, error);
}

GPtrArray *
pulsar_test_read (PulsarTestSession *t, LersArchiveKind kind, const gchar *from, const gchar *to,
                  GError **error)
{
  return lers_check_session_read (t->session, kind, from, to, error);
}

GPtrArray *
pulsar_test_events (PulsarTestSession *t, const gchar *from, const gchar *to, GError **error)
{
  return lers_check_session_events (t->session, from, to, error);
}

GDateTime *
pulsar_test_clock (PulsarTestSession *t, GError **error)
{
  return lers_check_session_clock (t->session, error);
}

gboolean
pulsar_test_set_clock (PulsarTestSession *t, const gchar *time, GError **error)
{
  return lers_check_session_set_clock (t->session, time, error);
}
