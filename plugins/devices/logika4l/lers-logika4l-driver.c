/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Logika 4L driver: models, frame decoding for `lers decode`, sessions. */
#include <string.h>

#include "lers-logika4l-driver.h"

#include <glib/gi18n-lib.h>

#include "lers-logika4l-session.h"
#include "logika4l-archive.h"
#include "logika4l-frame.h"

struct _LersLogika4lDriver
{
  GObject parent_instance;
};

static void lers_logika4l_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogika4lDriver, lers_logika4l_driver, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_logika4l_driver_iface_init))

static LersDeviceSession *
lers_logika4l_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                     LersDevice *device, GError **error)
{
  return lers_logika4l_session_new (transport, device);
}

static GBytes *
hex_to_bytes (const guint8 *buf, gsize len, GError **error)
{
  GByteArray *out = g_byte_array_new ();
  gint hi = -1;

  for (gsize i = 0; i < len; i++)
    {
      gint v = g_ascii_xdigit_value ((gchar) buf[i]);
      if (v < 0)
        {
          if (g_ascii_isspace (buf[i]) || buf[i] == ',' || buf[i] == ':')
            continue;
          g_byte_array_unref (out);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("not a hexadecimal Logika frame"));
          return NULL;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) (hi << 4 | v);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  return g_byte_array_free_to_bytes (out);
}

static void
append_hex (GString *out, const guint8 *b, gsize n)
{
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%02X", b[i]);
}

static void
append_float (GString *out, const gchar *name, const guint8 *b)
{
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];

  if (!l4l_float_is_valid (b))
    g_string_append_printf (out, ", \"%s\": null", name);
  else
    g_string_append_printf (out, ", \"%s\": %s", name,
                            g_ascii_formatd (num, sizeof num, "%.7g", l4l_float (b)));
}

/* the fields of a 68-byte СПТ943 record or a 64-byte СПТ941.10 record,
 * raw in the device's units */
static void
append_record (GString *out, const L4lFrame *f)
{
  static const gchar *const names_943[] = { "P1", "P2", "t1", "t2", "t3", "tx", "tv", "V1",
                                            "V2", "V3", "M1", "M2", "M3", "Q",  "Ti", "Qg" };
  static const gchar *const names_941[]
      = { "t1", "t2", "V1", "V2", "V3", "M1", "M2", "M3", "Q", "Ti" };
  gboolean is943 = f->len == L4L_RECORD_943;
  const gchar *const *names = is943 ? names_943 : names_941;
  guint n = is943 ? G_N_ELEMENTS (names_943) : G_N_ELEMENTS (names_941);

  g_string_append_printf (out, ", \"record\": {\"ns\": \"%02X%02X%02X\", \"scheme\": %u",
                          f->data[0], f->data[1], f->data[2], f->data[3]);
  for (guint i = 0; i < n; i++)
    append_float (out, names[i], f->data + 4 + 4 * i);
  g_string_append (out, "}");
}

static gchar *
describe (const L4lFrame *f, gboolean extended, guint8 id)
{
  GString *out = g_string_new ("{");

  g_string_append_printf (out, "\"protocol\": \"logika4l\", \"format\": \"%s\", \"nt\": %u, ",
                          extended ? "extended" : "basic", f->nt);
  if (extended)
    g_string_append_printf (out, "\"id\": %u, ", id);
  g_string_append_printf (out, "\"function\": \"%02X\", \"data\": \"", f->fnc);
  append_hex (out, f->data, f->len);
  g_string_append (out, "\"");
  if (f->fnc == L4L_FNC_SESSION && f->len == 3)
    {
      L4lModel m = l4l_model_from_code (f->data[0], f->data[1]);
      g_string_append_printf (out, ", \"device_code\": \"%02X%02X\", \"version\": %u", f->data[0],
                              f->data[1], f->data[2]);
      if (l4l_model_name (m) != NULL)
        g_string_append_printf (out, ", \"model\": \"%s\"", l4l_model_name (m));
    }
  else if (f->fnc == L4L_FNC_ERROR && f->len == 1)
    g_string_append_printf (out, ", \"error\": %u", f->data[0]);
  else if ((f->fnc == L4L_FNC_HOUR || f->fnc == L4L_FNC_DAY || f->fnc == L4L_FNC_MONTH)
           && f->len == 4)
    g_string_append_printf (out, ", \"stamp\": {\"yy\": %u, \"mm\": %u, \"dd\": %u, \"hh\": %u}",
                            f->data[0], f->data[1], f->data[2], f->data[3]);
  else if ((f->fnc == L4L_FNC_HOUR || f->fnc == L4L_FNC_DAY || f->fnc == L4L_FNC_MONTH)
           && (f->len == L4L_RECORD_943 || f->len == L4L_RECORD_941_10))
    append_record (out, f);
  else if ((f->fnc == L4L_FNC_RAM || f->fnc == L4L_FNC_FLASH) && f->len == 4)
    g_string_append_printf (out, ", \"address\": %u, \"count\": %u",
                            f->data[0] | (guint) f->data[1] << 8, f->data[2]);
  g_string_append (out, "}");
  return g_string_free (out, FALSE);
}

gchar *
l4l_describe_frame (const guint8 *buf, gsize len, GError **error)
{
  L4lFrame f;
  guint8 id = 0;

  if (len >= 3 && buf[0] == L4L_START && buf[2] == L4L_FNC_EXTENDED)
    {
      if (!l4l_parse_extended (buf, len, &f, &id, error))
        return NULL;
      return describe (&f, TRUE, id);
    }
  if (!l4l_parse (buf, len, &f, error))
    return NULL;
  return describe (&f, FALSE, 0);
}

static gchar *
lers_logika4l_driver_decode_frame (LersDeviceDriver *driver, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (bytes, &len);
  g_autoptr (GBytes) decoded = NULL;

  if (len > 0 && buf[0] != L4L_START)
    {
      decoded = hex_to_bytes (buf, len, error);
      if (decoded == NULL)
        return NULL;
      buf = g_bytes_get_data (decoded, &len);
    }
  /* a leading preamble of FF bytes is the wake-up, not part of the frame */
  while (len > 0 && buf[0] == 0xFF)
    {
      buf++;
      len--;
    }
  return l4l_describe_frame (buf, len, error);
}

static const gchar *
lers_logika4l_driver_get_protocol (LersDeviceDriver *driver)
{
  return "logika4l";
}

static GStrv
lers_logika4l_driver_get_models (LersDeviceDriver *driver)
{
  static const gchar *const models[] = { "СПТ941", "СПТ942", "СПТ943", NULL };
  return g_strdupv ((gchar **) models);
}

static void
lers_logika4l_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_logika4l_driver_get_protocol;
  iface->get_models = lers_logika4l_driver_get_models;
  iface->create_session = lers_logika4l_driver_create_session;
  iface->decode_frame = lers_logika4l_driver_decode_frame;
}

static void
lers_logika4l_driver_class_init (LersLogika4lDriverClass *klass)
{
}

static void
lers_logika4l_driver_class_finalize (LersLogika4lDriverClass *klass)
{
}

static void
lers_logika4l_driver_init (LersLogika4lDriver *self)
{
}

void
lers_logika4l_driver_register (GTypeModule *module)
{
  lers_logika4l_driver_register_type (module);
}

LersLogika4lDriver *
lers_logika4l_driver_new (void)
{
  return g_object_new (LERS_TYPE_LOGIKA4L_DRIVER, NULL);
}
