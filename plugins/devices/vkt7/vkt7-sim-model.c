/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated ВКТ-7's data: a function of the seed, the heat input and
 * the hour (README.md, "Simulator data model"), and the element table as
 * the simulated meter has it (active elements, sizes, units, digits).
 */
#include "vkt7-sim-model.h"

#include <string.h>

#include "vkt7-data.h"

#define SIM_TOTALS_EPOCH_HOUR G_GINT64_CONSTANT (473352) /* 2024-01-01T00:00Z */

/* ---- the data model ------------------------------------------------------- */

static guint64
sim_mix (guint64 z)
{
  /* splitmix64's finaliser */
  z += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint
sim_r (guint seed, guint channel, gint64 hour, guint k, guint modulo)
{
  guint64 x = ((guint64) seed << 40) ^ ((guint64) hour << 8) ^ ((guint64) channel << 4) ^ k;
  return (guint) (sim_mix (x) % modulo);
}

static gboolean
sim_ns_hour (guint seed, guint channel, gint64 hour)
{
  return channel == 0 && (hour / 24) % 31 == seed % 31 && hour % 24 >= 10 && hour % 24 < 13;
}

void
vkt7_sim_hour (guint seed, guint channel, gint64 hour, Vkt7SimRow *row)
{
  guint kind = (seed / 31) % 5;

  memset (row, 0, sizeof *row);
  row->t1 = 7000 + (gint32) sim_r (seed, channel, hour, 1, 2000);
  row->t2 = 4000 + (gint32) sim_r (seed, channel, hour, 2, 1500);
  row->m1 = 200 + (gint32) sim_r (seed, channel, hour, 3, 300);
  row->m2 = row->m1 - (gint32) sim_r (seed, channel, hour, 4, 5);
  row->v1 = row->m1 + row->m1 / 40;
  row->v2 = row->m2 + row->m2 / 40;
  row->mg = row->m1 - row->m2;
  row->q = row->m1 * (row->t1 - row->t2) / 10000;
  row->p1 = 600 + (gint32) sim_r (seed, channel, hour, 5, 50);
  row->p2 = 400 + (gint32) sim_r (seed, channel, hour, 6, 50);
  row->dt = row->t1 - row->t2;
  row->tx = 500 + (gint32) sim_r (seed, channel, hour, 7, 300);
  row->ta = -1000 + (gint32) sim_r (seed, channel, hour, 8, 2000);
  row->hours_ok = 1;
  if (sim_ns_hour (seed, channel, hour))
    {
      row->ns_flag = TRUE;
      row->ns[kind] = 1;
      if (kind == 0)
        {
          row->hours_ok = 0;
          row->hours_stop = 1;
        }
    }
}

static void
row_add (Vkt7SimRow *sum, const Vkt7SimRow *r)
{
  sum->t1 += r->t1, sum->t2 += r->t2, sum->dt += r->dt, sum->p1 += r->p1, sum->p2 += r->p2;
  sum->tx += r->tx, sum->ta += r->ta;
  sum->v1 += r->v1, sum->v2 += r->v2, sum->m1 += r->m1, sum->m2 += r->m2, sum->mg += r->mg;
  sum->q += r->q, sum->hours_ok += r->hours_ok, sum->hours_stop += r->hours_stop;
  for (guint k = 0; k < 5; k++)
    sum->ns[k] += r->ns[k];
  sum->ns_flag |= r->ns_flag;
}

static void
row_mean (Vkt7SimRow *sum, gint32 n)
{
  sum->t1 /= n, sum->t2 /= n, sum->dt /= n, sum->p1 /= n, sum->p2 /= n;
  sum->tx /= n, sum->ta /= n;
}

void
vkt7_sim_day (guint seed, guint channel, gint64 day, Vkt7SimRow *row)
{
  memset (row, 0, sizeof *row);
  for (gint64 h = day * 24; h < day * 24 + 24; h++)
    {
      Vkt7SimRow r;
      vkt7_sim_hour (seed, channel, h, &r);
      row_add (row, &r);
    }
  row_mean (row, 24);
}

/* @first_day and @n_days: the calendar month's days (UTC) */
void
vkt7_sim_month (guint seed, guint channel, gint64 first_day, gint n_days, Vkt7SimRow *row)
{
  memset (row, 0, sizeof *row);
  for (gint64 d = first_day; d < first_day + n_days; d++)
    {
      Vkt7SimRow r;
      vkt7_sim_day (seed, channel, d, &r);
      row_add (row, &r);
    }
  row_mean (row, n_days);
}

void
vkt7_sim_totals (guint seed, guint channel, gint64 hour_now, Vkt7SimRow *row)
{
  memset (row, 0, sizeof *row);
  row->m1 = 10000000 + (gint32) (seed % 1000) * 100;
  row->m2 = row->m1 - 50000;
  row->v1 = row->m1 + row->m1 / 40;
  row->v2 = row->m2 + row->m2 / 40;
  row->mg = 50000;
  row->q = 2000000;
  row->hours_ok = 10000;
  for (gint64 h = SIM_TOTALS_EPOCH_HOUR; h < hour_now; h++)
    {
      Vkt7SimRow r;
      vkt7_sim_hour (seed, channel, h, &r);
      row->m1 += r.m1, row->m2 += r.m2, row->v1 += r.v1, row->v2 += r.v2, row->mg += r.mg;
      row->q += r.q, row->hours_ok += r.hours_ok, row->hours_stop += r.hours_stop;
    }
}

gboolean
vkt7_sim_element_active (guint id, guint scheme)
{
  const Vkt7Element *el = vkt7_element (id);

  if (el == NULL)
    return FALSE;
  if (id >= 44 && id <= 76)
    return TRUE;
  if (el->channel < 0 || id == 2 || id == 5 || id == 8 || id == 13 || id == 21 || id == 24
      || id == 27 || id == 30 || id == 35 || id == 43)
    return FALSE;
  return (guint) el->channel < scheme;
}

guint
vkt7_sim_element_size (guint id)
{
  const Vkt7Element *el = vkt7_element (id);

  if (id == VKT7_EL_NS1 || id == VKT7_EL_NS2)
    return 1;
  if (id == VKT7_EL_QNTNS1 || id == VKT7_EL_QNTNS2)
    return 10;
  if (id >= 44 && id <= 56)
    return 7;
  if (id >= 57 && id <= 76)
    return 1;
  switch (el->unit)
    {
    case VKT7_UNIT_T:
    case VKT7_UNIT_P:
      return 2;
    default:
      return 4;
    }
}

/* the units of the document's properties reply (§5.2, p. 27), in CP866 */
const gchar *
vkt7_sim_unit (guint id)
{
  switch (id)
    {
    case 44:
    case 49:
    case 50:
    case 51:
      return "\xF8"
             "C";
    case 45:
      return "\xAC\x33/\xE7";
    case 46:
      return " \xAC\x33";
    case 47:
    case 52:
      return " \xE2";
    case 48:
      return "\xAA\xA3/\xE1\xAC\x32";
    case 53:
    case 54:
      return "\x83\xAA\xA0\xAB";
    default:
      return "\xE7";
    }
}

guint8
vkt7_sim_digits (guint id)
{
  return id == 66 || id == 76 ? 3 : 2;
}

void
vkt7_sim_put_le (GByteArray *b, guint64 v, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 c = i < 8 ? (v >> (8 * i)) & 0xFF : 0;
      g_byte_array_append (b, &c, 1);
    }
}

gint32
vkt7_sim_row_value (const Vkt7SimRow *r, guint base_id, gboolean *ok)
{
  *ok = TRUE;
  switch (base_id)
    {
    case 0:
      return r->t1;
    case 1:
      return r->t2;
    case 3:
      return r->v1;
    case 4:
      return r->v2;
    case 6:
      return r->m1;
    case 7:
      return r->m2;
    case 9:
      return r->p1;
    case 10:
      return r->p2;
    case 11:
      return r->mg;
    case 12:
      return r->q;
    case 14:
      return r->dt;
    case 15:
      return r->tx;
    case 16:
      return r->ta;
    case 17:
      return r->hours_ok;
    case 18:
      return r->hours_stop;
    default:
      *ok = FALSE;
      return 0;
    }
}

/* the ТВ1 element with the same meaning as ТВ2's @id */
guint
vkt7_sim_base_of (guint id)
{
  if (id >= 22 && id <= 36)
    return id - 22;
  if (id == 39 || id == 40)
    return id - 22;
  if (id >= 41 && id <= 43)
    return id - 22;
  return id;
}
