/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>

#include "lers-cli.h"

/* No protocol's frame comes near this as hex text (an M-Bus long frame is
 * 261 bytes, under 800 characters); a larger file is refused unread. */
#define LERS_CLI_MAX_FRAME_FILE (1024 * 1024)

/* Hex text as protocol tools write it: pairs of hex digits, with or without
 * spaces, colons or line breaks between bytes. */
static GBytes *
lers_cli_parse_hex (const gchar *text, gsize len, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  gint high = -1;

  if (len == 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("The file is empty"));
      return NULL;
    }
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
  if (bytes->len == 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("The file has no hex digits"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* The whole file (or stdin for "-"), refusing one larger than
 * LERS_CLI_MAX_FRAME_FILE; the text may hold NUL bytes, which the hex
 * parser reports. */
static GBytes *
lers_cli_read_text (const gchar *path, GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  g_autofree guint8 *buf = g_malloc (LERS_CLI_MAX_FRAME_FILE + 1);
  gsize len = 0;

  if (g_strcmp0 (path, "-") == 0)
    in = g_unix_input_stream_new (0, FALSE);
  else
    {
      g_autoptr (GFile) file = g_file_new_for_path (path);
      in = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (in == NULL)
        return NULL;
    }
  if (!g_input_stream_read_all (in, buf, LERS_CLI_MAX_FRAME_FILE + 1, &len, NULL, error))
    return NULL;
  if (len > LERS_CLI_MAX_FRAME_FILE)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("The file is larger than %u bytes: too large for a frame"),
                   (guint) LERS_CLI_MAX_FRAME_FILE);
      return NULL;
    }
  return g_bytes_new (buf, len);
}

static gchar *
lers_cli_decode_file (const gchar *protocol, const gchar *path, GError **error)
{
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (GBytes) frame = NULL;
  g_autoptr (GBytes) text = NULL;
  gsize len = 0;
  const gchar *data;

  text = lers_cli_read_text (path, error);
  if (text == NULL)
    return NULL;
  data = g_bytes_get_data (text, &len);
  frame = lers_cli_parse_hex (data, len, error);
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
