/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A simulated M-Bus heat meter ("LRS", medium heat): answers SND_NKE with
 * E5, secondary selection (CI 52) with E5, REQ_UD2 with RSP_UD telegrams.
 * Telegram 1 holds current values and totals; the following telegrams hold
 * the hour archive as storage numbers 1..N, newest first, each with its own
 * type F time point. Every value is a pure function of (seed, hour).
 *
 * With #LersMbusSimulator:circuits 2 the meter is a two-circuit heat meter:
 * circuit 2's registers and temperatures follow circuit 1's in each
 * telegram with DIFE subunit 1, from its own seed.
 *
 * Bus mode: a simulator whose #LersMbusSimulator:bus-members holds other
 * simulators answers for all of them on one stream, each by its own primary
 * and secondary address, as meters wired to one M-Bus segment do. When more
 * than one meter answers the same request the bus shows a collision: the
 * simulator sends the answers' byte-wise AND (a 0 bit draws the current and
 * wins) with the last byte inverted, so the master never sees a clean frame.
 *
 * Time sync: SND_UD with CI 0x6C and a type F date/time (the wall-clock time
 * in the meter's zone) sets the meter's clock, answered by E5.
 */
#include "lers-mbus-simulator.h"

#include <math.h>
#include <string.h>

#include "mbus-frame.h"

#define SIM_MANUFACTURER 0x3253 /* "LRS" */
#define SIM_VERSION 0x01
#define SIM_MEDIUM_HEAT 0x04
/* the meter was commissioned at 2024-01-01T00:00:00Z; totals count from there */
#define SIM_EPOCH_HOUR G_GINT64_CONSTANT (473352)
#define SIM_DEFAULT_DEPTH (62 * 24)
#define SIM_MAX_USER_DATA 252

struct _LersMbusSimulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint archive_depth;
  gchar *clock_zone;
  gint64 clock_time;
  guint circuits;
  guint answer_delay_ms;
  GPtrArray *bus_members;
  /* seconds added to the clock by time sync */
  gint64 clock_offset;
};

static void lers_mbus_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersMbusSimulator, lers_mbus_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_mbus_simulator_iface_init))

