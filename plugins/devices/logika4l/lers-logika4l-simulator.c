/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A simulated СПТ943 (default, device code 54 2B, version 0A as the real
 * one in DEVELOPER.LOG) or СПТ941 models 10/11 (92 29). It answers the
 * session, RAM and FLASH reads, the archive searches 48/59/4D and the
 * database writes of ТО/ДО; a frame with a wrong KS gets error 0 as the
 * documents say; a frame for another NT gets nothing. Its memory is made
 * on demand from the data model in logika4l-simdata.c.
 */
#include <stdio.h>
#include <string.h>

#include "lers-logika4l-simulator.h"

#include "logika4l-archive.h"
#include "logika4l-events.h"
#include "logika4l-frame.h"
#include "logika4l-simdata.h"

struct _LersLogika4lSimulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint answer_delay_ms;
  guint circuits;
  gint64 clock_time;   /* 0 = the real clock */
  gint64 clock_offset; /* set by the master */
  gint64 started;      /* monotonic µs when clock_time was set */
  L4lModel model;
  guint8 version941;  /* the old СПТ941's version byte: 00, or 01 (X.X.07) */
  guint8 channel;     /* CH of the last session request */
  gint pending_write; /* database parameter announced by 44, or −1 */
  GTimeZone *zone;    /* the clock's zone (clock-zone), UTC by default */
  guint units;        /* ЕИ: 0 Gcal, 1 GJ, 2 MWh (943, 941.10) */
};

enum
{
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_ADDRESS,
  PROP_SEED,
  PROP_ANSWER_DELAY_MS,
  PROP_CIRCUITS,
  PROP_CLOCK_TIME,
  PROP_MODEL,
  PROP_CLOCK_ZONE,
  PROP_UNITS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void lers_logika4l_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogika4lSimulator, lers_logika4l_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_logika4l_simulator_iface_init))

static gint64
sim_now (LersLogika4lSimulator *self)
{
  gint64 base = self->clock_time != 0
                    ? self->clock_time + (g_get_monotonic_time () - self->started) / G_USEC_PER_SEC
                    : g_get_real_time () / G_USEC_PER_SEC;
  return base + self->clock_offset;
}

/* the meter's wall clock at Unix time @t */
static GDateTime *
sim_local (LersLogika4lSimulator *self, gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);

  return g_date_time_to_timezone (utc, self->zone);
}

/* heat in Gcal in the device's ЕИ (1 Gcal = 4.1868 GJ = 1.163 MWh) */
static gdouble
sim_heat (LersLogika4lSimulator *self, gdouble gcal)
{
  return self->units == 1 ? gcal * 4.1868 : self->units == 2 ? gcal * 1.163 : gcal;
}

/* pressure in kgf/cm² in the device's ЕИ: 1 MPa, 2 bar */
static gdouble
sim_pressure (LersLogika4lSimulator *self, gdouble kgf)
{
  return self->units == 1 ? kgf * 0.0980665 : self->units == 2 ? kgf * 0.980665 : kgf;
}

static GBytes *
reply_error (LersLogika4lSimulator *self, guint8 nt, guint8 code)
{
  return l4l_build_frame (nt, L4L_FNC_ERROR, &code, 1);
}

static void
put_float (guint8 *b, gdouble v)
{
  l4l_float_encode (v, b);
}

/* the record of the period [start, end) in the model's layout */
static void
make_record (LersLogika4lSimulator *self, guint ch, gint64 start, gint64 end, gint64 now,
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
      const gdouble f[16] = { sim_pressure (self, v.p1),
                              sim_pressure (self, v.p2),
                              v.t1,
                              v.t2,
                              v.t3,
                              v.tx,
                              v.tv,
                              v.v1,
                              v.v2,
                              v.v3,
                              v.m1,
                              v.m2,
                              v.m3,
                              sim_heat (self, v.q),
                              v.ti,
                              sim_heat (self, v.qg) };
      for (guint i = 0; i < 16; i++)
        put_float (out + 4 + 4 * i, f[i]);
    }
  else
    {
      const gdouble f[10]
          = { v.t1, v.t2, v.v1, v.v2, v.v3, v.m1, v.m2, v.m3, sim_heat (self, v.q), v.ti };
      for (guint i = 0; i < 10; i++)
        put_float (out + 4 + 4 * i, f[i]);
    }
}

