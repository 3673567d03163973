/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ТВ7 driver: makes LersTv7Session, decodes frames for `lers decode`. */
#include "lers-tv7-driver.h"

#include "lers-tv7-session.h"
#include "tv7-json.h"

struct _LersTv7Driver
{
  GObject parent_instance;
};

static void lers_tv7_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersTv7Driver, lers_tv7_driver, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_tv7_driver_iface_init))

static LersDeviceSession *
lers_tv7_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                LersDevice *device, GError **error)
{
  return lers_tv7_session_new (transport, device);
}

static gchar *
lers_tv7_driver_decode_frame (LersDeviceDriver *driver, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (bytes, &len);

  return tv7_json_decode (buf, len, error);
}

static const gchar *
lers_tv7_driver_get_protocol (LersDeviceDriver *driver)
{
  return "tv7";
}

static GStrv
lers_tv7_driver_get_models (LersDeviceDriver *driver)
{
  static const gchar *const models[] = { "TV7-01", "TV7-02", "TV7-03", "TV7-04", "TV7-04.1", NULL };
  return g_strdupv ((gchar **) models);
}

static void
lers_tv7_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_tv7_driver_get_protocol;
  iface->get_models = lers_tv7_driver_get_models;
  iface->create_session = lers_tv7_driver_create_session;
  iface->decode_frame = lers_tv7_driver_decode_frame;
}

static void
lers_tv7_driver_class_init (LersTv7DriverClass *klass)
{
}

static void
lers_tv7_driver_class_finalize (LersTv7DriverClass *klass)
{
}

static void
lers_tv7_driver_init (LersTv7Driver *self)
{
}

void
lers_tv7_driver_register (GTypeModule *module)
{
  lers_tv7_driver_register_type (module);
}

LersTv7Driver *
lers_tv7_driver_new (void)
{
  return g_object_new (LERS_TYPE_TV7_DRIVER, NULL);
}
