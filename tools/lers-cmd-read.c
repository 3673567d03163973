/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "lers-cli.h"

/*
 * lers read: the universal console. Reads one meter over a link given on
 * the command line (an optical head, a USB–RS-485 adapter, a TCP gateway on
 * site) with no server and no database, in one device session, into a
 * reading file (docs/reading-file.md) that `lers sync` uploads later.
 * `lers read --list FILE` shows what a file holds.
 */

typedef struct
{
  LersArchiveKind kind;
  guint weight; /* of the progress step, roughly the frames it takes */
} LersCliReadPart;

static gboolean
lers_cli_read_parse_archives (const gchar *text, GArray *parts, GError **error)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);

  for (gsize i = 0; names[i] != NULL; i++)
    {
      LersCliReadPart part = { 0 };
      g_strstrip (names[i]);
      if (!lers_archive_kind_from_string (names[i], &part.kind)
          || part.kind == LERS_ARCHIVE_KIND_EVENTS)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not an archive: use hour, day, month, totals, current or "
                          "power-profile"),
                       names[i]);
          return FALSE;
        }
      part.weight = part.kind == LERS_ARCHIVE_KIND_HOUR            ? 10
                    : part.kind == LERS_ARCHIVE_KIND_POWER_PROFILE ? 10
                    : part.kind == LERS_ARCHIVE_KIND_DAY           ? 3
                                                                   : 1;
      g_array_append_val (parts, part);
    }
  return TRUE;
}

/* The zone a time is shown in: the file's, or UTC if it names none we know. */
static GTimeZone *
lers_cli_read_zone (const gchar *identifier)
{
  GTimeZone *zone = identifier != NULL ? g_time_zone_new_identifier (identifier) : NULL;
  return zone != NULL ? zone : g_time_zone_new_utc ();
}