static GBytes *
answer_archive (LersLogika4lSimulator *self, const L4lFrame *f)
{
  gint64 now = sim_now (self);
  guint ch = self->model == L4L_MODEL_943 && self->channel == 2 ? 1 : 0;
  guint year = 1900u + f->data[0];
  g_autoptr (GDateTime) stamp = NULL;
  g_autoptr (GDateTime) start_dt = NULL;
  g_autoptr (GDateTime) end_dt = NULL;
  gint64 start, end, depth_start;
  guint8 rec[L4L_RECORD_943];
  LersArchiveKind kind = f->fnc == L4L_FNC_HOUR  ? LERS_ARCHIVE_KIND_HOUR
                         : f->fnc == L4L_FNC_DAY ? LERS_ARCHIVE_KIND_DAY
                                                 : LERS_ARCHIVE_KIND_MONTH;
  gsize size = l4l_block_size (self->model, kind);
  gboolean end_stamp = self->model != L4L_MODEL_941;

  if (self->model == L4L_MODEL_943 && self->channel == 0)
    return reply_error (self, f->nt, 2);
  if (self->model == L4L_MODEL_941 && self->version941 == 0)
    return reply_error (self, f->nt, 0); /* no archive search before X.X.07 */
  if (ch == 1 && self->circuits < 2)
    return reply_error (self, f->nt, 3);
  if (f->fnc == L4L_FNC_HOUR)
    {
      if (f->data[3] > 23)
        return reply_error (self, f->nt, 2);
      stamp = g_date_time_new (self->zone, (gint) year, f->data[1], f->data[2], f->data[3], 0, 0);
      if (stamp == NULL)
        return reply_error (self, f->nt, 2);
      /* 943, 941.10: hh stamps the interval (hh−1)→hh; 941: hh→hh+1 */
      start_dt = g_date_time_add_hours (stamp, end_stamp ? -1 : 0);
      end_dt = g_date_time_add_hours (start_dt, 1);
      depth_start = now - now % 3600 - (gint64) L4L_SIM_HOUR_DEPTH * 3600;
    }
  else if (f->fnc == L4L_FNC_DAY)
    {
      g_autoptr (GDateTime) day
          = g_date_time_new (self->zone, (gint) year, f->data[1], f->data[2], 0, 0, 0);
      if (day == NULL)
        return reply_error (self, f->nt, 2);
      /* ЧР = 0: the 943 and 941.10 stamp the day that ends at 00 h of dd
       * (records dated when made); the old 941 the day dd itself */
      start_dt = g_date_time_add_days (day, end_stamp ? -1 : 0);
      end_dt = g_date_time_add_days (start_dt, 1);
      depth_start = now - now % 86400 - (gint64) L4L_SIM_DAY_DEPTH * 86400;
    }
  else
    {
      g_autoptr (GDateTime) n = sim_local (self, now);
      g_autoptr (GDateTime) m0 = NULL;

      g_autoptr (GDateTime) month
          = g_date_time_new (self->zone, (gint) year, f->data[1], 1, 0, 0, 0);
      if (month == NULL)
        return reply_error (self, f->nt, 2);
      /* СР = 1, ЧР = 0: the month ending on the 1st of mm at 00 h */
      start_dt = g_date_time_add_months (month, end_stamp ? -1 : 0);
      end_dt = g_date_time_add_months (start_dt, 1);
      m0 = g_date_time_new (self->zone, g_date_time_get_year (n), g_date_time_get_month (n), 1, 0,
                            0, 0);
      {
        g_autoptr (GDateTime) d0 = g_date_time_add_months (m0, -(gint) L4L_SIM_MONTH_DEPTH);
        depth_start = g_date_time_to_unix (d0);
      }
    }
  start = g_date_time_to_unix (start_dt);
  end = g_date_time_to_unix (end_dt);
  if (end > now || start < depth_start)
    return reply_error (self, f->nt, 3);
  make_record (self, ch, start, end, now, rec, size);
  return l4l_build_frame (f->nt, f->fnc, rec, size);
}