enum
{
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_ADDRESS,
  PROP_SEED,
  PROP_ARCHIVE_DEPTH,
  PROP_CLOCK_ZONE,
  PROP_CLOCK_TIME,
  PROP_CIRCUITS,
  PROP_ANSWER_DELAY_MS,
  PROP_BUS_MEMBERS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- the simulated heat-supply process ---------------------------------- */

typedef struct
{
  gdouble t_in;     /* °C, hour average */
  gdouble t_out;    /* °C, hour average */
  gdouble flow;     /* m³/h, hour average */
  gdouble heat_wh;  /* Wh in the hour */
  gdouble volume_l; /* litres in the hour */
} SimHour;

static guint64
sim_mix (guint64 x)
{
  /* splitmix64 finaliser */
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

/* deterministic noise in [-1, 1) */
static gdouble
sim_noise (guint seed, gint64 n, guint salt)
{
  guint64 x = sim_mix ((guint64) seed * G_GUINT64_CONSTANT (0x100000001B3) ^ (guint64) n
                       ^ ((guint64) salt << 56));
  return (gdouble) (x >> 11) / (gdouble) (G_GUINT64_CONSTANT (1) << 52) - 1.0;
}

static void
sim_hour (guint seed, gint64 hour, SimHour *out)
{
  gint64 day = hour >= 0 ? hour / 24 : (hour - 23) / 24;
  gint hod = (gint) (hour - day * 24);
  /* colder at night and early morning: supply runs hotter */
  gdouble curve = cos (2.0 * G_PI * (hod - 5) / 24.0);
  gdouble rho, c = 4.19; /* kJ/(kg·K) */

  out->t_in = 82.0 + 7.0 * curve + 2.5 * sim_noise (seed, day, 1) + 1.0 * sim_noise (seed, hour, 2);
  out->t_in = CLAMP (out->t_in, 70.5, 94.5);
  out->t_out
      = 50.0 + 5.0 * curve + 2.0 * sim_noise (seed, day, 3) + 0.8 * sim_noise (seed, hour, 4);
  out->t_out = CLAMP (out->t_out, 40.5, 59.5);
  out->flow = 2.0 + 0.5 * cos (2.0 * G_PI * (hod - 7) / 24.0) + 0.3 * sim_noise (seed, hour, 5);
  out->flow = CLAMP (out->flow, 1.0, 3.0);
  /* water density at the supply temperature, kg/m³ */
  rho = 1000.0 - 0.0036 * out->t_in * out->t_in;
  /* Q = V·ρ·c·ΔT, kJ → Wh */
  out->heat_wh = out->flow * rho * c * (out->t_in - out->t_out) / 3.6;
  out->volume_l = out->flow * 1000.0;
}

static gint64
sim_initial_energy (guint seed)
{
  return G_GINT64_CONSTANT (150000000) + (gint64) (seed % 997) * 10000;
}

static gint64
sim_initial_volume (guint seed)
{
  return G_GINT64_CONSTANT (5000000) + (gint64) (seed % 991) * 1000;
}

/* Totals at the start of each hour in [first, first + n]: the meter's
 * integer registers (Wh, litres), a pure function of (seed, hour). */
static void
sim_totals (guint seed, gint64 first, guint n, gint64 *energy, gint64 *volume)
{
  gdouble e = 0.0, v = 0.0;
  gint64 h = SIM_EPOCH_HOUR;
  SimHour sh;

  for (; h < first; h++)
    {
      sim_hour (seed, h, &sh);
      e += sh.heat_wh;
      v += sh.volume_l;
    }
  for (guint i = 0; i <= n; i++, h++)
    {
      energy[i] = sim_initial_energy (seed) + (gint64) floor (e);
      volume[i] = sim_initial_volume (seed) + (gint64) floor (v);
      if (h >= SIM_EPOCH_HOUR)
        {
          sim_hour (seed, h, &sh);
          e += sh.heat_wh;
          v += sh.volume_l;
        }
    }
}

/* circuit 2 (subunit 1) runs on its own data */
static guint
sim_circuit_seed (guint seed, guint subunit)
{
  return subunit == 0 ? seed : (guint) (sim_mix ((guint64) seed + 0x2C1B3C6DU * subunit) >> 32);
}

/**
 * lers_mbus_simulator_get_circuit_totals:
 * @self: a #LersMbusSimulator
 * @subunit: 0 for circuit 1, 1 for circuit 2 of a two-circuit meter
 * @time: a time on an hour boundary
 * @energy_wh: (out) (optional): the heat register at @time, Wh
 * @volume_l: (out) (optional): the volume register at @time, litres
 *
 * The registers one circuit of the simulated meter holds at the start of
 * an hour.
 *
 * Returns: %FALSE if @time is not on an hour boundary or the meter has no
 *   such circuit
 *
 * Since: 0.3
 */
gboolean
lers_mbus_simulator_get_circuit_totals (LersMbusSimulator *self, guint subunit, GDateTime *time,
                                        gint64 *energy_wh, gint64 *volume_l)
{
  gint64 unix_time = g_date_time_to_unix (time);
  gint64 e[2], v[2];

  g_return_val_if_fail (LERS_IS_MBUS_SIMULATOR (self), FALSE);
  if (unix_time % 3600 != 0 || subunit >= self->circuits)
    return FALSE;
  sim_totals (sim_circuit_seed (self->seed, subunit), unix_time / 3600, 0, e, v);
  if (energy_wh != NULL)
    *energy_wh = e[0];
  if (volume_l != NULL)
    *volume_l = v[0];
  return TRUE;
}

/**
 * lers_mbus_simulator_get_totals:
 * @self: a #LersMbusSimulator
 * @time: a time on an hour boundary
 * @energy_wh: (out) (optional): the heat register at @time, Wh
 * @volume_l: (out) (optional): the volume register at @time, litres
 *
 * The registers the simulated meter holds at the start of an hour, for
 * tests that check what a driver computed from them.
 *
 * Returns: %FALSE if @time is not on an hour boundary
 *
 * Since: 0.1
 */
gboolean
lers_mbus_simulator_get_totals (LersMbusSimulator *self, GDateTime *time, gint64 *energy_wh,
                                gint64 *volume_l)
{
  gint64 unix_time = g_date_time_to_unix (time);
  gint64 e[2], v[2];

  g_return_val_if_fail (LERS_IS_MBUS_SIMULATOR (self), FALSE);
  if (unix_time % 3600 != 0)
    return FALSE;
  sim_totals (self->seed, unix_time / 3600, 0, e, v);
  if (energy_wh != NULL)
    *energy_wh = e[0];
  if (volume_l != NULL)
    *volume_l = v[0];
  return TRUE;
}

/* ---- telegrams ------------------------------------------------------------ */

static void
put_uint (GByteArray *buf, guint64 v, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 b = (guint8) (v >> (8 * i));
      g_byte_array_append (buf, &b, 1);
    }
}

static void
put_u8 (GByteArray *buf, guint8 b)
{
  g_byte_array_append (buf, &b, 1);
}

/* DIF (+ DIFEs for the storage number and the subunit) */
static void
put_dif_unit (GByteArray *buf, guint8 coding, guint storage, guint subunit)
{
  guint rest = storage >> 1, unit = subunit;
  put_u8 (buf, (guint8) (coding | ((storage & 1) << 6) | (rest != 0 || unit != 0 ? 0x80 : 0)));
  while (rest != 0 || unit != 0)
    {
      guint8 dife = (guint8) ((rest & 0x0F) | ((unit & 1) << 6));
      rest >>= 4;
      unit >>= 1;
      put_u8 (buf, (guint8) (dife | (rest != 0 || unit != 0 ? 0x80 : 0)));
    }
}

static void
put_dif (GByteArray *buf, guint8 coding, guint storage)
{
  put_dif_unit (buf, coding, storage, 0);
}

/* @utc as the meter's clock shows it: wall-clock time in @zone, with the
 * summer-time flag (SU) set while the zone keeps summer time */
static void
put_type_f (GByteArray *buf, GDateTime *utc, GTimeZone *zone)
{
  g_autoptr (GDateTime) t = g_date_time_to_timezone (utc, zone);
  guint y = (guint) g_date_time_get_year (t) % 100;
  guint hy = ((guint) g_date_time_get_year (t) - 1900) / 100;
  guint su = g_date_time_is_daylight_savings (t) ? 0x80 : 0;
  put_u8 (buf, (guint8) g_date_time_get_minute (t));
  put_u8 (buf, (guint8) (g_date_time_get_hour (t) | ((hy & 0x03) << 5) | su));
  put_u8 (buf, (guint8) (g_date_time_get_day_of_month (t) | ((y & 0x07) << 5)));
  put_u8 (buf, (guint8) (g_date_time_get_month (t) | ((y & 0x78) << 1)));
}

/* version 1: one circuit ("LRS heat meter v1"); 2: two circuits */
static guint8
sim_version (LersMbusSimulator *self)
{
  return self->circuits >= 2 ? 2 : SIM_VERSION;
}

static guint8
bcd_byte (guint v)
{
  return (guint8) (((v / 10) % 10) << 4 | (v % 10));
}

static void
put_header (LersMbusSimulator *self, GByteArray *buf, guint8 access_number)
{
  guint64 id = g_ascii_strtoull (self->serial_number != NULL ? self->serial_number : "0", NULL, 10);

  for (guint i = 0; i < 4; i++)
    {
      put_u8 (buf, bcd_byte ((guint) (id % 100)));
      id /= 100;
    }
  put_uint (buf, SIM_MANUFACTURER, 2);
  put_u8 (buf, sim_version (self));
  put_u8 (buf, SIM_MEDIUM_HEAT);
  put_u8 (buf, access_number);
  put_u8 (buf, 0x00);   /* status */
  put_uint (buf, 0, 2); /* signature */
}

static gint64
round_i (gdouble v)
{
  return (gint64) llround (v);
}

/* One circuit's registers over the archive window and its current hour */
typedef struct
{
  guint seed;
  gint64 *energy; /* energy[i]: the register at hour hcur - depth + i */
  gint64 *volume;
  gint64 e_now;
  gint64 v_now;
  SimHour cur;
} SimCircuit;

static void
sim_circuit_fill (SimCircuit *c, guint seed, gint64 unix_time, guint depth)
{
  gint64 hcur = unix_time / 3600;
  gdouble frac = (gdouble) (unix_time % 3600) / 3600.0;

  c->seed = seed;
  c->energy = g_new (gint64, depth + 2);
  c->volume = g_new (gint64, depth + 2);
  sim_totals (seed, hcur - depth, depth + 1, c->energy, c->volume);
  sim_hour (seed, hcur, &c->cur);
  c->e_now = c->energy[depth] + (gint64) floor (c->cur.heat_wh * frac);
  c->v_now = c->volume[depth] + (gint64) floor (c->cur.volume_l * frac);
  c->e_now = MIN (c->e_now, c->energy[depth + 1]);
  c->v_now = MIN (c->v_now, c->volume[depth + 1]);
}

static void
sim_circuit_clear (SimCircuit *c)
{
  g_clear_pointer (&c->energy, g_free);
  g_clear_pointer (&c->volume, g_free);
}

/* storage @k's records of one circuit: registers at the start of hour
 * hcur-k+1 and the average temperatures of hour hcur-k */
static void
put_archive_circuit (GByteArray *rec, SimCircuit *c, gint64 hcur, guint depth, guint k,
                     guint subunit)
{
  SimHour sh;

  sim_hour (c->seed, hcur - (gint64) k, &sh);
  put_dif_unit (rec, 0x06, k, subunit);
  put_u8 (rec, 0x03);
  put_uint (rec, (guint64) c->energy[depth - k + 1], 6);
  put_dif_unit (rec, 0x04, k, subunit);
  put_u8 (rec, 0x13);
  put_uint (rec, (guint64) c->volume[depth - k + 1], 4);
  put_dif_unit (rec, 0x02, k, subunit);
  put_u8 (rec, 0x59);
  put_uint (rec, (guint64) round_i (sh.t_in * 100), 2);
  put_dif_unit (rec, 0x02, k, subunit);
  put_u8 (rec, 0x5D);
  put_uint (rec, (guint64) round_i (sh.t_out * 100), 2);
}

/* Builds all telegrams of one readout, frozen at @now */
static GPtrArray *
sim_build_telegrams (LersMbusSimulator *self, GDateTime *now)
{
  GPtrArray *telegrams = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  gint64 unix_time = g_date_time_to_unix (now);
  gint64 hcur = unix_time / 3600;
  guint depth = self->archive_depth;
  g_autoptr (GTimeZone) zone = lers_time_zone_new (self->clock_zone, NULL);
  SimCircuit circuit[2] = { { 0 } };
  guint n_circuits = CLAMP (self->circuits, 1, 2);
  SimCircuit *c1 = &circuit[0];
  GByteArray *buf;
  guint k = 1;

  if (zone == NULL)
    {
      g_debug ("unknown clock zone %s: using the local one", self->clock_zone);
      zone = g_time_zone_new_local ();
    }
  for (guint u = 0; u < n_circuits; u++)
    sim_circuit_fill (&circuit[u], sim_circuit_seed (self->seed, u), unix_time, depth);

  /* telegram 1: current values and totals */
  buf = g_byte_array_new ();
  put_dif (buf, 0x04, 0);
  put_u8 (buf, 0x6D);
  put_type_f (buf, now, zone);
  put_dif (buf, 0x06, 0);
  put_u8 (buf, 0x03); /* energy, Wh */
  put_uint (buf, (guint64) c1->e_now, 6);
  put_dif (buf, 0x04, 0);
  put_u8 (buf, 0x13); /* volume, litres */
  put_uint (buf, (guint64) c1->v_now, 4);
  put_dif (buf, 0x02, 0);
  put_u8 (buf, 0x59); /* flow temperature, 0.01 °C */
  put_uint (buf, (guint64) round_i (c1->cur.t_in * 100), 2);
  put_dif (buf, 0x02, 0);
  put_u8 (buf, 0x5D); /* return temperature, 0.01 °C */
  put_uint (buf, (guint64) round_i (c1->cur.t_out * 100), 2);
  put_dif (buf, 0x02, 0);
  put_u8 (buf, 0x61); /* temperature difference, 0.01 K */
  put_uint (buf, (guint64) round_i ((c1->cur.t_in - c1->cur.t_out) * 100), 2);
  put_dif (buf, 0x04, 0);
  put_u8 (buf, 0x3B); /* volume flow, l/h */
  put_uint (buf, (guint64) round_i (c1->cur.flow * 1000), 4);
  put_dif (buf, 0x04, 0);
  put_u8 (buf, 0x2B); /* power, W */
  put_uint (buf, (guint64) round_i (c1->cur.heat_wh), 4);
  put_dif (buf, 0x0C, 0);
  put_u8 (buf, 0x78); /* fabrication number, 8 BCD */
  {
    guint64 id
        = g_ascii_strtoull (self->serial_number != NULL ? self->serial_number : "0", NULL, 10);
    for (guint i = 0; i < 4; i++)
      {
        put_u8 (buf, bcd_byte ((guint) (id % 100)));
        id /= 100;
      }
  }
  for (guint u = 1; u < n_circuits; u++)
    {
      SimCircuit *c = &circuit[u];

      put_dif_unit (buf, 0x06, 0, u);
      put_u8 (buf, 0x03);
      put_uint (buf, (guint64) c->e_now, 6);
      put_dif_unit (buf, 0x04, 0, u);
      put_u8 (buf, 0x13);
      put_uint (buf, (guint64) c->v_now, 4);
      put_dif_unit (buf, 0x02, 0, u);
      put_u8 (buf, 0x59);
      put_uint (buf, (guint64) round_i (c->cur.t_in * 100), 2);
      put_dif_unit (buf, 0x02, 0, u);
      put_u8 (buf, 0x5D);
      put_uint (buf, (guint64) round_i (c->cur.t_out * 100), 2);
      put_dif_unit (buf, 0x04, 0, u);
      put_u8 (buf, 0x2B);
      put_uint (buf, (guint64) round_i (c->cur.heat_wh), 4);
    }
  if (depth > 0)
    put_u8 (buf, 0x1F);
  g_ptr_array_add (telegrams, buf);

  /* archive: storage k holds the registers at the start of hour hcur-k+1
   * (the end of the hour hcur-k) and that hour's average temperatures */
  while (k <= depth)
    {
      buf = g_byte_array_new ();
      for (;;)
        {
          g_autoptr (GByteArray) rec = g_byte_array_new ();
          g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc ((hcur - (gint64) k + 1) * 3600);

          put_dif (rec, 0x04, k);
          put_u8 (rec, 0x6D);
          put_type_f (rec, t, zone);
          for (guint u = 0; u < n_circuits; u++)
            put_archive_circuit (rec, &circuit[u], hcur, depth, k, u);
          /* 12 header bytes, 1 for DIF 1F */
          if (buf->len + rec->len + 12 + 1 > SIM_MAX_USER_DATA)
            break;
          g_byte_array_append (buf, rec->data, rec->len);
          if (++k > depth)
            break;
        }
      if (k <= depth)
        put_u8 (buf, 0x1F);
      g_ptr_array_add (telegrams, buf);
    }
  for (guint u = 0; u < n_circuits; u++)
    sim_circuit_clear (&circuit[u]);
  return telegrams;
}

/* ---- serving -------------------------------------------------------------- */

/* one meter's link state on one stream */
typedef struct
{
  LersMbusSimulator *sim; /* owned */
  gboolean selected;
  gboolean fcb_valid;
  gboolean last_fcb;
  guint next_telegram;
  guint last_telegram;
  guint8 access_number;
  GPtrArray *telegrams;
} MeterState;

static void
meter_state_free (MeterState *m)
{
  g_clear_object (&m->sim);
  g_clear_pointer (&m->telegrams, g_ptr_array_unref);
  g_free (m);
}

typedef struct
{
  LersMbusSimulator *self; /* not owned: the task holds it */
  GIOStream *stream;
  GByteArray *rx;
  guint8 chunk[256];
  GPtrArray *meters; /* MeterState */
  GBytes *reply;
  GSource *delay_source; /* in the serving task's context */
} ServeData;

static void
serve_data_free (ServeData *d)
{
  if (d->delay_source != NULL)
    {
      g_source_destroy (d->delay_source);
      g_source_unref (d->delay_source);
    }
  g_clear_object (&d->stream);
  g_clear_pointer (&d->rx, g_byte_array_unref);
  g_clear_pointer (&d->meters, g_ptr_array_unref);
  g_clear_pointer (&d->reply, g_bytes_unref);
  g_free (d);
}

static void serve_process (GTask *task);

static void
serve_reset (MeterState *m)
{
  m->fcb_valid = FALSE;
  m->next_telegram = 0;
  g_clear_pointer (&m->telegrams, g_ptr_array_unref);
}

static gboolean
serve_addressed (MeterState *m, guint8 a)
{
  if (a == MBUS_ADDRESS_NETWORK_LAYER)
    return m->selected;
  return a == m->sim->address || a == MBUS_ADDRESS_BROADCAST_REPLY || a == MBUS_ADDRESS_BROADCAST;
}

static gboolean
select_matches (MeterState *m, GBytes *data)
{
  gsize n = 0;
  const guint8 *b = g_bytes_get_data (data, &n);
  guint64 id
      = g_ascii_strtoull (m->sim->serial_number != NULL ? m->sim->serial_number : "0", NULL, 10);
  LersByteReader r;
  const guint8 *sel = NULL;
  guint16 man = 0;
  guint8 version = 0, medium = 0;

  lers_byte_reader_init (&r, b, n);
  if (!lers_byte_reader_read_bytes (&r, 4, &sel, NULL)
      || !lers_byte_reader_read_u16_le (&r, &man, NULL)
      || !lers_byte_reader_read_u8 (&r, &version, NULL)
      || !lers_byte_reader_read_u8 (&r, &medium, NULL))
    return FALSE;
  /* identification: BCD digits, F is a wildcard */
  for (guint i = 0; i < 4; i++)
    {
      guint want = (guint) (id % 100);
      guint hi = sel[i] >> 4, lo = sel[i] & 0x0F;
      id /= 100;
      if ((hi != 0x0F && hi != want / 10) || (lo != 0x0F && lo != want % 10))
        return FALSE;
    }
  if (man != 0xFFFF && man != SIM_MANUFACTURER)
    return FALSE;
  if (version != 0xFF && version != sim_version (m->sim))
    return FALSE;
  if (medium != 0xFF && medium != SIM_MEDIUM_HEAT)
    return FALSE;
  return TRUE;
}

static GDateTime *
sim_now (LersMbusSimulator *self)
{
  gint64 t = self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;

  return g_date_time_new_from_unix_utc (t + self->clock_offset);
}

/* time sync (CI 0x6C): a type F date/time, the wall-clock time in the
 * meter's zone; the meter's clock follows it from now on */
static gboolean
sim_time_sync (LersMbusSimulator *self, GBytes *data)
{
  gsize n = 0;
  const guint8 *b = data != NULL ? g_bytes_get_data (data, &n) : NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) t = NULL;
  g_autoptr (GDateTime) now = NULL;
  guint minute, hour, day, month, year;

