/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Interval-archive records, current values and НС of the 4L devices. */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

typedef enum
{
  L4L_MODEL_UNKNOWN = 0,
  L4L_MODEL_941,    /* СПТ941 (device code 54 29): archives in FLASH only */
  L4L_MODEL_941_10, /* СПТ941 models 10, 11 (92 29) */
  L4L_MODEL_942,
  L4L_MODEL_943, /* СПТ943 (54 2B) */
} L4lModel;

typedef enum
{
  L4L_UNITS_GCAL = 0, /* ЕИ = 0: Gcal, kgf/cm² */
  L4L_UNITS_GJ = 1,   /* ЕИ = 1: GJ, MPa */
  L4L_UNITS_MWH = 2,  /* ЕИ = 2: MWh, bar */
} L4lUnits;

#define L4L_RECORD_943 68
#define L4L_RECORD_941_10 64
#define L4L_CURRENT_943 44
#define L4L_CURRENT_941_10 28
#define L4L_RECORD_941_HOUR 32
#define L4L_RECORD_941_DAY 64

/* the old СПТ941's FLASH archive (prot941 §3.3): header tables of
 * 4-byte headers yy mm dd hh, and the data pages of header n */
#define L4L_941_HOUR_HEADERS (8 * 64)
#define L4L_941_HOUR_COUNT 1081
#define L4L_941_DAY_HEADERS (75 * 64 + 0x24)
/* prot941 §3.3.2 puts a 186th day header (number 185) at page 87 08h, but
 * the day data pages are 632…816 (§3.3.5): 185 records; header 185 would
 * map to page 817, the first month page (§3.3.6, §3.3.8). 185 are used */
#define L4L_941_DAY_COUNT 185
#define L4L_941_MONTH_HEADERS (87 * 64 + 0x0C)
#define L4L_941_MONTH_COUNT 49

void l4l_941_table (LersArchiveKind kind, guint *first_byte, guint *count);
/* the FLASH page and offset of the record of header @n */
void l4l_941_data_page (LersArchiveKind kind, guint n, guint *page, guint *offset);

L4lModel l4l_model_from_code (guint8 c0, guint8 c1);
const gchar *l4l_model_name (L4lModel model);
gsize l4l_record_size (L4lModel model);
/* the data block the archive search (48/59/4D) answers with */
gsize l4l_block_size (L4lModel model, LersArchiveKind kind);

/* the device's archive stamp of the period starting at @start (local) */
void l4l_stamp_for_period (L4lModel model, LersArchiveKind kind, GDateTime *start, guint8 out[4]);

gboolean l4l_decode_record (L4lModel model, L4lUnits units, LersArchiveKind kind,
                            const guint8 *data, gsize len, GDateTime *start, guint channel,
                            guint32 *ns_mask, LersRecord **record, GError **error);
gsize l4l_current_size (L4lModel model);
gboolean l4l_decode_current (L4lModel model, L4lUnits units, const guint8 *data, gsize len,
                             GDateTime *time, guint channel, LersRecord **record, GError **error);

gdouble l4l_heat_to_gcal (L4lUnits units, gdouble value);
gdouble l4l_pressure_to_mpa (L4lUnits units, gdouble value);

/* НС nn of the 943 (РЭ table 6.1); NULL when the number is unused */
const gchar *l4l_ns_text (L4lModel model, guint nn);
const gchar *l4l_ns_code (L4lModel model, guint nn);
LersMeterEventSeverity l4l_ns_severity (L4lModel model, guint nn);

G_END_DECLS
