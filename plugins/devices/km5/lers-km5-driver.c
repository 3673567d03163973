/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The КМ-5 driver: models, `lers decode km5`, sessions. No scan: every
 * meter answers only its own 8-digit address. */
#include "lers-km5-driver.h"

#include <glib/gi18n-lib.h>

#include "km5-data.h"
#include "km5-frame.h"
#include "lers-km5-session.h"

struct _LersKm5Driver
{
  GObject parent_instance;
};

static void lers_km5_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersKm5Driver, lers_km5_driver, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_km5_driver_iface_init))

static LersDeviceSession *
lers_km5_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                LersDevice *device, GError **error)
{
  return lers_km5_session_new (transport, device);
}

static const gchar *
lers_km5_driver_get_protocol (LersDeviceDriver *driver)
{
  return "km5";
}

static GStrv
lers_km5_driver_get_models (LersDeviceDriver *driver)
{
  static const gchar *const models[] = { "КМ-5", "РМ-5", NULL };
  return g_strdupv ((gchar **) models);
}

/* a frame in either byte order: forward first, then reversed */
static gchar *
lers_km5_driver_decode_frame (LersDeviceDriver *driver, GBytes *frame, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_autofree guint8 *rev = NULL;
  g_autoptr (GError) forward_error = NULL;
  gchar *json = km5_frame_to_json (data, len, &forward_error);

  if (json != NULL)
    return json;
  if (!g_error_matches (forward_error, LERS_ERROR, LERS_ERROR_CHECKSUM))
    {
      g_propagate_error (error, g_steal_pointer (&forward_error));
      return NULL;
    }
  rev = g_memdup2 (data, len);
  km5_reverse (rev, len);
  json = km5_frame_to_json (rev, len, NULL);
  if (json == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&forward_error));
      return NULL;
    }
  /* mark it as a backward frame */
  {
    g_autofree gchar *inner = json;
    return g_strdup_printf ("{\"backward\":true,%s", inner + 1);
  }
}

static void
lers_km5_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_km5_driver_get_protocol;
  iface->get_models = lers_km5_driver_get_models;
  iface->create_session = lers_km5_driver_create_session;
  iface->decode_frame = lers_km5_driver_decode_frame;
}

static void
lers_km5_driver_class_init (LersKm5DriverClass *klass)
{
}

static void
lers_km5_driver_class_finalize (LersKm5DriverClass *klass)
{
}

static void
lers_km5_driver_init (LersKm5Driver *self)
{
}

/**
 * lers_km5_driver_register:
 * @module: the plugin's type module
 *
 * Registers #LersKm5Driver with @module.
 */
void
lers_km5_driver_register (GTypeModule *module)
{
  lers_km5_driver_register_type (module);
}