  if (n < 4 || (b[0] & 0x80) != 0)
    return FALSE;
  minute = b[0] & 0x3F;
  hour = b[1] & 0x1F;
  day = b[2] & 0x1F;
  month = b[3] & 0x0F;
  year = ((b[2] & 0xE0) >> 5) | ((b[3] & 0xF0) >> 1);
  year += 1900 + 100 * ((b[1] & 0x60) >> 5);
  if (year < 1980)
    year += 100;
  zone = lers_time_zone_new (self->clock_zone, NULL);
  if (zone == NULL)
    zone = g_time_zone_new_local ();
  t = g_date_time_new (zone, (gint) year, (gint) month, (gint) day, (gint) hour, (gint) minute, 0);
  if (t == NULL)
    return FALSE;
  self->clock_offset = 0;
  now = sim_now (self);
  self->clock_offset = g_date_time_to_unix (t) - g_date_time_to_unix (now);
  return TRUE;
}

/* One meter's reply to @frame, or %NULL to stay silent */
static GBytes *
serve_handle (MeterState *m, const MbusFrame *frame)
{
  guint8 c = frame->c & ~(MBUS_C_FCB | MBUS_C_FCV);

  if (frame->kind == MBUS_FRAME_KIND_SHORT && frame->c == MBUS_C_SND_NKE)
    {
      if (!serve_addressed (m, frame->a))
        return NULL;
      serve_reset (m);
      return frame->a == MBUS_ADDRESS_BROADCAST ? NULL : mbus_frame_build_ack ();
    }
  if (frame->kind == MBUS_FRAME_KIND_SHORT && c == (MBUS_C_REQ_UD2 & ~(MBUS_C_FCB | MBUS_C_FCV)))
    {
      gboolean fcb = (frame->c & MBUS_C_FCB) != 0;
      GByteArray *payload;
      g_autoptr (GByteArray) user = NULL;

      if (!serve_addressed (m, frame->a) || frame->a == MBUS_ADDRESS_BROADCAST)
        return NULL;
      if (m->telegrams == NULL)
        {
          g_autoptr (GDateTime) now = sim_now (m->sim);
          m->telegrams = sim_build_telegrams (m->sim, now);
          m->next_telegram = 0;
        }
      if (m->fcb_valid && fcb == m->last_fcb)
        {
          /* the same FCB: the master lost our reply, send it again */
        }
      else
        {
          if (m->fcb_valid && m->next_telegram == 0)
            {
              /* a new cycle: telegram 1 again, with the values as they are
               * now, as a meter builds it */
              g_autoptr (GDateTime) now = sim_now (m->sim);
              g_ptr_array_unref (m->telegrams);
              m->telegrams = sim_build_telegrams (m->sim, now);
            }
          m->last_telegram = m->next_telegram;
          m->next_telegram = (m->next_telegram + 1) % m->telegrams->len;
          m->access_number++;
        }
      m->fcb_valid = TRUE;
      m->last_fcb = fcb;
      payload = g_ptr_array_index (m->telegrams, m->last_telegram);
      user = g_byte_array_new ();
      put_header (m->sim, user, m->access_number);
      g_byte_array_append (user, payload->data, payload->len);
      return mbus_frame_build_long (MBUS_C_RSP_UD, (guint8) m->sim->address, MBUS_CI_RESPONSE_LONG,
                                    user->data, user->len);
    }
  if (frame->kind == MBUS_FRAME_KIND_LONG && c == (MBUS_C_SND_UD & ~(MBUS_C_FCB | MBUS_C_FCV)))
    {
      if (frame->a == MBUS_ADDRESS_NETWORK_LAYER && frame->ci == MBUS_CI_SELECT)
        {
          m->selected = select_matches (m, frame->data);
          if (!m->selected)
            return NULL;
          serve_reset (m);
          return mbus_frame_build_ack ();
        }
      if (!serve_addressed (m, frame->a))
        return NULL;
      if (frame->ci == MBUS_CI_APPLICATION_RESET)
        serve_reset (m);
      if (frame->ci == MBUS_CI_TIME_SYNC && !sim_time_sync (m->sim, frame->data))
        return NULL;
      return frame->a == MBUS_ADDRESS_BROADCAST ? NULL : mbus_frame_build_ack ();
    }
  return NULL;
}

