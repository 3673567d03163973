/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the GPRS handshake: the rule text and the modem's first bytes.
 * The input is RULE NUL BYTES; without a NUL it is both a rule and what a
 * modem sends to the `id` rule. Each rule that parses must print back to
 * itself, and a match must never claim more bytes than it was given, with
 * every prefix of the bytes as they would come off the socket.
 */
#include <lers.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* the handshake gives up after LERS_GPRS_HANDSHAKE_MAX_BYTES; past that
 * the prefixes add nothing but time */
#define MAX_PREFIXES 300

static void
fuzz_match (LersGprsHandshake *rule, const guint8 *bytes, gsize len)
{
  for (gsize n = 0; n <= MIN (len, MAX_PREFIXES); n++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree gchar *identity = NULL;
      gssize used = lers_gprs_handshake_match (rule, n > 0 ? bytes : NULL, n, &identity, &error);

      g_assert (used >= -1 && used <= (gssize) n);
      g_assert ((used > 0) == (identity != NULL));
      g_assert ((used < 0) == (error != NULL));
      if (identity != NULL)
        g_assert (strlen (identity) > 0 && strlen (identity) <= 64);
      if (used != 0)
        break;
    }
}

static void
fuzz_rule (const gchar *text, const guint8 *bytes, gsize len)
{
  g_autoptr (LersGprsHandshake) rule = lers_gprs_handshake_new_from_string (text, NULL);
  g_autoptr (LersGprsHandshake) again = NULL;
  g_autofree gchar *printed = NULL;
  g_autofree gchar *reprinted = NULL;

  if (rule == NULL)
    return;
  printed = lers_gprs_handshake_to_string (rule);
  again = lers_gprs_handshake_new_from_string (printed, NULL);
  g_assert (again != NULL);
  reprinted = lers_gprs_handshake_to_string (again);
  g_assert_cmpstr (printed, ==, reprinted);
  fuzz_match (rule, bytes, len);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static LersGprsHandshake *id;
  const guint8 *nul = size > 0 ? memchr (data, 0, size) : NULL;

  if (id == NULL)
    id = lers_gprs_handshake_new_from_string ("id", NULL);
  if (nul != NULL)
    {
      g_autofree gchar *text = g_strndup ((const gchar *) data, (gsize) (nul - data));
      gsize rest = size - (gsize) (nul - data) - 1;

      fuzz_rule (text, nul + 1, rest);
      fuzz_match (id, nul + 1, rest);
    }
  else
    {
      g_autofree gchar *text = g_strndup ((const gchar *) data, size);

      fuzz_rule (text, data, size);
      fuzz_match (id, data, size);
    }
  return 0;
}
