/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* pseudo-registers ("начальный адрес") of the ВКТ-7 protocol, §4 */
#define VKT7_REG_LIST 0x3FFF    /* write: session start or read-list */
#define VKT7_REG_TYPE 0x3FFD    /* write: value type */
#define VKT7_REG_DATE 0x3FFB    /* write: archive date; read: clock */
#define VKT7_REG_DATA 0x3FFE    /* read: data */
#define VKT7_REG_ACTIVE 0x3FFC  /* read: active element list */
#define VKT7_REG_SERVICE 0x3FF9 /* read: service information */
#define VKT7_REG_RANGE 0x3FF6   /* read: archive date range */
#define VKT7_REG_SCHEME1 0x3ECD /* read: measurement scheme of ТВ1 */
#define VKT7_REG_SCHEME2 0x3F5B /* read: measurement scheme of ТВ2 */

#define VKT7_FN_READ 0x03
#define VKT7_FN_WRITE 0x10
#define VKT7_MAX_FRAME 264

/* exception codes the document names (§4.2–4.14) */
#define VKT7_EXC_NO_ELEMENT 2
#define VKT7_EXC_NO_ARCHIVE 3
#define VKT7_EXC_SCHEME_CHANGED 5
#define VKT7_EXC_NOT_REMOTE 7

typedef struct
{
  guint8 address;
  guint8 function;    /* without the exception bit */
  gboolean exception; /* the reply had bit 7 of the function set */
  guint8 code;        /* exception code */
  guint16 reg;        /* write echo / request: start address */
  guint16 count;      /* write echo / request: register count */
  const guint8 *data; /* read reply / write request: the data section */
  gsize data_len;
} Vkt7Frame;

guint16 vkt7_crc16 (const guint8 *data, gsize len);
GBytes *vkt7_build_read (guint8 address, guint16 reg, guint16 count);
GBytes *vkt7_build_write (guint8 address, guint16 reg, const guint8 *data, gsize len);
GBytes *vkt7_build_write_n (guint8 address, guint16 reg, guint8 byte_count, const guint8 *data,
                            gsize len);
GBytes *vkt7_build_reply (guint8 address, guint8 function, const guint8 *data, gsize len);
GBytes *vkt7_build_exception (guint8 address, guint8 function, guint8 code);
GBytes *vkt7_build_write_ack (guint8 address, guint16 reg, guint16 count);
GBytes *vkt7_with_wakeup (GBytes *frame);

gssize vkt7_scan_reply (const guint8 *data, gsize len);
gssize vkt7_scan_request (const guint8 *data, gsize len);
gboolean vkt7_parse_reply (const guint8 *data, gsize len, Vkt7Frame *out, GError **error);
gboolean vkt7_parse_request (const guint8 *data, gsize len, Vkt7Frame *out, GError **error);
const gchar *vkt7_exception_text (guint8 code);

GBytes *vkt7_hex_to_bytes (const gchar *text, GError **error);

G_END_DECLS