/* What the bus carries when @replies (more than one) overlap: slaves
 * answer by modulating current, which ORs on the line, so replies that are
 * identical bit for bit (E5 from several meters) arrive clean; only
 * differing replies collide */
static GBytes *
serve_collide (GPtrArray *replies)
{
  gsize len = 0;
  gboolean identical = TRUE;
  g_autoptr (GByteArray) out = g_byte_array_new ();

  for (guint i = 0; i < replies->len; i++)
    {
      len = MAX (len, g_bytes_get_size (g_ptr_array_index (replies, i)));
      if (!g_bytes_equal (g_ptr_array_index (replies, i), g_ptr_array_index (replies, 0)))
        identical = FALSE;
    }
  if (identical)
    return g_bytes_ref (g_ptr_array_index (replies, 0));
  g_byte_array_set_size (out, (guint) len);
  memset (out->data, 0xFF, len);
  for (guint i = 0; i < replies->len; i++)
    {
      gsize n = 0;
      const guint8 *b = g_bytes_get_data (g_ptr_array_index (replies, i), &n);
      for (gsize j = 0; j < n; j++)
        out->data[j] &= b[j];
    }
  /* skewed start bits and framing errors: never a clean frame */
  out->data[len - 1] ^= 0xFF;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
serve_bus (ServeData *d, const MbusFrame *frame)
{
  g_autoptr (GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < d->meters->len; i++)
    {
      GBytes *reply = serve_handle (g_ptr_array_index (d->meters, i), frame);
      if (reply != NULL)
        g_ptr_array_add (replies, reply);
    }
  if (replies->len == 0)
    return NULL;
  if (replies->len == 1)
    return g_bytes_ref (g_ptr_array_index (replies, 0));
  return serve_collide (replies);
}

static void
serve_write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ServeData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&d->reply, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  serve_process (g_steal_pointer (&task));
}

