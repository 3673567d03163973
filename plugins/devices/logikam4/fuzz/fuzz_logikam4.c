/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the M4 decoders: the frame scanner and parser, the JSON rendering
 * of `lers decode logikam4`, the tagged elements, archive answers (also
 * the input as is, as the body after 61) and FastLZ.
 */
#include "logikam4-frame.h"
#include "logikam4-json.h"
#include "logikam4-tlv.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (M4Frame) frame = NULL;
  g_autoptr (M4ArchiveReply) reply = NULL;
  g_autoptr (GArray) items = NULL;
  g_autoptr (GBytes) plain = NULL;
  g_autofree gchar *json = NULL;
  gssize len;

  len = m4_frame_scan (data, size, NULL);
  g_assert (len <= (gssize) size);
  frame = m4_frame_parse (data, size, NULL);
  json = m4_json_decode (data, size, NULL);
  g_assert (frame != NULL || json == NULL);
  reply = m4_archive_reply_parse (data, size, NULL);
  if (reply != NULL)
    for (guint i = 0; i < reply->records->len; i++)
      {
        const M4ArchiveRecord *r = g_ptr_array_index (reply->records, i);

        for (guint j = 0; j < r->items->len; j++)
          {
            const M4Tlv *t = &g_array_index (r->items, M4Tlv, j);
            gdouble v;
            M4Date d;
            g_autofree gchar *text = NULL;

            m4_tlv_get_number (t, &v, NULL);
            m4_archdate_parse (t, &d, NULL);
            m4_tlv_flag_is_set (t, j);
            if (t->tag == M4_TAG_ASCII)
              text = m4_tlv_get_text (t);
          }
      }
  items = m4_tlv_parse_all (data, size, NULL);
  plain = m4_flz_decompress (data, size, NULL);
  if (plain != NULL)
    g_assert (g_bytes_get_size (plain) <= M4_FLZ_MAX_OUTPUT);
  return 0;
}
