/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lers poll: read a point now (in this process), or work with the shared
 * poll job queue that the polling services read from:
 *
 *   lers poll POINT | --connection=ID        read now, here
 *   lers poll read POINT… [--kind=hour,day] [--from=T] [--to=T] [--wait]
 *   lers poll jobs [--point=ID] [--state=S] [--limit=N] | job ID | cancel ID
 *   lers poll status [--links] | services | authorise NAME [--revoke]
 *   lers poll add-service NAME --token-file=FILE | remove-service NAME
 *   lers poll schedule POINT [--kind=K (--every=MIN [--at=MIN] | --off | --default)]
 *   lers poll sessions [--connection=ID] [--from=T] [--to=T] [--limit=N]
 *   lers poll traffic [--connection=ID] | plan [--backfill]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lers-cli.h"

/* The polling services' lease unless --lease says otherwise: the default of
 * lersd --lease. */
#define LERS_CLI_POLL_LEASE 60
/* How often --wait looks at its jobs, in milliseconds */
#define LERS_CLI_POLL_WAIT_MS 500

/* ---------------------------------------------------------------------------
 * Reading now, in this process (as before the queue)
 * ------------------------------------------------------------------------- */

/* lers poll POINT: read the device now, with progress on stderr;
 * lers poll --connection=ID: every point behind a link, in one hold */
static int
lers_cli_poll_now (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *from_s = NULL;
  g_autofree gchar *to_s = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersPoller) poller = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  gboolean tty = isatty (2);
  LersArchiveKind kind;
  LersStore *store;
  gint64 point_id = 0;
  gint64 connection_id = 0;
  gint n;

  if (!lers_cli_parse_range (&argc, &argv, _ ("POINT — read a point's device now"), &kind, &from_s,
                             &to_s, &connection_id, &error)
      || (connection_id == 0 && argc != 2) || (connection_id != 0 && argc != 1)
      || (connection_id != 0 && (from_s != NULL || to_s != NULL))
      || (connection_id == 0 && !lers_cli_parse_point (argv[1], &point_id, &error)))
    {
      if (error == NULL)
        g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                     _ ("Usage: lers poll POINT [--kind=hour] [--from=TIME] [--to=TIME] | lers "
                        "poll --connection=ID [--kind=hour]"));
      g_printerr ("%s\n", error->message);
      return 2;
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL
      || (connection_id == 0
          && !lers_cli_resolve_range (store, point_id, from_s, to_s, &zone, &from, &to, &error)))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  engine = lers_engine_new ();
  poller = lers_poller_new (store, engine);
  g_signal_connect (progress, "notify::fraction", G_CALLBACK (lers_cli_show_progress),
                    GINT_TO_POINTER (tty));
  if (connection_id != 0)
    n = lers_poller_read_connection_sync (poller, connection_id, kind, progress, NULL, &error);
  else
    n = lers_poller_read_point_sync (poller, point_id, kind, from, to, progress, NULL, &error);
  if (tty)
    g_printerr ("\n");
  if (n < 0)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (connection_id != 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Connection %" PRId64 ": %d record stored\n",
                          "Connection %" PRId64 ": %d records stored\n", n),
             connection_id, n);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "Point %" PRId64 ": %d record stored\n",
                          "Point %" PRId64 ": %d records stored\n", n),
             point_id, n);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------- */

/* Parses a subcommand's options; @usage is its one-line synopsis. */
static gboolean
lers_cli_poll_options (int *argc, char ***argv, const gchar *usage, const GOptionEntry *entries,
                       GError **error)
{
  g_autoptr (GOptionContext) context = g_option_context_new (usage);

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
lers_cli_poll_parse_id (const gchar *text, gint64 *id, GError **error)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("“%s” is not an id"),
                   text != NULL ? text : "");
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

/* wall-clock time in @zone with its offset, as the other commands show
 * times; a dash for none */
static gchar *
lers_cli_poll_time (GDateTime *dt, GTimeZone *zone)
{
  g_autoptr (GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (dt, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M %:z");
}

static gchar *
lers_cli_poll_unix_time (gint64 unix_time, GTimeZone *zone)
{
  g_autoptr (GDateTime) dt = NULL;

  if (unix_time == 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_utc (unix_time);
  return lers_cli_poll_time (dt, zone);
}

/* A seconds count as 1:02:03 */
static gchar *
lers_cli_poll_duration (gint64 seconds)
{
  return g_strdup_printf ("%" PRId64 ":%02d:%02d", seconds / 3600, (gint) (seconds / 60 % 60),
                          (gint) (seconds % 60));
}

/* Text from the database or a meter, for a terminal: control characters
 * shown as \xNN */
static void
lers_cli_poll_append_text (GString *line, const gchar *text)
{
  g_autofree gchar *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (const gchar *c = valid; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      if (g_unichar_iscntrl (u))
        g_string_append_printf (line, "\\x%02x", u);
      else
        g_string_append_unichar (line, u);
    }
}

static const gchar *
lers_cli_poll_state_label (LersPollJobState state)
{
  switch (state)
    {
    case LERS_POLL_JOB_STATE_QUEUED:
      /* TRANSLATORS: a poll job's state */
      return _ ("queued");
    case LERS_POLL_JOB_STATE_RUNNING:
      /* TRANSLATORS: a poll job's state */
      return _ ("running");
    case LERS_POLL_JOB_STATE_DONE:
      /* TRANSLATORS: a poll job's state */
      return _ ("done");
    case LERS_POLL_JOB_STATE_FAILED:
      /* TRANSLATORS: a poll job's state */
      return _ ("failed");
    case LERS_POLL_JOB_STATE_CANCELLED:
    default:
      /* TRANSLATORS: a poll job's state */
      return _ ("cancelled");
    }
}

static const gchar *
lers_cli_poll_priority_label (LersPollPriority priority)
{
  switch (priority)
    {
    case LERS_POLL_PRIORITY_MANUAL:
      /* TRANSLATORS: a poll job's priority: a read a user asked for */
      return _ ("manual");
    case LERS_POLL_PRIORITY_ALARM:
      /* TRANSLATORS: a poll job's priority: a read an alarm asked for */
      return _ ("alarm");
    case LERS_POLL_PRIORITY_BACKFILL:
      /* TRANSLATORS: a poll job's priority: a gap in the archive read again */
      return _ ("backfill");
    case LERS_POLL_PRIORITY_ROUTINE:
    default:
      /* TRANSLATORS: a poll job's priority: a read on the point's schedule */
      return _ ("routine");
    }
}

static const gchar *
lers_cli_poll_service_state_label (const gchar *state)
{
  if (g_strcmp0 (state, "running") == 0)
    /* TRANSLATORS: a polling service's state */
    return _ ("running");
  if (g_strcmp0 (state, "pending") == 0)
    /* TRANSLATORS: a polling service's state: not authorised yet */
    return _ ("not authorised");
  if (g_strcmp0 (state, "stopped") == 0)
    /* TRANSLATORS: a polling service's state */
    return _ ("stopped");
  if (g_strcmp0 (state, "dead") == 0)
    /* TRANSLATORS: a polling service's state: no heartbeat for a lease */
    return _ ("not responding");
  return state;
}

static const gchar *
lers_cli_poll_link_state_label (const gchar *state)
{
  if (g_strcmp0 (state, "active") == 0)
    /* TRANSLATORS: a link's state: a polling service reads it */
    return _ ("polling");
  if (g_strcmp0 (state, "blocked") == 0)
    /* TRANSLATORS: a link's state: backing off after failures */
    return _ ("blocked");
  if (g_strcmp0 (state, "free") == 0)
    /* TRANSLATORS: a link's state */
    return _ ("free");
  return state;
}

static const gchar *
lers_cli_yes_no (gboolean value)
{
  return value ? _ ("yes") : _ ("no");
}

static guint64
lers_cli_poll_lookup_u (GVariant *dict, const gchar *key)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (dict, key, NULL);

  if (value == NULL)
    return 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return (guint64) MAX (g_variant_get_int32 (value), 0);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (guint64) MAX (g_variant_get_int64 (value), 0);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    return g_variant_get_uint64 (value);
  return 0;
}

static gint64
lers_cli_poll_lookup_x (GVariant *dict, const gchar *key)
{
  gint64 value = 0;

  if (!g_variant_lookup (dict, key, "x", &value))
    return 0;
  return value;
}

static const gchar *
lers_cli_poll_lookup_s (GVariant *dict, const gchar *key)
{
  const gchar *value = NULL;

  if (!g_variant_lookup (dict, key, "&s", &value))
    return NULL;
  return value;
}

/* the zone of @point_id, once per point */
static GTimeZone *
lers_cli_poll_point_zone (LersStore *store, GHashTable *zones, gint64 point_id, GError **error)
{
  GTimeZone *zone = g_hash_table_lookup (zones, &point_id);
  gint64 *key;

  if (zone != NULL)
    return zone;
  zone = lers_store_get_point_time_zone_sync (store, point_id, NULL, error);
  if (zone == NULL)
    return NULL;
  key = g_memdup2 (&point_id, sizeof point_id);
  g_hash_table_insert (zones, key, zone);
  return zone;
}

static GHashTable *
lers_cli_poll_zones_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                (GDestroyNotify) g_time_zone_unref);
}