static gchar *
lers_cli_read_format_time (GDateTime *dt, GTimeZone *zone)
{
  g_autoptr (GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (dt, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S %:z");
}

/* lers read --list FILE */
static int
lers_cli_read_list (const gchar *filename)
{
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GString) line = g_string_new (NULL);
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autofree gchar *read_at = NULL;
  g_autofree gchar *clock = NULL;
  const gchar *headings[5];
  guint widths[5];
  LersDevice *device;
  GPtrArray *records;
  const gchar *const *not_supported;

  if (!lers_reading_file_load_from_file (file, filename, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  zone = lers_cli_read_zone (lers_reading_file_get_zone (file));
  device = lers_reading_file_get_device (file);
  g_print (
      _ ("Device: protocol %s, model %s, serial number %s, address %s\n"),
      lers_device_get_protocol (device),
      lers_device_get_model (device) != NULL ? lers_device_get_model (device) : "—",
      lers_device_get_serial_number (device) != NULL ? lers_device_get_serial_number (device) : "—",
      lers_device_get_network_address (device) != NULL ? lers_device_get_network_address (device)
                                                       : "—");
  read_at = lers_cli_read_format_time (lers_reading_file_get_read_at (file), zone);
  g_print (_ ("Read: %s by %s\n"), read_at, lers_reading_file_get_program (file));
  if (lers_reading_file_get_device_clock (file) != NULL)
    {
      gint64 offset = lers_reading_file_get_clock_offset (file);
      clock = lers_cli_read_format_time (lers_reading_file_get_device_clock (file), zone);
      if (offset == 0)
        g_print (_ ("Device clock: %s, as the computer's\n"), clock);
      else if (offset > 0)
        g_print (_ ("Device clock: %s, %lld s ahead of the computer's\n"), clock,
                 (long long) offset);
      else
        g_print (_ ("Device clock: %s, %lld s behind the computer's\n"), clock,
                 (long long) -offset);
    }
  else
    g_print ("%s\n", _ ("Device clock: not read"));
  g_print (_ ("Time zone: %s\n"), lers_reading_file_get_zone (file));

  /* per archive kind and channel: records, first and last time */
  records = lers_reading_file_get_records (file);
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      guint64 key
          = ((guint64) lers_record_get_kind (record) << 32) | lers_record_get_channel (record);
      gboolean seen = FALSE;
      for (guint k = 0; k < keys->len && !seen; k++)
        seen = g_array_index (keys, guint64, k) == key;
      if (!seen)
        g_array_append_val (keys, key);
    }
  headings[0] = _ ("Archive");
  headings[1] = _ ("Channel");
  headings[2] = _ ("Records");
  headings[3] = _ ("First");
  headings[4] = _ ("Last");
  widths[0] = 13;
  widths[1] = 5;
  widths[2] = 7;
  widths[3] = widths[4] = 25;
  for (gsize j = 0; j < G_N_ELEMENTS (headings); j++)
    widths[j] = MAX (widths[j], (guint) g_utf8_strlen (headings[j], -1));
  if (keys->len == 0)
    g_print ("%s\n", _ ("Archives: none"));
  else
    {
      for (gsize j = 0; j < G_N_ELEMENTS (headings); j++)
        lers_cli_pad (line, headings[j], widths[j], j == 1 || j == 2);
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }
  for (guint k = 0; k < keys->len; k++)
    {
      guint64 key = g_array_index (keys, guint64, k);
      LersArchiveKind kind = (LersArchiveKind) (key >> 32);
      guint channel = (guint) (key & G_MAXUINT32);
      GDateTime *first = NULL;
      GDateTime *last = NULL;
      guint n = 0;
      g_autofree gchar *channel_text = g_strdup_printf ("%u", channel);
      g_autofree gchar *n_text = NULL;
      g_autofree gchar *first_text = NULL;
      g_autofree gchar *last_text = NULL;

      for (guint i = 0; i < records->len; i++)
        {
          LersRecord *record = g_ptr_array_index (records, i);
          GDateTime *ts = lers_record_get_timestamp (record);
          if (lers_record_get_kind (record) != kind || lers_record_get_channel (record) != channel)
            continue;
          n++;
          if (first == NULL || g_date_time_compare (ts, first) < 0)
            first = ts;
          if (last == NULL || g_date_time_compare (ts, last) > 0)
            last = ts;
        }
      n_text = g_strdup_printf ("%u", n);
      first_text = lers_cli_read_format_time (first, zone);
      last_text = lers_cli_read_format_time (last, zone);
      g_string_truncate (line, 0);
      lers_cli_pad (line, lers_archive_kind_to_string (kind), widths[0], FALSE);
      lers_cli_pad (line, channel_text, widths[1], TRUE);
      lers_cli_pad (line, n_text, widths[2], TRUE);
      lers_cli_pad (line, first_text, widths[3], FALSE);
      lers_cli_pad (line, last_text, widths[4], FALSE);
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }
  g_print (_ ("Events: %u\n"), lers_reading_file_get_events (file)->len);
  not_supported = lers_reading_file_get_not_supported (file);
  if (not_supported[0] != NULL)
    {
      g_autofree gchar *joined = g_strjoinv (", ", (gchar **) not_supported);
      g_print (_ ("Not supported by the device: %s\n"), joined);
    }
  return EXIT_SUCCESS;
}

/* Runs one read of the session; NOT_SUPPORTED is noted in @file, not an error. */
static gboolean
lers_cli_read_not_supported (LersReadingFile *file, const gchar *what, GError **error)
{
  if (g_error_matches (*error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
    {
      lers_reading_file_add_not_supported (file, what);
      g_clear_error (error);
      return TRUE;
    }
  return FALSE;
}

/* Opens the link and one session, reads everything asked for into @file,
 * closes; the caller writes the file. */
static gboolean
lers_cli_read_run (LersDeviceDriver *driver, LersTransport *transport, LersDevice *device,
                   GArray *parts, gboolean events, GDateTime *from, GDateTime *to,
                   LersProgress *progress, LersReadingFile *file, GError **error)
{
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GDateTime) device_clock = NULL;
  g_autoptr (GError) close_error = NULL;

  if (!lers_transport_open_sync (transport, NULL, error))
    return FALSE;
  lers_progress_step_done (progress);
  session = lers_device_driver_open_session_sync (driver, transport, device, NULL, error);
  if (session == NULL)
    return FALSE;
  lers_progress_step_done (progress);

  device_clock = lers_device_session_read_clock_sync (session, NULL, error);
  if (device_clock != NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan diff = g_date_time_difference (device_clock, now);
      /* whole seconds, rounded half away from zero */
      gint64 offset = (diff + (diff >= 0 ? 1 : -1) * G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
      lers_reading_file_set_device_clock (file, device_clock, offset);
    }
  else if (!lers_cli_read_not_supported (file, "clock", error))
    return FALSE;
  lers_progress_step_done (progress);

  for (guint i = 0; i < parts->len; i++)
    {
      LersCliReadPart *part = &g_array_index (parts, LersCliReadPart, i);
      g_autoptr (GPtrArray) records = lers_device_session_read_archive_sync (
          session, part->kind, from, to, lers_progress_get_child (progress), NULL, error);
      if (records != NULL)
        lers_reading_file_add_records (file, records);
      else if (!lers_cli_read_not_supported (file, lers_archive_kind_to_string (part->kind), error))
        return FALSE;
      lers_progress_step_done (progress);
    }
  if (events)
    {
      g_autoptr (GPtrArray) list = lers_device_session_read_events_sync (
          session, from, to, lers_progress_get_child (progress), NULL, error);
      if (list != NULL)
        lers_reading_file_add_events (file, list);
      else if (!lers_cli_read_not_supported (file, "events", error))
        return FALSE;
      lers_progress_step_done (progress);
    }

  /* the session may have learnt the serial number or the model */
  lers_reading_file_set_device (file, lers_device_session_get_device (session));
  /* the data is read: a goodbye the device does not answer loses nothing */
  if (!lers_device_session_close_sync (session, NULL, &close_error))
    g_printerr (_ ("Warning: %s\n"), close_error->message);
  lers_transport_close_sync (transport, NULL, NULL);
  return TRUE;
}

/* lers read --protocol P --port LINK … --out FILE */
int
lers_cli_read (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *protocol = NULL;
  g_autofree gchar *model = NULL;
  g_autofree gchar *port = NULL;
  g_autofree gchar *address = NULL;
  g_autofree gchar *password = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *from_text = NULL;
  g_autofree gchar *to_text = NULL;
  g_autofree gchar *zone_text = NULL;
  g_autofree gchar *archives = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *list = NULL;
  gboolean events = FALSE;
  gboolean show_progress = FALSE;
  gboolean tty = isatty (2);
  GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol, N_ ("The device's protocol, such as mbus"),
      N_ ("PROTOCOL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_ ("The device's model"), N_ ("MODEL") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port,
      N_ ("The link: /dev/ttyUSB0, serial:/dev/ttyUSB0?baud=2400, tcp:HOST:PORT"), N_ ("LINK") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_ ("The device's network address"),
      N_ ("ADDRESS") },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, N_ ("The device's password"),
      N_ ("PASSWORD") },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial,
      N_ ("The device's serial number, when the device does not report it; a device that "
          "reports another one is refused"),
      N_ ("SERIAL") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_ ("Start of the range (default: 7 days before --to)"), N_ ("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_ ("End of the range (default: now)"),
      N_ ("TIME") },
    { "zone", 0, 0, G_OPTION_ARG_STRING, &zone_text,
      N_ ("The device's time zone, for its clock and for --from and --to (default: this "
          "computer's)"),
      N_ ("ZONE") },
    { "archives", 0, 0, G_OPTION_ARG_STRING, &archives,
      N_ ("Archives to read (default: hour,day,month,totals,current and events)"), N_ ("KIND,…") },
    { "events", 0, 0, G_OPTION_ARG_NONE, &events, N_ ("Also read the meter events"), NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_ ("The reading file to write"), N_ ("FILE") },
    { "list", 'l', 0, G_OPTION_ARG_FILENAME, &list, N_ ("Show what a reading file holds"),
      N_ ("FILE") },
    { "progress", 'p', 0, G_OPTION_ARG_NONE, &show_progress,
      N_ ("Show progress on stderr even when it is not a terminal"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (
      _ ("— read a meter into a file with no server and no database, or list a file"));
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersTransport) transport = NULL;
  g_autoptr (LersDevice) device = NULL;
  g_autoptr (LersReadingFile) file = NULL;
  g_autoptr (LersProgress) progress = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GArray) parts = g_array_new (FALSE, FALSE, sizeof (LersCliReadPart));
  g_autofree gchar *zone_name = NULL;
  LersDeviceDriver *driver;

  (void) cli;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (list != NULL)
    return lers_cli_read_list (list);
  if (argc != 1 || protocol == NULL || port == NULL || out == NULL)
    {
      g_printerr ("%s\n", _ ("Usage: lers read --protocol PROTOCOL [--model MODEL] --port LINK "
                             "[--address A] [--from T --to T] [--archives KIND,…] [--events] "
                             "--out FILE, or lers read --list FILE"));
      return 2;
    }

  /* the device's zone: --zone, else this computer's */
  if (zone_text != NULL)
    {
      zone = g_time_zone_new_identifier (zone_text);
      if (zone == NULL)
        {
          g_printerr (_ ("“%s” is not a time zone\n"), zone_text);
          return 2;
        }
      zone_name = g_strdup (zone_text);
    }
  else
    {
      zone = g_time_zone_new_local ();
      zone_name = g_strdup (g_time_zone_get_identifier (zone));
      /* an identifier GLib cannot read back (a path, say): state the offset */
      {
        g_autoptr (GTimeZone) check = g_time_zone_new_identifier (zone_name);
        if (check == NULL)
          {
            g_autoptr (GDateTime) now = g_date_time_new_now (zone);
            g_free (zone_name);
            zone_name = g_date_time_format (now, "%:z");
          }
      }
    }
  to = to_text != NULL ? lers_cli_parse_time (to_text, zone, &error) : g_date_time_new_now_utc ();
  if (to != NULL)
    from = from_text != NULL ? lers_cli_parse_time (from_text, zone, &error)
                             : g_date_time_add_days (to, -7);
  if (from == NULL || to == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (g_date_time_compare (from, to) >= 0)
    {
      g_printerr ("%s\n", _ ("--from must be before --to"));
      return 2;
    }
  if (!lers_cli_read_parse_archives (archives != NULL ? archives : "hour,day,month,totals,current",
                                     parts, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (archives == NULL)
    events = TRUE;

  engine = lers_engine_new ();
  driver = lers_engine_get_device_driver (engine, protocol, &error);
  if (driver == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  transport = lers_transport_new_for_address (port, &error);
  if (transport == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!lers_cli_default_line (transport, protocol, port, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  device = lers_device_new ();
  lers_device_set_protocol (device, protocol);
  lers_device_set_model (device, model);
  lers_device_set_network_address (device, address);
  lers_device_set_password (device, password);
  lers_device_set_serial_number (device, serial);
  lers_device_set_clock_zone (device, zone_name);

  progress = lers_progress_new ();
  if (tty || show_progress)
    g_signal_connect (progress, "notify::fraction", G_CALLBACK (lers_cli_show_progress),
                      GINT_TO_POINTER (tty));
  lers_progress_add_step (progress, 1, _ ("Opening the link"));
  lers_progress_add_step (progress, 1, _ ("Opening the session"));
  lers_progress_add_step (progress, 1, _ ("Reading the clock"));
  for (guint i = 0; i < parts->len; i++)
    {
      LersCliReadPart *part = &g_array_index (parts, LersCliReadPart, i);
      g_autofree gchar *message = g_strdup_printf (_ ("Reading the %s archive"),
                                                   lers_archive_kind_to_string (part->kind));
      lers_progress_add_step (progress, part->weight, message);
    }
  if (events)
    lers_progress_add_step (progress, 2, _ ("Reading the events"));
  lers_progress_add_step (progress, 1, _ ("Closing and writing the file"));

  file = lers_reading_file_new ();
  lers_reading_file_set_zone (file, zone_name);
  if (!lers_cli_read_run (driver, transport, device, parts, events, from, to, progress, file,
                          &error)
      || !lers_reading_file_save_to_file (file, out, &error))
    {
      if (tty)
        g_printerr ("\n");
      g_printerr ("%s: %s\n", port, error->message);
      g_printerr ("%s\n", _ ("Nothing was written."));
      if (lers_transport_is_open (transport))
        lers_transport_close_sync (transport, NULL, NULL);
      return EXIT_FAILURE;
    }
  lers_progress_step_done (progress);
  if (tty)
    g_printerr ("\n");
  if (lers_device_get_serial_number (lers_reading_file_get_device (file)) == NULL)
    g_printerr ("%s\n", _ ("Warning: the device did not report its serial number and --serial "
                           "was not given: lers sync cannot match this file to a device."));
  g_print (_ ("Read %u records and %u events into %s\n"), lers_reading_file_get_records (file)->len,
           lers_reading_file_get_events (file)->len, out);
  return EXIT_SUCCESS;
}
