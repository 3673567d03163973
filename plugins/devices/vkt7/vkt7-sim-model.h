/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* one period of one heat input, in the meter's integers */
typedef struct
{
  gint32 t1, t2, dt, p1, p2, tx, ta; /* ×100 */
  gint32 v1, v2, m1, m2, mg;         /* ×100 */
  gint32 q;                          /* ×1000 */
  gint32 hours_ok, hours_stop;
  guint16 ns[5];
  gboolean ns_flag;
} Vkt7SimRow;

void vkt7_sim_hour (guint seed, guint channel, gint64 hour, Vkt7SimRow *row);
void vkt7_sim_day (guint seed, guint channel, gint64 day, Vkt7SimRow *row);
void vkt7_sim_month (guint seed, guint channel, gint64 first_day, gint n_days, Vkt7SimRow *row);
void vkt7_sim_totals (guint seed, guint channel, gint64 hour_now, Vkt7SimRow *row);
gboolean vkt7_sim_element_active (guint id, guint scheme);
guint vkt7_sim_element_size (guint id);
const gchar *vkt7_sim_unit (guint id);
guint8 vkt7_sim_digits (guint id);
void vkt7_sim_put_le (GByteArray *b, guint64 v, guint n);
gint32 vkt7_sim_row_value (const Vkt7SimRow *r, guint base_id, gboolean *ok);
guint vkt7_sim_base_of (guint id);

G_END_DECLS