static int
lers_cli_poll_fail (GError *error)
{
  g_printerr ("%s\n", error->message);
  return EXIT_FAILURE;
}

static int
lers_cli_poll_usage (GError **error, const gchar *usage)
{
  if (error != NULL && *error != NULL)
    g_printerr ("%s\n", (*error)->message);
  else
    /* TRANSLATORS: %s is a command's synopsis, such as "lers poll job ID" */
    g_printerr (_ ("Usage: %s\n"), usage);
  return 2;
}

/* ---------------------------------------------------------------------------
 * read
 * ------------------------------------------------------------------------- */

static gchar *
lers_cli_poll_job_line (LersPollJob *job)
{
  LersPollJobState state = lers_poll_job_get_state (job);
  const gchar *message = lers_poll_job_get_message (job);
  const gchar *error = lers_poll_job_get_error (job);
  g_autoptr (GString) line = g_string_new (NULL);

  /* TRANSLATORS: the start of a job's progress line: job id, point id, archive */
  g_string_append_printf (line, _ ("Job %" PRId64 " (point %" PRId64 ", %s): "),
                          lers_poll_job_get_id (job), lers_poll_job_get_point_id (job),
                          lers_archive_kind_to_string (lers_poll_job_get_kind (job)));
  g_string_append (line, lers_cli_poll_state_label (state));
  if (state == LERS_POLL_JOB_STATE_RUNNING)
    {
      g_string_append_printf (line, " %3.0f%%", lers_poll_job_get_progress (job) * 100);
      if (message != NULL && message[0] != '\0')
        {
          g_string_append_c (line, ' ');
          lers_cli_poll_append_text (line, message);
        }
    }
  else if (state == LERS_POLL_JOB_STATE_QUEUED && error != NULL)
    {
      /* TRANSLATORS: a queued job that failed before and waits to try again */
      g_string_append_printf (line, _ (", attempt %d failed: "), lers_poll_job_get_attempts (job));
      lers_cli_poll_append_text (line, error);
    }
  else if (state == LERS_POLL_JOB_STATE_DONE)
    {
      gint n = lers_poll_job_get_records (job);
      g_string_append (line, ", ");
      g_string_append_printf (line, g_dngettext (GETTEXT_PACKAGE, "%d record", "%d records", n), n);
    }
  else if (state >= LERS_POLL_JOB_STATE_FAILED && error != NULL)
    {
      g_string_append (line, ": ");
      lers_cli_poll_append_text (line, error);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Shows the jobs' progress until every one has finished: the lines are
 * redrawn in place on a terminal, and a line is printed when a job's line
 * changes otherwise. */
static gboolean
lers_cli_poll_wait (LersPollQueue *queue, GPtrArray *jobs, gboolean tty, GError **error)
{
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  gboolean first = TRUE;

  for (guint i = 0; i < jobs->len; i++)
    g_ptr_array_add (shown, NULL);
  for (;;)
    {
      gboolean all_done = TRUE;

      if (tty && !first)
        g_printerr ("\033[%uA", jobs->len);
      for (guint i = 0; i < jobs->len; i++)
        {
          LersPollJob *job = g_ptr_array_index (jobs, i);
          g_autofree gchar *line = NULL;

          if (lers_poll_job_get_state (job) <= LERS_POLL_JOB_STATE_RUNNING)
            {
              g_autoptr (LersPollJob) fresh
                  = lers_poll_queue_get_job_sync (queue, lers_poll_job_get_id (job), NULL, error);
              if (fresh == NULL)
                return FALSE;
              g_ptr_array_index (jobs, i) = g_steal_pointer (&fresh);
              g_object_unref (job);
              job = g_ptr_array_index (jobs, i);
            }
          if (lers_poll_job_get_state (job) <= LERS_POLL_JOB_STATE_RUNNING)
            all_done = FALSE;
          line = lers_cli_poll_job_line (job);
          if (tty)
            {
              /* one screen line a job, or the redraw would go astray */
              struct winsize ws = { 0 };
              glong width = ioctl (2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1 : 79;

              if (g_utf8_strlen (line, -1) > width)
                {
                  gchar *cut = g_utf8_substring (line, 0, width);
                  g_free (line);
                  line = cut;
                }
              g_printerr ("\r%s\033[K\n", line);
            }
          else if (g_strcmp0 (line, g_ptr_array_index (shown, i)) != 0)
            g_printerr ("%s\n", line);
          g_free (g_ptr_array_index (shown, i));
          g_ptr_array_index (shown, i) = g_steal_pointer (&line);
        }
      first = FALSE;
      if (all_done)
        return TRUE;
      g_usleep (LERS_CLI_POLL_WAIT_MS * 1000);
    }
}

/* lers poll read POINT… : queue manual reads */
static int
lers_cli_poll_read (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll read POINT… [--kind=hour,day] [--from=TIME] [--to=TIME] [--wait]";
  g_autoptr (GError) error = NULL;
  g_autofree gchar *kinds_s = NULL;
  g_autofree gchar *from_s = NULL;
  g_autofree gchar *to_s = NULL;
  gboolean wait = FALSE;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kinds_s,
      N_ ("Archives, separated by commas: hour, day, month, totals, current (default hour)"),
      "KIND,…" },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from_s,
      N_ ("Start: ISO 8601, a date (midnight in the first point's zone), -24h, -7d; by default "
          "from the last stored record"),
      "TIME" },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to_s, N_ ("End, as --from; by default now"), "TIME" },
    { "wait", 'w', 0, G_OPTION_ARG_NONE, &wait,
      N_ ("Show the jobs' progress until they finish; exit 1 if any did not succeed"), NULL },
    { NULL },
  };
  g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) kinds = g_array_new (FALSE, FALSE, sizeof (LersArchiveKind));
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  LersStore *store;
  int status = EXIT_SUCCESS;

  if (!lers_cli_poll_options (&argc, &argv, _ ("POINT… — queue a read of points"), entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc < 2)
    return lers_cli_poll_usage (NULL, usage);
  for (int i = 1; i < argc; i++)
    {
      gint64 id;
      if (!lers_cli_parse_point (argv[i], &id, &error))
        return lers_cli_poll_usage (&error, usage);
      g_array_append_val (points, id);
    }
  if (kinds_s != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (kinds_s, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          LersArchiveKind kind;
          g_strstrip (parts[i]);
          if (!lers_archive_kind_from_string (parts[i], &kind))
            {
              g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Unknown archive “%s”"), parts[i]);
              return lers_cli_poll_usage (&error, usage);
            }
          g_array_append_val (kinds, kind);
        }
    }
  if (kinds->len == 0)
    {
      LersArchiveKind hour = LERS_ARCHIVE_KIND_HOUR;
      g_array_append_val (kinds, hour);
    }
  /* checked before the database is opened; read again in the point's zone */
  if ((from_s != NULL && (from = lers_cli_parse_time (from_s, NULL, &error)) == NULL)
      || (to_s != NULL && (to = lers_cli_parse_time (to_s, NULL, &error)) == NULL))
    return lers_cli_poll_usage (&error, usage);
  g_clear_pointer (&from, g_date_time_unref);
  g_clear_pointer (&to, g_date_time_unref);

  store = lers_cli_open_store (cli, &error);
  if (store == NULL
      || !lers_cli_resolve_range (store, g_array_index (points, gint64, 0), from_s, to_s, &zone,
                                  &from, &to, &error))
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  jobs = lers_poll_queue_enqueue_sync (queue, (const gint64 *) points->data, points->len,
                                       (const LersArchiveKind *) kinds->data, kinds->len, from, to,
                                       LERS_POLL_PRIORITY_MANUAL, g_get_user_name (), NULL, &error);
  if (jobs == NULL)
    return lers_cli_poll_fail (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      LersPollJob *job = g_ptr_array_index (jobs, i);
      g_print (_ ("Queued job %" PRId64 ": point %" PRId64 ", %s\n"), lers_poll_job_get_id (job),
               lers_poll_job_get_point_id (job),
               lers_archive_kind_to_string (lers_poll_job_get_kind (job)));
    }
  if (!wait)
    return EXIT_SUCCESS;

  if (!lers_cli_poll_wait (queue, jobs, isatty (2), &error))
    return lers_cli_poll_fail (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      LersPollJob *job = g_ptr_array_index (jobs, i);
      g_autofree gchar *line = lers_cli_poll_job_line (job);

      g_print ("%s\n", line);
      if (lers_poll_job_get_state (job) != LERS_POLL_JOB_STATE_DONE)
        status = EXIT_FAILURE;
    }
  return status;
}

