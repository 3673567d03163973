/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's types without libpeas, a session over the
 * simulator (a socket pair) or over a scripted memory transport, and
 * blocking wrappers that run the default main context. */
#include "spbus-test-util.h"

#include <check.h>
#include <math.h>
#include <string.h>

#include "lers-spbus-driver.h"
#include "lers-spbus-session.h"
#include "lers-spbus-simulator.h"
#include "spbus-frame.h"

void
spbus_test_register_types (void)
{
  lers_check_register_types (lers_spbus_driver_register, lers_spbus_simulator_register,
                             lers_spbus_session_register, NULL);
}

/* @sim served on one end of a socket pair, the transport on the other */
void
spbus_test_session_sim (SpbusTestSession *t, LersSpbusSimulator *sim, const gchar *address)
{
  spbus_test_register_types ();
  lers_check_session_sim (t, LERS_DEVICE_SIMULATOR (sim), "spbus", address);
}

/* the answers to open's two reads, 0/099 (@model) and 0/024
 * (@report_hour), from the device at @address; the bytes are those of
 * test-spbus-frame's test_simulator_identity (CRCs by binascii.crc_hqx) */
void
spbus_test_script_identity (SpbusTestSession *t, guint8 address, const gchar *model,
                            const gchar *report_hour)
{
  g_autofree gchar *a = g_strdup_printf ("\t0\t099\f\t%s\f", model);
  g_autofree gchar *b = g_strdup_printf ("\t0\t024\f\t%s\f", report_hour);

  g_ptr_array_add (t->answers, spbus_frame_build (address, address, SPBUS_FNC_VALUE,
                                                  (const guint8 *) a, strlen (a), TRUE));
  g_ptr_array_add (t->answers, spbus_frame_build (address, address, SPBUS_FNC_VALUE,
                                                  (const guint8 *) b, strlen (b), TRUE));
}

/* a memory transport that answers its n-th write with the n-th answer; the
 * first two are those of an СПТ961 with report hour 0 to open's reads
 * (t->answers may be emptied to script others) */
void
spbus_test_session_script (SpbusTestSession *t, const gchar *address)
{
  guint64 a = 0;

  spbus_test_register_types ();
  lers_check_session_script (t, "spbus", address);
  if (g_ascii_string_to_unsigned (address, 10, 0, 255, &a, NULL))
    spbus_test_script_identity (t, (guint8) a, "961", "0");
}

/* after the device's options are set */
void
spbus_test_session_create (SpbusTestSession *t)
{
  g_autoptr (LersSpbusDriver) driver = lers_spbus_driver_new ();

  lers_check_session_create (t, LERS_DEVICE_DRIVER (driver));
}

gboolean
spbus_test_open (SpbusTestSession *t, GError **error)
{
  if (t->session == NULL)
    spbus_test_session_create (t);
  if (!lers_check_session_open (t->session, error))
    return FALSE;
  /* t->written: what the reads after open sent */
  if (t->written != NULL)
    g_string_truncate (t->written, 0);
  return TRUE;
}
