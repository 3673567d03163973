/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "lers-cli.h"

static const struct
{
  const gchar *name;
  int (*run) (LersCli *cli, int argc, char **argv);
  const gchar *summary;
} commands[] = {
  { "plugins", lers_cli_plugins, N_ ("List plugins with their versions and what they provide") },
  { "decode", lers_cli_decode,
    N_ ("Decode a frame from a file of hex bytes: decode PROTOCOL FILE") },
  { "scan", lers_cli_scan,
    N_ ("Find devices on a link: scan PROTOCOL tcp:HOST:PORT|/dev/… [--primary|--secondary "
        "[PATTERN]]") },
  { "points", lers_cli_points, N_ ("List measure points") },
  { "archive", lers_cli_archive, N_ ("Show a point's stored archive: archive POINT") },
  { "poll", lers_cli_poll,
    N_ ("Read a point's device now: poll POINT; queue reads and see the polling services: poll "
        "read|jobs|job|cancel|status|services|schedule|sessions|traffic|… (lers poll help)") },
  { "events", lers_cli_events, N_ ("Show a point's stored meter events: events POINT") },
  { "territory", lers_cli_territory,
    N_ ("List territories and their time zones, add one, put a node in one: territory "
        "[list|add|assign]") },
  { "user", lers_cli_user,
    N_ ("Users, passwords, API tokens and what each user sees: user "
        "[list|add|show|passwd|set|remove|token|scope]") },
  { "group", lers_cli_group,
    N_ ("Node groups: group [list|add|rename|remove|add-node|remove-node]") },
  { "import", lers_cli_import,
    N_ ("Create nodes, points, devices and connections from JSON: import FILE") },
  { "read", lers_cli_read,
    N_ ("Read a meter into a file, with no server or database: read --protocol P --port LINK "
        "--out FILE; read --list FILE") },
  { "sync", lers_cli_sync, N_ ("Upload a file that lers read wrote: sync FILE") },
  { "report", lers_cli_report,
    N_ ("Render a report: report TEMPLATE --point ID --from DATE --to DATE -o FILE; "
        "report --list") },
  { "db-uri", lers_cli_db_uri, N_ ("Print the database URI (starting the embedded cluster)") },
};

/**
 * lers_cli_open_store:
 * @cli: the common state
 * @error: return location for a #GError
 *
 * Opens the store named by --db, or starts (or reuses) the embedded cluster.
 */
LersStore *
lers_cli_open_store (LersCli *cli, GError **error)
{
  g_autofree gchar *uri = NULL;

  if (cli->store != NULL)
    return cli->store;
  if (cli->db_uri != NULL)
    uri = g_strdup (cli->db_uri);
  else
    {
      g_autofree gchar *datadir = lers_cluster_get_default_datadir ();
      cli->cluster = lers_cluster_new (datadir);
      if (!lers_cluster_start (cli->cluster, NULL, error))
        return NULL;
      uri = lers_cluster_get_uri (cli->cluster);
    }
  cli->store = lers_store_new (uri);
  if (!lers_store_open_sync (cli->store, NULL, error))
    {
      g_clear_object (&cli->store);
      return NULL;
    }
  return cli->store;
}

/**
 * lers_cli_parse_time:
 * @text: ISO 8601 (`2026-11-01T10:00:00Z`), a date (`2026-11-01`, midnight)
 *   or a time without an offset, both wall-clock time in @zone, or `now`,
 *   `-24h`, `-7d` relative to now
 * @zone: (nullable): the zone of a bare date or time; %NULL for UTC
 * @error: return location for a #GError
 */
GDateTime *
lers_cli_parse_time (const gchar *text, GTimeZone *zone, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GTimeZone) utc = NULL;
  GDateTime *dt = NULL;
  gchar *end = NULL;

  if (g_strcmp0 (text, "now") == 0)
    return g_date_time_ref (now);
  if (text[0] == '-' && text[1] != '\0')
    {
      guint64 n = g_ascii_strtoull (text + 1, &end, 10);
      if (end != text + 1 && n < 100000 && g_strcmp0 (end, "h") == 0)
        return g_date_time_add_hours (now, -(gint) n);
      if (end != text + 1 && n < 10000 && g_strcmp0 (end, "d") == 0)
        return g_date_time_add_days (now, -(gint) n);
    }
  if (zone == NULL)
    zone = utc = g_time_zone_new_utc ();
  dt = lers_time_parse_local (text, zone);
  if (dt == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                 _ ("“%s” is not a time: use ISO 8601 such as 2026-11-01T10:00:00Z, a date, "
                    "now, -24h or -7d"),
                 text);
  return dt;
}

/* A LersProgress "notify::fraction" handler: a bar on stderr, redrawn in
 * place on a terminal (@user_data TRUE), a line per step otherwise. */
