/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SVG sanitiser of mnemonic diagrams (see lersd-svg.h). */
#include "config.h"

#include <glib/gi18n.h>
#include <lers.h>
#include <string.h>

#include "lersd-svg.h"

#define LERSD_SVG_MAX_DEPTH 256
#define LERSD_SVG_MAX_DIMENSION 10000

static const gchar *const lersd_svg_elements[] = {
  "svg",     "g",     "path",  "rect",     "circle", "ellipse", "line",           "polyline",
  "polygon", "text",  "tspan", "defs",     "symbol", "use",     "linearGradient", "radialGradient",
  "stop",    "title", "desc",  "clipPath", "marker", "pattern", "image",          "style",
  NULL,
};

static const gchar *const lersd_svg_attributes[] = {
  "id",
  "class",
  "style",
  "transform",
  "x",
  "y",
  "x1",
  "y1",
  "x2",
  "y2",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "fx",
  "fy",
  "fr",
  "width",
  "height",
  "d",
  "points",
  "pathLength",
  "viewBox",
  "preserveAspectRatio",
  "version",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-miterlimit",
  "opacity",
  "color",
  "visibility",
  "display",
  "overflow",
  "vector-effect",
  "paint-order",
  "shape-rendering",
  "text-rendering",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "font-variant",
  "text-anchor",
  "dominant-baseline",
  "alignment-baseline",
  "baseline-shift",
  "letter-spacing",
  "word-spacing",
  "text-decoration",
  "writing-mode",
  "dx",
  "dy",
  "rotate",
  "textLength",
  "lengthAdjust",
  "offset",
  "stop-color",
  "stop-opacity",
  "gradientUnits",
  "gradientTransform",
  "spreadMethod",
  "clip-path",
  "clip-rule",
  "clipPathUnits",
  "marker-start",
  "marker-mid",
  "marker-end",
  "markerWidth",
  "markerHeight",
  "markerUnits",
  "refX",
  "refY",
  "orient",
  "patternUnits",
  "patternContentUnits",
  "patternTransform",
  "type",
  "xml:space",
  "href",
  "xlink:href",
  "xmlns",
  "xmlns:xlink",
  NULL,
};

typedef struct
{
  GString *out;
  guint depth; /* open elements written */
  guint skip;  /* >0: inside a dropped element, its depth */
  gboolean in_style;
  GString *style; /* the text of the open <style> */
  gboolean seen_root;
  gint width;
  gint height;
} LersdSvg;

static gboolean
lersd_svg_in_list (const gchar *const *list, const gchar *name)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strcmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* @value without whitespace and control characters, in lower case: what a
 * browser would read past "java\tscript:" and the like. */
