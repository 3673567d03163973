/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logika "4L" framing: 10 NT FNC data KS 16, KS = ~Σ(NT..data) low byte;
 * the extended form 10 NT 90 ID ATR DL0 DL1 data CRC1 CRC0; the Logika
 * float; request builders. See README.md for the sources. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define L4L_START 0x10
#define L4L_END 0x16
#define L4L_NT_ANY 0xFF

#define L4L_FNC_SESSION 0x3F
#define L4L_FNC_FLASH 0x45
#define L4L_FNC_RAM 0x52
#define L4L_FNC_WRITE 0x44
#define L4L_FNC_HOUR 0x48
#define L4L_FNC_DAY 0x59
#define L4L_FNC_MONTH 0x4D
#define L4L_FNC_BAUD 0x42
#define L4L_FNC_ERROR 0x21
#define L4L_FNC_EXTENDED 0x90

#define L4L_MAX_DATA 68
#define L4L_PAGE 64

typedef struct
{
  guint8 nt;
  guint8 fnc;
  guint8 data[L4L_MAX_DATA];
  gsize len;
} L4lFrame;

guint8 l4l_checksum (const guint8 *bytes, gsize len);
guint16 l4l_crc16 (const guint8 *bytes, gsize len);

GBytes *l4l_build_request (guint8 nt, guint8 fnc, guint8 f1, guint8 f2, guint8 f3, guint8 f4);
GBytes *l4l_build_frame (guint8 nt, guint8 fnc, const guint8 *data, gsize len);
GBytes *l4l_build_session (guint8 nt, guint8 channel, gboolean preamble);

/* how many data bytes the answer to @fnc has (the error reply aside) */
gssize l4l_scan (const guint8 *bytes, gsize len, gsize expected_data);
gboolean l4l_parse (const guint8 *bytes, gsize len, L4lFrame *frame, GError **error);
gboolean l4l_parse_answer (const guint8 *bytes, gsize len, guint8 nt, guint8 fnc,
                           gsize expected_data, L4lFrame *frame, GError **error);

/* extended format (prot943 §2.4): data = FNC + the basic data block */
gssize l4l_scan_extended (const guint8 *bytes, gsize len);
gboolean l4l_parse_extended (const guint8 *bytes, gsize len, L4lFrame *frame, guint8 *id,
                             GError **error);

gdouble l4l_float (const guint8 *b);
void l4l_float_encode (gdouble value, guint8 *b);
gboolean l4l_float_is_valid (const guint8 *b);

G_END_DECLS