static void
serve_write (GTask *task)
{
  ServeData *d = g_task_get_task_data (task);
  GOutputStream *out = g_io_stream_get_output_stream (d->stream);
  gsize n = 0;
  const guint8 *bytes = g_bytes_get_data (d->reply, &n);

  g_output_stream_write_all_async (out, bytes, n, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   serve_write_cb, task);
}

static gboolean
serve_delay_cb (gpointer user_data)
{
  GTask *task = user_data;
  ServeData *d = g_task_get_task_data (task);

  g_clear_pointer (&d->delay_source, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  serve_write (task);
  return G_SOURCE_REMOVE;
}

static void
serve_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ServeData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (n == 0)
    {
      /* the master hung up */
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_byte_array_append (d->rx, d->chunk, (guint) n);
  serve_process (g_steal_pointer (&task));
}

static void
serve_process (GTask *task)
{
  ServeData *d = g_task_get_task_data (task);

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MbusFrame) frame = NULL;
      g_autoptr (GBytes) reply = NULL;
      gssize len = mbus_frame_scan (d->rx->data, d->rx->len, &error);

      if (len < 0)
        {
          /* not a start byte: drop it, as a UART would resynchronise */
          g_byte_array_remove_index (d->rx, 0);
          continue;
        }
      if (len == 0)
        break;
      frame = mbus_frame_parse (d->rx->data, (gsize) len, &error);
      g_byte_array_remove_range (d->rx, 0, (guint) len);
      if (frame == NULL)
        {
          g_debug ("ignoring a bad frame: %s", error->message);
          continue;
        }
      reply = serve_bus (d, frame);
      if (reply != NULL)
        {
          /* the reply bytes must outlive the write: keep them with the task */
          d->reply = g_steal_pointer (&reply);
          if (d->self->answer_delay_ms > 0)
            {
              /* in the context the meter is served from, which a test or a
               * benchmark may run in a thread of its own */
              d->delay_source = g_timeout_source_new (d->self->answer_delay_ms);
              g_source_set_callback (d->delay_source, serve_delay_cb, task, NULL);
              g_source_attach (d->delay_source, g_task_get_context (task));
              return;
            }
          serve_write (task);
          return;
        }
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (d->stream), d->chunk, sizeof d->chunk,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task), serve_read_cb,
                             task);
}

