/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "logika4l-simdata.h"

#include <string.h>

#include "logika4l-events.h"
#include "logika4l-frame.h"

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

/* ---- the memory image: archive blocks, RAM, FLASH ------------------------ */

static void
put_float (guint8 *b, gdouble v)
{
  l4l_float_encode (v, b);
}

/* the record of the period [start, end) in the model's layout */
void
l4l_sim_make_record (const L4lSimState *self, guint ch, gint64 start, gint64 end, gint64 now,
                     guint8 *out, gsize size)
{
  L4lSimValues v;

  l4l_sim_span (self->seed, ch, start, end, now, &v);
  memset (out, 0, size);
  out[0] = (v.ns >> 16) & 0xFF;
  out[1] = (v.ns >> 8) & 0xFF;
  out[2] = v.ns & 0xFF;
  out[3] = 0; /* scheme 0 */
  if (self->model == L4L_MODEL_941)
    {
      /* prot941 tables 3.3 and 3.5; НС13 of the model is the 941's НС3 */
      out[3] = size == L4L_RECORD_941_HOUR && (v.ns & (1u << 13)) ? 0x08 : 0x00;
      if (size == L4L_RECORD_941_HOUR)
        {
          const gdouble f[7] = { v.t1, v.t2, v.v1, v.v2, v.m1, v.m2, v.q };
          for (guint i = 0; i < 7; i++)
            put_float (out + 4 + 4 * i, f[i]);
        }
      else
        {
          const gdouble f[10] = { v.t1, v.t2, v.v1, v.v2, v.v3, v.m1, v.m2, v.m3, v.q, v.ti };
          for (guint i = 0; i < 10; i++)
            put_float (out + 4 + 4 * i, f[i]);
        }
      out[0] = out[1] = out[2] = 0;
      return;
    }
  if (self->model == L4L_MODEL_943)
    {
      const gdouble f[16] = { v.p1, v.p2, v.t1, v.t2, v.t3, v.tx, v.tv, v.v1,
                              v.v2, v.v3, v.m1, v.m2, v.m3, v.q,  v.ti, v.qg };
      for (guint i = 0; i < 16; i++)
        put_float (out + 4 + 4 * i, f[i]);
    }
  else
    {
      const gdouble f[10] = { v.t1, v.t2, v.v1, v.v2, v.v3, v.m1, v.m2, v.m3, v.q, v.ti };
      for (guint i = 0; i < 10; i++)
        put_float (out + 4 + 4 * i, f[i]);
    }
}

/* the RAM image at @addr, @n bytes (prot943 appendix 1 and 4) */
void
l4l_sim_make_ram (const L4lSimState *self, guint addr, guint8 *out, guint n)
{
  guint8 ram[0x800];
  gint64 now = self->now;
  gint64 hour = now - now % 3600;
  gdouble frac = (gdouble) (now - hour) / 3600.0;
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (now);

  memset (ram, 0, sizeof ram);
  if (self->model == L4L_MODEL_941)
    {
      /* prot941 table 3.6 */
      L4lSimValues v, s;
      const gdouble *tot;

      l4l_sim_hour (self->seed, 0, hour, now, &v);
      l4l_sim_span (self->seed, 0, hour - (gint64) L4L_SIM_HOUR_DEPTH * 3600, hour, now, &s);
      tot = (const gdouble[8]){ 1000.0 + s.v1 + v.v1 * frac, 1000.0 + s.v2 + v.v2 * frac, 0.0,
                                1000.0 + s.m1 + v.m1 * frac, 1000.0 + s.m2 + v.m2 * frac, 0.0,
                                500.0 + s.q + v.q * frac,    10000.0 + s.ti + v.ti * frac };
      ram[0x64] = (guint8) (g_date_time_get_year (t) % 100);
      ram[0x65] = (guint8) g_date_time_get_month (t);
      ram[0x66] = (guint8) g_date_time_get_day_of_month (t);
      ram[0x67] = (guint8) g_date_time_get_hour (t);
      ram[0x68] = (guint8) g_date_time_get_minute (t);
      ram[0x69] = (guint8) g_date_time_get_second (t);
      for (guint i = 0; i < 8; i++)
        put_float (ram + 0xC3 + 4 * i, tot[i]);
      put_float (ram + 0xE8, v.t1);
      put_float (ram + 0xEC, v.t2);
      for (guint i = 0; i < n; i++)
        out[i] = ram[(addr + i) % 0x200];
      return;
    }
  ram[0xF3] = (guint8) (g_date_time_get_year (t) - 2000);
  ram[0xF4] = (guint8) g_date_time_get_month (t);
  ram[0xF5] = (guint8) g_date_time_get_day_of_month (t);
  ram[0xF6] = (guint8) g_date_time_get_hour (t);
  ram[0xF7] = (guint8) g_date_time_get_minute (t);
  ram[0xF8] = (guint8) g_date_time_get_second (t);
  /* bit 0, 1: ТВ1, ТВ2 counting; bit 4 external power */
  ram[0xFF] = self->circuits >= 2 ? 0x13 : 0x11;
  for (guint ch = 0; ch < 2; ch++)
    {
      L4lSimValues v;
      l4l_sim_hour (self->seed, ch, hour, now, &v);
      if (self->model == L4L_MODEL_943)
        {
          guint8 *c = ram + (ch == 0 ? 0x204 : 0x234);
          const gdouble cur[11]
              = { v.v1, v.v2, 0.0, v.p1, v.p2, v.t1, v.t2, v.t1 - v.t2, v.t3, v.tx, v.tv };
          guint8 *inc = ram + (ch == 0 ? 0x520 : 0x568);
          const gdouble incs[9] = { v.v1, v.v2, v.v3, v.m1, v.m2, v.m3, v.q, v.ti, v.qg };

          for (guint i = 0; i < 11; i++)
            put_float (c + 4 * i, cur[i]);
          for (guint i = 0; i < 9; i++)
            put_float (inc + 4 * i, incs[i] * frac);
        }
      else if (ch == 0)
        {
          const gdouble cur[6] = { v.v1, v.v2, 0.0, v.t1, v.t2, v.t1 - v.t2 };
          for (guint i = 0; i < 6; i++)
            put_float (ram + 0x204 + 4 * i, cur[i]);
        }
    }
  for (guint i = 0; i < n; i++)
    out[i] = ram[(addr + i) % sizeof ram];
}

