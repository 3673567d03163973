/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The session's options and the mapping of КМ-5 values to LERS parameters
 * and units. */
#pragma once

#include <lers.h>

#include "km5-data.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean backward;      /* frames travel byte-reversed */
  gboolean rm5;           /* РМ-5 value set */
  gboolean gvs;           /* ГВС values → channel 1 */
  gboolean stamp_end;     /* a line is stamped at its period's end */
  gdouble energy_scale;   /* device energy unit → Gcal */
  gdouble pressure_scale; /* device pressure unit → MPa */
} Km5Options;

gboolean km5_options_parse (LersDeviceSession *session, const gchar *model, Km5Options *options,
                            GError **error);
/* @prev: the line of the period just before, or NULL (then the period
 * gets no M, V, Q, Tp: the line holds integrators, not amounts) */
void km5_line_to_records (const Km5Options *options, const Km5Line *line, const Km5Line *prev,
                          LersArchiveKind kind, GDateTime *start, GPtrArray *records);
void km5_immediate_to_record (const Km5Options *options, guint sub, const gfloat *f,
                              LersRecord *record, LersRecord *record1);

G_END_DECLS