static void
serve_add_meter (ServeData *d, LersMbusSimulator *sim)
{
  MeterState *m;

  for (guint i = 0; i < d->meters->len; i++)
    if (((MeterState *) g_ptr_array_index (d->meters, i))->sim == sim)
      return;
  m = g_new0 (MeterState, 1);
  m->sim = g_object_ref (sim);
  g_ptr_array_add (d->meters, m);
}

static void
lers_mbus_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  LersMbusSimulator *self = LERS_MBUS_SIMULATOR (simulator);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ServeData *d = g_new0 (ServeData, 1);

  g_task_set_source_tag (task, lers_mbus_simulator_serve_async);
  d->self = self;
  d->stream = g_object_ref (stream);
  d->rx = g_byte_array_new ();
  d->meters = g_ptr_array_new_with_free_func ((GDestroyNotify) meter_state_free);
  serve_add_meter (d, self);
  for (guint i = 0; self->bus_members != NULL && i < self->bus_members->len; i++)
    {
      gpointer member = g_ptr_array_index (self->bus_members, i);
      if (LERS_IS_MBUS_SIMULATOR (member))
        serve_add_meter (d, member);
    }
  g_task_set_task_data (task, d, (GDestroyNotify) serve_data_free);
  serve_process (g_steal_pointer (&task));
}

