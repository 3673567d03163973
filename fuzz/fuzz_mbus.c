/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the M-Bus decoder: link-layer scan and parse, the application
 * layer, and the JSON rendering. The input is also wrapped, as is, in a
 * valid long frame so that the data decoder sees bytes past the checksum,
 * and read as a secondary address mask as a user types it (`lers scan mbus
 * LINK --secondary MASK`): a mask that is accepted must give a valid select.
 */
#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
fuzz_decode_frame (const MbusFrame *frame)
{
  g_autoptr (MbusData) decoded = NULL;
  g_autofree gchar *json = NULL;

  decoded = mbus_data_decode_frame (frame, NULL);
  if (decoded == NULL)
    return;
  json = mbus_json_render (decoded, FALSE);
  g_assert (json != NULL);
  for (guint i = 0; i < decoded->records->len; i++)
    {
      g_autoptr (GDateTime) t
          = mbus_record_dup_time_point (g_ptr_array_index (decoded->records, i));
      (void) t;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (MbusFrame) frame = NULL;
  g_autoptr (GBytes) wrapped = NULL;
  gssize len;

  /* as a stream: scan, then parse the frame found */
  len = mbus_frame_scan (data, size, NULL);
  if (len > 0 && (gsize) len <= size)
    {
      g_autoptr (MbusFrame) f = mbus_frame_parse (data, (gsize) len, NULL);
      if (f != NULL)
        fuzz_decode_frame (f);
    }

  /* as one whole frame */
  frame = mbus_frame_parse (data, size, NULL);
  if (frame != NULL)
    fuzz_decode_frame (frame);

  /* as application data: first byte is the CI, the rest its data */
  if (size >= 1)
    {
      g_autoptr (MbusFrame) f = NULL;
      gsize n = MIN (size - 1, 252);
      wrapped = mbus_frame_build_long (MBUS_C_RSP_UD, 1, data[0], n > 0 ? data + 1 : NULL, n);
      f = mbus_frame_parse (g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), NULL);
      g_assert (f != NULL);
      fuzz_decode_frame (f);
    }
  /* as a secondary address mask */
  {
    g_autofree gchar *text = g_strndup ((const gchar *) data, MIN (size, 32));
    g_autoptr (GBytes) select = mbus_frame_build_select_mask (text);

    if (select != NULL)
      {
        g_autoptr (MbusFrame) f
            = mbus_frame_parse (g_bytes_get_data (select, NULL), g_bytes_get_size (select), NULL);
        g_assert (f != NULL && f->ci == MBUS_CI_SELECT && g_bytes_get_size (f->data) == 8);
      }
  }
  return 0;
}
