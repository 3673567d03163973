/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "logikam4-model.h"
#include "logikam4-tlv.h"

G_BEGIN_DECLS

/* how a session reads its meter's values */
typedef struct
{
  const M4Model *model;
  GTimeZone *zone;
  gdouble pressure_factor; /* device unit → MPa */
  gdouble energy_factor;   /* device unit → Gcal */
  guint reporting_hour;
} M4Context;

gdouble m4_pressure_factor (guint unit_index);
gdouble m4_energy_factor (guint unit_index);

GDateTime *m4_date_to_time (const M4Date *date, GTimeZone *zone);
void m4_date_from_time (GDateTime *time, M4Date *date);
GDateTime *m4_period_start (const M4Context *ctx, LersArchiveKind kind, const M4Date *stamp);
GDateTime *m4_period_add (LersArchiveKind kind, GDateTime *time, gint n);

typedef struct
{
  guint bit;
  guint channel;
} M4NsBit;

void m4_convert_archive_record (const M4Context *ctx, LersArchiveKind kind,
                                const M4ArchiveRecord *record, guint request_index,
                                GDateTime *start, GPtrArray *records, GArray *ns_bits);
gboolean m4_convert_params (const M4Context *ctx, const M4Param *params, guint n_params,
                            GArray *items, LersArchiveKind kind, GDateTime *time,
                            GPtrArray *records, GError **error);
GArray *m4_answer_values (GArray *items);

/* НС bits of consecutive hours → one event each */
typedef struct
{
  GPtrArray *events;
  GHashTable *open; /* bit << 8 | channel → LersMeterEvent (borrowed) */
} M4EventBuilder;

void m4_event_builder_init (M4EventBuilder *builder);
void m4_event_builder_clear (M4EventBuilder *builder);
void m4_event_builder_add (M4EventBuilder *builder, const M4Model *model, guint bit, guint channel,
                           GDateTime *start, GDateTime *end);

G_END_DECLS
