/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "protocol/lers-gprs-handshake.h"

/**
 * LersGprsHandshake:
 *
 * How a GPRS modem that called in says who it is: a rule written as text,
 * so that it lives in a connection's settings or a config file.
 *
 * - `id` — the modem sends an identification line on connect: `IMEI:` or
 *   `IMEI=` and the IMEI (Teleofis, iRZ), or the bare ID. The line ends at
 *   CR, LF or NUL; a bare or `IMEI:` run of exactly 15 digits needs no end
 *   (modems that send the IMEI alone). The identity is the line without
 *   the `IMEI:` prefix.
 * - `id:PREFIX` — the modem sends PREFIX, then its ID, then CR, LF or NUL;
 *   the identity is the ID.
 * - `regex:PATTERN` — the identity is the first capture group of
 *   PATTERN in what the modem sends first. The pattern is tried as bytes
 *   come, and a match that more bytes could still change waits for them:
 *   `ID=(\w+)` waits for the byte after the last word character.
 * - `request:HEX;answer-regex:PATTERN` — we send the bytes HEX (spaces
 *   between bytes allowed) and the identity is the first capture group of
 *   PATTERN in the answer.
 *
 * An identity is 1 to 64 printable ASCII characters without spaces.
 *
 * Since: 0.3
 */

typedef enum
{
  RULE_ID,
  RULE_REGEX,
  RULE_REQUEST,
} RuleKind;

struct _LersGprsHandshake
{
  gatomicrefcount ref_count;
  RuleKind kind;
  gchar *prefix;  /* RULE_ID, nullable */
  gchar *pattern; /* RULE_REGEX, RULE_REQUEST */
  GRegex *regex;
  GBytes *request; /* RULE_REQUEST */
};

#define MAX_IDENTITY 64
#define IMEI_DIGITS 15

G_DEFINE_BOXED_TYPE (LersGprsHandshake, lers_gprs_handshake, lers_gprs_handshake_ref,
                     lers_gprs_handshake_unref)

/**
 * lers_gprs_handshake_ref:
 * @self: a #LersGprsHandshake
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.3
 */
LersGprsHandshake *
lers_gprs_handshake_ref (LersGprsHandshake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * lers_gprs_handshake_unref:
 * @self: (transfer full): a #LersGprsHandshake
 *
 * Since: 0.3
 */
void
lers_gprs_handshake_unref (LersGprsHandshake *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->prefix);
  g_free (self->pattern);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_clear_pointer (&self->request, g_bytes_unref);
  g_free (self);
}

static gboolean
is_identity_char (guint8 c)
{
  return c > 0x20 && c < 0x7f;
}

static gboolean
compile_pattern (LersGprsHandshake *self, const gchar *pattern, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (*pattern == '\0')
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The handshake rule has an empty pattern"));
      return FALSE;
    }
  self->regex = g_regex_new (pattern, G_REGEX_RAW, 0, &local_error);
  if (self->regex == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The handshake pattern is not valid: %s"), local_error->message);
      return FALSE;
    }
  if (g_regex_get_capture_count (self->regex) < 1)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The handshake pattern has no group in parentheses for the identity"));
      return FALSE;
    }
  self->pattern = g_strdup (pattern);
  return TRUE;
}

