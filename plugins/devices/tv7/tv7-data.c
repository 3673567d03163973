/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ТВ7 data blocks. Offsets are from the first data byte of a reply
 * (reply offset 6); the Python driver's offsets (README.md) are reply
 * offsets, so theirs minus 6 (minus 282 + 6 for the second reply of its
 * current-values read, which it appends to the first).
 *
 *   0x1E88 (0x89 words): MM DD hh YY ss mm; then five groups of six floats
 *     (ТВ1 pipes 1–3, ТВ2 pipes 1–3), each group 28 bytes apart: t at 6,
 *     P at 34, Gо at 62, Gм at 90, Ф at 118.
 *   0x1D88 (0x89 words): 6 bytes not known; ТВ c at 6 + 48c: V1 M1 V2 M2
 *     V3 M3 doubles; 16 bytes not known; ТВ c at 118 + 46c: dM Qтв Q12 Qг
 *     doubles, then ВНР ВОС TVmin TVmax Tdt Tбез.пит Tнеиспр u16.
 *   0x1B88 (0x8E words): MM DD hh YY; ТВ c at 4 + 48c: (t P V M) floats for
 *     pipes 1–3; 16 bytes not known; ТВ c at 116 + 36c: tнв tx Px dt dM
 *     Qтв Q12 Qг floats, ВНР ВОС u16.
 */
#include <string.h>

#include "tv7-data.h"

#include <glib/gi18n-lib.h>

#include "tv7-frame.h"

static gboolean
check_size (const gchar *what, gsize len, gsize need, GError **error)
{
  if (len >= need)
    return TRUE;
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               /* TRANSLATORS: the block ("clock", …), bytes got, bytes needed */
               _ ("TV7 %s block of %u bytes, %u needed"), what, (guint) len, (guint) need);
  return FALSE;
}

gboolean
tv7_clock_decode (const guint8 *data, gsize len, Tv7Clock *out, GError **error)
{
  if (!check_size ("clock", len, TV7_CLOCK_SIZE, error))
    return FALSE;
  out->month = data[0];
  out->day = data[1];
  out->hour = data[2];
  out->year = data[3];
  out->second = data[4];
  out->minute = data[5];
  if (out->month < 1 || out->month > 12 || out->day < 1 || out->day > 31 || out->hour > 23
      || out->year > 99 || out->minute > 59 || out->second > 59)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("TV7 clock out of range: %02u-%02u %02u:%02u:%02u year %02u"), out->month,
                   out->day, out->hour, out->minute, out->second, out->year);
      return FALSE;
    }
  return TRUE;
}

void
tv7_clock_encode (const Tv7Clock *clock, guint8 *out)
{
  out[0] = (guint8) clock->month;
  out[1] = (guint8) clock->day;
  out[2] = (guint8) clock->hour;
  out[3] = (guint8) clock->year;
  out[4] = (guint8) clock->second;
  out[5] = (guint8) clock->minute;
}

#define CUR_GROUP(g) (6 + 28 * (g))
#define CUR_AT(g, c, i) (CUR_GROUP (g) + 12 * (c) + 4 * (i))

gboolean
tv7_current_decode (const guint8 *data, gsize len, Tv7Current *out, GError **error)
{
  if (!check_size ("current values", len, TV7_CURRENT_SIZE, error))
    return FALSE;
  /* the clock is checked by whoever needs it */
  out->clock.month = data[0];
  out->clock.day = data[1];
  out->clock.hour = data[2];
  out->clock.year = data[3];
  out->clock.second = data[4];
  out->clock.minute = data[5];
  for (guint c = 0; c < TV7_CHANNELS; c++)
    for (guint i = 0; i < TV7_PIPES; i++)
      {
        out->t[c][i] = tv7_get_float (data + CUR_AT (0, c, i));
        out->p[c][i] = tv7_get_float (data + CUR_AT (1, c, i));
        out->gv[c][i] = tv7_get_float (data + CUR_AT (2, c, i));
        out->gm[c][i] = tv7_get_float (data + CUR_AT (3, c, i));
        out->f[c][i] = tv7_get_float (data + CUR_AT (4, c, i));
      }
  return TRUE;
}

void
tv7_current_encode (const Tv7Current *cur, guint8 *out)
{
  memset (out, 0, TV7_CURRENT_SIZE);
  tv7_clock_encode (&cur->clock, out);
  for (guint c = 0; c < TV7_CHANNELS; c++)
    for (guint i = 0; i < TV7_PIPES; i++)
      {
        tv7_put_float (out + CUR_AT (0, c, i), cur->t[c][i]);
        tv7_put_float (out + CUR_AT (1, c, i), cur->p[c][i]);
        tv7_put_float (out + CUR_AT (2, c, i), cur->gv[c][i]);
        tv7_put_float (out + CUR_AT (3, c, i), cur->gm[c][i]);
        tv7_put_float (out + CUR_AT (4, c, i), cur->f[c][i]);
      }
}

#define TOT_VM(c, i) (6 + 48 * (c) + 16 * (i))
#define TOT_Q(c) (118 + 46 * (c))

