/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The M4 driver: names its models, makes sessions and decodes frames for
 * `lers decode logikam4 FILE` (the bytes of one frame: the CLI turns a hex
 * text file into bytes before it calls us). No scan: a bus of M4 meters is addressed by NT.
 */
#include "lers-logikam4-driver.h"

#include "lers-logikam4-session.h"
#include "logikam4-json.h"
#include "logikam4-model.h"

struct _LersLogikam4Driver
{
  GObject parent_instance;
};

static void lers_logikam4_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogikam4Driver, lers_logikam4_driver, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_logikam4_driver_iface_init))

static LersDeviceSession *
lers_logikam4_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                     LersDevice *device, GError **error)
{
  return lers_logikam4_session_new (transport, device);
}

static gchar *
lers_logikam4_driver_decode_frame (LersDeviceDriver *driver, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (bytes, &len);

  return m4_json_decode (buf, len, error);
}

static const gchar *
lers_logikam4_driver_get_protocol (LersDeviceDriver *driver)
{
  return "logikam4";
}

static GStrv
lers_logikam4_driver_get_models (LersDeviceDriver *driver)
{
  GPtrArray *models = m4_model_list ();
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < models->len; i++)
    g_strv_builder_add (b, ((const M4Model *) g_ptr_array_index (models, i))->name);
  return g_strv_builder_end (b);
}

static void
lers_logikam4_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_logikam4_driver_get_protocol;
  iface->get_models = lers_logikam4_driver_get_models;
  iface->decode_frame = lers_logikam4_driver_decode_frame;
  iface->create_session = lers_logikam4_driver_create_session;
}

static void
lers_logikam4_driver_class_init (LersLogikam4DriverClass *klass)
{
}

static void
lers_logikam4_driver_class_finalize (LersLogikam4DriverClass *klass)
{
}

static void
lers_logikam4_driver_init (LersLogikam4Driver *self)
{
}

/**
 * lers_logikam4_driver_register:
 * @module: the plugin's type module
 *
 * Registers #LersLogikam4Driver with @module.
 */
void
lers_logikam4_driver_register (GTypeModule *module)
{
  lers_logikam4_driver_register_type (module);
}