/* the RAM image at @addr, @n bytes (prot943 appendix 1 and 4) */
static void
make_ram (LersLogika4lSimulator *self, guint addr, guint8 *out, guint n)
{
  guint8 ram[0x800];
  gint64 now = sim_now (self);
  gint64 hour = now - now % 3600;
  gdouble frac = (gdouble) (now - hour) / 3600.0;
  g_autoptr (GDateTime) t = sim_local (self, now);

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
          const gdouble cur[11] = { v.v1,
                                    v.v2,
                                    0.0,
                                    sim_pressure (self, v.p1),
                                    sim_pressure (self, v.p2),
                                    v.t1,
                                    v.t2,
                                    v.t1 - v.t2,
                                    v.t3,
                                    v.tx,
                                    v.tv };
          guint8 *inc = ram + (ch == 0 ? 0x520 : 0x568);
          const gdouble incs[9] = {
            v.v1, v.v2, v.v3, v.m1, v.m2, v.m3, sim_heat (self, v.q), v.ti, sim_heat (self, v.qg)
          };

          for (guint i = 0; i < 11; i++)
            put_float (c + 4 * i, cur[i]);
          for (guint i = 0; i < 9; i++)
            put_float (inc + 4 * i, incs[i] * frac);
        }
      else if (ch == 0)
        {
          /* 941.10: current values; the totals' increments at 0x520
           * (prot941_10-11 appendix 4 table 1) */
          const gdouble cur[6] = { v.v1, v.v2, 0.0, v.t1, v.t2, v.t1 - v.t2 };
          const gdouble incs[8]
              = { v.v1, v.v2, v.v3, v.m1, v.m2, v.m3, sim_heat (self, v.q), v.ti };
          for (guint i = 0; i < 6; i++)
            put_float (ram + 0x204 + 4 * i, cur[i]);
          for (guint i = 0; i < 8; i++)
            put_float (ram + 0x520 + 4 * i, incs[i] * frac);
        }
    }
  for (guint i = 0; i < n; i++)
    out[i] = ram[(addr + i) % sizeof ram];
}

/* the old СПТ941's archive ring: the start (Unix seconds) of the period in
 * header slot @n, or −1 for an empty slot. Hours: the 1080 before the
 * clock's hour, slot = hour number mod 1081; days: 185, slot = day mod 185
 * (the header table holds 185); months: 48, slot = month mod 49. */
static gint64
slot_start (LersLogika4lSimulator *self, LersArchiveKind kind, guint n)
{
  gint64 now = sim_now (self);

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
    g_autoptr (GDateTime) t = sim_local (self, now);
    gint64 mc = (gint64) g_date_time_get_year (t) * 12 + g_date_time_get_month (t) - 1;
    gint64 m = mc - 1 - ((mc - 1 - (gint64) n) % 49 + 49) % 49;
    g_autoptr (GDateTime) start = NULL;

    if (m < mc - 48)
      return -1;
    start = g_date_time_new (self->zone, (gint) (m / 12), (gint) (m % 12) + 1, 1, 0, 0, 0);
    return g_date_time_to_unix (start);
  }
}

static void
make_flash_941 (LersLogika4lSimulator *self, guint page, guint8 *out)
{
  static const LersArchiveKind kinds[3]
      = { LERS_ARCHIVE_KIND_HOUR, LERS_ARCHIVE_KIND_DAY, LERS_ARCHIVE_KIND_MONTH };
  gint64 now = sim_now (self);

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
              g_autoptr (GDateTime) t = sim_local (self, start);
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
          s = sim_local (self, start);
          e = kinds[k] == LERS_ARCHIVE_KIND_HOUR  ? g_date_time_add_hours (s, 1)
              : kinds[k] == LERS_ARCHIVE_KIND_DAY ? g_date_time_add_days (s, 1)
                                                  : g_date_time_add_months (s, 1);
          make_record (self, 0, start, g_date_time_to_unix (e), now, out + offset, size);
        }
    }
}

/* the НС log of heat input @ch (prot943 appendix 2 table 5), its part in
 * @page: zeros (reset), then the НС of the data model with minutes: НС13
 * on ТВ1 set at 10:05 and cleared at 12:47, НС23 on ТВ2 14:10 to 14:50, on
 * the НС day; years as yy = year − 2000 */
