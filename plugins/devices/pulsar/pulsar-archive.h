/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

GPtrArray *pulsar_archive_slots (LersArchiveKind kind, GDateTime *from, GDateTime *to,
                                 GTimeZone *zone);
void pulsar_archive_build_records (GPtrArray *out, LersArchiveKind kind, GPtrArray *slots,
                                   const guint32 *raw, guint channel, LersParameter parameter,
                                   gdouble factor, gboolean power_marks);
void pulsar_archive_build_power_events (GPtrArray *out, GPtrArray *slots, const guint32 *raw,
                                        guint channel, GDateTime *from, GDateTime *to);
void pulsar_archive_build_diag_events (GPtrArray *out, guint8 flags, GDateTime *day_start);
LersRecord *pulsar_archive_current_record (LersArchiveKind kind, GDateTime *time, gdouble reading,
                                           guint channel, LersParameter parameter, gdouble factor);

G_END_DECLS
