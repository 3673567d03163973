/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated counters' data model, as README.md states it (the tests
 * work their expected values out from that text, not from this code):
 *
 * - channel c (1-based) takes 0.001 × (10·c + k + seed mod 7) m³ in the
 *   hour that starts at k:00 UTC, evenly over the hour;
 * - at 2020-01-01T00:00Z its reading is 100·c + seed mod 50 m³;
 * - the device had no power in the hours 10:00–13:00 UTC of the day
 *   3 + seed mod 20 days before the clock's day (UTC): the hour archive
 *   slots at 11:00, 12:00 and 13:00 of that day hold "no power";
 * - the diagnostics flags (parameter 0x0006) are 0x08 (a negative
 *   reading) when seed mod 10 is 9, else 0.
 */
#include "pulsar-simdata.h"

gdouble
pulsar_sim_reading (guint seed, guint channel, gint64 unix_time)
{
  gint64 hours, days, r;
  gdouble rate = 10.0 * channel + seed % 7; /* litres an hour, before k */
  gdouble litres, frac;

  if (unix_time < PULSAR_SIM_EPOCH)
    unix_time = PULSAR_SIM_EPOCH;
  hours = (unix_time - PULSAR_SIM_EPOCH) / 3600;
  frac = (gdouble) ((unix_time - PULSAR_SIM_EPOCH) % 3600) / 3600.0;
  days = hours / 24;
  r = hours % 24;
  /* whole days: 24·rate + (0 + 1 + … + 23); then hours 0 … r−1 of the last */
  litres
      = (gdouble) days * (24.0 * rate + 276.0) + (gdouble) r * rate + (gdouble) (r * (r - 1) / 2);
  litres += frac * (rate + (gdouble) r);
  return 100.0 * channel + seed % 50 + litres / 1000.0;
}

gboolean
pulsar_sim_no_power (guint seed, gint64 now, gint64 slot_time)
{
  gint64 day = now / 86400 - 3 - seed % 20;
  gint64 t0 = day * 86400;

  return slot_time >= t0 + 11 * 3600 && slot_time <= t0 + 13 * 3600;
}

guint8
pulsar_sim_diagnostics (guint seed)
{
  return seed % 10 == 9 ? 0x08 : 0x00;
}