static gchar *
lersd_svg_squeeze (const gchar *value)
{
  GString *s = g_string_new (NULL);

  for (const gchar *p = value; *p != '\0'; p++)
    if (!g_ascii_isspace (*p) && (guchar) *p >= 0x20 && *p != '\\')
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

/* Whether an attribute's value refers only to fragments of the document
 * itself. A backslash is refused outright: CSS reads it as an escape
 * ("\\75 rl(" is "url("), which no check of the raw text could follow. */
static gboolean
lersd_svg_value_safe (const gchar *value)
{
  g_autofree gchar *s = NULL;
  const gchar *p;

  if (strchr (value, '\\') != NULL)
    return FALSE;
  s = lersd_svg_squeeze (value);
  p = s;
  if (strstr (s, "javascript:") != NULL || strstr (s, "vbscript:") != NULL
      || strstr (s, "expression(") != NULL || strstr (s, "@import") != NULL
      || strstr (s, "behavior:") != NULL || strstr (s, "-moz-binding") != NULL
      || strstr (s, "image-set(") != NULL || strstr (s, "src(") != NULL)
    return FALSE;
  while ((p = strstr (p, "url(")) != NULL)
    {
      p += 4;
      if (*p == '"' || *p == '\'')
        p++;
      if (*p != '#')
        return FALSE;
    }
  return TRUE;
}

/* @text without what lersd_svg_escape() drops (C0 controls but tab and
 * newline, carriage returns, U+FFFE, U+FFFF): the text as it will be
 * written out. CSS is checked in this form, so that "posit\016ion" is seen
 * as the "position" it becomes, and "/\033*" as the comment it becomes
 * (sanitising the output again must give the same output). */
static gchar *
lersd_svg_written (const gchar *text)
{
  GString *clean = g_string_new (NULL);

  for (const gchar *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if ((c < 0x20 && c != '\t' && c != '\n') || c == '\r')
        continue;
      if (c == 0xef && (guchar) p[1] == 0xbf && ((guchar) p[2] == 0xbe || (guchar) p[2] == 0xbf))
        {
          p += 2;
          continue;
        }
      g_string_append_c (clean, *p);
    }
  return g_string_free (clean, FALSE);
}

/* Whether CSS (a style attribute or the text of a <style>) is safe: as
 * lersd_svg_value_safe(), and without any at-rule ("@import", "@font-face",
 * "@\\69mport"…) or comment (which could hide a property's name). */
static gboolean
lersd_svg_css_safe (const gchar *css)
{
  g_autofree gchar *written = lersd_svg_written (css);

  return strchr (written, '@') == NULL && strstr (written, "/*") == NULL
         && lersd_svg_value_safe (written);
}

/* @css without its "position" declarations: a drawing must not place
 * itself (fixed or absolute) over the page that shows it. A declaration
 * starts at the beginning, after ';' or after '{'. */
static gchar *
lersd_svg_css_drop_position (const gchar *css)
{
  GString *s = g_string_new (NULL);
  g_autofree gchar *clean = lersd_svg_written (css);
  const gchar *p = clean;
  gboolean start = TRUE;

  while (*p != '\0')
    {
      if (start)
        {
          const gchar *q = p;

          while (g_ascii_isspace (*q))
            q++;
          if (g_ascii_strncasecmp (q, "position", 8) == 0)
            {
              q += 8;
              while (g_ascii_isspace (*q))
                q++;
              if (*q == ':')
                {
                  /* up to the next ';' (dropped too) or '}' (kept) */
                  while (*q != '\0' && *q != ';' && *q != '}')
                    q++;
                  if (*q == ';')
                    q++;
                  p = q;
                  continue;
                }
            }
        }
      start = *p == ';' || *p == '{' || *p == '}';
      g_string_append_c (s, *p);
      p++;
    }
  return g_string_free (s, FALSE);
}

static gboolean
lersd_svg_data_image (const gchar *value)
{
  static const gchar *const prefixes[]
      = { "data:image/png;base64,", "data:image/jpeg;base64,", NULL };

  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (value, prefixes[i]))
      {
        for (const gchar *p = value + strlen (prefixes[i]); *p != '\0'; p++)
          if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=' && !g_ascii_isspace (*p))
            return FALSE;
        return TRUE;
      }
  return FALSE;
}

static gboolean
lersd_svg_attribute_ok (const gchar *element, const gchar *name, const gchar *value)
{
  if (g_ascii_strncasecmp (name, "on", 2) == 0)
    return FALSE;
  if (!lersd_svg_in_list (lersd_svg_attributes, name))
    return FALSE;
  if (strcmp (name, "href") == 0 || strcmp (name, "xlink:href") == 0)
    return value[0] == '#' || (strcmp (element, "image") == 0 && lersd_svg_data_image (value));
  if (strcmp (name, "xmlns") == 0)
    return strcmp (value, "http://www.w3.org/2000/svg") == 0;
  if (strcmp (name, "xmlns:xlink") == 0)
    return strcmp (value, "http://www.w3.org/1999/xlink") == 0;
  if (strcmp (name, "style") == 0)
    return lersd_svg_css_safe (value);
  return lersd_svg_value_safe (value);
}

/* A length of the root: a number, optionally in px; 0 when there is none
 * or it is in another unit. */
static gdouble
lersd_svg_length (const gchar *value)
{
  gchar *end = NULL;
  gdouble v;

  if (value == NULL)
    return 0;
  v = g_ascii_strtod (value, &end);
  if (end == value)
    return 0;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' && strcmp (end, "px") != 0)
    return 0;
  return v;
}

static gint
lersd_svg_dimension (gdouble v)
{
  if (!(v >= 1)) /* NaN too */
    return 1;
  if (v > LERSD_SVG_MAX_DIMENSION)
    return LERSD_SVG_MAX_DIMENSION;
  return (gint) (v + 0.5);
}