void
lers_cli_show_progress (LersProgress *progress, GParamSpec *pspec, gpointer user_data)
{
  gboolean tty = GPOINTER_TO_INT (user_data);
  gint width = 30;
  gint done = (gint) (lers_progress_get_fraction (progress) * width + 0.5);
  const gchar *message = lers_progress_get_message (progress);
  g_autoptr (GString) bar = g_string_new (NULL);

  for (gint i = 0; i < width; i++)
    g_string_append (bar, i < done ? "#" : "-");
  g_printerr ("%s[%s] %3.0f%% %-30s%s", tty ? "\r" : "", bar->str,
              lers_progress_get_fraction (progress) * 100, message != NULL ? message : "",
              tty ? "" : "\n");
}

/**
 * lers_cli_pad:
 * @line: where to append
 * @text: (nullable): the cell
 * @width: its width in characters, not bytes: headings may be Russian
 * @right: align right rather than left
 *
 * Appends one table cell and a space.
 */
/* M-Bus runs 8E1: a serial link given only its speed gets parity even (the
 * address's parity defaults to none, which no M-Bus meter speaks); `lers
 * scan` and `lers read` both call this on the link they opened from
 * @address. */
gboolean
lers_cli_default_line (LersTransport *transport, const gchar *protocol, const gchar *address,
                       GError **error)
{
  LersSerialTransport *serial;

  if (g_strcmp0 (protocol, "mbus") != 0 || !LERS_IS_SERIAL_TRANSPORT (transport)
      || !lers_transport_get_line_configured (transport) || strstr (address, "parity=") != NULL)
    return TRUE;
  serial = LERS_SERIAL_TRANSPORT (transport);
  return lers_transport_set_line (transport, lers_serial_transport_get_baud_rate (serial),
                                  lers_serial_transport_get_data_bits (serial), LERS_PARITY_EVEN,
                                  lers_serial_transport_get_stop_bits (serial), error);
}

void
lers_cli_pad (GString *line, const gchar *text, guint width, gboolean right)
{
  glong n = g_utf8_strlen (text != NULL ? text : "", -1);

  for (glong i = n; right && i < (glong) width; i++)
    g_string_append_c (line, ' ');
  g_string_append (line, text != NULL ? text : "");
  for (glong i = n; !right && i < (glong) width; i++)
    g_string_append_c (line, ' ');
  g_string_append_c (line, ' ');
}

static void
lers_cli_usage (void)
{
  g_print ("%s\n\n", _ ("Usage: lers [--db=URI] COMMAND [OPTIONS…]"));
  g_print ("%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _ (commands[i].summary));
  g_print ("\n%s\n", _ ("Without --db, a private PostgreSQL cluster under the state directory "
                        "is started or reused."));
}

int
main (int argc, char **argv)
{
  LersCli cli = { 0 };
  int status = EXIT_FAILURE;
  int first = 1;
  g_autoptr (GError) error = NULL;

  lers_i18n_init ();
  textdomain (GETTEXT_PACKAGE);

  /* global options come before the command */
  while (first < argc && g_str_has_prefix (argv[first], "--"))
    {
      if (g_str_has_prefix (argv[first], "--db="))
        cli.db_uri = g_strdup (argv[first] + 5);
      else if (g_strcmp0 (argv[first], "--help") == 0)
        {
          lers_cli_usage ();
          return EXIT_SUCCESS;
        }
      else if (g_strcmp0 (argv[first], "--version") == 0)
        {
          g_print ("lers %s\n", LERS_VERSION);
          return EXIT_SUCCESS;
        }
      else
        {
          g_printerr (_ ("Unknown option %s\n"), argv[first]);
          lers_cli_usage ();
          return 2;
        }
      first++;
    }
  /* An empty LERS_DB= means unset, as for lersd and the examples. */
  if (cli.db_uri == NULL && g_strcmp0 (g_getenv ("LERS_DB"), "") != 0)
    cli.db_uri = g_strdup (g_getenv ("LERS_DB"));
  if (first >= argc)
    {
      lers_cli_usage ();
      return 2;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[first], commands[i].name) == 0)
      {
        status = commands[i].run (&cli, argc - first, argv + first);
        break;
      }
    else if (i + 1 == G_N_ELEMENTS (commands))
      {
        g_printerr (_ ("Unknown command “%s”\n"), argv[first]);
        lers_cli_usage ();
        status = 2;
      }

  g_clear_object (&cli.store);
  if (cli.cluster != NULL && !lers_cluster_stop (cli.cluster, &error))
    g_printerr ("%s\n", error->message);
  g_clear_object (&cli.cluster);
  g_free (cli.db_uri);
  return status;
}
