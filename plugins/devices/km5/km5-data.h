/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Decoders of the КМ-5 answers' payloads (frames already checked, forward
 * byte order). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the 8-byte stamp: flag/code, DD MM YY (BCD), type, hh mm ss (BCD) */
typedef struct
{
  guint8 flag; /* "eeh"; the event code in an error-log line */
  guint8 type; /* device type: КМ-5-(type+1) */
  guint year;  /* 2000 + YY */
  guint month, day, hour, minute, second;
} Km5Stamp;

typedef enum
{
  KM5_LINE_TA,
  KM5_LINE_P1,
  KM5_LINE_P2,
  KM5_LINE_P3_T3,
  KM5_LINE_T1,
  KM5_LINE_T2,
  KM5_LINE_T3_T4,
  KM5_LINE_M1,
  KM5_LINE_M2,
  KM5_LINE_VI_QGVS,
  KM5_LINE_V1_M3,
  KM5_LINE_V2_M4,
  KM5_LINE_Q,
  KM5_LINE_TP,
  KM5_LINE_N_VALUES
} Km5LineValue;

typedef struct
{
  Km5Stamp stamp;
  gfloat values[KM5_LINE_N_VALUES];
} Km5Line;

typedef struct
{
  guint16 start_address;
  guint8 eeprom;
  guint8 flags; /* bit 6: holds lines; bit 7: every line filled */
  guint16 n_lines;
  guint16 last_line;
} Km5Header;

typedef struct
{
  guint8 special;
  guint16 first_line;
  Km5Stamp first;
  guint16 last_line;
  Km5Stamp last;
  guint16 n_lines;
} Km5Bounds;

typedef struct
{
  guint8 special;
  guint16 line;
  Km5Stamp stamp;
} Km5Found;

#define KM5_HEADER_HAS_LINES 0x40
#define KM5_HEADER_FULL 0x80

gboolean km5_stamp_decode (const guint8 *p, Km5Stamp *stamp, GError **error);
void km5_stamp_encode (const Km5Stamp *stamp, guint8 *p);
gboolean km5_decode_clock (GBytes *frame, Km5Stamp *stamp, GError **error);
gboolean km5_decode_floats (GBytes *frame, guint n, gfloat *values, GError **error);
gboolean km5_decode_header (GBytes *frame, Km5Header *header, GError **error);
gboolean km5_decode_bounds (GBytes *frame, Km5Bounds *bounds, GError **error);
gboolean km5_decode_found (GBytes *frame, Km5Found *found, GError **error);
gboolean km5_decode_error_line (GBytes *frame, Km5Stamp *stamp, GError **error);
gboolean km5_decode_line (GBytes *frame, Km5Line *line, GError **error);
gboolean km5_decode_status (GBytes *frame, guint8 status[8], GError **error);
gboolean km5_decode_version (GBytes *frame, gchar version[6], gchar type[5], GError **error);
const gchar *km5_status_name (guint index);
gboolean km5_status_is_flags (guint index);
gchar *km5_frame_to_json (const guint8 *data, gsize len, GError **error);

G_END_DECLS
