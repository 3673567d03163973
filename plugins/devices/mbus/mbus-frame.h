/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* C field values (EN 13757-2, 5.4) */
#define MBUS_C_SND_NKE 0x40
#define MBUS_C_SND_UD 0x53
#define MBUS_C_REQ_UD2 0x5B
#define MBUS_C_RSP_UD 0x08
#define MBUS_C_FCB 0x20
#define MBUS_C_FCV 0x10

/* A field values */
#define MBUS_ADDRESS_NETWORK_LAYER 0xFD
#define MBUS_ADDRESS_BROADCAST_REPLY 0xFE
#define MBUS_ADDRESS_BROADCAST 0xFF

/* CI field values (EN 13757-3, table 2) */
#define MBUS_CI_APPLICATION_RESET 0x50
#define MBUS_CI_DATA_SEND 0x51
#define MBUS_CI_SELECT 0x52
#define MBUS_CI_TIME_SYNC 0x6C
#define MBUS_CI_ERROR 0x70
#define MBUS_CI_RESPONSE_LONG 0x72
#define MBUS_CI_RESPONSE_FIXED 0x73
#define MBUS_CI_RESPONSE_NONE 0x78
#define MBUS_CI_RESPONSE_SHORT 0x7A

/**
 * MbusFrameKind:
 * @MBUS_FRAME_KIND_ACK: the single character `E5`
 * @MBUS_FRAME_KIND_SHORT: `10 C A CS 16`
 * @MBUS_FRAME_KIND_CONTROL: a long frame without user data (L = 3)
 * @MBUS_FRAME_KIND_LONG: `68 L L 68 C A CI data CS 16`
 *
 * The four link-layer frame formats of EN 13757-2.
 *
 * Since: 0.1
 */
typedef enum
{
  MBUS_FRAME_KIND_ACK,
  MBUS_FRAME_KIND_SHORT,
  MBUS_FRAME_KIND_CONTROL,
  MBUS_FRAME_KIND_LONG,
} MbusFrameKind;

/**
 * MbusFrame:
 * @kind: the frame format
 * @c: control field (0 for an ACK)
 * @a: address field (0 for an ACK)
 * @ci: control-information field (long and control frames)
 * @data: (nullable): the user data after CI, owned
 *
 * One link-layer frame.
 *
 * Since: 0.1
 */
typedef struct
{
  MbusFrameKind kind;
  guint8 c;
  guint8 a;
  guint8 ci;
  GBytes *data;
} MbusFrame;

void mbus_frame_free (MbusFrame *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MbusFrame, mbus_frame_free)

gssize mbus_frame_scan (const guint8 *buf, gsize len, GError **error);
MbusFrame *mbus_frame_parse (const guint8 *buf, gsize len, GError **error);
GBytes *mbus_frame_build_ack (void);
GBytes *mbus_frame_build_short (guint8 c, guint8 a);
GBytes *mbus_frame_build_long (guint8 c, guint8 a, guint8 ci, const guint8 *data, gsize len);
GBytes *mbus_frame_build_snd_nke (guint8 a);
GBytes *mbus_frame_build_req_ud2 (guint8 a, gboolean fcb);
GBytes *mbus_frame_build_select (const gchar *secondary_id);
GBytes *mbus_frame_build_select_mask (const gchar *mask);
GBytes *mbus_hex_to_bytes (const gchar *text, GError **error);

G_END_DECLS
