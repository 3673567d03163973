/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* The ТВ7's data blocks, decoded (and encoded for the simulator). Layouts
 * after the public Python driver named in README.md; values as the device
 * keeps them (°C, MPa, m³, t, m³/h, t/h, heat in the device's unit). */

#define TV7_CHANNELS 2 /* heat inputs ТВ1, ТВ2 */
#define TV7_PIPES 3    /* pipes 1..3 of a heat input */

#define TV7_CLOCK_SIZE 6
#define TV7_CURRENT_SIZE (2 * 0x89)
#define TV7_TOTALS_SIZE (2 * 0x89)
#define TV7_ARCHIVE_SIZE (2 * 0x8E)

typedef struct
{
  guint month, day, hour, year, second, minute; /* year: 0..99 → 2000 + year */
} Tv7Clock;

typedef struct
{
  Tv7Clock clock;
  gdouble t[TV7_CHANNELS][TV7_PIPES];  /* °C */
  gdouble p[TV7_CHANNELS][TV7_PIPES];  /* MPa */
  gdouble gv[TV7_CHANNELS][TV7_PIPES]; /* Gо, m³/h */
  gdouble gm[TV7_CHANNELS][TV7_PIPES]; /* Gм, t/h */
  gdouble f[TV7_CHANNELS][TV7_PIPES];  /* Ф: kept for decode, meaning not known */
} Tv7Current;

typedef struct
{
  gdouble v[TV7_CHANNELS][TV7_PIPES]; /* m³ */
  gdouble m[TV7_CHANNELS][TV7_PIPES]; /* t */
  gdouble dm[TV7_CHANNELS];
  gdouble q_tv[TV7_CHANNELS]; /* Qтв, the heat input's heat */
  gdouble q12[TV7_CHANNELS];
  gdouble q_g[TV7_CHANNELS];
  guint16 counters[TV7_CHANNELS][7]; /* ВНР ВОС TVmin TVmax Tdt Tбез.пит Tнеиспр, hours */
} Tv7Totals;

enum
{
  TV7_COUNTER_VNR,
  TV7_COUNTER_VOS,
  TV7_COUNTER_VMIN,
  TV7_COUNTER_VMAX,
  TV7_COUNTER_DT,
  TV7_COUNTER_NO_POWER,
  TV7_COUNTER_FAULT,
};

typedef struct
{
  guint month, day, hour, year;
  gdouble t[TV7_CHANNELS][TV7_PIPES];
  gdouble p[TV7_CHANNELS][TV7_PIPES];
  gdouble v[TV7_CHANNELS][TV7_PIPES]; /* the period's increments */
  gdouble m[TV7_CHANNELS][TV7_PIPES];
  gdouble t_outdoor[TV7_CHANNELS], t_cw[TV7_CHANNELS], p_cw[TV7_CHANNELS];
  gdouble dt[TV7_CHANNELS], dm[TV7_CHANNELS];
  gdouble q_tv[TV7_CHANNELS], q12[TV7_CHANNELS], q_g[TV7_CHANNELS];
  guint16 vnr[TV7_CHANNELS], vos[TV7_CHANNELS]; /* minutes */
} Tv7Archive;

gboolean tv7_clock_decode (const guint8 *data, gsize len, Tv7Clock *out, GError **error);
gboolean tv7_current_decode (const guint8 *data, gsize len, Tv7Current *out, GError **error);
gboolean tv7_totals_decode (const guint8 *data, gsize len, Tv7Totals *out, GError **error);
gboolean tv7_archive_decode (const guint8 *data, gsize len, Tv7Archive *out, GError **error);

void tv7_clock_encode (const Tv7Clock *clock, guint8 *out);
void tv7_current_encode (const Tv7Current *cur, guint8 *out);
void tv7_totals_encode (const Tv7Totals *tot, guint8 *out);
void tv7_archive_encode (const Tv7Archive *rec, guint8 *out);

G_END_DECLS