static void
make_ns_log (LersLogika4lSimulator *self, guint ch, guint page, guint8 *out)
{
  guint area = ch == 0 ? L4L_943_NS_LOG_TV1 : L4L_943_NS_LOG_TV2;
  guint8 log[L4L_943_NS_LOG_SIZE];
  gint64 day = l4l_sim_ns_day (self->seed, sim_now (self));
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
static void
make_flash_page (LersLogika4lSimulator *self, guint page, guint8 *out)
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
      memcpy (out + 4, "0       ", 8); /* ЕИ: 0 Gcal and kgf/cm², 1 GJ, 2 MWh */
      out[4] = (guint8) ('0' + self->units);
      memset (out + 0x30, 0, 16);
      memcpy (out + 0x34, "01      ", 8); /* СР = 1 */
    }
  if (page == 9)
    {
      /* parameter 4, ЧР = 0, at 0x240; parameter 7, ИД, at 0x270: the
       * serial number, 8 characters */
      gchar id[9];
      memset (out, 0, 16);
      memcpy (out + 4, "00      ", 8);
      memset (out + 0x30, 0, 16);
      g_snprintf (id, sizeof id, "%-8.8s", self->serial_number ? self->serial_number : "");
      memcpy (out + 0x34, id, 8);
    }
  for (guint ch = 0; ch < 2 && self->model == L4L_MODEL_943; ch++)
    make_ns_log (self, ch, page, out);
  for (guint ch = 0; ch < (self->model == L4L_MODEL_943 ? 2u : 1u); ch++)
    {
      guint area = ch == 0 ? 0x424A : 0x677B;
      gint64 now = sim_now (self);
      gint64 hour = now - now % 3600;
      L4lSimValues s;
      guint8 bytes[72];

      if (base + L4L_PAGE <= area || base >= area + 72)
        continue;
      /* the sums of the archive's hours plus a base per heat input */
      l4l_sim_span (self->seed, ch, hour - (gint64) L4L_SIM_HOUR_DEPTH * 3600, hour, now, &s);
      {
        const gdouble tot[9] = { 1000.0 * (ch + 1) + s.v1,
                                 1000.0 * (ch + 1) + s.v2,
                                 0.0,
                                 1000.0 * (ch + 1) + s.m1,
                                 1000.0 * (ch + 1) + s.m2,
                                 0.0,
                                 sim_heat (self, 500.0 * (ch + 1) + s.q),
                                 10000.0 + s.ti,
                                 0.0 };
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

static gboolean
apply_write (LersLogika4lSimulator *self, guint param, const guint8 *block)
{
  gchar v[9];
  guint a, b, c;
  gint64 now = sim_now (self);
  g_autoptr (GDateTime) t = sim_local (self, now);
  g_autoptr (GDateTime) want = NULL;

  memcpy (v, block, 8);
  v[8] = '\0';
  if (sscanf (v, "%2u-%2u-%2u", &a, &b, &c) != 3)
    return FALSE;
  /* ТО, ДО: 1, 2 on the 943; 2, 3 on the 941.10/11 (СП is its 1) */
  if (self->model == L4L_MODEL_941_10)
    {
      if (param == 1)
        return TRUE;
      param--;
    }
  if (param == 1)
    want = g_date_time_new (self->zone, g_date_time_get_year (t), g_date_time_get_month (t),
                            g_date_time_get_day_of_month (t), (gint) a, (gint) b, c);
  else if (param == 2)
    want = g_date_time_new (self->zone, 2000 + (gint) c, (gint) b, (gint) a,
                            g_date_time_get_hour (t), g_date_time_get_minute (t),
                            g_date_time_get_second (t));
  else
    return TRUE;
  if (want == NULL)
    return FALSE;
  self->clock_offset += g_date_time_to_unix (want) - now;
  return TRUE;
}

/**
 * lers_logika4l_simulator_answer:
 * @self: the simulator
 * @bytes: (array length=len): one whole request frame
 * @len: its length
 *
 * Returns: (transfer full) (nullable): the answer, or %NULL for none
 */
GBytes *
lers_logika4l_simulator_answer (LersLogika4lSimulator *self, const guint8 *bytes, gsize len)
{
  L4lFrame f;
  guint8 nt;

  if (len < 5 || bytes[0] != L4L_START)
    return NULL;
  nt = bytes[1];
  if (nt != self->address && nt != L4L_NT_ANY)
    return NULL; /* another device's request: no answer (prot943 §2.3) */
  if (!l4l_parse (bytes, len, &f, NULL))
    return reply_error (self, nt, 0);
  if (self->pending_write >= 0)
    {
      gint param = self->pending_write;
      self->pending_write = -1;
      if (f.fnc != L4L_FNC_WRITE || f.len != 64)
        return reply_error (self, nt, 0);
      if (!apply_write (self, (guint) param, f.data))
        return reply_error (self, nt, 2);
      return l4l_build_frame (nt, L4L_FNC_WRITE, NULL, 0);
    }
  if (f.len != 4)
    return reply_error (self, nt, 0);
  switch (f.fnc)
    {
    case L4L_FNC_SESSION:
      {
        guint8 reply[3] = { 0x54, 0x2B, 0x0A };
        if (self->model == L4L_MODEL_941_10)
          {
            reply[0] = 0x92;
            reply[1] = 0x29;
            reply[2] = 0x01;
          }
        else if (self->model == L4L_MODEL_941)
          {
            reply[0] = 0x54;
            reply[1] = 0x29;
            reply[2] = self->version941;
          }
        if (f.data[0] > (self->model == L4L_MODEL_943 ? 2 : 0))
          return reply_error (self, nt, 2);
        self->channel = f.data[0];
        return l4l_build_frame (nt, L4L_FNC_SESSION, reply, 3);
      }
    case L4L_FNC_RAM:
      {
        guint8 dump[64];
        guint n = f.data[2];
        if (n < 1 || n > 64)
          return reply_error (self, nt, 2);
        make_ram (self, f.data[0] | (guint) f.data[1] << 8, dump, n);
        return l4l_build_frame (nt, L4L_FNC_RAM, dump, n);
      }
    case L4L_FNC_FLASH:
      {
        guint page = f.data[0] | (guint) f.data[1] << 8;
        guint k = f.data[2];
        GByteArray *out;
        if (k < 1 || k > 64)
          return reply_error (self, nt, 2);
        out = g_byte_array_new ();
        for (guint i = 0; i < k; i++)
          {
            guint8 data[L4L_PAGE];
            g_autoptr (GBytes) one = NULL;
            make_flash_page (self, (page + i) & 0x3FF, data);
            one = l4l_build_frame (nt, L4L_FNC_FLASH, data, L4L_PAGE);
            g_byte_array_append (out, g_bytes_get_data (one, NULL), (guint) g_bytes_get_size (one));
          }
        return g_byte_array_free_to_bytes (out);
      }
    case L4L_FNC_HOUR:
    case L4L_FNC_DAY:
    case L4L_FNC_MONTH:
      return answer_archive (self, &f);
    case L4L_FNC_WRITE:
      self->pending_write = f.data[0] | f.data[1] << 8;
      return l4l_build_frame (nt, L4L_FNC_WRITE, NULL, 0);
    default:
      return reply_error (self, nt, 0);
    }
}

/* ---- serving a stream ----------------------------------------------------- */

static gssize
serve_scan (const guint8 *data, gsize len, gpointer user_data)
{
  LersLogika4lSimulator *self = user_data;

  /* the FF preamble and line noise are dropped; a write announced by 44
   * is followed by its 64 data bytes */
  return l4l_scan (data, len, self->pending_write >= 0 ? 64 : 4);
}

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  LersLogika4lSimulator *self = user_data;

  *delay_ms = self->answer_delay_ms;
  return lers_logika4l_simulator_answer (self, frame, len);
}

static void
lers_logika4l_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (LersFrameServer) server = lers_frame_server_new (
      stream, serve_scan, simulator, NULL, serve_answer, g_object_ref (simulator), g_object_unref);

  lers_frame_server_serve_async (server, simulator, lers_logika4l_simulator_serve_async,
                                 cancellable, callback, user_data);
}

