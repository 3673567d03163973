/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The web application's files: the workstation, the subscribers' portal and
 * the phone app are one set of files that web/build.mjs makes and
 * web/meson.build compiles into lersd (GResource /org/lers/web), so the
 * daemon stays one binary. With the `web-root` option they are read from
 * that folder instead (a developer's `node web/build.mjs --watch`).
 *
 *   /                      index.html (no-cache: it names the current build)
 *   /assets/…              scripts and styles with a content hash in their
 *                          names: cached for a year
 *   /sw.js, /manifest.webmanifest, /icon*.svg
 *
 * A client that accepts gzip gets the .gz that the build wrote beside a text
 * file. Pages are confined by a Content-Security-Policy: scripts only from
 * here, no frames, images also from map tile servers.
 */
#include "config.h"

#include "lersd-web.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define LERSD_WEB_RESOURCE_PREFIX "/org/lers/web/"

static const struct
{
  const gchar *suffix;
  const gchar *type;
} lersd_web_types[] = {
  { ".html", "text/html; charset=utf-8" },
  { ".js", "text/javascript; charset=utf-8" },
  { ".css", "text/css; charset=utf-8" },
  { ".svg", "image/svg+xml" },
  { ".png", "image/png" },
  { ".json", "application/json" },
  { ".webmanifest", "application/manifest+json" },
  { ".txt", "text/plain; charset=utf-8" },
};

static const gchar *
lersd_web_content_type (const gchar *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (lersd_web_types); i++)
    if (g_str_has_suffix (path, lersd_web_types[i].suffix))
      return lersd_web_types[i].type;
  return NULL;
}

/* A segment of a file's path: letters, digits, '-', '_' and '.', not
 * starting with a dot (no "..", no hidden files). */
static gboolean
lersd_web_segment_ok (const gchar *segment)
{
  if (segment[0] == '\0' || segment[0] == '.')
    return FALSE;
  for (const gchar *p = segment; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static GBytes *
lersd_web_lookup (const gchar *web_root, const gchar *path)
{
  if (web_root != NULL)
    {
      g_autofree gchar *file = g_build_filename (web_root, path, NULL);
      gchar *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &data, &len, NULL))
        return NULL;
      return g_bytes_new_take (data, len);
    }
  else
    {
      g_autofree gchar *name = g_strconcat (LERSD_WEB_RESOURCE_PREFIX, path, NULL);
      return g_resources_lookup_data (name, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }
}

static gboolean
lersd_web_accepts_gzip (LersdRequest *req)
{
  const gchar *accept = lersd_request_get_header (req, "Accept-Encoding");
  g_auto (GStrv) codings = NULL;

  if (accept == NULL)
    return FALSE;
  codings = g_strsplit (accept, ",", -1);
  for (guint i = 0; codings[i] != NULL; i++)
    {
      g_autofree gchar *coding = g_strstrip (g_ascii_strdown (codings[i], -1));

      const gchar *q;

      /* "gzip", "gzip;q=0.8"; not "gzip;q=0" */
      if (!g_str_has_prefix (coding, "gzip") || (coding[4] != '\0' && coding[4] != ';'))
        continue;
      q = strstr (coding, "q=");
      return q == NULL || g_ascii_strtod (q + 2, NULL) > 0.0;
    }
  return FALSE;
}

/**
 * lersd_web_serve:
 * @req: the request (GET or HEAD)
 * @segments: (element-type utf8): the path's decoded segments
 * @web_root: (nullable): a folder to read the files from instead of the
 *   compiled-in ones
 *
 * Answers with a file of the web application, if @segments name one.
 *
 * Returns: %TRUE when it answered, %FALSE when no such file exists (the
 *   caller goes on to its other routes)
 *
 * Since: 0.6
 */
gboolean
lersd_web_serve (LersdRequest *req, GPtrArray *segments, const gchar *web_root)
{
  g_autoptr (GString) path = g_string_new (NULL);
  g_autoptr (GBytes) body = NULL;
  const gchar *type;
  gboolean gzip = FALSE;

  if (segments->len == 0)
    g_string_append (path, "index.html");
  for (guint i = 0; i < segments->len; i++)
    {
      const gchar *segment = g_ptr_array_index (segments, i);

      if (!lersd_web_segment_ok (segment))
        return FALSE;
      g_string_append_printf (path, "%s%s", i > 0 ? "/" : "", segment);
    }
  type = lersd_web_content_type (path->str);
  if (type == NULL)
    return FALSE;
  if (lersd_web_accepts_gzip (req))
    {
      g_autofree gchar *gz = g_strconcat (path->str, ".gz", NULL);

      body = lersd_web_lookup (web_root, gz);
      gzip = body != NULL;
    }
  if (body == NULL)
    body = lersd_web_lookup (web_root, path->str);
  if (body == NULL)
    return FALSE;

  lersd_request_reply (req, SOUP_STATUS_OK, type, body);
  /* after the reply, which sets the API's defaults (no-store) */
  lersd_request_set_response_header (
      req, "Cache-Control",
      g_str_has_prefix (path->str, "assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  lersd_request_set_response_header (req, "Vary", "Accept-Encoding");
  if (gzip)
    lersd_request_set_response_header (req, "Content-Encoding", "gzip");
  if (g_str_equal (path->str, "sw.js"))
    lersd_request_set_response_header (req, "Service-Worker-Allowed", "/");
  lersd_request_set_response_header (
      req, "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: blob: https: http:; connect-src 'self'; worker-src 'self'; "
      "manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
      "form-action 'self'");
  lersd_request_set_response_header (req, "Referrer-Policy", "same-origin");
  lersd_request_set_response_header (req, "X-Frame-Options", "DENY");
  return TRUE;
}
