/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The СПСеть driver: makes LersSpbusSession (lers-spbus-session.c) and
 * decodes frames for `lers decode spbus`. No scan: no request that any
 * device answers is established.
 */
#include "lers-spbus-driver.h"

#include <string.h>

#include "lers-spbus-session.h"
#include "spbus-frame.h"
#include "spbus-params.h"

struct _LersSpbusDriver
{
  GObject parent_instance;
};

static void lers_spbus_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersSpbusDriver, lers_spbus_driver, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_spbus_driver_iface_init))

static LersDeviceSession *
lers_spbus_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                  LersDevice *device, GError **error)
{
  return lers_spbus_session_new (transport, device);
}

/* a frame as bytes, or as the text of a `.hex` file */
static gchar *
lers_spbus_driver_decode_frame (LersDeviceDriver *driver, GBytes *frame, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree gchar *text = NULL;
  gchar *json = spbus_frame_to_json (data, len, &local);

  if (json != NULL || len == 0 || memchr (data, 0, len) != NULL)
    goto out;
  text = g_strndup ((const gchar *) data, len);
  bytes = spbus_hex_to_bytes (text, NULL);
  if (bytes != NULL)
    {
      g_clear_error (&local);
      data = g_bytes_get_data (bytes, &len);
      json = spbus_frame_to_json (data, len, &local);
    }
out:
  if (json == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return json;
}

static const gchar *
lers_spbus_driver_get_protocol (LersDeviceDriver *driver)
{
  return "spbus";
}

static GStrv
lers_spbus_driver_get_models (LersDeviceDriver *driver)
{
  return g_strdupv ((gchar **) spbus_models ());
}

static void
lers_spbus_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_spbus_driver_get_protocol;
  iface->get_models = lers_spbus_driver_get_models;
  iface->create_session = lers_spbus_driver_create_session;
  iface->decode_frame = lers_spbus_driver_decode_frame;
}

static void
lers_spbus_driver_class_init (LersSpbusDriverClass *klass)
{
}

static void
lers_spbus_driver_class_finalize (LersSpbusDriverClass *klass)
{
}

static void
lers_spbus_driver_init (LersSpbusDriver *self)
{
}

void
lers_spbus_driver_register (GTypeModule *module)
{
  lers_spbus_driver_register_type (module);
}

LersSpbusDriver *
lers_spbus_driver_new (void)
{
  return g_object_new (LERS_TYPE_SPBUS_DRIVER, NULL);
}
