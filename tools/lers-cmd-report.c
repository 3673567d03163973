/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers report TEMPLATE --point ID… --from --to --format -o FILE: a report
 * through the engine to a file, or a zip of one file per point. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lers-cli.h"
#include "lers-report-files.h"

typedef struct
{
  gboolean list;
  gchar **points;
  gchar *from;
  gchar *to;
  gchar *kind;
  gchar *format;
  gchar *language;
  gchar *output;
} LersCliReportOptions;

static void
lers_cli_report_options_clear (LersCliReportOptions *o)
{
  g_strfreev (o->points);
  g_free (o->from);
  g_free (o->to);
  g_free (o->kind);
  g_free (o->format);
  g_free (o->language);
  g_free (o->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersCliReportOptions, lers_cli_report_options_clear)

/* "ru" when the user's locale is Russian, else "en" */
static const gchar *
lers_cli_report_default_language (void)
{
  const gchar *const *names = g_get_language_names ();

  return names[0] != NULL && g_str_has_prefix (names[0], "ru") ? "ru" : "en";
}

/* --list: the system templates, then the stored ones when a store opens */
static int
lers_cli_report_list (LersCli *cli, const gchar *language)
{
  g_autoptr (GPtrArray) system = lers_report_files_list_system (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  g_autofree gchar *stored = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  LersStore *store;

  lers_cli_pad (line, _ ("ID"), 32, FALSE);
  lers_cli_pad (line, _ ("KINDS"), 16, FALSE);
  lers_cli_pad (line, _ ("SOURCE"), 8, FALSE);
  lers_cli_pad (line, _ ("STORED"), 8, FALSE);
  g_string_append (line, _ ("TITLE"));
  g_print ("%s\n", line->str);
  for (guint i = 0; i < system->len; i++)
    {
      LersReportTemplate *t = system->pdata[i];
      g_autofree gchar *kinds = lers_report_files_kinds_text (t);

      g_string_truncate (line, 0);
      lers_cli_pad (line, lers_report_template_get_id (t), 32, FALSE);
      lers_cli_pad (line, kinds, 16, FALSE);
      lers_cli_pad (line, lers_report_files_source_nick (lers_report_template_get_source (t)), 8,
                    FALSE);
      /* TRANSLATORS: a template that is a file of the installation, read-only */
      lers_cli_pad (line, _ ("system"), 8, FALSE);
      g_string_append (line, lers_report_template_get_title (t, language));
      g_print ("%s\n", line->str);
    }
  store = lers_cli_open_store (cli, &error);
  if (store != NULL)
    stored = lers_store_list_report_templates_sync (store, NULL, &error);
  if (stored == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (json_parser_load_from_data (parser, stored, -1, NULL)
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *a = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *o = json_array_get_object_element (a, i);
          const gchar *body = json_object_get_string_member (o, "body");
          g_autoptr (LersReportTemplate) t = lers_report_template_new_from_data (body, -1, NULL);
          g_autofree gchar *kinds = t != NULL ? lers_report_files_kinds_text (t) : NULL;
          g_autofree gchar *version
              = g_strdup_printf ("v%" G_GINT64_FORMAT, json_object_get_int_member (o, "version"));

          g_string_truncate (line, 0);
          lers_cli_pad (line, json_object_get_string_member (o, "id"), 32, FALSE);
          lers_cli_pad (line, kinds, 16, FALSE);
          lers_cli_pad (
              line,
              t != NULL ? lers_report_files_source_nick (lers_report_template_get_source (t)) : "",
              8, FALSE);
          lers_cli_pad (line, version, 8, FALSE);
          g_string_append (line, t != NULL ? lers_report_template_get_title (t, language)
                                           : json_object_get_string_member (o, "title"));
          g_print ("%s\n", line->str);
        }
    }
  return EXIT_SUCCESS;
}

/* TEMPLATE: a file (a path that exists, or has a slash or .xml), a system
 * template's id, or a stored template's id */
static LersReportTemplate *
lers_cli_report_find (LersCli *cli, const gchar *name, GError **error)
{
  g_autoptr (LersReportTemplate) system = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  LersStore *store;

  if (g_file_test (name, G_FILE_TEST_EXISTS) || strchr (name, '/') != NULL
      || g_str_has_suffix (name, ".xml"))
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (name);
      LersReportTemplate *t = lers_report_template_new_from_file (file, NULL, error);

      if (t == NULL)
        g_prefix_error (error, "%s: ", name);
      return t;
    }
  system = lers_report_files_find_system (name, NULL);
  if (system != NULL)
    return g_steal_pointer (&system);
  if (!lers_report_files_is_id (name))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no report template “%s”"),
                   name);
      return NULL;
    }
  store = lers_cli_open_store (cli, error);
  if (store == NULL)
    return NULL;
  text = lers_store_get_report_template_sync (store, name, 0, NULL, error);
  if (text == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  return lers_report_template_new_from_data (
      json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "body"),
      -1, error);
}