static GBytes *
parse_hex (const gchar *hex, gsize len, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  gint high = -1;

  for (gsize i = 0; i < len; i++)
    {
      gint v;

      if (hex[i] == ' ')
        {
          if (high >= 0)
            break; /* a byte split by a space */
          continue;
        }
      v = g_ascii_xdigit_value (hex[i]);
      if (v < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("The handshake request is not hexadecimal bytes"));
          return NULL;
        }
      if (high < 0)
        high = v;
      else
        {
          guint8 b = (guint8) ((high << 4) | v);
          g_byte_array_append (bytes, &b, 1);
          high = -1;
        }
    }
  if (high >= 0 || bytes->len == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The handshake request is not hexadecimal bytes"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * lers_gprs_handshake_new_from_string:
 * @text: a rule: `id`, `id:PREFIX`, `regex:PATTERN` or
 *   `request:HEX;answer-regex:PATTERN`
 * @error: return location for a #GError
 *
 * Parses a handshake rule (see #LersGprsHandshake). A rule that cannot
 * work is %LERS_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with @error set
 *
 * Since: 0.3
 */
LersGprsHandshake *
lers_gprs_handshake_new_from_string (const gchar *text, GError **error)
{
  g_autoptr (LersGprsHandshake) self = NULL;
  g_autofree gchar *rule = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  rule = g_strstrip (g_strdup (text));
  self = g_new0 (LersGprsHandshake, 1);
  g_atomic_ref_count_init (&self->ref_count);
  if (g_strcmp0 (rule, "id") == 0)
    {
      self->kind = RULE_ID;
      return g_steal_pointer (&self);
    }
  if (g_str_has_prefix (rule, "id:"))
    {
      const gchar *prefix = rule + strlen ("id:");

      for (const gchar *p = prefix; *p != '\0'; p++)
        if (!is_identity_char ((guint8) *p))
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                         _ ("The handshake prefix must be printable characters without spaces"));
            return NULL;
          }
      if (*prefix == '\0')
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("The handshake rule “id:” needs a prefix"));
          return NULL;
        }
      self->kind = RULE_ID;
      self->prefix = g_strdup (prefix);
      return g_steal_pointer (&self);
    }
  if (g_str_has_prefix (rule, "regex:"))
    {
      self->kind = RULE_REGEX;
      if (!compile_pattern (self, rule + strlen ("regex:"), error))
        return NULL;
      return g_steal_pointer (&self);
    }
  if (g_str_has_prefix (rule, "request:"))
    {
      const gchar *hex = rule + strlen ("request:");
      const gchar *semicolon = strchr (hex, ';');

      self->kind = RULE_REQUEST;
      if (semicolon == NULL || !g_str_has_prefix (semicolon + 1, "answer-regex:"))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("The handshake rule “request:” needs “;answer-regex:” after the bytes"));
          return NULL;
        }
      self->request = parse_hex (hex, (gsize) (semicolon - hex), error);
      if (self->request == NULL)
        return NULL;
      if (!compile_pattern (self, semicolon + 1 + strlen ("answer-regex:"), error))
        return NULL;
      return g_steal_pointer (&self);
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
               _ ("Unknown handshake rule “%s”: expected id, id:PREFIX, regex:PATTERN or "
                  "request:HEX;answer-regex:PATTERN"),
               rule);
  return NULL;
}

/**
 * lers_gprs_handshake_to_string:
 * @self: a #LersGprsHandshake
 *
 * Returns: (transfer full): the rule as text that
 *   lers_gprs_handshake_new_from_string() reads back
 *
 * Since: 0.3
 */
gchar *
lers_gprs_handshake_to_string (LersGprsHandshake *self)
{
  GString *text;

  g_return_val_if_fail (self != NULL, NULL);
  switch (self->kind)
    {
    case RULE_REGEX:
      return g_strconcat ("regex:", self->pattern, NULL);
    case RULE_REQUEST:
      {
        gsize len;
        const guint8 *data = g_bytes_get_data (self->request, &len);

        text = g_string_new ("request:");
        for (gsize i = 0; i < len; i++)
          g_string_append_printf (text, "%02X", data[i]);
        g_string_append (text, ";answer-regex:");
        g_string_append (text, self->pattern);
        return g_string_free (text, FALSE);
      }
    case RULE_ID:
    default:
      return self->prefix != NULL ? g_strconcat ("id:", self->prefix, NULL) : g_strdup ("id");
    }
}

/**
 * lers_gprs_handshake_get_request:
 * @self: a #LersGprsHandshake
 *
 * Returns: (transfer none) (nullable): what to send the modem before it
 *   answers with its identity; %NULL when the modem speaks first
 *
 * Since: 0.3
 */
GBytes *
lers_gprs_handshake_get_request (LersGprsHandshake *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->request;
}

static gssize
need_more (gsize len, GError **error)
{
  if (len < LERS_GPRS_HANDSHAKE_MAX_BYTES)
    return 0;
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               _ ("The modem sent %u bytes without identifying itself"),
               (guint) LERS_GPRS_HANDSHAKE_MAX_BYTES);
  return -1;
}

static gboolean
take_identity (const guint8 *data, gsize len, gchar **identity, GError **error)
{
  if (len == 0 || len > MAX_IDENTITY)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("The modem's identity must be 1 to %u characters long"), MAX_IDENTITY);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!is_identity_char (data[i]))
      {
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                     _ ("The modem's identity has a character that is not printable"));
        return FALSE;
      }
  *identity = g_strndup ((const gchar *) data, len);
  return TRUE;
}

