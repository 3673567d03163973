/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* СПСеть (SPBus) frame, as Moisha/GMIO builds and parses it:
 * [FF FF] DLE SOH DAD SAD DLE ISI FNC DLE STX data DLE ETX CRC_hi CRC_lo;
 * CRC-16/XMODEM (poly 0x1021, init 0) over DAD … ETX. The data are ASCII
 * items, each after HT, groups ended by FF; DLE is not doubled. */
#define SPBUS_DLE 0x10
#define SPBUS_SOH 0x01
#define SPBUS_ISI 0x1F
#define SPBUS_STX 0x02
#define SPBUS_ETX 0x03
#define SPBUS_HT 0x09
#define SPBUS_FF 0x0C
#define SPBUS_FRAME_MIN 13
#define SPBUS_FRAME_MAX 65536
/* the highest device address: LogikaPython's BusAddress lists 0–31 for
 * devices (and 128 + n, whose meaning no source states: not accepted) */
#define SPBUS_ADDRESS_MAX 31

typedef enum
{
  SPBUS_FNC_VALUE = 0x03,           /* answer to 0x1D (and: write a parameter) */
  SPBUS_FNC_READ_INDEX = 0x0C,      /* read an indexed parameter */
  SPBUS_FNC_READ_ARRAY = 0x0E,      /* read a time array (archive) */
  SPBUS_FNC_INDEX_VALUE = 0x14,     /* answer to 0x0C */
  SPBUS_FNC_ARRAY = 0x16,           /* answer to 0x0E */
  SPBUS_FNC_READ_SLICE = 0x18,      /* read a slice of an archive */
  SPBUS_FNC_READ_SLICE_DESC = 0x19, /* its descriptor */
  SPBUS_FNC_READ_PARAM = 0x1D,      /* read a parameter */
  SPBUS_FNC_SLICE = 0x20,
  SPBUS_FNC_SLICE_DESC = 0x21,
  SPBUS_FNC_WRITE_RESULT = 0x7F,
  SPBUS_FNC_HANG_UP = 0x82,
} SpbusFunction;

typedef struct
{
  guint8 dad;
  guint8 sad;
  guint8 fnc;
  guint16 crc;
  const guint8 *data; /* between DLE STX and DLE ETX, into the parsed buffer */
  gsize data_len;
  gsize preamble; /* FF bytes before DLE SOH */
} SpbusFrame;

/* one field of a date group: dd mm yyyy hh mm ss */
typedef struct
{
  guint year, month, day, hour, minute, second;
} SpbusTime;

/* an archive record of a time array answer */
typedef struct
{
  gchar *value;
  gchar *units; /* UTF-8 (from CP866) */
  SpbusTime stamp;
} SpbusArrayRecord;

guint16 spbus_crc16 (const guint8 *data, gsize len);
GBytes *spbus_frame_build (guint8 dad, guint8 sad, guint8 fnc, const guint8 *data, gsize len,
                           gboolean preamble);
gssize spbus_frame_scan (const guint8 *data, gsize len, gpointer user_data);
gboolean spbus_frame_parse (const guint8 *data, gsize len, SpbusFrame *frame, GError **error);
const gchar *spbus_function_name (guint8 fnc);

/* data groups: a GPtrArray (groups) of GPtrArray (items, NUL-ended raw bytes) */
GPtrArray *spbus_data_split (const guint8 *data, gsize len, GError **error);
gboolean spbus_item_uint (const gchar *item, guint *out);
gboolean spbus_value_parse (const gchar *text, gdouble *value);
gchar *spbus_units_to_utf8 (const gchar *cp866);
gboolean spbus_stamp_parse (const gchar *text, SpbusTime *t);

/* requests */
GBytes *spbus_request_read_param (guint8 address, guint channel, guint param);
GBytes *spbus_request_read_array (guint8 address, guint channel, guint param, const SpbusTime *from,
                                  const SpbusTime *to);
GBytes *spbus_request_read_index (guint8 address, guint channel, guint param, guint start,
                                  guint count);
GBytes *spbus_request_slice_desc (guint8 address, guint channel, guint param);
GBytes *spbus_request_slice (guint8 address, guint channel, guint param, const SpbusTime *at);

/* answers */
gboolean spbus_decode_head (const SpbusFrame *frame, GPtrArray *groups, guint8 fnc, guint *channel,
                            guint *param, GError **error);
gboolean spbus_decode_value (const SpbusFrame *frame, guint *channel, guint *param, gchar **value,
                             gchar **units, GError **error);
GArray *spbus_decode_array (const SpbusFrame *frame, guint *channel, guint *param, GError **error);
void spbus_array_record_clear (SpbusArrayRecord *r);

gchar *spbus_frame_to_json (const guint8 *data, gsize len, GError **error);
GBytes *spbus_hex_to_bytes (const gchar *text, GError **error);

G_END_DECLS
