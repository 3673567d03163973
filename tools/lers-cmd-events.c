/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "lers-cli.h"

/* lers events POINT: a point's stored meter events */

/* When nothing is asked: the last 30 days, as the API. */
#define LERS_CLI_EVENTS_DEFAULT_DAYS 30

static const gchar *
lers_cli_severity_label (LersMeterEventSeverity severity)
{
  switch (severity)
    {
    case LERS_METER_EVENT_SEVERITY_WARNING:
      /* TRANSLATORS: a meter event's severity, in the table of `lers events` */
      return _ ("warning");
    case LERS_METER_EVENT_SEVERITY_ALARM:
      /* TRANSLATORS: a meter event's severity, in the table of `lers events` */
      return _ ("alarm");
    case LERS_METER_EVENT_SEVERITY_INFO:
    default:
      /* TRANSLATORS: a meter event's severity, in the table of `lers events` */
      return _ ("info");
    }
}

/* wall-clock time in the point's zone with its offset; a dash for none */
static gchar *
lers_cli_events_time (GDateTime *dt, GTimeZone *zone)
{
  g_autoptr (GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (dt, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M %:z");
}

static void
lers_cli_events_print_table (GPtrArray *events, GTimeZone *zone)
{
  const gchar *zone_name = g_time_zone_get_identifier (zone);
  g_autofree gchar *start_head = NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  guint time_width;

  if (zone_name != NULL && zone_name[0] != '/' && zone_name[0] != ':')
    /* TRANSLATORS: the heading of the start column; %s is a time zone (Asia/Vladivostok) */
    start_head = g_strdup_printf (_ ("START (%s)"), zone_name);
  else
    start_head = g_strdup (_ ("START (server's zone)"));
  /* times are 23 characters (2026-11-24 11:00 +10:00) */
  time_width = MAX (23, (guint) g_utf8_strlen (start_head, -1));
  lers_cli_pad (line, start_head, time_width, FALSE);
  lers_cli_pad (line, _ ("END"), 23, FALSE);
  lers_cli_pad (line, _ ("EVENT"), 18, FALSE);
  lers_cli_pad (line, _ ("CODE"), 6, TRUE);
  lers_cli_pad (line, _ ("SEVERITY"), 14, FALSE);
  lers_cli_pad (line, _ ("CHANNEL"), 7, TRUE);
  g_string_append (line, _ ("TEXT"));
  g_print ("%s\n", line->str);
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *event = g_ptr_array_index (events, i);
      g_autofree gchar *start = lers_cli_events_time (lers_meter_event_get_start (event), zone);
      g_autofree gchar *end = lers_cli_events_time (lers_meter_event_get_end (event), zone);
      g_autofree gchar *code = g_strdup_printf ("%d", lers_meter_event_get_device_code (event));
      g_autofree gchar *channel = g_strdup_printf ("%u", lers_meter_event_get_channel (event));
      const gchar *text = lers_meter_event_get_text (event);

      g_string_truncate (line, 0);
      lers_cli_pad (line, start, time_width, FALSE);
      lers_cli_pad (line, end, 23, FALSE);
      lers_cli_pad (line, lers_meter_event_get_code (event), 18, FALSE);
      lers_cli_pad (line, code, 6, TRUE);
      lers_cli_pad (line, lers_cli_severity_label (lers_meter_event_get_severity (event)), 14,
                    FALSE);
      lers_cli_pad (line, channel, 7, TRUE);
      /* the device's own text goes to a terminal: no control characters */
      for (const gchar *c = text != NULL ? text : ""; *c != '\0'; c = g_utf8_next_char (c))
        {
          gunichar u = g_utf8_get_char (c);
          if (g_unichar_iscntrl (u))
            g_string_append_printf (line, "\\x%02x", u);
          else
            g_string_append_unichar (line, u);
        }
      g_print ("%s\n", line->str);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u event\n", "%u events\n", events->len), events->len);
}

/* the same array as GET /api/v1/points/{id}/events */
static void
lers_cli_events_print_json (GPtrArray *events, GTimeZone *zone)
{
  g_autoptr (GString) out = g_string_new ("[");

  for (guint i = 0; i < events->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      lers_meter_event_append_json (g_ptr_array_index (events, i), out, zone);
    }
  g_string_append (out, "]");
  g_print ("%s\n", out->str);
}

int
lers_cli_events (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *from_s = NULL;
  g_autofree gchar *to_s = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from_s,
      N_ ("Start: ISO 8601, a date (midnight in the point's zone), -24h, -7d"), "TIME" },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to_s, N_ ("End (not included), as --from"), "TIME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON, as the HTTP API does"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context
      = g_option_context_new (_ ("POINT — show a point's stored meter events"));
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GPtrArray) events = NULL;
  guint64 point_id = 0;
  LersStore *store;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (argc != 2)
    {
      g_printerr (_ ("Usage: lers events POINT [--from=TIME] [--to=TIME] [--json]\n"));
      return 2;
    }
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT32, &point_id, NULL))
    {
      g_printerr (_ ("“%s” is not a point id\n"), argv[1]);
      return 2;
    }
  /* checked before the database is opened: a typo gets its answer at once */
  if ((from_s != NULL && (from = lers_cli_parse_time (from_s, NULL, &error)) == NULL)
      || (to_s != NULL && (to = lers_cli_parse_time (to_s, NULL, &error)) == NULL))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_clear_pointer (&from, g_date_time_unref);
  g_clear_pointer (&to, g_date_time_unref);

  store = lers_cli_open_store (cli, &error);
  if (store == NULL
      || (zone = lers_store_get_point_time_zone_sync (store, (gint64) point_id, NULL, &error))
             == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  /* read again in the point's zone: a bare date is its local midnight */
  to = to_s != NULL ? lers_cli_parse_time (to_s, zone, NULL) : g_date_time_new_now_utc ();
  from = from_s != NULL ? lers_cli_parse_time (from_s, zone, NULL)
                        : g_date_time_add_days (to, -LERS_CLI_EVENTS_DEFAULT_DAYS);
  if (from == NULL || to == NULL)
    {
      g_printerr (_ ("The time range is out of range\n"));
      return 2;
    }
  events = lers_store_list_meter_events_sync (store, (gint64) point_id, from, to, NULL, &error);
  if (events == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (json)
    lers_cli_events_print_json (events, zone);
  else
    lers_cli_events_print_table (events, zone);
  return EXIT_SUCCESS;
}