gboolean
tv7_totals_decode (const guint8 *data, gsize len, Tv7Totals *out, GError **error)
{
  if (!check_size ("totals", len, TV7_TOTALS_SIZE, error))
    return FALSE;
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      for (guint i = 0; i < TV7_PIPES; i++)
        {
          out->v[c][i] = tv7_get_double (data + TOT_VM (c, i));
          out->m[c][i] = tv7_get_double (data + TOT_VM (c, i) + 8);
        }
      out->dm[c] = tv7_get_double (data + TOT_Q (c));
      out->q_tv[c] = tv7_get_double (data + TOT_Q (c) + 8);
      out->q12[c] = tv7_get_double (data + TOT_Q (c) + 16);
      out->q_g[c] = tv7_get_double (data + TOT_Q (c) + 24);
      for (guint k = 0; k < 7; k++)
        out->counters[c][k] = tv7_get_u16 (data + TOT_Q (c) + 32 + 2 * k);
    }
  return TRUE;
}

void
tv7_totals_encode (const Tv7Totals *tot, guint8 *out)
{
  memset (out, 0, TV7_TOTALS_SIZE);
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      for (guint i = 0; i < TV7_PIPES; i++)
        {
          tv7_put_double (out + TOT_VM (c, i), tot->v[c][i]);
          tv7_put_double (out + TOT_VM (c, i) + 8, tot->m[c][i]);
        }
      tv7_put_double (out + TOT_Q (c), tot->dm[c]);
      tv7_put_double (out + TOT_Q (c) + 8, tot->q_tv[c]);
      tv7_put_double (out + TOT_Q (c) + 16, tot->q12[c]);
      tv7_put_double (out + TOT_Q (c) + 24, tot->q_g[c]);
      for (guint k = 0; k < 7; k++)
        tv7_put_u16 (out + TOT_Q (c) + 32 + 2 * k, tot->counters[c][k]);
    }
}

#define ARC_PIPE(c, i) (4 + 48 * (c) + 16 * (i))
#define ARC_TAIL(c) (116 + 36 * (c))

gboolean
tv7_archive_decode (const guint8 *data, gsize len, Tv7Archive *out, GError **error)
{
  if (!check_size ("archive", len, TV7_ARCHIVE_SIZE, error))
    return FALSE;
  out->month = data[0];
  out->day = data[1];
  out->hour = data[2];
  out->year = data[3];
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      const guint8 *tail = data + ARC_TAIL (c);

      for (guint i = 0; i < TV7_PIPES; i++)
        {
          const guint8 *p = data + ARC_PIPE (c, i);
          out->t[c][i] = tv7_get_float (p);
          out->p[c][i] = tv7_get_float (p + 4);
          out->v[c][i] = tv7_get_float (p + 8);
          out->m[c][i] = tv7_get_float (p + 12);
        }
      out->t_outdoor[c] = tv7_get_float (tail);
      out->t_cw[c] = tv7_get_float (tail + 4);
      out->p_cw[c] = tv7_get_float (tail + 8);
      out->dt[c] = tv7_get_float (tail + 12);
      out->dm[c] = tv7_get_float (tail + 16);
      out->q_tv[c] = tv7_get_float (tail + 20);
      out->q12[c] = tv7_get_float (tail + 24);
      out->q_g[c] = tv7_get_float (tail + 28);
      out->vnr[c] = tv7_get_u16 (tail + 32);
      out->vos[c] = tv7_get_u16 (tail + 34);
    }
  if (out->month < 1 || out->month > 12 || out->day < 1 || out->day > 31 || out->hour > 23
      || out->year > 99)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("TV7 archive record with a bad date: %02u-%02u %02u h, year %02u"),
                   out->month, out->day, out->hour, out->year);
      return FALSE;
    }
  return TRUE;
}

void
tv7_archive_encode (const Tv7Archive *rec, guint8 *out)
{
  memset (out, 0, TV7_ARCHIVE_SIZE);
  out[0] = (guint8) rec->month;
  out[1] = (guint8) rec->day;
  out[2] = (guint8) rec->hour;
  out[3] = (guint8) rec->year;
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      guint8 *tail = out + ARC_TAIL (c);

      for (guint i = 0; i < TV7_PIPES; i++)
        {
          guint8 *p = out + ARC_PIPE (c, i);
          tv7_put_float (p, rec->t[c][i]);
          tv7_put_float (p + 4, rec->p[c][i]);
          tv7_put_float (p + 8, rec->v[c][i]);
          tv7_put_float (p + 12, rec->m[c][i]);
        }
      tv7_put_float (tail, rec->t_outdoor[c]);
      tv7_put_float (tail + 4, rec->t_cw[c]);
      tv7_put_float (tail + 8, rec->p_cw[c]);
      tv7_put_float (tail + 12, rec->dt[c]);
      tv7_put_float (tail + 16, rec->dm[c]);
      tv7_put_float (tail + 20, rec->q_tv[c]);
      tv7_put_float (tail + 24, rec->q12[c]);
      tv7_put_float (tail + 28, rec->q_g[c]);
      tv7_put_u16 (tail + 32, rec->vnr[c]);
      tv7_put_u16 (tail + 34, rec->vos[c]);
    }
}
