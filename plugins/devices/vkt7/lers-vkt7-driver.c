/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ВКТ-7 driver: sessions, models, and `lers decode vkt7 FILE`. */
#include "lers-vkt7-driver.h"

#include "lers-vkt7-session.h"
#include "vkt7-frame.h"
#include "vkt7-json.h"

struct _LersVkt7Driver
{
  GObject parent_instance;
};

static void lers_vkt7_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersVkt7Driver, lers_vkt7_driver, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_vkt7_driver_iface_init))

static LersDeviceSession *
lers_vkt7_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                 LersDevice *device, GError **error)
{
  return lers_vkt7_session_new (transport, device);
}

static const gchar *
lers_vkt7_driver_get_protocol (LersDeviceDriver *driver)
{
  return "vkt7";
}

static GStrv
lers_vkt7_driver_get_models (LersDeviceDriver *driver)
{
  static const gchar *const models[] = { "ВКТ-7", NULL };
  return g_strdupv ((gchar **) models);
}

static gchar *
lers_vkt7_driver_decode_frame (LersDeviceDriver *driver, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (bytes, &len);
  g_autoptr (GBytes) decoded = NULL;
  gboolean text = len > 0;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (buf[i]) && !g_ascii_isspace (buf[i]) && buf[i] != 'x' && buf[i] != ','
        && buf[i] != '#')
      text = FALSE;
  if (text)
    {
      g_autofree gchar *s = g_strndup ((const gchar *) buf, len);
      decoded = vkt7_hex_to_bytes (s, error);
      if (decoded == NULL)
        return NULL;
      buf = g_bytes_get_data (decoded, &len);
    }
  return vkt7_decode_json (buf, len, error);
}

static void
lers_vkt7_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_vkt7_driver_get_protocol;
  iface->get_models = lers_vkt7_driver_get_models;
  iface->create_session = lers_vkt7_driver_create_session;
  iface->decode_frame = lers_vkt7_driver_decode_frame;
}

static void
lers_vkt7_driver_class_init (LersVkt7DriverClass *klass)
{
}

static void
lers_vkt7_driver_class_finalize (LersVkt7DriverClass *klass)
{
}

static void
lers_vkt7_driver_init (LersVkt7Driver *self)
{
}

void
lers_vkt7_driver_register (GTypeModule *module)
{
  lers_vkt7_driver_register_type (module);
}

LersVkt7Driver *
lers_vkt7_driver_new (void)
{
  return g_object_new (LERS_TYPE_VKT7_DRIVER, NULL);
}