static void
lersd_svg_read_size (LersdSvg *self, const gchar **names, const gchar **values)
{
  const gchar *width = NULL;
  const gchar *height = NULL;
  const gchar *view_box = NULL;
  gdouble w, h;

  /* only from what is written out, so that the output gives the same size */
  for (guint i = 0; names[i] != NULL; i++)
    if (!lersd_svg_attribute_ok ("svg", names[i], values[i]))
      continue;
    else if (strcmp (names[i], "width") == 0)
      width = values[i];
    else if (strcmp (names[i], "height") == 0)
      height = values[i];
    else if (strcmp (names[i], "viewBox") == 0)
      view_box = values[i];
  w = lersd_svg_length (width);
  h = lersd_svg_length (height);
  if ((w <= 0 || h <= 0) && view_box != NULL)
    {
      g_auto (GStrv) parts = g_strsplit_set (view_box, " ,\t\r\n", -1);
      gdouble v[4];
      guint n = 0;

      for (guint i = 0; parts[i] != NULL && n < 4; i++)
        if (parts[i][0] != '\0')
          {
            gchar *end = NULL;
            v[n] = g_ascii_strtod (parts[i], &end);
            if (end == parts[i] || *end != '\0')
              break;
            n++;
          }
      if (n == 4)
        {
          if (w <= 0)
            w = v[2];
          if (h <= 0)
            h = v[3];
        }
    }
  self->width = w > 0 ? lersd_svg_dimension (w) : 800;
  self->height = h > 0 ? lersd_svg_dimension (h) : 600;
}

/* Appends @text escaped for XML 1.0: characters XML does not allow (C0
 * controls but tab and newline, U+FFFE, U+FFFF) and carriage returns are
 * dropped; in an attribute (@attribute) tabs and newlines become spaces,
 * as a parser would read them, so that sanitising the output again gives
 * the same text. */
static void
lersd_svg_escape (GString *out, const gchar *text, gssize len, gboolean attribute)
{
  const gchar *end = text + (len < 0 ? (gssize) strlen (text) : len);

  for (const gchar *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\t':
        case '\n':
          g_string_append_c (out, attribute ? ' ' : (gchar) c);
          break;
        default:
          if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF)
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
    }
}

/* An attribute's value as it will be written and read back: without the
 * characters lersd_svg_escape() drops, tabs and newlines as spaces. */
static gchar *
lersd_svg_clean_value (const gchar *value)
{
  GString *s = g_string_new (NULL);

  for (const gchar *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || c == '\n')
        g_string_append_c (s, ' ');
      else if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF)
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (s, FALSE);
}

static void lersd_svg_start_clean (LersdSvg *self, const gchar *element, const gchar **names,
                                   const gchar **values, GError **error);

static void
lersd_svg_start (GMarkupParseContext *context, const gchar *element, const gchar **names,
                 const gchar **values, gpointer user_data, GError **error)
{
  LersdSvg *self = user_data;
  guint n = g_strv_length ((gchar **) names);
  g_autoptr (GPtrArray) clean = g_ptr_array_new_full (n + 1, g_free);

  if (self->skip > 0)
    {
      self->skip++;
      return;
    }
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (clean, lersd_svg_clean_value (values[i]));
  g_ptr_array_add (clean, NULL);
  lersd_svg_start_clean (self, element, names, (const gchar **) clean->pdata, error);
}

static void
lersd_svg_start_clean (LersdSvg *self, const gchar *element, const gchar **names,
                       const gchar **values, GError **error)
{
  gboolean has_xmlns = FALSE;
  gboolean root = !self->seen_root;

  if (!root && self->depth == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The drawing has more than one root element: <%s> follows the closed <svg>"),
                   element);
      return;
    }
  if (root)
    {
      self->seen_root = TRUE;
      if (strcmp (element, "svg") != 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("The drawing is not SVG: its root element is <%s>, not <svg>"), element);
          return;
        }
      lersd_svg_read_size (self, names, values);
    }
  if (self->depth >= LERSD_SVG_MAX_DEPTH)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The drawing nests elements deeper than %u"), LERSD_SVG_MAX_DEPTH);
      return;
    }
  if (!lersd_svg_in_list (lersd_svg_elements, element) || self->in_style)
    {
      self->skip = 1;
      return;
    }
  if (strcmp (element, "image") == 0)
    {
      gboolean href = FALSE;

      for (guint i = 0; names[i] != NULL; i++)
        if ((strcmp (names[i], "href") == 0 || strcmp (names[i], "xlink:href") == 0)
            && lersd_svg_data_image (values[i]))
          href = TRUE;
      if (!href)
        {
          self->skip = 1;
          return;
        }
    }
  if (strcmp (element, "style") == 0)
    {
      /* written at its end, when its text is known to be safe */
      self->in_style = TRUE;
      g_string_truncate (self->style, 0);
      self->depth++;
      return;
    }
  g_string_append_printf (self->out, "<%s", element);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!lersd_svg_attribute_ok (element, names[i], values[i]))
        continue;
      if (strcmp (names[i], "xmlns") == 0)
        has_xmlns = TRUE;
      g_string_append_printf (self->out, " %s=\"", names[i]);
      if (strcmp (names[i], "style") == 0)
        {
          g_autofree gchar *css = lersd_svg_css_drop_position (values[i]);

          lersd_svg_escape (self->out, css, -1, TRUE);
        }
      else
        lersd_svg_escape (self->out, values[i], -1, TRUE);
      g_string_append_c (self->out, '"');
    }
  if (root && !has_xmlns)
    g_string_append (self->out, " xmlns=\"http://www.w3.org/2000/svg\"");
  g_string_append_c (self->out, '>');
  self->depth++;
}

