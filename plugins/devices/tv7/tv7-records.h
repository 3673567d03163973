/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "tv7-data.h"

G_BEGIN_DECLS

/* each appends one record a configured heat input to @records;
 * @heat_factor converts the device's heat unit to Gcal */
void tv7_records_add_archive (GPtrArray *records, const Tv7Archive *a, LersArchiveKind kind,
                              GDateTime *t, gdouble heat_factor);
void tv7_records_add_current (GPtrArray *records, const Tv7Current *cur, GDateTime *t);
void tv7_records_add_totals (GPtrArray *records, const Tv7Totals *tot, GDateTime *t,
                             gdouble heat_factor);

/* hour records with StopDuration > 0 in a row on one channel → one event */
GPtrArray *tv7_records_build_events (GPtrArray *records);

G_END_DECLS
