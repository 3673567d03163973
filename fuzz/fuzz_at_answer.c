/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the AT answer parser of the dial-up modem transport: the input is
 * what a modem (or the noise on its line) sends. The parser is fed the
 * input as a stream, the way the transport's frame scanner sees it: every
 * prefix, then again from where each result line ends.
 */
#include "protocol/lers-at-answer.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  gsize offset = 0;

  /* what the scanner sees as bytes come: a result found in a prefix stays
   * the same result when more bytes follow */
  for (gsize n = 0; n <= size && n <= 512; n++)
    {
      gsize end = 0;
      guint speed = 0;
      LersAtResult r = lers_at_answer_parse (data, n, &end, &speed);

      g_assert (end <= n);
      if (r == LERS_AT_RESULT_NONE)
        g_assert (end == 0 && speed == 0);
      else
        {
          gsize end_all = 0;
          guint speed_all = 0;

          g_assert (end > 0);
          g_assert (r != LERS_AT_RESULT_RING);
          g_assert (lers_at_answer_parse (data, size, &end_all, &speed_all) == r);
          g_assert (speed_all == speed);
          g_assert (lers_at_result_to_string (r)[0] != '\0');
        }
    }

  /* one result after another, as a session goes */
  while (offset < size)
    {
      gsize end = 0;

      if (lers_at_answer_parse (data + offset, size - offset, &end, NULL) == LERS_AT_RESULT_NONE)
        break;
      g_assert (end > 0 && end <= size - offset);
      offset += end;
    }
  lers_at_answer_parse (NULL, 0, NULL, NULL);
  return 0;
}