static void
lersd_svg_end (GMarkupParseContext *context, const gchar *element, gpointer user_data,
               GError **error)
{
  LersdSvg *self = user_data;

  if (self->skip > 0)
    {
      self->skip--;
      return;
    }
  self->depth--;
  if (self->in_style)
    {
      self->in_style = FALSE;
      if (lersd_svg_css_safe (self->style->str))
        {
          g_autofree gchar *css = lersd_svg_css_drop_position (self->style->str);

          g_string_append (self->out, "<style>");
          lersd_svg_escape (self->out, css, -1, FALSE);
          g_string_append (self->out, "</style>");
        }
      return;
    }
  g_string_append_printf (self->out, "</%s>", element);
}

static void
lersd_svg_text (GMarkupParseContext *context, const gchar *text, gsize len, gpointer user_data,
                GError **error)
{
  LersdSvg *self = user_data;

  if (self->skip > 0 || self->depth == 0)
    return;
  if (self->in_style)
    {
      g_string_append_len (self->style, text, len);
      return;
    }
  lersd_svg_escape (self->out, text, len, FALSE);
}

static void
lersd_svg_passthrough (GMarkupParseContext *context, const gchar *text, gsize len,
                       gpointer user_data, GError **error)
{
  LersdSvg *self = user_data;

  /* comments, <?…?>, <!DOCTYPE…> and CDATA: dropped, but a document that
   * declares entities is refused (no expansion, no bombs) */
  if (g_strstr_len (text, len, "<!ENTITY") != NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The drawing declares XML entities (<!ENTITY>), which are not "
                              "accepted"));
      return;
    }
  /* the text of a <style> may come as CDATA */
  if (self->in_style && self->skip == 0 && len >= 12 && strncmp (text, "<![CDATA[", 9) == 0)
    g_string_append_len (self->style, text + 9, len - 12);
}

static const GMarkupParser lersd_svg_parser = {
  lersd_svg_start, lersd_svg_end, lersd_svg_text, lersd_svg_passthrough, NULL,
};

gchar *
lersd_svg_sanitize (const gchar *svg, gsize len, gint *width, gint *height, GError **error)
{
  LersdSvg self = { 0 };
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GString) out = NULL;
  g_autoptr (GString) style = NULL;

  g_return_val_if_fail (svg != NULL || len == 0, NULL);
  if (svg == NULL)
    svg = "";
  if (len > LERSD_SVG_MAX_SIZE)
    {
      g_autofree gchar *size = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The drawing is %s bytes; at most %u are accepted"), size,
                   LERSD_SVG_MAX_SIZE);
      return NULL;
    }
  if (!g_utf8_validate (svg, len, NULL) || memchr (svg, '\0', len) != NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The drawing is not UTF-8 text"));
      return NULL;
    }
  out = g_string_new (NULL);
  style = g_string_new (NULL);
  self.out = out;
  self.style = style;
  context = g_markup_parse_context_new (&lersd_svg_parser, 0, &self, NULL);
  if (!g_markup_parse_context_parse (context, svg, len, &local_error)
      || !g_markup_parse_context_end_parse (context, &local_error))
    {
      if (local_error->domain == LERS_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                     _ ("The drawing is not well-formed XML: %s"), local_error->message);
      return NULL;
    }
  if (!self.seen_root)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The drawing is not SVG: it has no <svg> element"));
      return NULL;
    }
  if (width != NULL)
    *width = self.width;
  if (height != NULL)
    *height = self.height;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
