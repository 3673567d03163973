/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Private to liblers, its tests and fuzz targets: not in lers.h. */

#include <glib.h>

G_BEGIN_DECLS

/* A final result code of a Hayes (AT) modem, in verbose (V1) or numeric
 * (V0) form. */
typedef enum
{
  LERS_AT_RESULT_NONE, /* no complete result line yet */
  LERS_AT_RESULT_OK,
  LERS_AT_RESULT_CONNECT,
  LERS_AT_RESULT_RING,
  LERS_AT_RESULT_NO_CARRIER,
  LERS_AT_RESULT_ERROR,
  LERS_AT_RESULT_NO_DIALTONE,
  LERS_AT_RESULT_BUSY,
  LERS_AT_RESULT_NO_ANSWER,
} LersAtResult;

LersAtResult lers_at_answer_parse (const guint8 *data, gsize len, gsize *end, guint *speed);
const gchar *lers_at_result_to_string (LersAtResult result);

G_END_DECLS
