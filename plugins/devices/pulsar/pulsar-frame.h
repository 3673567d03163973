/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* Pulsar-M frame: ADDR (4 bytes BCD, most significant first), FN, LEN (the
 * whole frame), payload, ID (u16 LE, echoed), CRC-16/MODBUS (LE) */
#define PULSAR_FRAME_MIN 10
#define PULSAR_FRAME_MAX 255
#define PULSAR_PAYLOAD_MAX (PULSAR_FRAME_MAX - PULSAR_FRAME_MIN)
#define PULSAR_MAX_CHANNELS 32
/* 10 + 4·n payload bytes of an archive answer within 255 − 10 */
#define PULSAR_ARCHIVE_MAX_RECORDS 58

typedef enum
{
  PULSAR_FN_ERROR = 0x00,
  PULSAR_FN_READ_CHANNELS = 0x01,
  PULSAR_FN_READ_CLOCK = 0x04,
  PULSAR_FN_WRITE_CLOCK = 0x05,
  PULSAR_FN_READ_ARCHIVE = 0x06,
  PULSAR_FN_READ_WEIGHTS = 0x07,
  PULSAR_FN_READ_PARAMETER = 0x0A,
} PulsarFunction;

typedef enum
{
  PULSAR_ARCHIVE_HOUR = 1,
  PULSAR_ARCHIVE_DAY = 2,
  PULSAR_ARCHIVE_MONTH = 3,
} PulsarArchiveType;

/* archive values that are not readings */
#define PULSAR_NO_DATA 0xFFFFFFF1u
#define PULSAR_NO_POWER 0xFFFFFFF0u

/* parameter 0x0006, diagnostics flags: ERR_F of the 2012 description
 * (0x04 EEPROM write error, 0x08 negative value in a channel); the 2021
 * specification lists bit 0 as "character error in the channel(s)", read
 * here as the sign error (Russian «знак» is both "sign" and "character") */
#define PULSAR_PARAM_DIAGNOSTICS 0x0006
#define PULSAR_DIAG_SIGN_2021 0x01
#define PULSAR_DIAG_EEPROM 0x04
#define PULSAR_DIAG_NEGATIVE 0x08

typedef struct
{
  guint32 address; /* decimal, 0..99999999 */
  guint8 function;
  guint16 id;
  const guint8 *payload; /* points into the parsed buffer */
  gsize payload_len;
} PulsarFrame;

/* a DATETIME: wall-clock fields of the meter; all 0xFF = none */
typedef struct
{
  guint year; /* full year */
  guint month, day, hour, minute, second;
} PulsarTime;

guint16 pulsar_crc16 (const guint8 *data, gsize len);
gboolean pulsar_address_parse (const gchar *text, guint32 *address, GError **error);
void pulsar_put_address (guint8 out[4], guint32 address);
gboolean pulsar_get_address (const guint8 in[4], guint32 *address);

GBytes *pulsar_frame_build (guint32 address, guint8 function, const guint8 *payload,
                            gsize payload_len, guint16 id);
gboolean pulsar_frame_parse (const guint8 *data, gsize len, PulsarFrame *frame, GError **error);
gssize pulsar_frame_scan (const guint8 *data, gsize len, gpointer user_data);
gboolean pulsar_frame_check_error (const PulsarFrame *frame, GError **error);
const gchar *pulsar_error_text (guint8 code);

void pulsar_time_put (guint8 out[6], const PulsarTime *t);
gboolean pulsar_time_get (const guint8 in[6], PulsarTime *t, GError **error);
gboolean pulsar_time_is_none (const guint8 in[6]);
GDateTime *pulsar_time_to_date_time (const PulsarTime *t, GTimeZone *zone);
void pulsar_time_from_date_time (GDateTime *time, PulsarTime *t);

/* requests */
GBytes *pulsar_request_read_channels (guint32 address, guint32 mask, guint16 id);
GBytes *pulsar_request_read_clock (guint32 address, guint16 id);
GBytes *pulsar_request_write_clock (guint32 address, const PulsarTime *t, guint16 id);
GBytes *pulsar_request_read_archive (guint32 address, guint channel, PulsarArchiveType type,
                                     const PulsarTime *start, const PulsarTime *end, guint16 id);
GBytes *pulsar_request_read_parameter (guint32 address, guint16 index, guint16 id);

/* answers' payloads */
gboolean pulsar_decode_channels (const PulsarFrame *frame, guint n_channels, gdouble *values,
                                 GError **error);
gboolean pulsar_decode_archive (const PulsarFrame *frame, guint channel, const PulsarTime *start,
                                GArray *raw, GError **error);
gboolean pulsar_decode_write_status (const PulsarFrame *frame, GError **error);
gfloat pulsar_float_from_bits (guint32 bits);
guint32 pulsar_float_to_bits (gfloat value);

gchar *pulsar_frame_to_json (const guint8 *data, gsize len, GError **error);
GBytes *pulsar_hex_to_bytes (const gchar *text, GError **error);

G_END_DECLS
