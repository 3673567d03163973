/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "mbus-frame.h"
#include "mbus-record.h"

G_BEGIN_DECLS

/**
 * MbusData:
 * @c: the frame's control field
 * @a: the frame's address field
 * @ci: the frame's control-information field
 * @has_id: whether @id, @manufacturer, @version and @medium are known (CI 72, 73)
 * @has_status: whether @access_number, @status and @signature are known
 * @is_fixed: a fixed-structure telegram (CI 73)
 * @id: identification number (the 8 BCD digits as a number)
 * @manufacturer: the three letters
 * @version: version field
 * @medium: medium field (EN 13757-3, table 3)
 * @access_number: access number
 * @status: status byte
 * @signature: signature (0 if unused)
 * @more_follows: the telegram ends with DIF 1F: ask again for the rest
 * @records: (element-type MbusRecord): the data records in frame order
 *
 * One decoded RSP_UD telegram.
 *
 * Since: 0.1
 */
typedef struct
{
  guint8 c;
  guint8 a;
  guint8 ci;
  gboolean has_id;
  gboolean has_status;
  gboolean is_fixed;
  guint32 id;
  gchar manufacturer[4];
  guint8 version;
  guint8 medium;
  guint8 access_number;
  guint8 status;
  guint16 signature;
  gboolean more_follows;
  GPtrArray *records;
} MbusData;

void mbus_data_free (MbusData *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MbusData, mbus_data_free)

MbusData *mbus_data_decode_frame (const MbusFrame *frame, GError **error);
MbusData *mbus_data_decode (const guint8 *buf, gsize len, GError **error);
const gchar *mbus_data_get_medium_name (guint8 medium);
gboolean mbus_decode_bcd (const guint8 *bytes, gsize n_bytes, gint64 *value);

G_END_DECLS