static gboolean
lers_cli_report_parse_points (gchar **args, GArray *points, GError **error)
{
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (args[i], ",", -1);

      for (guint k = 0; parts[k] != NULL; k++)
        {
          gint64 id;
          gboolean seen = FALSE;

          if (parts[k][0] == '\0')
            continue;
          if (!lers_cli_parse_point (g_strstrip (parts[k]), &id, error))
            return FALSE;
          /* each point once, in the order first given */
          for (guint j = 0; j < points->len && !seen; j++)
            seen = g_array_index (points, gint64, j) == id;
          if (!seen)
            g_array_append_val (points, id);
        }
    }
  return TRUE;
}

typedef struct
{
  LersReportZip *zip;
  const gchar *output;
  GArray *points;
  gboolean one_per_point;
  const gchar *format;
  LersProgress *progress;
  GError *error; /* writing failed */
} LersCliReportWrite;

/* One rendered document into the zip, or the one into the output file */
static gboolean
lers_cli_report_write_one (LersReport *report, guint index, LersReportDocument *document,
                           const gchar *name, GBytes *bytes, gpointer user_data)
{
  LersCliReportWrite *w = user_data;
  gint64 point_id = w->one_per_point ? g_array_index (w->points, gint64, index) : 0;

  if (w->zip != NULL)
    {
      g_autofree gchar *entry = lers_report_files_document_name (
          point_id, lers_report_document_get_title (document), w->format);

      if (!lers_report_zip_add (w->zip, entry, bytes, &w->error))
        return FALSE;
    }
  else if (!g_file_set_contents (w->output, g_bytes_get_data (bytes, NULL),
                                 (gssize) g_bytes_get_size (bytes), &w->error))
    return FALSE;
  lers_progress_step_done (w->progress);
  return TRUE;
}

/* Every document of @report into @zip, or the one into @output: built and
 * drawn on the machine's cores, written here in order */
static gboolean
lers_cli_report_write (LersReport *report, LersReportBackend *backend, LersReportZip *zip,
                       const gchar *output, GArray *points, gboolean one_per_point,
                       const gchar *format, GError **error)
{
  g_autoptr (LersProgress) progress = lers_progress_new ();
  LersCliReportWrite w = { zip, output, points, one_per_point, format, progress, NULL };
  guint n_documents = lers_report_get_n_documents (report);
  gboolean ok;

  if (n_documents > 1)
    g_signal_connect (progress, "notify::fraction", G_CALLBACK (lers_cli_show_progress),
                      GINT_TO_POINTER (isatty (2)));
  for (guint i = 0; i < n_documents; i++)
    lers_progress_add_step (progress, 1, NULL);
  ok = lers_report_render_documents (report, backend, 0, NULL, lers_cli_report_write_one, &w,
                                     error);
  if (!ok && w.error != NULL)
    {
      g_clear_error (error);
      g_propagate_error (error, w.error);
    }
  if (n_documents > 1 && isatty (2))
    g_printerr ("\n");
  if (!ok)
    return FALSE;
  if (zip != NULL && !lers_report_zip_close (zip, error))
    return FALSE;
  return TRUE;
}