static gboolean
lers_logika4l_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_logika4l_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "logika4l";
}

static void
lers_logika4l_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_logika4l_simulator_get_protocol;
  iface->serve_async = lers_logika4l_simulator_serve_async;
  iface->serve_finish = lers_logika4l_simulator_serve_finish;
}

/* ---- GObject --------------------------------------------------------------- */

static void
lers_logika4l_simulator_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;
    case PROP_ADDRESS:
      g_value_set_uint (value, self->address);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_ANSWER_DELAY_MS:
      g_value_set_uint (value, self->answer_delay_ms);
      break;
    case PROP_CIRCUITS:
      g_value_set_uint (value, self->circuits);
      break;
    case PROP_CLOCK_TIME:
      g_value_set_int64 (value, self->clock_time);
      break;
    case PROP_CLOCK_ZONE:
      g_value_set_string (value, g_time_zone_get_identifier (self->zone));
      break;
    case PROP_UNITS:
      g_value_set_uint (value, self->units);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model == L4L_MODEL_943      ? "СПТ943"
                                 : self->model == L4L_MODEL_941_10 ? "СПТ941.10"
                                 : self->version941 == 1           ? "СПТ941.07"
                                                                   : "СПТ941");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_logika4l_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      g_free (self->serial_number);
      self->serial_number = g_value_dup_string (value);
      break;
    case PROP_ADDRESS:
      self->address = g_value_get_uint (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      break;
    case PROP_ANSWER_DELAY_MS:
      self->answer_delay_ms = g_value_get_uint (value);
      break;
    case PROP_CIRCUITS:
      self->circuits = g_value_get_uint (value);
      break;
    case PROP_CLOCK_TIME:
      self->clock_time = g_value_get_int64 (value);
      self->started = g_get_monotonic_time ();
      self->clock_offset = 0;
      break;
    case PROP_UNITS:
      self->units = g_value_get_uint (value);
      break;
    case PROP_CLOCK_ZONE:
      {
        const gchar *id = g_value_get_string (value);
        GTimeZone *zone = id != NULL && id[0] != '\0' ? g_time_zone_new_identifier (id) : NULL;

        /* an unknown zone keeps the one set before */
        if (zone != NULL || id == NULL || id[0] == '\0')
          {
            g_time_zone_unref (self->zone);
            self->zone = zone != NULL ? zone : g_time_zone_new_utc ();
          }
        break;
      }
    case PROP_MODEL:
      {
        const gchar *m = g_value_get_string (value);
        if (g_strcmp0 (m, "СПТ943") == 0)
          self->model = L4L_MODEL_943;
        else if (g_strcmp0 (m, "СПТ941") == 0 || g_strcmp0 (m, "СПТ941.07") == 0)
          {
            self->model = L4L_MODEL_941;
            self->version941 = g_strcmp0 (m, "СПТ941") == 0 ? 0 : 1;
          }
        else if (g_strcmp0 (m, "СПТ941.10") == 0)
          self->model = L4L_MODEL_941_10;
        break;
      }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_logika4l_simulator_finalize (GObject *object)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (object);

  g_free (self->serial_number);
  g_time_zone_unref (self->zone);
  G_OBJECT_CLASS (lers_logika4l_simulator_parent_class)->finalize (object);
}

