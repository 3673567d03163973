/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "lers-cli.h"

/* the options `archive` and `poll` share; from and to are NULL when not
 * given. They are checked here; lers_cli_resolve_range() reads them in the
 * point's zone. */
gboolean
lers_cli_parse_range (int *argc, char ***argv, const gchar *usage, LersArchiveKind *kind,
                      gchar **from, gchar **to, gint64 *connection_id, GError **error)
{
  gint64 connection = 0;
  GOptionEntry poll_entries[] = {
    { "connection", 'c', 0, G_OPTION_ARG_INT64, &connection,
      N_ ("Read every point behind this connection (link) in one hold of it"), N_ ("ID") },
    { NULL },
  };
  g_autofree gchar *kind_s = NULL;
  g_autofree gchar *from_s = NULL;
  g_autofree gchar *to_s = NULL;
  g_autoptr (GDateTime) from_dt = NULL;
  g_autoptr (GDateTime) to_dt = NULL;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_s,
      N_ ("Archive: hour, day, month, totals, current"), "KIND" },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from_s,
      N_ ("Start: ISO 8601, a date (midnight in the point's zone), -24h, -7d"), "TIME" },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to_s, N_ ("End (not included), as --from"), "TIME" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (usage);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (connection_id != NULL)
    g_option_context_add_main_entries (context, poll_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (connection_id != NULL)
    *connection_id = connection;
  *kind = LERS_ARCHIVE_KIND_HOUR;
  if (kind_s != NULL && !lers_archive_kind_from_string (kind_s, kind))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown archive “%s”"),
                   kind_s);
      return FALSE;
    }
  if (from_s != NULL && (from_dt = lers_cli_parse_time (from_s, NULL, error)) == NULL)
    return FALSE;
  if (to_s != NULL && (to_dt = lers_cli_parse_time (to_s, NULL, error)) == NULL)
    return FALSE;
  *from = g_steal_pointer (&from_s);
  *to = g_steal_pointer (&to_s);
  return TRUE;
}

/* The point's zone, and --from and --to read in it (NULL when not given) */
gboolean
lers_cli_resolve_range (LersStore *store, gint64 point_id, const gchar *from_s, const gchar *to_s,
                        GTimeZone **zone, GDateTime **from, GDateTime **to, GError **error)
{
  *zone = lers_store_get_point_time_zone_sync (store, point_id, NULL, error);
  if (*zone == NULL)
    return FALSE;
  if (from_s != NULL && (*from = lers_cli_parse_time (from_s, *zone, error)) == NULL)
    return FALSE;
  if (to_s != NULL && (*to = lers_cli_parse_time (to_s, *zone, error)) == NULL)
    return FALSE;
  return TRUE;
}

gboolean
lers_cli_parse_point (const gchar *text, gint64 *point_id, GError **error)
{
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &id, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("“%s” is not a point id"),
                   text);
      return FALSE;
    }
  *point_id = (gint64) id;
  return TRUE;
}

/* POINT and the range options, as `archive` and `poll` take them */
static gboolean
lers_cli_parse_point_args (int argc, char **argv, const gchar *usage, gint64 *point_id,
                           LersArchiveKind *kind, gchar **from, gchar **to, GError **error)
{
  if (!lers_cli_parse_range (&argc, &argv, usage, kind, from, to, NULL, error))
    return FALSE;
  if (argc != 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Usage: lers %s POINT [--kind=hour] [--from=TIME] [--to=TIME]"), argv[0]);
      return FALSE;
    }
  return lers_cli_parse_point (argv[1], point_id, error);
}

/* How a row's time is shown in the table: wall-clock time in the point's
 * zone with its offset, so the two 02:00 of an autumn night differ. */
static gchar *
lers_cli_format_row_time (LersArchiveBatch *batch, guint row, GTimeZone *zone)
{
  g_autoptr (GDateTime) ts = lers_archive_batch_dup_timestamp (batch, row);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (ts, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M %:z");
}

/* One cell: the value, "!" when flagged bad; a dash for no value or one
 * that is not a number (NaN, ±Inf). */
static gchar *
lers_cli_format_cell (gdouble value, LersValueFlags flags)
{
  const gchar *bad = (flags & LERS_VALUE_FLAG_BAD) ? "!" : "";

  if (flags & LERS_VALUE_FLAG_MISSING)
    return g_strdup ("—");
  if (!isfinite (value))
    return g_strconcat ("—", bad, NULL);
  return g_strdup_printf ("%.4f%s", value, bad);
}

static void
lers_cli_print_batch (LersArchiveBatch *batch, GTimeZone *zone)
{
  const gchar *zone_name = g_time_zone_get_identifier (zone);
  g_autofree gchar *time_head = NULL;
  guint time_width;
  g_autoptr (GString) line = g_string_new (NULL);
  guint n_rows = lers_archive_batch_get_n_rows (batch);
  guint n_columns = 0;
  /* one column for each parameter any row has, in the order first seen */
  const LersParameter *columns = lers_archive_batch_get_parameters (batch, &n_columns);

  if (zone_name != NULL && zone_name[0] != '/' && zone_name[0] != ':')
    /* TRANSLATORS: the heading of the time column; %s is a time zone (Asia/Vladivostok) */
    time_head = g_strdup_printf (_ ("TIME (%s)"), zone_name);
  else
    time_head = g_strdup (_ ("TIME (server's zone)"));
  /* rows are 23 characters (2026-11-24 11:00 +10:00); a long zone name widens them */
  time_width = MAX (23, (guint) g_utf8_strlen (time_head, -1));
  lers_cli_pad (line, time_head, time_width, FALSE);
  for (guint k = 0; k < n_columns; k++)
    {
      LersParameter p = columns[k];
      g_autofree gchar *head = g_strdup_printf ("%s, %s", lers_parameter_get_name (p),
                                                lers_unit_get_symbol (lers_parameter_get_unit (p)));
      lers_cli_pad (line, head, 14, TRUE);
    }
  g_print ("%s\n", line->str);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree gchar *ts = lers_cli_format_row_time (batch, i, zone);

      g_string_truncate (line, 0);
      lers_cli_pad (line, ts, time_width, FALSE);
      for (guint k = 0; k < n_columns; k++)
        {
          LersValueFlags flags = 0;
          gdouble v = lers_archive_batch_get_value (batch, i, columns[k], &flags);
          g_autofree gchar *cell = lers_cli_format_cell (v, flags);

          lers_cli_pad (line, cell, 14, TRUE);
        }
      g_print ("%s\n", line->str);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u record\n", "%u records\n", n_rows), n_rows);
}

/* lers archive POINT: the stored archive of a point */
int
lers_cli_archive (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *from_s = NULL;
  g_autofree gchar *to_s = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  LersArchiveKind kind;
  LersStore *store;
  gint64 point_id;

  if (!lers_cli_parse_point_args (argc, argv, _ ("POINT — show a point's stored archive"),
                                  &point_id, &kind, &from_s, &to_s, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  store = lers_cli_open_store (cli, &error);
  if (store != NULL
      && lers_cli_resolve_range (store, point_id, from_s, to_s, &zone, &from, &to, &error))
    {
      if (to == NULL)
        to = g_date_time_new_now_utc ();
      if (from == NULL)
        from = g_date_time_add_days (to, -1);
      batch = lers_store_query_archive_sync (store, point_id, kind, from, to, NULL, &error);
    }
  if (batch == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  lers_cli_print_batch (batch, zone);
  return EXIT_SUCCESS;
}
