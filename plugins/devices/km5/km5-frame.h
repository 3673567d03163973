/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* КМ-5 / РМ-5 framing: BCD address, XOR and sum checksums, requests of 16
 * bytes, answers of 32 or 72, optionally byte-reversed ("backward"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KM5_REQUEST_LEN 16
#define KM5_SHORT_LEN 32
#define KM5_LONG_LEN 72
#define KM5_HEADER_LEN 5 /* address (4) + command */

enum
{
  KM5_CMD_ADDRESS = 0,
  KM5_CMD_STATUS = 8,
  KM5_CMD_VERSION = 9,
  KM5_CMD_IMMEDIATE = 44,
  KM5_CMD_DB_HEADER = 50,
  KM5_CMD_DB_BOUNDS = 51,
  KM5_CMD_DB_FIND = 52,
  KM5_CMD_DB_ERROR_LINE = 55,
  KM5_CMD_LINE_ABS = 64,
  KM5_CMD_LINE = 65,
};

/* the archives ("БД") by their number in commands 50, 51, 52, 65 */
enum
{
  KM5_DB_HOUR = 0,
  KM5_DB_DAY = 1,
  KM5_DB_MONTH = 2,
  KM5_DB_YEAR = 3,
  KM5_DB_ERRORS = 4,
};

gboolean km5_address_parse (const gchar *text, guint8 out[4], GError **error);
gchar *km5_address_format (const guint8 address[4]);
void km5_checksum (const guint8 *data, gsize len, guint8 *cs_xor, guint8 *cs_sum);
gsize km5_answer_length (guint8 command);
GBytes *km5_request_new (const guint8 address[4], guint8 command, const guint8 data[9],
                         gboolean backward);
void km5_reverse (guint8 *data, gsize len);
gboolean km5_frame_check (const guint8 *frame, gsize len, GError **error);
gboolean km5_answer_parse (GBytes *wire, const guint8 address[4], guint8 command, gboolean backward,
                           GBytes **frame, GError **error);
gssize km5_scan_answer (const guint8 *data, gsize len, gpointer user_data);

guint8 km5_bcd_to_uint (guint8 bcd, gboolean *ok);
guint8 km5_uint_to_bcd (guint value);
gfloat km5_read_float (const guint8 *p);
void km5_write_float (guint8 *p, gfloat value);
guint16 km5_read_u16 (const guint8 *p);

G_END_DECLS
