/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* ТВ7 framing: Modbus RTU with CRC-16/MODBUS (low byte first) and the
 * vendor's memory-block function 0x48. See README.md for what rests on
 * which source. */

#define TV7_FN_BLOCK 0x48
#define TV7_FN_ERROR 0xC8 /* 0x48 | 0x80: error, or "no record" after an archive request */

#define TV7_ADDR_CURRENT 0x1E88 /* clock (3 words) and instantaneous values */
#define TV7_ADDR_TOTALS 0x1D88  /* totals (doubles) and time counters */
#define TV7_ADDR_ARCHIVE 0x1B88 /* the archive record the last request chose */
#define TV7_ADDR_ARCHIVE_REQUEST 0x0063

#define TV7_WORDS_CLOCK 0x03
#define TV7_WORDS_CURRENT 0x89
#define TV7_WORDS_ARCHIVE 0x8E
#define TV7_WORDS_ARCHIVE_REQUEST 0x06

#define TV7_REQUEST_HEADER 14 /* addr fn rs(2) rc(2) ws(2) wc(2) bc(2) id(2) */
#define TV7_REPLY_HEADER 6    /* addr fn bc(2) id(2) */
#define TV7_MAX_FRAME 600

typedef enum
{
  TV7_ARCHIVE_HOUR = 0,
  TV7_ARCHIVE_DAY = 1,
  TV7_ARCHIVE_MONTH = 2,
} Tv7ArchiveType;

/* a parsed frame: a request (as the simulator sees it) or a reply */
typedef struct
{
  guint8 address;
  guint8 function;
  /* requests */
  guint16 read_start;
  guint16 read_words;
  guint16 write_start;
  guint16 write_words;
  guint16 request_id;
  /* replies: the error code of a 0xC8 reply */
  guint8 error_code;
  /* write data of a request, data of a reply */
  GBytes *data;
} Tv7Frame;

void tv7_frame_free (Tv7Frame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tv7Frame, tv7_frame_free)

guint16 tv7_crc16 (const guint8 *data, gsize len);

GBytes *tv7_request_read (guint8 address, guint16 start, guint16 words, guint16 request_id);
GBytes *tv7_request_archive (guint8 address, Tv7ArchiveType type, guint month, guint day,
                             guint hour, guint year, guint16 request_id);
GBytes *tv7_reply_new (guint8 address, guint16 request_id, const guint8 *data, gsize len);
GBytes *tv7_reply_error (guint8 address, guint8 function, guint8 code);

gssize tv7_reply_scan (const guint8 *data, gsize len, gpointer user_data);

/* what the answer to one request must carry: 2·RC data bytes, its ID */
typedef struct
{
  gsize bytes;
  guint16 request_id;
} Tv7Expect;

gboolean tv7_expect_for_request (GBytes *request, Tv7Expect *expect);
gssize tv7_reply_scan_expect (const guint8 *data, gsize len, gpointer expect);
gssize tv7_request_scan (const guint8 *data, gsize len);

Tv7Frame *tv7_reply_parse (const guint8 *data, gsize len, GError **error);
Tv7Frame *tv7_request_parse (const guint8 *data, gsize len, GError **error);

/* word-swapped IEEE values as the ТВ7 sends them */
gdouble tv7_get_float (const guint8 *p);
gdouble tv7_get_double (const guint8 *p);
guint16 tv7_get_u16 (const guint8 *p);
void tv7_put_float (guint8 *p, gdouble value);
void tv7_put_double (guint8 *p, gdouble value);
void tv7_put_u16 (guint8 *p, guint16 value);

GBytes *tv7_hex_to_bytes (const gchar *text, GError **error);
gboolean tv7_looks_like_hex (const guint8 *data, gsize len);

G_END_DECLS