static gboolean
lers_mbus_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                  GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, lers_mbus_simulator_serve_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_mbus_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "mbus";
}

static void
lers_mbus_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_mbus_simulator_get_protocol;
  iface->serve_async = lers_mbus_simulator_serve_async;
  iface->serve_finish = lers_mbus_simulator_serve_finish;
}

/* ---- GObject -------------------------------------------------------------- */

static void
lers_mbus_simulator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersMbusSimulator *self = LERS_MBUS_SIMULATOR (object);

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
    case PROP_ARCHIVE_DEPTH:
      g_value_set_uint (value, self->archive_depth);
      break;
    case PROP_CLOCK_ZONE:
      g_value_set_string (value, self->clock_zone);
      break;
    case PROP_CLOCK_TIME:
      g_value_set_int64 (value, self->clock_time);
      break;
    case PROP_CIRCUITS:
      g_value_set_uint (value, self->circuits);
      break;
    case PROP_ANSWER_DELAY_MS:
      g_value_set_uint (value, self->answer_delay_ms);
      break;
    case PROP_BUS_MEMBERS:
      g_value_set_boxed (value, self->bus_members);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_mbus_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  LersMbusSimulator *self = LERS_MBUS_SIMULATOR (object);

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
    case PROP_ARCHIVE_DEPTH:
      self->archive_depth = g_value_get_uint (value);
      break;
    case PROP_CLOCK_ZONE:
      g_free (self->clock_zone);
      self->clock_zone = g_value_dup_string (value);
      break;
    case PROP_CLOCK_TIME:
      self->clock_time = g_value_get_int64 (value);
      break;
    case PROP_CIRCUITS:
      self->circuits = g_value_get_uint (value);
      break;
    case PROP_ANSWER_DELAY_MS:
      self->answer_delay_ms = g_value_get_uint (value);
      break;
    case PROP_BUS_MEMBERS:
      g_clear_pointer (&self->bus_members, g_ptr_array_unref);
      self->bus_members = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_mbus_simulator_finalize (GObject *object)
{
  LersMbusSimulator *self = LERS_MBUS_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->clock_zone);
  g_clear_pointer (&self->bus_members, g_ptr_array_unref);
  G_OBJECT_CLASS (lers_mbus_simulator_parent_class)->finalize (object);
}

