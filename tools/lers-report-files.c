/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Templates found, documents named and zipped: for `lers report` and
 * lersd's report routes alike. */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <string.h>
#include <time.h>

#include "lers-report-files.h"

GStrv
lers_report_files_get_template_dirs (void)
{
  const gchar *path = g_getenv ("LERS_TEMPLATE_PATH");

  if (path != NULL && path[0] != '\0')
    return g_strsplit (path, G_SEARCHPATH_SEPARATOR_S, -1);
  return g_strsplit (LERS_DATADIR G_DIR_SEPARATOR_S "templates", "\n", -1);
}

static gint
lers_report_files_cmp_id (gconstpointer a, gconstpointer b)
{
  LersReportTemplate *ta = *(LersReportTemplate *const *) a;
  LersReportTemplate *tb = *(LersReportTemplate *const *) b;

  return g_strcmp0 (lers_report_template_get_id (ta), lers_report_template_get_id (tb));
}

GPtrArray *
lers_report_files_list_system (GCancellable *cancellable)
{
  g_auto (GStrv) dirs = lers_report_files_get_template_dirs ();
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autoptr (GDir) dir = g_dir_open (dirs[i], 0, NULL);
      const gchar *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *path = NULL;
          g_autoptr (GFile) file = NULL;
          g_autoptr (GError) error = NULL;
          g_autoptr (LersReportTemplate) template_ = NULL;
          const gchar *id;

          if (!g_str_has_suffix (name, ".xml"))
            continue;
          path = g_build_filename (dirs[i], name, NULL);
          file = g_file_new_for_path (path);
          template_ = lers_report_template_new_from_file (file, cancellable, &error);
          if (template_ == NULL)
            {
              g_debug ("%s: %s", path, error->message);
              continue;
            }
          /* the first folder of the path wins, as plugins do */
          id = lers_report_template_get_id (template_);
          if (id == NULL || g_hash_table_contains (seen, id))
            continue;
          g_hash_table_add (seen, g_strdup (id));
          g_ptr_array_add (out, g_steal_pointer (&template_));
        }
    }
  g_ptr_array_sort (out, lers_report_files_cmp_id);
  return out;
}

LersReportTemplate *
lers_report_files_find_system (const gchar *id, GCancellable *cancellable)
{
  g_autoptr (GPtrArray) all = NULL;

  if (!lers_report_files_is_id (id))
    return NULL;
  all = lers_report_files_list_system (cancellable);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (lers_report_template_get_id (all->pdata[i]), id) == 0)
      return g_object_ref (all->pdata[i]);
  return NULL;
}

gboolean
lers_report_files_is_id (const gchar *id)
{
  gsize n = id != NULL ? strlen (id) : 0;

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && id[i] != '-')
      return FALSE;
  return TRUE;
}

gchar *
lers_report_files_kinds_text (LersReportTemplate *template_)
{
  guint n = 0;
  const LersArchiveKind *kinds = lers_report_template_get_kinds (template_, &n);
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, lers_archive_kind_to_string (kinds[i]));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

const gchar *
lers_report_files_source_nick (LersReportSource source)
{
  return source == LERS_REPORT_SOURCE_POINTS ? "points" : "point";
}

gchar *
lers_report_files_document_name (gint64 point_id, const gchar *title, const gchar *ext)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const gchar *p;

  if (point_id > 0)
    g_string_append_printf (s, "%" G_GINT64_FORMAT "-", point_id);
  /* no folders, no control or shell-special characters; Cyrillic stays */
  for (p = title != NULL ? title : "report"; *p != '\0' && s->len < 120; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isalnum (c) || c == '-' || c == '_' || c == '.')
        g_string_append_unichar (s, c);
      else if (s->len > 0 && s->str[s->len - 1] != '_')
        g_string_append_c (s, '_');
    }
  while (s->len > 0 && (s->str[s->len - 1] == '_' || s->str[s->len - 1] == '.'))
    g_string_truncate (s, s->len - 1);
  if (s->len == 0 || s->str[0] == '.')
    g_string_prepend (s, "report");
  g_string_append_printf (s, ".%s", ext);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

LersReportBackend *
lers_report_files_get_backend (LersEngine *engine, const gchar *format, GError **error)
{
  gboolean ok = format[0] != '\0';

  /* a format is a word: never a path or another kind of plugin's name */
  for (const gchar *p = format; ok && *p != '\0'; p++)
    ok = g_ascii_islower (*p) || g_ascii_isdigit (*p);
  if (!ok)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("Unknown report format “%s”"),
                   format);
      return NULL;
    }
  return lers_engine_get_report_backend (engine, format, error);
}

/* ---- the zip ------------------------------------------------------------ */

struct _LersReportZip
{
  struct archive *a;
  gchar *path;
  GHashTable *names; /* entries written, to keep names unique */
};

static gboolean
lers_report_zip_fail (LersReportZip *zip, GError **error)
{
  g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Cannot write the archive %s: %s"),
               zip->path, archive_error_string (zip->a));
  return FALSE;
}

LersReportZip *
lers_report_zip_new (const gchar *path, GError **error)
{
  g_autoptr (LersReportZip) zip = g_new0 (LersReportZip, 1);

  zip->path = g_strdup (path);
  zip->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  zip->a = archive_write_new ();
  if (archive_write_set_format_zip (zip->a) != ARCHIVE_OK
      /* names are UTF-8 (Cyrillic titles): the zip says so in each entry */
      || archive_write_set_options (zip->a, "zip:hdrcharset=UTF-8") != ARCHIVE_OK
      || archive_write_open_filename (zip->a, path) != ARCHIVE_OK)
    {
      lers_report_zip_fail (zip, error);
      return NULL;
    }
  return g_steal_pointer (&zip);
}

gboolean
lers_report_zip_add (LersReportZip *zip, const gchar *name, GBytes *bytes, GError **error)
{
  struct archive_entry *entry;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree gchar *unique = g_strdup (name);
  la_ssize_t written;

  /* two documents of one title for one point (never, but): name (2).ext */
  for (guint n = 2; g_hash_table_contains (zip->names, unique); n++)
    {
      const gchar *dot = strrchr (name, '.');
      g_free (unique);
      unique = dot != NULL ? g_strdup_printf ("%.*s-%u%s", (gint) (dot - name), name, n, dot)
                           : g_strdup_printf ("%s-%u", name, n);
    }
  g_hash_table_add (zip->names, g_strdup (unique));
  entry = archive_entry_new ();
  archive_entry_set_pathname_utf8 (entry, unique);
  archive_entry_set_size (entry, (la_int64_t) size);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, time (NULL), 0);
  if (archive_write_header (zip->a, entry) != ARCHIVE_OK)
    {
      archive_entry_free (entry);
      return lers_report_zip_fail (zip, error);
    }
  archive_entry_free (entry);
  written = size > 0 ? archive_write_data (zip->a, data, size) : 0;
  if (written < 0 || (gsize) written != size)
    return lers_report_zip_fail (zip, error);
  return TRUE;
}

gboolean
lers_report_zip_close (LersReportZip *zip, GError **error)
{
  if (archive_write_close (zip->a) != ARCHIVE_OK)
    return lers_report_zip_fail (zip, error);
  return TRUE;
}

void
lers_report_zip_free (LersReportZip *zip)
{
  if (zip == NULL)
    return;
  if (zip->a != NULL)
    archive_write_free (zip->a);
  g_hash_table_unref (zip->names);
  g_free (zip->path);
  g_free (zip);
}
