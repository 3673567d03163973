/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* where one archive item or parameter goes: a LERS parameter on a channel
 * (-1: the channel of the archive request), or the НС flags */
typedef struct
{
  gboolean ns;
  LersParameter parameter;
  gint channel;
} M4Target;

typedef struct
{
  guint8 ch;
  guint16 number;
  M4Target target;
} M4Param;

typedef struct
{
  guint8 ch;
  guint16 number;
  gboolean present;
} M4ParamRef;

/**
 * M4Model:
 *
 * One meter model's field lists, from `models/<id>.ini` (a GResource).
 */
typedef struct
{
  gchar *id;
  gchar *name;
  guint16 code; /* DVC_L << 8 | DVC_H */
  guint version_min;
  guint version_max;
  guint circuits;
  gboolean flz;
  gchar *ns_table;
  M4ParamRef pressure_unit;
  M4ParamRef energy_unit;
  M4ParamRef reporting_hour;
  GArray *archive_channels; /* guint8 */
  GPtrArray *items;         /* GArray of M4Target per archive item, or NULL */
  GArray *current;          /* M4Param */
  GArray *totals;           /* M4Param */
} M4Model;

const M4Model *m4_model_find (const gchar *name);
const M4Model *m4_model_find_by_code (guint16 code, guint version);
GPtrArray *m4_model_list (void);

G_END_DECLS
