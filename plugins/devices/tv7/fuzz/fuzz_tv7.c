/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ТВ7 reply and request parsers and the block decoders over any bytes. */
#include <lers.h>

#include "tv7-data.h"
#include "tv7-frame.h"
#include "tv7-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  g_autoptr (Tv7Frame) reply = tv7_reply_parse (data, size, NULL);
  g_autoptr (Tv7Frame) request = tv7_request_parse (data, size, NULL);
  g_autofree gchar *json = tv7_json_decode (data, size, NULL);
  Tv7Current cur;
  Tv7Totals tot;
  Tv7Archive arc;
  Tv7Clock clock;

  Tv7Expect expect = { 6, 0 };

  tv7_reply_scan (data, size, NULL);
  /* the session's scanner: a clock read's answer, 6 bytes, ID 0 */
  tv7_reply_scan_expect (data, size, &expect);
  tv7_request_scan (data, size);
  tv7_clock_decode (data, size, &clock, NULL);
  tv7_current_decode (data, size, &cur, NULL);
  tv7_totals_decode (data, size, &tot, NULL);
  tv7_archive_decode (data, size, &arc, NULL);
  if (reply != NULL)
    {
      gsize n = 0;
      const guint8 *d = g_bytes_get_data (reply->data, &n);
      tv7_archive_decode (d, n, &arc, NULL);
      tv7_current_decode (d, n, &cur, NULL);
    }
  return 0;
}