/* the old СПТ941's archive ring: the start (Unix seconds) of the period in
 * header slot @n, or −1 for an empty slot. Hours: the 1080 before the
 * clock's hour, slot = hour number mod 1081; days: 185, slot = day mod 185
 * (the 186th header stays empty); months: 48, slot = month mod 49. */
static gint64
slot_start (const L4lSimState *self, LersArchiveKind kind, guint n)
{
  gint64 now = self->now;

  if (kind == LERS_ARCHIVE_KIND_HOUR)
    {
      gint64 hc = now / 3600, h = hc - 1 - ((hc - 1 - (gint64) n) % 1081 + 1081) % 1081;
      return h >= hc - 1080 ? h * 3600 : -1;
    }
  if (kind == LERS_ARCHIVE_KIND_DAY)
    {
      gint64 dc = now / 86400;
      if (n >= 185)
        return -1;
      return (dc - 1 - ((dc - 1 - (gint64) n) % 185 + 185) % 185) * 86400;
    }
  {
    g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (now);
    gint64 mc = (gint64) g_date_time_get_year (t) * 12 + g_date_time_get_month (t) - 1;
    gint64 m = mc - 1 - ((mc - 1 - (gint64) n) % 49 + 49) % 49;
    g_autoptr (GDateTime) start = NULL;

    if (m < mc - 48)
      return -1;
    start = g_date_time_new_utc ((gint) (m / 12), (gint) (m % 12) + 1, 1, 0, 0, 0);
    return g_date_time_to_unix (start);
  }
}

static void
make_flash_941 (const L4lSimState *self, guint page, guint8 *out)
{
  static const LersArchiveKind kinds[3]
      = { LERS_ARCHIVE_KIND_HOUR, LERS_ARCHIVE_KIND_DAY, LERS_ARCHIVE_KIND_MONTH };
  gint64 now = self->now;

  for (guint k = 0; k < 3; k++)
    {
      guint first, count;

      l4l_941_table (kinds[k], &first, &count);
      for (guint n = 0; n < count; n++)
        {
          guint at = first + 4 * n;
          gint64 start;
          guint8 h[4] = { 0xFF, 0xFF, 0xFF, 0xFF };

          if (at + 4 <= page * L4L_PAGE || at >= (page + 1) * L4L_PAGE)
            continue;
          start = slot_start (self, kinds[k], n);
          if (start >= 0)
            {
              g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (start);
              l4l_stamp_for_period (L4L_MODEL_941, kinds[k], t, h);
            }
          for (guint i = 0; i < 4; i++)
            if (at + i >= page * L4L_PAGE && at + i < (page + 1) * L4L_PAGE)
              out[at + i - page * L4L_PAGE] = h[i];
        }
    }
  for (guint k = 0; k < 3; k++)
    {
      guint first, count;

      l4l_941_table (kinds[k], &first, &count);
      for (guint n = 0; n < count; n++)
        {
          guint p, offset;
          gint64 start;
          gsize size = l4l_block_size (L4L_MODEL_941, kinds[k]);
          g_autoptr (GDateTime) s = NULL;
          g_autoptr (GDateTime) e = NULL;

          l4l_941_data_page (kinds[k], n, &p, &offset);
          if (p != page || (start = slot_start (self, kinds[k], n)) < 0)
            continue;
          s = g_date_time_new_from_unix_utc (start);
          e = kinds[k] == LERS_ARCHIVE_KIND_HOUR  ? g_date_time_add_hours (s, 1)
              : kinds[k] == LERS_ARCHIVE_KIND_DAY ? g_date_time_add_days (s, 1)
                                                  : g_date_time_add_months (s, 1);
          l4l_sim_make_record (self, 0, start, g_date_time_to_unix (e), now, out + offset, size);
        }
    }
}

