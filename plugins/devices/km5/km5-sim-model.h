/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulated КМ-5's data: a pure function of (seed, model, circuits,
 * clock). Documented in README.md, "Simulator data model". */
#pragma once

#include <glib.h>

#include "km5-data.h"

G_BEGIN_DECLS

/* Lines each archive keeps */
#define KM5_SIM_HOUR_LINES 1536 /* 64 days */
#define KM5_SIM_DAY_LINES 100
#define KM5_SIM_MONTH_LINES 36
#define KM5_SIM_ERROR_LINES 256
/* the integrators count from this hour: 2026-01-01 00:00 wall clock
 * (1767225600 s / 3600); before it they run below their bases */
#define KM5_SIM_ORIGIN_HOUR G_GINT64_CONSTANT (490896)

typedef struct
{
  guint seed;
  guint circuits; /* 2: ГВС values in P3/t3, t3/t4, Vi/Qгвс */
  gboolean rm5;   /* РМ-5: no heat, no pressure */
  gint64 clock;   /* wall-clock seconds (as if UTC) */
} Km5SimModel;

typedef struct
{
  gint64 wall; /* wall-clock seconds of the error-log line */
  guint code;
} Km5SimEvent;

gint64 km5_sim_ns_day (const Km5SimModel *m);
guint km5_sim_hour_code (const Km5SimModel *m, gint64 hour);
void km5_sim_hour (const Km5SimModel *m, gint64 hour, gdouble v[KM5_LINE_N_VALUES]);
void km5_sim_range (const Km5SimModel *m, gint64 first_hour, gint64 end_hour,
                    gdouble v[KM5_LINE_N_VALUES]);
guint km5_sim_events (const Km5SimModel *m, Km5SimEvent events[8]);

/* one archive's lines: period index ↔ line number, its hours, its stamp */
guint km5_sim_db_lines (guint db);
gboolean km5_sim_db_last (const Km5SimModel *m, guint db, gint64 *last_index);
void km5_sim_db_period (guint db, gint64 index, gint64 *first_hour, gint64 *end_hour);
gboolean km5_sim_db_line (const Km5SimModel *m, guint db, gint64 index, Km5Line *line);
gint64 km5_sim_db_index_for_stamp (guint db, gint64 stamp_wall);

void km5_sim_integrals (const Km5SimModel *m, gint64 end_hour, gdouble v[KM5_LINE_N_VALUES]);
void km5_sim_totals (const Km5SimModel *m, gdouble *q, gdouble *m1, gdouble *m2, gdouble *tp);
void km5_sim_stamp_from_wall (gint64 wall, Km5Stamp *stamp);

G_END_DECLS
