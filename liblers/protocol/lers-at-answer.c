/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "protocol/lers-at-answer.h"

/* The AT answer parser: pure, bounds-checked, fuzzed (fuzz/fuzz_at_answer.c).
 *
 * A modem answers a command with lines ended by CR, LF or both: the echo of
 * the command (while E1), information lines, noise from the line, and one
 * final result code. RING is unsolicited and never final. */

#define MAX_SPEED 100000000u

static const struct
{
  const gchar *word;
  guint number; /* V0 form */
  LersAtResult result;
} results[] = {
  { "OK", 0, LERS_AT_RESULT_OK },
  { "CONNECT", 1, LERS_AT_RESULT_CONNECT },
  { "RING", 2, LERS_AT_RESULT_RING },
  { "NO CARRIER", 3, LERS_AT_RESULT_NO_CARRIER },
  { "ERROR", 4, LERS_AT_RESULT_ERROR },
  { "NO DIALTONE", 6, LERS_AT_RESULT_NO_DIALTONE },
  { "NO DIAL TONE", 6, LERS_AT_RESULT_NO_DIALTONE },
  { "BUSY", 7, LERS_AT_RESULT_BUSY },
  { "NO ANSWER", 8, LERS_AT_RESULT_NO_ANSWER },
};

/* the speed after CONNECT: "CONNECT 9600", "CONNECT 9600/V110", "CONNECT
 * 14400/ARQ"; 0 when none */
static guint
parse_speed (const guint8 *p, gsize len)
{
  guint64 speed = 0;
  gsize i = 0;

  while (i < len && p[i] == ' ')
    i++;
  for (; i < len && p[i] >= '0' && p[i] <= '9'; i++)
    {
      speed = speed * 10 + (guint) (p[i] - '0');
      if (speed > MAX_SPEED)
        return 0;
    }
  return (guint) speed;
}

/* classifies one line (without its terminator) */
static LersAtResult
classify (const guint8 *line, gsize len, guint *speed)
{
  /* trailing spaces, as some modems send them */
  while (len > 0 && line[len - 1] == ' ')
    len--;
  if (len == 0)
    return LERS_AT_RESULT_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      gsize wlen = strlen (results[i].word);

      if (len < wlen || memcmp (line, results[i].word, wlen) != 0)
        continue;
      if (len == wlen)
        {
          *speed = 0;
          return results[i].result;
        }
      /* only CONNECT carries more on its line */
      if (results[i].result == LERS_AT_RESULT_CONNECT && line[wlen] == ' ')
        {
          *speed = parse_speed (line + wlen, len - wlen);
          return LERS_AT_RESULT_CONNECT;
        }
    }
  /* numeric result codes (V0): one or two digits, then the terminator */
  if (len <= 2 && line[0] >= '0' && line[0] <= '9'
      && (len == 1 || (line[1] >= '0' && line[1] <= '9')))
    {
      guint number = line[0] - '0';

      if (len == 2)
        number = number * 10 + (guint) (line[1] - '0');
      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        if (results[i].number == number)
          {
            *speed = 0;
            return results[i].result;
          }
    }
  return LERS_AT_RESULT_NONE;
}

/**
 * lers_at_answer_parse:
 * @data: (array length=len): what the modem sent so far
 * @len: its length
 * @end: (out) (optional): where the bytes after the result line start
 * @speed: (out) (optional): for CONNECT, the speed it named (0 for none)
 *
 * Finds the first complete final result line in @data, skipping echo,
 * information lines, RING and noise.
 *
 * Returns: the result; %LERS_AT_RESULT_NONE while no complete one came
 */
LersAtResult
lers_at_answer_parse (const guint8 *data, gsize len, gsize *end, guint *speed)
{
  gsize start = 0;

  if (end != NULL)
    *end = 0;
  if (speed != NULL)
    *speed = 0;
  if (data == NULL)
    return LERS_AT_RESULT_NONE;
  for (gsize i = 0; i < len; i++)
    {
      LersAtResult result;
      guint line_speed = 0;
      gsize line_start = start;

      if (data[i] != '\r' && data[i] != '\n')
        continue;
      result = classify (data + line_start, i - line_start, &line_speed);
      start = i + 1;
      if (result == LERS_AT_RESULT_NONE || result == LERS_AT_RESULT_RING)
        continue;
      /* CONNECT in words ends with CR LF and data follows at once: wait for
       * the LF rather than hand it on as data (numeric codes end with CR) */
      if (result == LERS_AT_RESULT_CONNECT && data[i] == '\r' && i + 1 == len
          && data[line_start] == 'C')
        return LERS_AT_RESULT_NONE;
      /* the LF of a CR LF pair belongs to the result line */
      if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
        start = i + 2;
      if (end != NULL)
        *end = start;
      if (speed != NULL)
        *speed = line_speed;
      return result;
    }
  return LERS_AT_RESULT_NONE;
}

/**
 * lers_at_result_to_string:
 * @result: a result
 *
 * Returns: the modem's word for @result, as it sends it
 */
const gchar *
lers_at_result_to_string (LersAtResult result)
{
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    if (results[i].result == result)
      return results[i].word;
  return "";
}
