/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* Magistral protocol M4 (РАЖГ.00293-33 §2): framing */
#define M4_SOH 0x10
#define M4_EF 0x16
#define M4_FRM 0x90
#define M4_NT_BROADCAST 0xFF
/* the longest message an M4 device takes or sends (944_d7 §4.2: 720 bytes) */
#define M4_MAX_BODY 720
/* a full frame: SOH NT FRM ID ATR DL_lo DL_hi body CRC_hi CRC_lo */
#define M4_FULL_HEADER 7

/* function codes (РАЖГ.00293-33 table 2) */
#define M4_FNC_ERROR 0x21
#define M4_FNC_SESSION 0x3F
#define M4_FNC_BAUD 0x42
#define M4_FNC_COUNT 0x4F
#define M4_FNC_ARCHIVE 0x61
#define M4_FNC_READ 0x72
#define M4_FNC_WRITE 0x77

/**
 * M4Frame:
 * @full: a full frame (CRC-16) rather than a short one (KS)
 * @nt: network address
 * @id: message id (full frames)
 * @atr: attributes (full frames)
 * @body: the message body: FNC then data
 *
 * One M4 frame, checked.
 */
typedef struct
{
  gboolean full;
  guint8 nt;
  guint8 id;
  guint8 atr;
  GBytes *body;
} M4Frame;

void m4_frame_free (M4Frame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (M4Frame, m4_frame_free)

guint16 m4_crc16 (const guint8 *data, gsize len);
guint8 m4_short_checksum (const guint8 *data, gsize len);

GBytes *m4_frame_build_full (guint8 nt, guint8 id, const guint8 *body, gsize body_len);
GBytes *m4_frame_build_short (guint8 nt, const guint8 *body, gsize body_len);

gssize m4_frame_scan (const guint8 *data, gsize len, GError **error);
gssize lers_logikam4_scan_frame (const guint8 *data, gsize len, gpointer user_data);
M4Frame *m4_frame_parse (const guint8 *data, gsize len, GError **error);
gboolean m4_frame_check_reply (const M4Frame *frame, guint8 nt, guint8 fnc, GError **error);

/* hex text with # comments → bytes: for the tests' vector and replay files
 * (the driver's decode_frame takes bytes; the CLI converts hex itself) */
GBytes *m4_hex_parse (const gchar *text, GError **error);

G_END_DECLS