static void
lers_mbus_simulator_class_init (LersMbusSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lers_mbus_simulator_get_property;
  object_class->set_property = lers_mbus_simulator_set_property;
  object_class->finalize = lers_mbus_simulator_finalize;

  /**
   * LersMbusSimulator:serial-number:
   *
   * The identification number (8 decimal digits), used as the secondary
   * address and the fabrication number.
   *
   * Since: 0.1
   */
  props[PROP_SERIAL_NUMBER]
      = g_param_spec_string ("serial-number", NULL, NULL, "12345678",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:address:
   *
   * The primary address, 1 to 250.
   *
   * Since: 0.1
   */
  props[PROP_ADDRESS]
      = g_param_spec_uint ("address", NULL, NULL, 0, 250, 1,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:seed:
   *
   * Chooses the simulated data: the same seed gives the same values.
   *
   * Since: 0.1
   */
  props[PROP_SEED]
      = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:archive-depth:
   *
   * How many hours the archive holds (storage numbers 1..N); 62 days by
   * default.
   *
   * Since: 0.1
   */
  props[PROP_ARCHIVE_DEPTH]
      = g_param_spec_uint ("archive-depth", NULL, NULL, 0, 24 * 400, SIM_DEFAULT_DEPTH,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:clock-zone:
   *
   * The IANA time zone the simulated meter's clock keeps: its type F times
   * are wall-clock times there, with the summer-time flag set while the
   * zone keeps summer time. %NULL or empty for the local zone.
   *
   * Since: 0.2
   */
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:clock-time:
   *
   * A fixed time for the simulated meter's clock, in seconds since
   * 1970-01-01T00:00Z: every readout is made as if at that moment, and the
   * archive ends there. 0 (the default) for the real time. Lets a test read
   * a given day, such as a change of summer time, whatever the date.
   *
   * Since: 0.2
   */
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:circuits:
   *
   * 1 for a one-circuit heat meter; 2 for a two-circuit one whose second
   * circuit's records carry DIFE subunit 1 (the point with channel 1).
   *
   * Since: 0.3
   */
  props[PROP_CIRCUITS]
      = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 1,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:answer-delay-ms:
   *
   * How long the meter thinks before it answers a request, in
   * milliseconds (0 by default).
   *
   * Since: 0.3
   */
  props[PROP_ANSWER_DELAY_MS] = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0,
                                                   G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusSimulator:bus-members: (type GPtrArray(LersMbusSimulator))
   *
   * Other simulated meters wired to the same bus: a stream served by this
   * simulator reaches them too, each by its own addresses. Answers that
   * overlap show as a collision.
   *
   * Since: 0.3
   */
  props[PROP_BUS_MEMBERS] = g_param_spec_boxed ("bus-members", NULL, NULL, G_TYPE_PTR_ARRAY,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_mbus_simulator_class_finalize (LersMbusSimulatorClass *klass)
{
}

static void
lers_mbus_simulator_init (LersMbusSimulator *self)
{
}

/**
 * lers_mbus_simulator_register:
 * @module: the plugin's type module
 *
 * Registers #LersMbusSimulator with @module.
 *
 * Since: 0.1
 */
void
lers_mbus_simulator_register (GTypeModule *module)
{
  lers_mbus_simulator_register_type (module);
}

/**
 * lers_mbus_simulator_new:
 * @serial_number: 8 decimal digits
 * @address: primary address
 * @seed: data seed
 *
 * Returns: (transfer full): a simulated heat meter
 *
 * Since: 0.1
 */
LersMbusSimulator *
lers_mbus_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_MBUS_SIMULATOR, "serial-number", serial_number, "address", address,
                       "seed", seed, NULL);
}
