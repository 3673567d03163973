/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lexer of report expressions, and where in the template a byte of an
 * expression is (for the line and column of every error). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-expr-private.h"

/* Counts lines and characters up to @offset. With a raw source, walks the
 * text as written: an entity ("&lt;", "&#1076;") is one character of the
 * parsed text and several of the file; "\r\n" is one "\n" of the parsed
 * text (GMarkup folds it); "<![CDATA[" and "]]>" are none, and inside them
 * nothing is an entity; a comment is none of it. */
void
lers_report_expr_source_position (const LersReportExprSource *source, const gchar *text,
                                  gsize offset, guint *line, guint *column)
{
  const gchar *raw = source->raw != NULL ? source->raw : text;
  gboolean escaped = source->raw != NULL;
  gboolean cdata = FALSE;
  gsize done = 0; /* bytes of @text passed */
  guint l = source->line, c = source->column;

  while (done < offset && *raw != '\0')
    {
      if (escaped && !cdata && g_str_has_prefix (raw, "<![CDATA["))
        {
          cdata = TRUE;
          c += 9;
          raw += 9;
          continue;
        }
      if (escaped && !cdata && (g_str_has_prefix (raw, "<!--") || g_str_has_prefix (raw, "<?")))
        {
          /* a comment or a processing instruction is none of the text */
          const gchar *end = strstr (raw, raw[1] == '!' ? "-->" : "?>");
          const gchar *stop = end != NULL ? end + (raw[1] == '!' ? 3 : 2) : raw + strlen (raw);

          for (; raw < stop; raw = g_utf8_next_char (raw))
            if (*raw == '\n')
              {
                l++;
                c = 1;
              }
            else if (*raw != '\r' || raw[1] != '\n')
              c++;
          continue;
        }
      if (escaped && cdata && g_str_has_prefix (raw, "]]>"))
        {
          cdata = FALSE;
          c += 3;
          raw += 3;
          continue;
        }
      if (escaped && !cdata && *raw == '&')
        {
          const gchar *semi = strchr (raw, ';');
          gsize decoded = 1;

          if (semi != NULL && semi - raw < 12)
            {
              if (raw[1] == '#')
                {
                  gunichar ch = raw[2] == 'x' ? (gunichar) g_ascii_strtoull (raw + 3, NULL, 16)
                                              : (gunichar) g_ascii_strtoull (raw + 2, NULL, 10);
                  decoded = (gsize) g_unichar_to_utf8 (ch, NULL);
                }
              c += (guint) g_utf8_strlen (raw, semi + 1 - raw);
              raw = semi + 1;
              done += decoded;
              continue;
            }
        }
      if (escaped && !cdata && raw[0] == '\r' && raw[1] == '\n')
        {
          /* the "\n" that follows is the parsed text's one byte */
          raw++;
          continue;
        }
      if (*raw == '\n')
        {
          l++;
          c = 1;
          done++;
          raw++;
          continue;
        }
      {
        const gchar *next = g_utf8_next_char (raw);

        done += (gsize) (next - raw);
        raw = next;
        c++;
      }
    }
  *line = l;
  *column = c;
}

