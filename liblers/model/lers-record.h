/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"
#include "model/lers-parameter.h"

G_BEGIN_DECLS

#define LERS_TYPE_RECORD (lers_record_get_type ())
G_DECLARE_FINAL_TYPE (LersRecord, lers_record, LERS, RECORD, GObject)

LersRecord *lers_record_new (GDateTime *timestamp, LersArchiveKind kind);
GDateTime *lers_record_get_timestamp (LersRecord *self);
LersArchiveKind lers_record_get_kind (LersRecord *self);
guint lers_record_get_channel (LersRecord *self);
void lers_record_set_channel (LersRecord *self, guint channel);
void lers_record_set_value (LersRecord *self, LersParameter parameter, gdouble value,
                            LersValueFlags flags);
gboolean lers_record_get_value (LersRecord *self, LersParameter parameter, gdouble *value,
                                LersValueFlags *flags);
gboolean lers_record_has_value (LersRecord *self, LersParameter parameter);
guint lers_record_get_n_values (LersRecord *self);
gboolean lers_record_get_value_at (LersRecord *self, guint index, LersParameter *parameter,
                                   gdouble *value, LersValueFlags *flags);
gboolean lers_record_equal (LersRecord *self, LersRecord *other);

G_END_DECLS
