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

/* @sim served on one end of a socket pair, the transport on the other */
void
pulsar_test_session_sim (PulsarTestSession *t, LersPulsarSimulator *sim, const gchar *address)
{
  pulsar_test_register_types ();
  lers_check_session_sim (t, LERS_DEVICE_SIMULATOR (sim), "pulsar", address);
}

/* a memory transport that answers its n-th write with the n-th answer */
void
pulsar_test_session_script (PulsarTestSession *t, const gchar *address)
{
  pulsar_test_register_types ();
  lers_check_session_script (t, "pulsar", address);
}

/* after the device's options are set */
void
pulsar_test_session_create (PulsarTestSession *t)
{
  g_autoptr (LersPulsarDriver) driver = lers_pulsar_driver_new ();

  lers_check_session_create (t, LERS_DEVICE_DRIVER (driver));
}

gboolean
pulsar_test_open (PulsarTestSession *t, GError **error)
{
  if (t->session == NULL)
    pulsar_test_session_create (t);
  return lers_check_session_open (t->session, error);
}