void
lers_report_parser_error (LersReportParser *p, gsize offset, const gchar *format, ...)
{
  va_list args;
  g_autofree gchar *message = NULL;
  guint line = 0, column = 0;

  if (p->error == NULL || *p->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  lers_report_expr_source_position (p->source, p->text, offset, &line, &column);
  g_set_error (p->error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               /* TRANSLATORS: where an error is in a report template, and the error */
               _ ("line %u, column %u: %s"), line, column, message);
}

/* the current token as the reader wrote it, for messages */
gchar *
lers_report_parser_token_text (LersReportParser *p)
{
  if (p->tok.kind == TOK_END)
    return g_strdup ("");
  return g_strndup (p->text + p->tok.start, p->tok.end - p->tok.start);
}

static gboolean
lex_string (LersReportParser *p, gchar quote)
{
  g_autoptr (GString) s = g_string_new (NULL);
  gsize i = p->pos + 1;

  while (i < p->length && p->text[i] != quote)
    {
      if (p->text[i] == '\\')
        {
          if (i + 1 < p->length
              && (p->text[i + 1] == '\'' || p->text[i + 1] == '"' || p->text[i + 1] == '\\'))
            {
              g_string_append_c (s, p->text[i + 1]);
              i += 2;
              continue;
            }
          lers_report_parser_error (p, i,
                                    _ ("unknown escape in a string: write \\\\, \\' or \\\""));
          return FALSE;
        }
      g_string_append_c (s, p->text[i]);
      i++;
    }
  if (i >= p->length)
    {
      lers_report_parser_error (p, p->pos, _ ("unterminated string"));
      return FALSE;
    }
  p->tok.kind = TOK_STRING;
  p->tok.string = g_string_free (g_steal_pointer (&s), FALSE);
  p->tok.end = i + 1;
  return TRUE;
}

static gboolean
lex_number (LersReportParser *p)
{
  gsize i = p->pos;
  g_autofree gchar *copy = NULL;
  gchar *end = NULL;

  while (i < p->length && g_ascii_isdigit (p->text[i]))
    i++;
  if (i + 1 < p->length && p->text[i] == '.' && g_ascii_isdigit (p->text[i + 1]))
    {
      i++;
      while (i < p->length && g_ascii_isdigit (p->text[i]))
        i++;
    }
  if (i < p->length && (p->text[i] == 'e' || p->text[i] == 'E'))
    {
      gsize j = i + 1;

      if (j < p->length && (p->text[j] == '+' || p->text[j] == '-'))
        j++;
      if (j < p->length && g_ascii_isdigit (p->text[j]))
        {
          while (j < p->length && g_ascii_isdigit (p->text[j]))
            j++;
          i = j;
        }
    }
  if (i < p->length && (g_ascii_isalpha (p->text[i]) || p->text[i] == '_'))
    {
      lers_report_parser_error (p, p->pos, _ ("bad number"));
      return FALSE;
    }
  copy = g_strndup (p->text + p->pos, i - p->pos);
  p->tok.kind = TOK_NUMBER;
  p->tok.number = g_ascii_strtod (copy, &end);
  if (!isfinite (p->tok.number))
    {
      lers_report_parser_error (p, p->pos, _ ("bad number"));
      return FALSE;
    }
  p->tok.end = i;
  return TRUE;
}

/* Reads the next token into p->tok. */
gboolean
lers_report_parser_lex (LersReportParser *p)
{
  const gchar *t = p->text;
  gchar ch;

  g_clear_pointer (&p->tok.string, g_free);
  while (p->pos < p->length
         && (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r'))
    p->pos++;
  p->tok.start = p->pos;
  p->tok.end = p->pos + 1;
  if (p->pos >= p->length)
    {
      p->tok.kind = TOK_END;
      p->tok.end = p->pos;
      return TRUE;
    }
  ch = t[p->pos];
  if (g_ascii_isdigit (ch))
    {
      if (!lex_number (p))
        return FALSE;
    }
  else if (ch == '\'' || ch == '"')
    {
      if (!lex_string (p, ch))
        return FALSE;
    }
  else if (g_ascii_isalpha (ch) || ch == '_')
    {
      gsize i = p->pos;

      while (i < p->length && (g_ascii_isalnum (t[i]) || t[i] == '_' || t[i] == '.'))
        i++;
      p->tok.kind = TOK_NAME;
      p->tok.string = g_strndup (t + p->pos, i - p->pos);
      p->tok.end = i;
    }
  else
    {
      gchar next = p->pos + 1 < p->length ? t[p->pos + 1] : '\0';

      switch (ch)
        {
        case '(':
          p->tok.kind = TOK_LPAREN;
          break;
        case ')':
          p->tok.kind = TOK_RPAREN;
          break;
        case ',':
          p->tok.kind = TOK_COMMA;
          break;
        case '}':
          p->tok.kind = TOK_RBRACE;
          break;
        case '+':
          p->tok.kind = TOK_PLUS;
          break;
        case '-':
          p->tok.kind = TOK_MINUS;
          break;
        case '*':
          p->tok.kind = TOK_STAR;
          break;
        case '/':
          p->tok.kind = TOK_SLASH;
          break;
        case '%':
          p->tok.kind = TOK_PERCENT;
          break;
        case '&':
          p->tok.kind = TOK_AMP;
          break;
        case '=':
          p->tok.kind = TOK_EQ;
          break;
        case '<':
          p->tok.kind = next == '=' ? TOK_LE : TOK_LT;
          break;
        case '>':
          p->tok.kind = next == '=' ? TOK_GE : TOK_GT;
          break;
        case '!':
          if (next == '=')
            {
              p->tok.kind = TOK_NE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          {
            const gchar *end = g_utf8_find_next_char (t + p->pos, t + p->length);
            g_autofree gchar *what = g_strndup (
                t + p->pos, (gsize) ((end != NULL ? end : t + p->length) - (t + p->pos)));

            lers_report_parser_error (p, p->pos, _ ("unexpected character “%s”"),
                                      g_utf8_validate (what, -1, NULL) ? what : "?");
            return FALSE;
          }
        }
      if (p->tok.kind == TOK_LE || p->tok.kind == TOK_GE || p->tok.kind == TOK_NE)
        p->tok.end = p->pos + 2;
    }
  p->pos = p->tok.end;
  return TRUE;
}