/* ---------------------------------------------------------------------------
 * jobs, job, cancel
 * ------------------------------------------------------------------------- */

static int
lers_cli_poll_jobs (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll jobs [--point=ID] [--state=STATE] [--limit=N]";
  g_autoptr (GError) error = NULL;
  gint64 point_id = 0;
  g_autofree gchar *state_s = NULL;
  gint limit = 50;
  GOptionEntry entries[] = {
    { "point", 'p', 0, G_OPTION_ARG_INT64, &point_id, N_ ("Only this point's jobs"), N_ ("ID") },
    { "state", 's', 0, G_OPTION_ARG_STRING, &state_s,
      N_ ("Only jobs in this state: queued, running, done, failed, cancelled"), N_ ("STATE") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_ ("At most this many, newest first (50)"), "N" },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GHashTable) zones = lers_cli_poll_zones_new ();
  g_autoptr (GString) line = g_string_new (NULL);
  gint state = -1;
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv, _ ("— list poll jobs"), entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 1 || point_id < 0 || limit < 1 || limit > 10000)
    return lers_cli_poll_usage (NULL, usage);
  if (state_s != NULL)
    {
      GEnumClass *klass = g_type_class_ref (LERS_TYPE_POLL_JOB_STATE);
      GEnumValue *value = g_enum_get_value_by_nick (klass, state_s);

      if (value != NULL)
        state = value->value;
      g_type_class_unref (klass);
      if (value == NULL)
        {
          g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown job state “%s”: use queued, running, done, failed or "
                          "cancelled"),
                       state_s);
          return lers_cli_poll_usage (&error, usage);
        }
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  jobs = lers_poll_queue_list_jobs_sync (queue, point_id, state, 0, (guint) limit, NULL, &error);
  if (jobs == NULL)
    return lers_cli_poll_fail (error);

  lers_cli_pad (line, _ ("ID"), 8, TRUE);
  lers_cli_pad (line, _ ("POINT"), 6, TRUE);
  lers_cli_pad (line, _ ("ARCHIVE"), 8, FALSE);
  lers_cli_pad (line, _ ("PRIORITY"), 10, FALSE);
  lers_cli_pad (line, _ ("STATE"), 10, FALSE);
  lers_cli_pad (line, _ ("TRIES"), 6, TRUE);
  lers_cli_pad (line, _ ("DUE"), 23, FALSE);
  lers_cli_pad (line, _ ("STARTED"), 23, FALSE);
  lers_cli_pad (line, _ ("FINISHED"), 23, FALSE);
  lers_cli_pad (line, _ ("RECORDS"), 8, TRUE);
  g_string_append (line, _ ("ERROR"));
  g_print ("%s\n", line->str);
  for (guint i = 0; i < jobs->len; i++)
    {
      LersPollJob *job = g_ptr_array_index (jobs, i);
      GTimeZone *zone
          = lers_cli_poll_point_zone (store, zones, lers_poll_job_get_point_id (job), &error);
      g_autofree gchar *id = NULL;
      g_autofree gchar *point = NULL;
      g_autofree gchar *attempts = NULL;
      g_autofree gchar *due = NULL;
      g_autofree gchar *started = NULL;
      g_autofree gchar *finished = NULL;
      g_autofree gchar *records = NULL;

      if (zone == NULL)
        return lers_cli_poll_fail (error);
      id = g_strdup_printf ("%" PRId64, lers_poll_job_get_id (job));
      point = g_strdup_printf ("%" PRId64, lers_poll_job_get_point_id (job));
      attempts = g_strdup_printf ("%d", lers_poll_job_get_attempts (job));
      due = lers_cli_poll_time (lers_poll_job_get_due (job), zone);
      started = lers_cli_poll_time (lers_poll_job_get_started (job), zone);
      finished = lers_cli_poll_time (lers_poll_job_get_finished (job), zone);
      records = g_strdup_printf ("%d", lers_poll_job_get_records (job));
      g_string_truncate (line, 0);
      lers_cli_pad (line, id, 8, TRUE);
      lers_cli_pad (line, point, 6, TRUE);
      lers_cli_pad (line, lers_archive_kind_to_string (lers_poll_job_get_kind (job)), 8, FALSE);
      lers_cli_pad (line, lers_cli_poll_priority_label (lers_poll_job_get_priority (job)), 10,
                    FALSE);
      lers_cli_pad (line, lers_cli_poll_state_label (lers_poll_job_get_state (job)), 10, FALSE);
      lers_cli_pad (line, attempts, 6, TRUE);
      lers_cli_pad (line, due, 23, FALSE);
      lers_cli_pad (line, started, 23, FALSE);
      lers_cli_pad (line, finished, 23, FALSE);
      lers_cli_pad (line, records, 8, TRUE);
      lers_cli_poll_append_text (line, lers_poll_job_get_error (job));
      g_print ("%s\n", g_strchomp (line->str));
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u job\n", "%u jobs\n", jobs->len), jobs->len);
  return EXIT_SUCCESS;
}