static gboolean
all_digits (const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (data[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_line_end (guint8 c)
{
  return c == '\r' || c == '\n' || c == '\0';
}

static gssize
match_id (LersGprsHandshake *self, const guint8 *data, gsize len, gchar **identity, GError **error)
{
  gsize start = 0, end, body;

  /* modems often begin with an empty line */
  while (start < len && (is_line_end (data[start]) || data[start] == ' '))
    start++;
  for (end = start; end < len && !is_line_end (data[end]); end++)
    ;
  body = start;
  if (self->prefix != NULL)
    {
      gsize plen = strlen (self->prefix);
      gsize have = MIN (plen, len - start);

      if ((have > 0 && memcmp (data + start, self->prefix, have) != 0)
          || (end < len && end - start < plen))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("The modem's identification does not start with “%s”"), self->prefix);
          return -1;
        }
      if (have < plen)
        return need_more (len, error);
      body = start + plen;
    }
  else if (end - start >= 5 && g_ascii_strncasecmp ((const gchar *) data + start, "IMEI", 4) == 0
           && (data[start + 4] == ':' || data[start + 4] == '='))
    body = start + 5;

  if (end == len)
    {
      /* no line end yet: an IMEI is complete at 15 digits */
      if (self->prefix == NULL && end - body == IMEI_DIGITS
          && all_digits (data + body, IMEI_DIGITS))
        {
          if (!take_identity (data + body, IMEI_DIGITS, identity, error))
            return -1;
          return (gssize) end;
        }
      return need_more (len, error);
    }
  if (!take_identity (data + body, end - body, identity, error))
    return -1;
  end++;
  if (data[end - 1] == '\r' && end < len && data[end] == '\n')
    end++;
  return (gssize) end;
}

static gssize
match_regex (LersGprsHandshake *self, const guint8 *data, gsize len, gchar **identity,
             GError **error)
{
  g_autoptr (GMatchInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  gint start = -1, end = -1, match_end = -1;

  if (len > LERS_GPRS_HANDSHAKE_MAX_BYTES)
    len = LERS_GPRS_HANDSHAKE_MAX_BYTES;
  if (len == 0)
    data = (const guint8 *) "";
  if (!g_regex_match_full (self->regex, (const gchar *) data, (gssize) len, 0,
                           G_REGEX_MATCH_PARTIAL_HARD, &info, &local_error))
    {
      if (local_error != NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("The modem's identification could not be matched: %s"),
                       local_error->message);
          return -1;
        }
      return need_more (len, error);
    }
  if (!g_match_info_fetch_pos (info, 0, NULL, &match_end)
      || !g_match_info_fetch_pos (info, 1, &start, &end) || start < 0 || end < start)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("The handshake pattern matched without an identity"));
      return -1;
    }
  if (!take_identity (data + start, (gsize) (end - start), identity, error))
    return -1;
  return MAX (match_end, 1);
}

/**
 * lers_gprs_handshake_match:
 * @self: a #LersGprsHandshake
 * @data: (array length=len) (element-type guint8) (nullable): what the modem
 *   sent so far (after the request, if the rule has one)
 * @len: how many bytes
 * @identity: (out) (transfer full) (optional) (nullable): the modem's
 *   identity, when found
 * @error: return location for a #GError
 *
 * Looks for the modem's identity in the first bytes it sent. A pure
 * function: call it again with all the bytes whenever more come.
 *
 * Returns: how many bytes the identification took (more than 0, with
 *   @identity set); 0 when more bytes are needed; -1 with
 *   %LERS_ERROR_INVALID_DATA when these bytes can never identify a modem
 *
 * Since: 0.3
 */
gssize
lers_gprs_handshake_match (LersGprsHandshake *self, const guint8 *data, gsize len, gchar **identity,
                           GError **error)
{
  g_autofree gchar *found = NULL;
  gssize n;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (data != NULL || len == 0, -1);
  if (identity != NULL)
    *identity = NULL;
  if (self->kind == RULE_ID)
    n = match_id (self, data, len, &found, error);
  else
    n = match_regex (self, data, len, &found, error);
  if (n > 0 && identity != NULL)
    *identity = g_steal_pointer (&found);
  return n;
}