static gboolean
lers_cli_report_run (LersCli *cli, LersCliReportOptions *o, const gchar *template_name,
                     GError **error)
{
  g_autoptr (LersReportTemplate) template_ = NULL;
  g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersReportBackend) backend = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (LersReport) report = NULL;
  g_autoptr (LersReportZip) zip = NULL;
  LersArchiveKind kind;
  LersStore *store;
  guint n_documents;
  gboolean one_per_point;
  const gchar *format = o->format;
  const gchar *dot;

  if (!lers_cli_report_parse_points (o->points, points, error))
    return FALSE;
  if (points->len == 0 || o->from == NULL || o->to == NULL || o->output == NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Usage: lers report TEMPLATE --point ID… --from DATE --to DATE "
                              "[--kind hour|day|month] [--format pdf|png|svg|csv|xlsx|html] "
                              "[--lang ru|en] -o FILE"));
      return FALSE;
    }
  /* the format from -o's extension unless given */
  dot = strrchr (o->output, '.');
  if (format == NULL && dot != NULL && g_ascii_strcasecmp (dot, ".zip") != 0)
    format = dot + 1;
  if (format == NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Say the format with --format (pdf, png, svg, csv, xlsx, html)"));
      return FALSE;
    }
  template_ = lers_cli_report_find (cli, template_name, error);
  if (template_ == NULL)
    return FALSE;
  kind = lers_report_template_get_default_kind (template_);
  if (o->kind != NULL)
    {
      guint n_kinds = 0;
      const LersArchiveKind *kinds = lers_report_template_get_kinds (template_, &n_kinds);
      gboolean accepted = FALSE;

      if (!lers_archive_kind_from_string (o->kind, &kind))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown archive “%s”"),
                       o->kind);
          return FALSE;
        }
      for (guint i = 0; i < n_kinds; i++)
        accepted |= kinds[i] == kind;
      if (!accepted)
        {
          g_autofree gchar *text = lers_report_files_kinds_text (template_);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Template “%s” takes the archives %s, not %s"),
                       lers_report_template_get_id (template_), text, o->kind);
          return FALSE;
        }
    }
  engine = lers_engine_new ();
  backend = lers_report_files_get_backend (engine, format, error);
  if (backend == NULL)
    return FALSE;
  store = lers_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  /* every point exists (a clear message before any work), and the period
   * is read in the first point's zone */
  for (guint i = points->len; i-- > 0;)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      g_clear_pointer (&from, g_date_time_unref);
      g_clear_pointer (&to, g_date_time_unref);
      if (!lers_cli_resolve_range (store, g_array_index (points, gint64, i), o->from, o->to, &zone,
                                   &from, &to, error))
        return FALSE;
    }
  if (g_date_time_compare (from, to) >= 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The period ends before it starts: --to is after --from"));
      return FALSE;
    }

  report = lers_report_new (template_, store);
  lers_report_set_points (report, (const gint64 *) points->data, points->len);
  lers_report_set_period (report, from, to);
  lers_report_set_kind (report, kind);
  lers_report_set_language (report, o->language != NULL ? o->language
                                                        : lers_cli_report_default_language ());
  n_documents = lers_report_get_n_documents (report);
  one_per_point = lers_report_template_get_source (template_) == LERS_REPORT_SOURCE_POINT
                  && n_documents == points->len;
  if (n_documents > 1 && (dot == NULL || g_ascii_strcasecmp (dot, ".zip") != 0))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%u documents go into a zip: give -o a name ending in .zip"), n_documents);
      return FALSE;
    }
  if (n_documents > 1 || (dot != NULL && g_ascii_strcasecmp (dot, ".zip") == 0))
    {
      zip = lers_report_zip_new (o->output, error);
      if (zip == NULL)
        return FALSE;
    }
  if (!lers_cli_report_write (report, backend, zip, o->output, points, one_per_point, format,
                              error))
    {
      /* no half-written zip left behind (a single file is written whole
       * or not at all) */
      if (zip != NULL)
        {
          g_clear_pointer (&zip, lers_report_zip_free);
          g_unlink (o->output);
        }
      return FALSE;
    }
  return TRUE;
}
/* lers report TEMPLATE … | lers report --list */
int
lers_cli_report (LersCli *cli, int argc, char **argv)
{
  g_auto (LersCliReportOptions) o = { 0 };
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = {
    { "list", 'l', 0, G_OPTION_ARG_NONE, &o.list,
      N_ ("List the templates: the system ones and those stored on the server"), NULL },
    { "point", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &o.points,
      N_ ("A measure point (again, or 1,2,3, for several)"), N_ ("ID") },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &o.from,
      N_ ("Start: a date (midnight in the point's zone) or ISO 8601"), N_ ("DATE") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &o.to, N_ ("End (not included), as --from"), N_ ("DATE") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &o.kind,
      N_ ("Archive: hour, day, month (the template's default unless given)"), "KIND" },
    { "format", 'F', 0, G_OPTION_ARG_STRING, &o.format,
      N_ ("pdf, png, svg, csv, xlsx or html (else from the output's extension)"), N_ ("FORMAT") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &o.language, N_ ("Language of the report: ru or en"),
      "LANG" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      N_ ("The file to write (a .zip of one file per point for several points)"), N_ ("FILE") },
    { NULL },
  };
  g_autoptr (GOptionContext) context
      = g_option_context_new (_ ("TEMPLATE — render a report to a file"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (o.language != NULL && g_strcmp0 (o.language, "ru") != 0 && g_strcmp0 (o.language, "en") != 0)
    {
      g_printerr (_ ("Unknown language “%s”: ru or en\n"), o.language);
      return 2;
    }
  if (o.list)
    return lers_cli_report_list (cli, o.language != NULL ? o.language
                                                         : lers_cli_report_default_language ());
  if (argc != 2)
    {
      g_printerr ("%s\n", _ ("Usage: lers report TEMPLATE --point ID… --from DATE --to DATE "
                             "[--kind hour|day|month] [--format pdf|png|svg|csv|xlsx|html] "
                             "[--lang ru|en] -o FILE"));
      return 2;
    }
  if (!lers_cli_report_run (cli, &o, argv[1], &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
