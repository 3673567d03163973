/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated СПТ961's values, closed forms of the hour index k (the
 * start of the hour, Unix time / 3600). Odd pipelines (1, 3) are supply
 * pipes, even ones (2, 4) return pipes; "1" and "2" below mean that:
 *   T1 = 70 + k mod 7 + seed mod 5 °C     T2 = 45 + k mod 5 + seed mod 3 °C
 *   P1 = 6 + 0.1·(k mod 3) kgf/cm²        P2 = 4 + 0.1·(k mod 3) kgf/cm²
 *   Gm1 = 10 + 0.5·(k mod 4) t/h          Gm2 = Gm1 − 0.2 t/h
 *   Gv = 1.02·Gm m³/h
 *   M(k) = 1000·pipe + Σ Gm over the hours from 2020-01-01 to k (exclusive)
 *   V(k) = 1.02·M(k)
 */
#include "spbus-simdata.h"

static guint
pmod (gint64 k, guint m)
{
  gint64 r = k % m;

  return (guint) (r < 0 ? r + m : r);
}

gdouble
spbus_sim_t (guint seed, guint pipe, gint64 k)
{
  if (pipe % 2 == 1)
    return 70 + pmod (k, 7) + seed % 5;
  return 45 + pmod (k, 5) + seed % 3;
}

gdouble
spbus_sim_p (guint pipe, gint64 k)
{
  return (pipe % 2 == 1 ? 6.0 : 4.0) + 0.1 * pmod (k, 3);
}

gdouble
spbus_sim_gm (guint pipe, gint64 k)
{
  return 10.0 + 0.5 * pmod (k, 4) - (pipe % 2 == 1 ? 0.0 : 0.2);
}

gdouble
spbus_sim_gv (guint pipe, gint64 k)
{
  return 1.02 * spbus_sim_gm (pipe, k);
}

/* the counter at the start of hour k */
gdouble
spbus_sim_mass (guint pipe, gint64 k)
{
  gint64 n = k - SPBUS_SIM_EPOCH_HOUR;
  gdouble m = 1000.0 * pipe;

  if (n <= 0)
    return m;
  /* a cycle of 4 hours: 10 + 10.5 + 11 + 11.5 = 43 t on pipeline 1, 0.8 less on 2 */
  m += (gdouble) (n / 4) * (pipe % 2 == 1 ? 43.0 : 42.2);
  for (gint64 j = k - n % 4; j < k; j++)
    m += spbus_sim_gm (pipe, j);
  return m;
}

gdouble
spbus_sim_volume (guint pipe, gint64 k)
{
  return 1.02 * spbus_sim_mass (pipe, k);
}