/* the НС log of heat input @ch (prot943 appendix 2 table 5), its part in
 * @page: zeros (reset), then the НС of the data model with minutes: НС13
 * on ТВ1 set at 10:05 and cleared at 12:47, НС23 on ТВ2 14:10 to 14:50, on
 * the НС day; years as yy = year − 2000 */
static void
make_ns_log (const L4lSimState *self, guint ch, guint page, guint8 *out)
{
  guint area = ch == 0 ? L4L_943_NS_LOG_TV1 : L4L_943_NS_LOG_TV2;
  guint8 log[L4L_943_NS_LOG_SIZE];
  gint64 day = l4l_sim_ns_day (self->seed, self->now);
  g_autoptr (GDateTime) d = g_date_time_new_from_unix_utc (day);
  const guint8 set_h = ch == 0 ? 10 : 14, set_m = ch == 0 ? 5 : 10;
  const guint8 clr_h = ch == 0 ? 12 : 14, clr_m = ch == 0 ? 47 : 50;
  const guint8 nn = ch == 0 ? 13 : 23;
  guint base = page * L4L_PAGE;

  if (base + L4L_PAGE <= area || base >= area + L4L_943_NS_LOG_SIZE)
    return;
  memset (log, 0, sizeof log);
  if (ch < self->circuits)
    {
      const guint8 rec[2][8] = {
        { 0x10, (guint8) (g_date_time_get_year (d) - 2000), (guint8) g_date_time_get_month (d),
          (guint8) g_date_time_get_day_of_month (d), set_h, set_m, nn, 1 },
        { 0x10, (guint8) (g_date_time_get_year (d) - 2000), (guint8) g_date_time_get_month (d),
          (guint8) g_date_time_get_day_of_month (d), clr_h, clr_m, nn, 0 },
      };
      memcpy (log, rec, sizeof rec);
    }
  for (guint i = 0; i < L4L_943_NS_LOG_SIZE; i++)
    if (area + i >= base && area + i < base + L4L_PAGE)
      out[area + i - base] = log[i];
}

/* one FLASH page: the database parameter ЕИ (page 8) and the totals'
 * main parts (prot943 appendix 3, 4); the rest reads FF */
void
l4l_sim_make_flash_page (const L4lSimState *self, guint page, guint8 *out)
{
  guint base = page * L4L_PAGE;

  memset (out, 0xFF, L4L_PAGE);
  if (self->model == L4L_MODEL_941)
    {
      make_flash_941 (self, page, out);
      return;
    }
  if (page == 8)
    {
      memset (out, 0, 16);
      memcpy (out + 4, "0       ", 8); /* ЕИ = 0: Gcal and kgf/cm² */
      memset (out + 0x30, 0, 16);
      memcpy (out + 0x34, "01      ", 8); /* СР = 1 */
    }
  if (page == 9)
    {
      /* parameter 7, ИД, at 0x270: the serial number, 8 characters */
      gchar id[9];
      memset (out, 0, 16);
      memcpy (out + 4, "00      ", 8); /* ЧР = 0 */
      memset (out + 0x30, 0, 16);
      g_snprintf (id, sizeof id, "%-8.8s", self->serial ? self->serial : "");
      memcpy (out + 0x34, id, 8);
    }
  for (guint ch = 0; ch < 2 && self->model == L4L_MODEL_943; ch++)
    make_ns_log (self, ch, page, out);
  for (guint ch = 0; ch < 2 && self->model == L4L_MODEL_943; ch++)
    {
      guint area = ch == 0 ? 0x424A : 0x677B;
      gint64 now = self->now;
      gint64 hour = now - now % 3600;
      L4lSimValues s;
      guint8 bytes[72];

      if (base + L4L_PAGE <= area || base >= area + 72)
        continue;
      /* the sums of the archive's hours plus a base per heat input */
      l4l_sim_span (self->seed, ch, hour - (gint64) L4L_SIM_HOUR_DEPTH * 3600, hour, now, &s);
      {
        const gdouble tot[9] = { 1000.0 * (ch + 1) + s.v1, 1000.0 * (ch + 1) + s.v2, 0.0,
                                 1000.0 * (ch + 1) + s.m1, 1000.0 * (ch + 1) + s.m2, 0.0,
                                 500.0 * (ch + 1) + s.q,   10000.0 + s.ti,           0.0 };
        for (guint i = 0; i < 9; i++)
          {
            gdouble whole = (gdouble) (guint32) tot[i];
            guint32 w = (guint32) whole;
            bytes[8 * i] = w & 0xFF;
            bytes[8 * i + 1] = (w >> 8) & 0xFF;
            bytes[8 * i + 2] = (w >> 16) & 0xFF;
            bytes[8 * i + 3] = (w >> 24) & 0xFF;
            put_float (bytes + 8 * i + 4, tot[i] - whole);
          }
      }
      for (guint i = 0; i < 72; i++)
        if (area + i >= base && area + i < base + L4L_PAGE)
          out[area + i - base] = bytes[i];
    }
}
