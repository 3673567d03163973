/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>

#include "lers-cli.h"

/* Hex text as protocol tools write it: pairs of hex digits, with or without
 * spaces, colons or line breaks between bytes. */
static GBytes *
lers_cli_parse_hex (const gchar *text, gsize len, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  gint high = -1;

  for (gsize i = 0; i < len; i++)
    {
      gint digit = g_ascii_xdigit_value (text[i]);
      if (digit < 0)
        {
          if (g_ascii_isspace (text[i]) || text[i] == ':' || text[i] == ',')
            continue;
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("Character %u of the file is not a hex digit"), (guint) i + 1);
          return NULL;
        }
      if (high < 0)
        high = digit;
      else
        {
          guint8 byte = (guint8) (high << 4 | digit);
          g_byte_array_append (bytes, &byte, 1);
          high = -1;
        }
    }
  if (high >= 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("The file has an odd number of hex digits"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static gchar *
lers_cli_read_text (const gchar *path, gsize *len, GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GBytes) all = NULL;
  gchar *text = NULL;

  if (g_strcmp0 (path, "-") != 0)
    return g_file_get_contents (path, &text, len, error) ? text : NULL;
  in = g_unix_input_stream_new (0, FALSE);
  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  all = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  *len = g_bytes_get_size (all);
  return g_strndup (g_bytes_get_data (all, NULL), *len);
}

static gchar *
lers_cli_decode_file (const gchar *protocol, const gchar *path, GError **error)
{
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (GBytes) frame = NULL;
  g_autofree gchar *text = NULL;
  gsize len = 0;

  text = lers_cli_read_text (path, &len, error);
  if (text == NULL)
    return NULL;
  frame = lers_cli_parse_hex (text, len, error);
  if (frame == NULL)
    return NULL;
  engine = lers_engine_new ();
  driver = lers_engine_get_device_driver (engine, protocol, error);
  if (driver == NULL)
    return NULL;
  return lers_device_driver_decode_frame (driver, frame, error);
}

/* lers decode PROTOCOL FILE: the frame as JSON on stdout */
int
lers_cli_decode (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *json = NULL;

  if (argc != 3)
    {
      g_printerr ("%s\n", _ ("Usage: lers decode PROTOCOL FILE (FILE of hex bytes, - for stdin)"));
      return 2;
    }
  json = lers_cli_decode_file (argv[1], argv[2], &error);
  if (json == NULL)
    {
      g_printerr ("%s: %s\n", argv[2], error->message);
      return EXIT_FAILURE;
    }
  g_print ("%s\n", json);
  return EXIT_SUCCESS;
}
