/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lers-cli.h"

/*
 * lers scan PROTOCOL LINK [--primary] [--secondary [PATTERN]]: looks for
 * devices on a link (tcp:HOST:PORT, a gateway; /dev/ttyUSB0 or
 * serial:…, a serial line; any address lers_transport_new_for_address()
 * takes) and prints them as a table, progress on stderr. No database.
 */

typedef struct
{
  gboolean secondary;
  gchar *pattern;
} LersCliScanMode;

static LersCliScanMode lers_cli_scan_mode;

static gboolean
lers_cli_scan_secondary_cb (const gchar *name, const gchar *value, gpointer data, GError **error)
{
  lers_cli_scan_mode.secondary = TRUE;
  g_free (lers_cli_scan_mode.pattern);
  lers_cli_scan_mode.pattern = g_strdup (value);
  return TRUE;
}

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} LersCliScanWait;

static void
lers_cli_scan_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersCliScanWait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static void
lers_cli_scan_print (GPtrArray *devices)
{
  g_autoptr (GString) line = g_string_new (NULL);
  guint found = 0;

  /* TRANSLATORS: column titles of `lers scan` */
  lers_cli_pad (line, _ ("Address"), 8, FALSE);
  lers_cli_pad (line, _ ("Secondary address"), 18, FALSE);
  lers_cli_pad (line, _ ("Manufacturer"), 13, FALSE);
  lers_cli_pad (line, _ ("Medium"), 12, FALSE);
  lers_cli_pad (line, _ ("Version"), 8, FALSE);
  lers_cli_pad (line, _ ("Model"), 0, FALSE);
  g_print ("%s\n", line->str);
  for (guint i = 0; i < devices->len; i++)
    {
      LersDevice *d = g_ptr_array_index (devices, i);
      const gchar *primary = lers_device_get_option (d, "primary-address");
      const gchar *secondary = lers_device_get_option (d, "secondary-address");

      /* not a device: what the scan saw there (two meters on one address) */
      if (lers_device_get_option (d, "warning") != NULL)
        continue;
      found++;
      g_string_truncate (line, 0);
      lers_cli_pad (line, primary != NULL ? primary : "-", 8, FALSE);
      lers_cli_pad (line, secondary != NULL ? secondary : "-", 18, FALSE);
      lers_cli_pad (line, lers_device_get_option (d, "manufacturer"), 13, FALSE);
      lers_cli_pad (line, lers_device_get_option (d, "medium"), 12, FALSE);
      lers_cli_pad (line, lers_device_get_option (d, "version"), 8, FALSE);
      lers_cli_pad (line, lers_device_get_model (d), 0, FALSE);
      g_print ("%s\n", line->str);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u device found\n", "%u devices found\n", found), found);
  for (guint i = 0; i < devices->len; i++)
    {
      const gchar *warning = lers_device_get_option (g_ptr_array_index (devices, i), "warning");

      if (warning != NULL)
        /* TRANSLATORS: %s says what `lers scan` saw, e.g. two meters on one address */
        g_printerr (_ ("Warning: %s\n"), warning);
    }
}

int
lers_cli_scan (LersCli *cli, int argc, char **argv)
{
  gboolean primary = FALSE;
  gint timeout_ms = 500;
  GOptionEntry entries[] = {
    { "primary", 0, 0, G_OPTION_ARG_NONE, &primary,
      N_ ("Probe the primary addresses 0–250 (the default)"), NULL },
    { "secondary", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, lers_cli_scan_secondary_cb,
      N_ ("Search secondary addresses, narrowed by PATTERN (16 hex digits, F for any)"),
      "PATTERN" },
    { "answer-timeout-ms", 0, 0, G_OPTION_ARG_INT, &timeout_ms,
      N_ ("How long to wait for a device's first byte (500)"), "MS" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (
      _ ("PROTOCOL LINK — find devices on a link (tcp:HOST:PORT or /dev/…)"));
  g_autoptr (GError) error = NULL;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersTransport) transport = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GPtrArray) devices = NULL;
  gboolean tty = isatty (2);
  LersCliScanWait w = { loop, NULL };
  const gchar *pattern = NULL;
  g_autofree gchar *pattern_copy = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (argc != 3 || timeout_ms < 1)
    {
      g_printerr ("%s\n", _ ("Usage: lers scan PROTOCOL LINK [--primary] [--secondary [PATTERN]]"));
      return 2;
    }
  if (lers_cli_scan_mode.secondary && primary)
    {
      g_printerr ("%s\n", _ ("Choose --primary or --secondary, not both"));
      return 2;
    }
  if (lers_cli_scan_mode.secondary)
    {
      pattern_copy = g_strdup (lers_cli_scan_mode.pattern != NULL ? lers_cli_scan_mode.pattern
                                                                  : "secondary");
      pattern = pattern_copy;
    }
  g_clear_pointer (&lers_cli_scan_mode.pattern, g_free);
  engine = lers_engine_new ();
  driver = lers_engine_get_device_driver (engine, argv[1], &error);
  if (driver == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  transport = lers_transport_new_for_address (argv[2], &error);
  if (transport == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!lers_cli_default_line (transport, argv[1], argv[2], &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  lers_transport_set_first_byte_timeout_ms (transport, (guint) timeout_ms);
  lers_transport_set_inter_byte_timeout_ms (transport, 100);
  if (!lers_transport_open_sync (transport, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  g_signal_connect (progress, "notify::fraction", G_CALLBACK (lers_cli_show_progress),
                    GINT_TO_POINTER (tty));
  lers_device_driver_scan_async (driver, transport, pattern, progress, NULL, lers_cli_scan_done_cb,
                                 &w);
  g_main_loop_run (loop);
  devices = lers_device_driver_scan_finish (driver, w.result, &error);
  g_object_unref (w.result);
  if (tty)
    g_printerr ("\n");
  lers_transport_close_sync (transport, NULL, NULL);
  if (devices == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  lers_cli_scan_print (devices);
  return EXIT_SUCCESS;
}