static void
lers_cli_poll_field (const gchar *name, const gchar *value)
{
  g_autoptr (GString) line = g_string_new (NULL);

  lers_cli_pad (line, name, 16, FALSE);
  lers_cli_poll_append_text (line, value != NULL ? value : "—");
  g_print ("%s\n", line->str);
}

static int
lers_cli_poll_job (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll job ID [--json]";
  g_autoptr (GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the job as the HTTP API shows it"), NULL },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (LersPollJob) job = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  LersStore *store;
  gint64 job_id = 0;

  if (!lers_cli_poll_options (&argc, &argv, _ ("ID — show a poll job and its log"), entries,
                              &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 2)
    return lers_cli_poll_usage (NULL, usage);
  if (!lers_cli_poll_parse_id (argv[1], &job_id, &error))
    return lers_cli_poll_usage (&error, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  job = lers_poll_queue_get_job_sync (queue, job_id, NULL, &error);
  if (job == NULL)
    return lers_cli_poll_fail (error);
  zone
      = lers_store_get_point_time_zone_sync (store, lers_poll_job_get_point_id (job), NULL, &error);
  if (zone == NULL)
    return lers_cli_poll_fail (error);
  if (json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      lers_poll_job_append_json (job, out, zone);
      g_print ("%s\n", out->str);
      return EXIT_SUCCESS;
    }
  {
    g_autofree gchar *id = g_strdup_printf ("%" PRId64, lers_poll_job_get_id (job));
    g_autofree gchar *point = g_strdup_printf ("%" PRId64, lers_poll_job_get_point_id (job));
    g_autofree gchar *connection
        = g_strdup_printf ("%" PRId64, lers_poll_job_get_connection_id (job));
    g_autofree gchar *from = lers_cli_poll_time (lers_poll_job_get_from (job), zone);
    g_autofree gchar *to = lers_cli_poll_time (lers_poll_job_get_to (job), zone);
    g_autofree gchar *slot = lers_cli_poll_time (lers_poll_job_get_slot (job), zone);
    g_autofree gchar *due = lers_cli_poll_time (lers_poll_job_get_due (job), zone);
    g_autofree gchar *attempts = g_strdup_printf ("%d / %d", lers_poll_job_get_attempts (job),
                                                  lers_poll_job_get_max_attempts (job));
    g_autofree gchar *service
        = lers_poll_job_get_service_id (job) > 0
              ? g_strdup_printf ("%" PRId64, lers_poll_job_get_service_id (job))
              : NULL;
    g_autofree gchar *progress = g_strdup_printf ("%.0f%%", lers_poll_job_get_progress (job) * 100);
    g_autofree gchar *records = g_strdup_printf ("%d", lers_poll_job_get_records (job));
    g_autofree gchar *created = lers_cli_poll_time (lers_poll_job_get_created (job), zone);
    g_autofree gchar *started = lers_cli_poll_time (lers_poll_job_get_started (job), zone);
    g_autofree gchar *finished = lers_cli_poll_time (lers_poll_job_get_finished (job), zone);
    const gchar *log = lers_poll_job_get_log (job);

    lers_cli_poll_field (_ ("Job:"), id);
    lers_cli_poll_field (_ ("Point:"), point);
    lers_cli_poll_field (_ ("Connection:"), connection);
    lers_cli_poll_field (_ ("Archive:"),
                         lers_archive_kind_to_string (lers_poll_job_get_kind (job)));
    lers_cli_poll_field (_ ("From:"), from);
    lers_cli_poll_field (_ ("To:"), to);
    lers_cli_poll_field (_ ("Priority:"),
                         lers_cli_poll_priority_label (lers_poll_job_get_priority (job)));
    lers_cli_poll_field (_ ("Slot:"), slot);
    lers_cli_poll_field (_ ("State:"), lers_cli_poll_state_label (lers_poll_job_get_state (job)));
    if (lers_poll_job_get_cancel_requested (job))
      lers_cli_poll_field (_ ("Cancel:"), _ ("requested"));
    lers_cli_poll_field (_ ("Due:"), due);
    lers_cli_poll_field (_ ("Attempts:"), attempts);
    lers_cli_poll_field (_ ("Service:"), service);
    lers_cli_poll_field (_ ("Progress:"), progress);
    lers_cli_poll_field (_ ("Message:"), lers_poll_job_get_message (job));
    lers_cli_poll_field (_ ("Records:"), records);
    lers_cli_poll_field (_ ("Error:"), lers_poll_job_get_error (job));
    lers_cli_poll_field (_ ("Error code:"), lers_poll_job_get_error_code (job));
    lers_cli_poll_field (_ ("Requested by:"), lers_poll_job_get_requested_by (job));
    lers_cli_poll_field (_ ("Created:"), created);
    lers_cli_poll_field (_ ("Started:"), started);
    lers_cli_poll_field (_ ("Finished:"), finished);
    g_print ("%s\n", _ ("Log:"));
    if (log != NULL && log[0] != '\0')
      {
        g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
        for (guint i = 0; lines[i] != NULL; i++)
          {
            g_autoptr (GString) text = g_string_new ("  ");
            if (lines[i][0] == '\0' && lines[i + 1] == NULL)
              break;
            lers_cli_poll_append_text (text, lines[i]);
            g_print ("%s\n", text->str);
          }
      }
  }
  return EXIT_SUCCESS;
}

static int
lers_cli_poll_cancel (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll cancel ID";
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (LersPollJob) job = NULL;
  LersStore *store;
  gint64 job_id = 0;

  if (!lers_cli_poll_options (&argc, &argv, _ ("ID — cancel a poll job"), NULL, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 2)
    return lers_cli_poll_usage (NULL, usage);
  if (!lers_cli_poll_parse_id (argv[1], &job_id, &error))
    return lers_cli_poll_usage (&error, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  if (!lers_poll_queue_cancel_job_sync (queue, job_id, NULL, &error))
    return lers_cli_poll_fail (error);
  job = lers_poll_queue_get_job_sync (queue, job_id, NULL, &error);
  if (job == NULL)
    return lers_cli_poll_fail (error);
  if (lers_poll_job_get_state (job) == LERS_POLL_JOB_STATE_CANCELLED)
    g_print (_ ("Job %" PRId64 " cancelled\n"), job_id);
  else
    g_print (_ ("Job %" PRId64 ": cancel requested; its polling service stops the read\n"), job_id);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------------
 * status, services, links
 * ------------------------------------------------------------------------- */

static void
lers_cli_poll_print_services (GPtrArray *services, guint lease)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GString) line = g_string_new (NULL);

  lers_cli_pad (line, _ ("SERVICE"), 16, FALSE);
  lers_cli_pad (line, _ ("HOST"), 16, FALSE);
  lers_cli_pad (line, _ ("VERSION"), 8, FALSE);
  lers_cli_pad (line, _ ("STATE"), 15, FALSE);
  lers_cli_pad (line, _ ("STARTED"), 23, FALSE);
  lers_cli_pad (line, _ ("HEARTBEAT"), 10, TRUE);
  lers_cli_pad (line, _ ("DONE"), 8, TRUE);
  g_string_append (line, _ ("FAILED"));
  g_print ("%s\n", line->str);
  for (guint i = 0; i < services->len; i++)
    {
      LersPollService *service = g_ptr_array_index (services, i);
      GDateTime *heartbeat = lers_poll_service_get_heartbeat (service);
      g_autofree gchar *started
          = lers_cli_poll_time (lers_poll_service_get_started (service), zone);
      g_autofree gchar *age = NULL;
      g_autofree gchar *done
          = g_strdup_printf ("%" PRId64, lers_poll_service_get_jobs_done (service));
      g_autofree gchar *failed
          = g_strdup_printf ("%" PRId64, lers_poll_service_get_jobs_failed (service));

      if (heartbeat != NULL)
        /* TRANSLATORS: how long ago a heartbeat was, in seconds */
        age = g_strdup_printf (_ ("%" PRId64 " s ago"),
                               MAX (g_date_time_difference (now, heartbeat), 0)
                                   / G_TIME_SPAN_SECOND);
      g_string_truncate (line, 0);
      lers_cli_pad (line, lers_poll_service_get_name (service), 16, FALSE);
      lers_cli_pad (line, lers_poll_service_get_host (service), 16, FALSE);
      lers_cli_pad (line, lers_poll_service_get_version (service), 8, FALSE);
      lers_cli_pad (
          line,
          lers_cli_poll_service_state_label (lers_poll_service_get_state (service, now, lease)), 15,
          FALSE);
      lers_cli_pad (line, started, 23, FALSE);
      lers_cli_pad (line, age != NULL ? age : "—", 10, TRUE);
      lers_cli_pad (line, done, 8, TRUE);
      g_string_append (line, failed);
      g_print ("%s\n", line->str);
    }
}

static gboolean
lers_cli_poll_print_links (LersPollQueue *queue, GError **error)
{
  g_autoptr (GVariant) links = lers_poll_queue_list_links_sync (queue, NULL, error);
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GString) line = g_string_new (NULL);
  GVariantIter iter;
  GVariant *link;

  if (links == NULL)
    return FALSE;
  lers_cli_pad (line, _ ("LINK"), 6, TRUE);
  lers_cli_pad (line, _ ("KIND"), 12, FALSE);
  lers_cli_pad (line, _ ("ADDRESS"), 24, FALSE);
  lers_cli_pad (line, _ ("STATE"), 13, FALSE);
  lers_cli_pad (line, _ ("SERVICE"), 16, FALSE);
  lers_cli_pad (line, _ ("QUEUED"), 7, TRUE);
  lers_cli_pad (line, _ ("FAILURES"), 9, TRUE);
  lers_cli_pad (line, _ ("LAST SESSION"), 23, FALSE);
  g_string_append (line, _ ("LAST ERROR"));
  g_print ("%s\n", line->str);
  g_variant_iter_init (&iter, links);
  while ((link = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (GVariant) owned = link;
      const gchar *state = lers_cli_poll_lookup_s (link, "state");
      g_autofree gchar *id
          = g_strdup_printf ("%" PRId64, lers_cli_poll_lookup_x (link, "connection_id"));
      g_autofree gchar *queued
          = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (link, "queued"));
      g_autofree gchar *failures
          = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (link, "failures"));
      g_autofree gchar *last
          = lers_cli_poll_unix_time (lers_cli_poll_lookup_x (link, "last_session"), zone);

      g_string_truncate (line, 0);
      lers_cli_pad (line, id, 6, TRUE);
      lers_cli_pad (line, lers_cli_poll_lookup_s (link, "kind"), 12, FALSE);
      lers_cli_pad (line, lers_cli_poll_lookup_s (link, "address"), 24, FALSE);
      lers_cli_pad (line, lers_cli_poll_link_state_label (state), 13, FALSE);
      lers_cli_pad (line, lers_cli_poll_lookup_s (link, "service"), 16, FALSE);
      lers_cli_pad (line, queued, 7, TRUE);
      lers_cli_pad (line, failures, 9, TRUE);
      lers_cli_pad (line, last, 23, FALSE);
      lers_cli_poll_append_text (line, lers_cli_poll_lookup_s (link, "last_error"));
      g_print ("%s\n", g_strchomp (line->str));
    }
  return TRUE;
}

/**
 * lers_cli_poll_format_status:
 * @status: what lers_poll_queue_get_status_sync() returned
 *
 * Returns: (transfer full): the status line as operators know it from ЛЭРС
 */
static gchar *
lers_cli_poll_format_status (GVariant *status)
{
  /* TRANSLATORS: the polling status line; keep the order of the numbers */
  return g_strdup_printf (
      _ ("Polling services: %" PRIu64 "; ports: %" PRIu64 ", busy: %" PRIu64 ", free: %" PRIu64
         "; links: %" PRIu64 ", polling: %" PRIu64 ", blocked: %" PRIu64),
      lers_cli_poll_lookup_u (status, "services"), lers_cli_poll_lookup_u (status, "ports_total"),
      lers_cli_poll_lookup_u (status, "ports_busy"), lers_cli_poll_lookup_u (status, "ports_free"),
      lers_cli_poll_lookup_u (status, "links_total"),
      lers_cli_poll_lookup_u (status, "links_active"),
      lers_cli_poll_lookup_u (status, "links_blocked"));
}

static int
lers_cli_poll_status (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll status [--links] [--lease=SECONDS]";
  g_autoptr (GError) error = NULL;
  gboolean links = FALSE;
  gint lease = LERS_CLI_POLL_LEASE;
  GOptionEntry entries[] = {
    { "links", 'l', 0, G_OPTION_ARG_NONE, &links, N_ ("Also list the links"), NULL },
    { "lease", 0, 0, G_OPTION_ARG_INT, &lease,
      N_ ("A service without a heartbeat for this long is not responding (60)"), N_ ("SECONDS") },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GPtrArray) services = NULL;
  g_autofree gchar *text = NULL;
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv, _ ("— polling services, ports, links and jobs"),
                              entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 1 || lease < 1)
    return lers_cli_poll_usage (NULL, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  status = lers_poll_queue_get_status_sync (queue, (guint) lease, NULL, &error);
  if (status == NULL)
    return lers_cli_poll_fail (error);
  services = lers_poll_queue_list_services_sync (queue, NULL, &error);
  if (services == NULL)
    return lers_cli_poll_fail (error);
  text = lers_cli_poll_format_status (status);
  g_print ("%s\n", text);
  g_print (_ ("Jobs: %" PRIu64 " queued (%" PRIu64 " due), %" PRIu64
              " running; in 24 hours %" PRIu64 " done, %" PRIu64 " failed\n"),
           lers_cli_poll_lookup_u (status, "jobs_queued"),
           lers_cli_poll_lookup_u (status, "jobs_due"),
           lers_cli_poll_lookup_u (status, "jobs_running"),
           lers_cli_poll_lookup_u (status, "jobs_done_24h"),
           lers_cli_poll_lookup_u (status, "jobs_failed_24h"));
  g_print ("\n");
  lers_cli_poll_print_services (services, (guint) lease);
  if (links)
    {
      g_print ("\n");
      if (!lers_cli_poll_print_links (queue, &error))
        return lers_cli_poll_fail (error);
    }
  return EXIT_SUCCESS;
}

static int
lers_cli_poll_services (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll services";
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GPtrArray) services = NULL;
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv, _ ("— list polling services"), NULL, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 1)
    return lers_cli_poll_usage (NULL, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  services = lers_poll_queue_list_services_sync (queue, NULL, &error);
  if (services == NULL)
    return lers_cli_poll_fail (error);
  lers_cli_poll_print_services (services, LERS_CLI_POLL_LEASE);
  return EXIT_SUCCESS;
}

static int
lers_cli_poll_authorise (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll authorise NAME [--revoke]";
  g_autoptr (GError) error = NULL;
  gboolean revoke = FALSE;
  GOptionEntry entries[] = {
    { "revoke", 0, 0, G_OPTION_ARG_NONE, &revoke,
      N_ ("Take the authorisation back: the service claims no more jobs"), NULL },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv, _ ("NAME — let a polling service claim jobs"), entries,
                              &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 2)
    return lers_cli_poll_usage (NULL, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  if (!lers_poll_queue_authorise_service_sync (queue, argv[1], !revoke, NULL, &error))
    return lers_cli_poll_fail (error);
  if (revoke)
    g_print (_ ("Polling service “%s” may no longer claim jobs\n"), argv[1]);
  else
    g_print (_ ("Polling service “%s” authorised\n"), argv[1]);
  return EXIT_SUCCESS;
}

/* Writes @token and a line feed to a new file @path, mode 0600 from the
 * start (never readable by others, not even for a moment); an existing
 * file is not overwritten. */
static gboolean
lers_cli_poll_write_token (const gchar *path, const gchar *token, GError **error)
{
  g_autofree gchar *text = g_strconcat (token, "\n", NULL);
  gsize len = strlen (text);
  gsize done = 0;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Cannot create the token file %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  while (done < len)
    {
      gssize n = write (fd, text + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          close (fd);
          g_unlink (path);
          g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED,
                       _ ("Cannot write the token file %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_unlink (path);
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Cannot write the token file %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static int
lers_cli_poll_add_service (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll add-service NAME --token-file=FILE";
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token_file = NULL;
  GOptionEntry entries[] = {
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_ ("Write the service's new token to this new file (mode 0600)"), N_ ("FILE") },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (LersPollService) service = NULL;
  g_autofree gchar *token = NULL;
  g_autofree gchar *probe = NULL;
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv,
                              _ ("NAME — add an authorised polling service and make its token"),
                              entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 2 || token_file == NULL)
    return lers_cli_poll_usage (NULL, usage);
  /* refuse before the service exists: an existing file is never overwritten */
  if (g_file_test (token_file, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("The token file %s exists; remove it or name another\n"), token_file);
      return EXIT_FAILURE;
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  service = lers_poll_queue_add_service_sync (queue, argv[1], &token, NULL, &error);
  if (service == NULL)
    return lers_cli_poll_fail (error);
  if (!lers_cli_poll_write_token (token_file, token, &error))
    {
      g_autoptr (GError) error_delete = NULL;
      /* a service whose token nobody has is of no use: take it back */
      lers_poll_queue_delete_service_sync (queue, argv[1], NULL, &error_delete);
      memset (token, 0, strlen (token));
      return lers_cli_poll_fail (error);
    }
  memset (token, 0, strlen (token));
  g_print (_ ("Polling service “%s” added and authorised; its token is in %s\n"), argv[1],
           token_file);
  g_print (_ ("Start it with: lersd --role=poller --name=%s --token-file=%s\n"), argv[1],
           token_file);
  return EXIT_SUCCESS;
}

static int
lers_cli_poll_remove_service (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll remove-service NAME";
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollQueue) queue = NULL;
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv, _ ("NAME — remove a polling service"), NULL, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 2)
    return lers_cli_poll_usage (NULL, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  if (!lers_poll_queue_delete_service_sync (queue, argv[1], NULL, &error))
    return lers_cli_poll_fail (error);
  g_print (_ ("Polling service “%s” removed\n"), argv[1]);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------------
 * schedule, plan
 * ------------------------------------------------------------------------- */

static int
lers_cli_poll_schedule (LersCli *cli, int argc, char **argv)
{
  const gchar *usage
      = "lers poll schedule POINT [--kind=KIND (--every=MIN [--at=MIN] | --off | --default)]";
  g_autoptr (GError) error = NULL;
  g_autofree gchar *kind_s = NULL;
  gint every = -1;
  gint at = -1;
  gboolean off = FALSE;
  gboolean reset = FALSE;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_s,
      N_ ("The archive whose schedule to change: hour, day, month, totals, current"), "KIND" },
    { "every", 0, 0, G_OPTION_ARG_INT, &every,
      N_ ("Read every MIN minutes (a divisor of 1440, a multiple of 1440, or 0: monthly)"),
      N_ ("MIN") },
    { "at", 0, 0, G_OPTION_ARG_INT, &at, N_ ("Minutes after local midnight of the first slot"),
      N_ ("MIN") },
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, N_ ("Do not read this archive on a schedule"), NULL },
    { "default", 0, 0, G_OPTION_ARG_NONE, &reset, N_ ("Go back to the default schedule"), NULL },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GVariant) schedules = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GString) line = g_string_new (NULL);
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  LersStore *store;
  gint64 point_id = 0;
  GVariantIter iter;
  GVariant *entry;
  gboolean change;

  if (!lers_cli_poll_options (&argc, &argv, _ ("POINT — show or change a point's schedule"),
                              entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 2)
    return lers_cli_poll_usage (NULL, usage);
  if (!lers_cli_parse_point (argv[1], &point_id, &error))
    return lers_cli_poll_usage (&error, usage);
  change = every >= 0 || at >= 0 || off || reset;
  if (change && (kind_s == NULL || (every >= 0) + off + reset != 1 || (at >= 0 && every < 0)))
    return lers_cli_poll_usage (NULL, usage);
  if (kind_s != NULL && !lers_archive_kind_from_string (kind_s, &kind))
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown archive “%s”"),
                   kind_s);
      return lers_cli_poll_usage (&error, usage);
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  zone = lers_store_get_point_time_zone_sync (store, point_id, NULL, &error);
  if (zone == NULL)
    return lers_cli_poll_fail (error);

  if (every >= 0
      && !lers_poll_queue_set_schedule_sync (queue, point_id, kind, TRUE, (guint) every,
                                             (guint) MAX (at, 0), NULL, &error))
    return lers_cli_poll_fail (error);
  if (reset && !lers_poll_queue_reset_schedule_sync (queue, point_id, kind, NULL, &error))
    return lers_cli_poll_fail (error);
  if (off)
    {
      /* off keeps the slots it had, so that --every is all it takes to go on */
      guint32 cur_every = 60, cur_at = 0;

      schedules = lers_poll_queue_list_schedules_sync (queue, point_id, now, NULL, &error);
      if (schedules == NULL)
        return lers_cli_poll_fail (error);
      g_variant_iter_init (&iter, schedules);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          g_autoptr (GVariant) owned = entry;
          if (g_strcmp0 (lers_cli_poll_lookup_s (entry, "kind"), lers_archive_kind_to_string (kind))
              == 0)
            {
              cur_every = (guint32) lers_cli_poll_lookup_u (entry, "every_minutes");
              cur_at = (guint32) lers_cli_poll_lookup_u (entry, "at_minutes");
            }
        }
      g_clear_pointer (&schedules, g_variant_unref);
      if (!lers_poll_queue_set_schedule_sync (queue, point_id, kind, FALSE, cur_every, cur_at, NULL,
                                              &error))
        return lers_cli_poll_fail (error);
    }

  schedules = lers_poll_queue_list_schedules_sync (queue, point_id, now, NULL, &error);
  if (schedules == NULL)
    return lers_cli_poll_fail (error);
  {
    const gchar *zone_name = g_time_zone_get_identifier (zone);
    g_autofree gchar *next_head = NULL;

    if (zone_name != NULL && zone_name[0] != '/' && zone_name[0] != ':')
      /* TRANSLATORS: the heading of the next slot column; %s is a time zone */
      next_head = g_strdup_printf (_ ("NEXT (%s)"), zone_name);
    else
      next_head = g_strdup (_ ("NEXT (server's zone)"));
    lers_cli_pad (line, _ ("ARCHIVE"), 8, FALSE);
    lers_cli_pad (line, _ ("ENABLED"), 8, FALSE);
    lers_cli_pad (line, _ ("EVERY, MIN"), 10, TRUE);
    lers_cli_pad (line, _ ("AT, MIN"), 8, TRUE);
    lers_cli_pad (line, _ ("DEFAULT"), 8, FALSE);
    g_string_append (line, next_head);
    g_print ("%s\n", line->str);
  }
  g_variant_iter_init (&iter, schedules);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (GVariant) owned = entry;
      gboolean enabled = FALSE;
      gboolean is_default = FALSE;
      g_autofree gchar *every_s = NULL;
      g_autofree gchar *at_s = NULL;
      g_autofree gchar *next = NULL;

      g_variant_lookup (entry, "enabled", "b", &enabled);
      g_variant_lookup (entry, "default", "b", &is_default);
      every_s = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (entry, "every_minutes"));
      at_s = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (entry, "at_minutes"));
      next = enabled ? lers_cli_poll_unix_time (lers_cli_poll_lookup_x (entry, "next"), zone)
                     : g_strdup ("—");
      g_string_truncate (line, 0);
      lers_cli_pad (line, lers_cli_poll_lookup_s (entry, "kind"), 8, FALSE);
      lers_cli_pad (line, lers_cli_yes_no (enabled), 8, FALSE);
      lers_cli_pad (line, every_s, 10, TRUE);
      lers_cli_pad (line, at_s, 8, TRUE);
      lers_cli_pad (line, lers_cli_yes_no (is_default), 8, FALSE);
      g_string_append (line, next);
      g_print ("%s\n", line->str);
    }
  return EXIT_SUCCESS;
}