static void
lers_logika4l_simulator_class_init (LersLogika4lSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lers_logika4l_simulator_get_property;
  object_class->set_property = lers_logika4l_simulator_set_property;
  object_class->finalize = lers_logika4l_simulator_finalize;
  props[PROP_SERIAL_NUMBER]
      = g_param_spec_string ("serial-number", NULL, NULL, "12345678",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /* NT 0..99; 255 is the addressless request, not an address */
  props[PROP_ADDRESS]
      = g_param_spec_uint ("address", NULL, NULL, 0, 255, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_SEED]
      = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_ANSWER_DELAY_MS] = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0,
                                                   G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_CIRCUITS]
      = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 2,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "СПТ943",
                                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* the zone of the meter's clock (an IANA name), UTC when unset */
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* ЕИ (database parameter 0) of the 943 and 941.10: 0 Gcal, 1 GJ, 2 MWh */
  props[PROP_UNITS] = g_param_spec_uint ("units", NULL, NULL, 0, 2, 0,
                                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_logika4l_simulator_class_finalize (LersLogika4lSimulatorClass *klass)
{
}

static void
lers_logika4l_simulator_init (LersLogika4lSimulator *self)
{
  self->model = L4L_MODEL_943;
  self->circuits = 2;
  self->pending_write = -1;
  self->channel = 1;
  self->zone = g_time_zone_new_utc ();
}

void
lers_logika4l_simulator_register (GTypeModule *module)
{
  lers_logika4l_simulator_register_type (module);
}

LersLogika4lSimulator *
lers_logika4l_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_LOGIKA4L_SIMULATOR, "serial-number", serial_number, "address",
                       address, "seed", seed, NULL);
}
