/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "logika4l-simdata.h"

#include <string.h>

gint64
l4l_sim_ns_day (guint seed, gint64 clock)
{
  gint64 today = clock - clock % 86400;

  return today - (gint64) (2 + seed % 20) * 86400;
}

/* README.md "Simulator": the hour starting at @start (Unix seconds, UTC) */
void
l4l_sim_hour (guint seed, guint channel, gint64 start, gint64 clock, L4lSimValues *out)
{
  guint64 k = (guint64) (start / 3600) + seed;
  gint64 nsday = l4l_sim_ns_day (seed, clock);

  memset (out, 0, sizeof *out);
  out->p1 = 6.0;
  out->p2 = 4.0;
  out->t1 = 70.0 + (gdouble) (k % 24) * 0.5 + channel;
  out->t2 = 45.0 + (gdouble) (k % 12) * 0.5 + channel;
  out->t3 = 0.0;
  out->tx = 5.0;
  out->tv = -5.0;
  out->m1 = 2.0 + 0.25 * (gdouble) (k % 4) + channel;
  out->m2 = out->m1 - 0.125;
  out->v1 = out->m1 + 0.0625;
  out->v2 = out->m2 + 0.0625;
  out->q = out->m1 * (out->t1 - out->t2) / 1000.0;
  out->ti = 1.0;
  if (channel == 0 && start >= nsday + 10 * 3600 && start < nsday + 13 * 3600)
    out->ns |= 1u << 13;
  if (channel == 1 && start >= nsday + 14 * 3600 && start < nsday + 15 * 3600)
    out->ns |= 1u << 23;
}

void
l4l_sim_span (guint seed, guint channel, gint64 start, gint64 end, gint64 clock, L4lSimValues *out)
{
  guint n = 0;

  memset (out, 0, sizeof *out);
  for (gint64 t = start; t < end; t += 3600, n++)
    {
      L4lSimValues h;
      l4l_sim_hour (seed, channel, t, clock, &h);
      out->p1 += h.p1;
      out->p2 += h.p2;
      out->t1 += h.t1;
      out->t2 += h.t2;
      out->t3 += h.t3;
      out->tx += h.tx;
      out->tv += h.tv;
      out->v1 += h.v1;
      out->v2 += h.v2;
      out->m1 += h.m1;
      out->m2 += h.m2;
      out->q += h.q;
      out->ti += h.ti;
      out->ns |= h.ns;
    }
  if (n > 0)
    {
      out->p1 /= n;
      out->p2 /= n;
      out->t1 /= n;
      out->t2 /= n;
      out->t3 /= n;
      out->tx /= n;
      out->tv /= n;
    }
}