static int
lers_cli_poll_plan (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll plan [--backfill [--max=N]]";
  g_autoptr (GError) error = NULL;
  gboolean backfill = FALSE;
  gint max_jobs = 100;
  GOptionEntry entries[] = {
    { "backfill", 'b', 0, G_OPTION_ARG_NONE, &backfill,
      N_ ("Also plan reads of the gaps in stored archives"), NULL },
    { "max", 0, 0, G_OPTION_ARG_INT, &max_jobs,
      N_ ("At most this many open backfill jobs in all (100)"), "N" },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  LersStore *store;
  guint n;

  if (!lers_cli_poll_options (&argc, &argv, _ ("— run the planner once"), entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 1 || max_jobs < 1)
    return lers_cli_poll_usage (NULL, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  n = lers_poll_queue_plan_sync (queue, NULL, NULL, &error);
  if (error != NULL)
    return lers_cli_poll_fail (error);
  g_print (
      g_dngettext (GETTEXT_PACKAGE, "%u routine job planned\n", "%u routine jobs planned\n", n), n);
  if (backfill)
    {
      n = lers_poll_queue_plan_backfill_sync (queue, now, (guint) max_jobs, NULL, &error);
      if (error != NULL)
        return lers_cli_poll_fail (error);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u backfill job planned\n",
                            "%u backfill jobs planned\n", n),
               n);
    }
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------------
 * sessions, traffic
 * ------------------------------------------------------------------------- */

static int
lers_cli_poll_sessions (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll sessions [--connection=ID] [--from=TIME] [--to=TIME] [--limit=N]";
  g_autoptr (GError) error = NULL;
  gint64 connection_id = 0;
  g_autofree gchar *from_s = NULL;
  g_autofree gchar *to_s = NULL;
  gint limit = 50;
  GOptionEntry entries[] = {
    { "connection", 'c', 0, G_OPTION_ARG_INT64, &connection_id, N_ ("Only this link's sessions"),
      N_ ("ID") },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from_s,
      N_ ("Sessions that started at or after: ISO 8601, a date, -24h, -7d"), "TIME" },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to_s, N_ ("…and before, as --from"), "TIME" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_ ("At most this many, newest first (50)"), "N" },
    { NULL },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  LersStore *store;

  if (!lers_cli_poll_options (&argc, &argv, _ ("— sessions on links"), entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 1 || connection_id < 0 || limit < 1 || limit > 10000)
    return lers_cli_poll_usage (NULL, usage);
  if ((from_s != NULL && (from = lers_cli_parse_time (from_s, zone, &error)) == NULL)
      || (to_s != NULL && (to = lers_cli_parse_time (to_s, zone, &error)) == NULL))
    return lers_cli_poll_usage (&error, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  sessions = lers_poll_queue_list_sessions_sync (queue, connection_id, from, to, (guint) limit,
                                                 NULL, &error);
  if (sessions == NULL)
    return lers_cli_poll_fail (error);

  lers_cli_pad (line, _ ("LINK"), 6, TRUE);
  lers_cli_pad (line, _ ("STARTED"), 23, FALSE);
  lers_cli_pad (line, _ ("DURATION"), 9, TRUE);
  lers_cli_pad (line, _ ("BYTES IN"), 10, TRUE);
  lers_cli_pad (line, _ ("BYTES OUT"), 10, TRUE);
  lers_cli_pad (line, _ ("SIGNAL, dBm"), 11, TRUE);
  lers_cli_pad (line, _ ("END"), 10, FALSE);
  g_string_append (line, _ ("ERROR"));
  g_print ("%s\n", line->str);
  for (guint i = 0; i < sessions->len; i++)
    {
      LersLinkSession *session = g_ptr_array_index (sessions, i);
      GDateTime *started_dt = lers_link_session_get_started (session);
      GDateTime *ended_dt = lers_link_session_get_ended (session);
      gint signal = lers_link_session_get_signal_level (session);
      g_autofree gchar *link
          = g_strdup_printf ("%" PRId64, lers_link_session_get_connection_id (session));
      g_autofree gchar *started = lers_cli_poll_time (started_dt, zone);
      g_autofree gchar *duration = lers_cli_poll_duration (
          started_dt != NULL && ended_dt != NULL
              ? g_date_time_difference (ended_dt, started_dt) / G_TIME_SPAN_SECOND
              : 0);
      g_autofree gchar *in = g_strdup_printf ("%" PRIu64, lers_link_session_get_bytes_in (session));
      g_autofree gchar *out
          = g_strdup_printf ("%" PRIu64, lers_link_session_get_bytes_out (session));
      g_autofree gchar *signal_s = signal != 0 ? g_strdup_printf ("%d", signal) : NULL;

      g_string_truncate (line, 0);
      lers_cli_pad (line, link, 6, TRUE);
      lers_cli_pad (line, started, 23, FALSE);
      lers_cli_pad (line, duration, 9, TRUE);
      lers_cli_pad (line, in, 10, TRUE);
      lers_cli_pad (line, out, 10, TRUE);
      lers_cli_pad (line, signal_s != NULL ? signal_s : "—", 11, TRUE);
      lers_cli_pad (line, lers_link_session_get_end_reason (session), 10, FALSE);
      lers_cli_poll_append_text (line, lers_link_session_get_error (session));
      g_print ("%s\n", g_strchomp (line->str));
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u session\n", "%u sessions\n", sessions->len),
           sessions->len);
  return EXIT_SUCCESS;
}

static int
lers_cli_poll_traffic (LersCli *cli, int argc, char **argv)
{
  const gchar *usage = "lers poll traffic [--connection=ID]";
  g_autoptr (GError) error = NULL;
  gint64 connection_id = 0;
  GOptionEntry entries[] = {
    { "connection", 'c', 0, G_OPTION_ARG_INT64, &connection_id, N_ ("Only this link"), N_ ("ID") },
    { NULL },
  };
  static const struct
  {
    const gchar *key;
    const gchar *label;
  } periods[] = {
    /* TRANSLATORS: periods of the traffic table */
    { "today", N_ ("today") },
    { "yesterday", N_ ("yesterday") },
    { "this_month", N_ ("this month") },
    { "last_month", N_ ("last month") },
  };
  g_autoptr (LersPollQueue) queue = NULL;
  g_autoptr (GVariant) traffic = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  LersStore *store;
  GVariantIter iter;
  GVariant *modem;

  if (!lers_cli_poll_options (&argc, &argv, _ ("— modem and link traffic"), entries, &error))
    return lers_cli_poll_usage (&error, usage);
  if (argc != 1 || connection_id < 0)
    return lers_cli_poll_usage (NULL, usage);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_poll_fail (error);
  queue = lers_poll_queue_new (store);
  traffic = lers_poll_queue_get_traffic_sync (queue, connection_id, zone, now, NULL, &error);
  if (traffic == NULL)
    return lers_cli_poll_fail (error);
  g_variant_iter_init (&iter, traffic);
  while ((modem = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (GVariant) owned = modem;
      g_autoptr (GString) line = g_string_new (NULL);
      const gchar *identity = lers_cli_poll_lookup_s (modem, "identity");
      const gchar *address = lers_cli_poll_lookup_s (modem, "address");
      const gchar *firmware = lers_cli_poll_lookup_s (modem, "firmware");
      const gchar *sim = lers_cli_poll_lookup_s (modem, "sim_id");
      gint32 signal = 0;

      g_variant_lookup (modem, "last_signal_level", "i", &signal);
      g_string_append_printf (line, _ ("Link %" PRId64),
                              lers_cli_poll_lookup_x (modem, "connection_id"));
      if (address != NULL && address[0] != '\0')
        {
          g_string_append (line, " ");
          lers_cli_poll_append_text (line, address);
        }
      if (identity != NULL && identity[0] != '\0')
        {
          g_string_append (line, " (");
          lers_cli_poll_append_text (line, identity);
          g_string_append (line, ")");
        }
      g_string_append (line, "; ");
      if (signal != 0)
        g_string_append_printf (line, _ ("signal %d dBm"), signal);
      else
        g_string_append (line, _ ("signal —"));
      g_string_append (line, ", ");
      g_string_append (line, _ ("firmware "));
      lers_cli_poll_append_text (line, firmware != NULL && firmware[0] != '\0' ? firmware : "—");
      g_string_append (line, ", ");
      g_string_append (line, _ ("SIM "));
      lers_cli_poll_append_text (line, sim != NULL && sim[0] != '\0' ? sim : "—");
      g_print ("%s\n", line->str);

      g_string_truncate (line, 0);
      g_string_append (line, "  ");
      lers_cli_pad (line, _ ("PERIOD"), 12, FALSE);
      lers_cli_pad (line, _ ("SESSIONS"), 9, TRUE);
      lers_cli_pad (line, _ ("FAILED"), 9, TRUE);
      lers_cli_pad (line, _ ("TIME"), 10, TRUE);
      lers_cli_pad (line, _ ("BYTES IN"), 12, TRUE);
      g_string_append (line, _ ("BYTES OUT"));
      g_print ("%s\n", line->str);
      for (gsize p = 0; p < G_N_ELEMENTS (periods); p++)
        {
          g_autoptr (GVariant) period = g_variant_lookup_value (modem, periods[p].key, NULL);
          g_autofree gchar *sessions = NULL;
          g_autofree gchar *failed = NULL;
          g_autofree gchar *time = NULL;
          g_autofree gchar *in = NULL;
          g_autofree gchar *out = NULL;

          if (period == NULL || !g_variant_is_of_type (period, G_VARIANT_TYPE_VARDICT))
            continue;
          sessions = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (period, "sessions"));
          failed = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (period, "failed"));
          time = lers_cli_poll_duration ((gint64) lers_cli_poll_lookup_u (period, "seconds"));
          in = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (period, "bytes_in"));
          out = g_strdup_printf ("%" PRIu64, lers_cli_poll_lookup_u (period, "bytes_out"));
          g_string_truncate (line, 0);
          g_string_append (line, "  ");
          lers_cli_pad (line, _ (periods[p].label), 12, FALSE);
          lers_cli_pad (line, sessions, 9, TRUE);
          lers_cli_pad (line, failed, 9, TRUE);
          lers_cli_pad (line, time, 10, TRUE);
          lers_cli_pad (line, in, 12, TRUE);
          g_string_append (line, out);
          g_print ("%s\n", line->str);
        }
    }
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------------
 * lers poll
 * ------------------------------------------------------------------------- */

static const struct
{
  const gchar *name;
  int (*run) (LersCli *cli, int argc, char **argv);
  const gchar *summary;
} lers_cli_poll_commands[] = {
  { "read", lers_cli_poll_read,
    N_ ("Queue a read of points for the polling services: read POINT… [--wait]") },
  { "jobs", lers_cli_poll_jobs, N_ ("List poll jobs, newest first") },
  { "job", lers_cli_poll_job, N_ ("Show a poll job and its log: job ID") },
  { "cancel", lers_cli_poll_cancel, N_ ("Cancel a poll job: cancel ID") },
  { "status", lers_cli_poll_status,
    N_ ("Polling services, ports, links and jobs at a glance [--links]") },
  { "services", lers_cli_poll_services, N_ ("List polling services") },
  { "authorise", lers_cli_poll_authorise,
    N_ ("Let a polling service claim jobs: authorise NAME [--revoke]") },
  { "add-service", lers_cli_poll_add_service,
    N_ ("Add an authorised polling service: add-service NAME --token-file=FILE") },
  { "remove-service", lers_cli_poll_remove_service,
    N_ ("Remove a polling service: remove-service NAME") },
  { "schedule", lers_cli_poll_schedule, N_ ("Show or change a point's schedule: schedule POINT") },
  { "sessions", lers_cli_poll_sessions, N_ ("Sessions on links, newest first") },
  { "traffic", lers_cli_poll_traffic,
    N_ ("Sessions, time and bytes per modem today, yesterday, this and last month") },
  { "plan", lers_cli_poll_plan, N_ ("Run the planner once [--backfill]") },
};

static void
lers_cli_poll_help (void)
{
  g_print ("%s\n\n", _ ("Usage: lers poll POINT [--kind=hour] [--from=TIME] [--to=TIME] | lers "
                        "poll --connection=ID | lers poll COMMAND [OPTIONS…]"));
  g_print ("%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (lers_cli_poll_commands); i++)
    g_print ("  %-15s %s\n", lers_cli_poll_commands[i].name, _ (lers_cli_poll_commands[i].summary));
}

/* lers poll POINT | --connection=ID: read now; lers poll COMMAND: the queue */
int
lers_cli_poll (LersCli *cli, int argc, char **argv)
{
  if (argc >= 2)
    for (gsize i = 0; i < G_N_ELEMENTS (lers_cli_poll_commands); i++)
      if (g_str_equal (argv[1], lers_cli_poll_commands[i].name))
        return lers_cli_poll_commands[i].run (cli, argc - 1, argv + 1);
  if (argc == 2 && (g_str_equal (argv[1], "help") || g_str_equal (argv[1], "--help")))
    {
      lers_cli_poll_help ();
      return EXIT_SUCCESS;
    }
  /* anything else is a point ("“abc” is not a point id", as before) */
  return lers_cli_poll_now (cli, argc, argv);
}
