/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Pulsar driver: makes LersPulsarSession (lers-pulsar-session.c) and
 * decodes frames for `lers decode pulsar`. No bus scan: the protocol's
 * broadcast address 0 answers with one device's address, which only helps
 * on a line with one device (read it with address 0).
 */
#include "lers-pulsar-driver.h"

#include <string.h>

#include "lers-pulsar-session.h"
#include "pulsar-frame.h"

struct _LersPulsarDriver
{
  GObject parent_instance;
};

static void lers_pulsar_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersPulsarDriver, lers_pulsar_driver, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_pulsar_driver_iface_init))

static const gchar *const pulsar_models[] = {
  "Pulsar-2M",  "Pulsar-4M",     "Pulsar-6M",  "Pulsar-10M",
  "Pulsar-16M", "Pulsar-16RM-M", "Pulsar-24M", NULL,
};

/**
 * pulsar_model_channels:
 * @model: (nullable): a model name as get_models() lists it
 *
 * Returns: the model's channel count (the number in its name), 0 if unknown
 */
guint
pulsar_model_channels (const gchar *model)
{
  const gchar *p;
  guint64 n;

  if (model == NULL || !g_str_has_prefix (model, "Pulsar-"))
    return 0;
  p = model + strlen ("Pulsar-");
  n = g_ascii_strtoull (p, NULL, 10);
  return n >= 1 && n <= 32 ? (guint) n : 0;
}

static LersDeviceSession *
lers_pulsar_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                   LersDevice *device, GError **error)
{
  return lers_pulsar_session_new (transport, device);
}

/* a frame as bytes, or as the text of a `.hex` file */
static gchar *
lers_pulsar_driver_decode_frame (LersDeviceDriver *driver, GBytes *frame, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree gchar *text = NULL;
  gchar *json = pulsar_frame_to_json (data, len, &local);

  if (json != NULL || len == 0 || memchr (data, 0, len) != NULL)
    goto out;
  text = g_strndup ((const gchar *) data, len);
  bytes = pulsar_hex_to_bytes (text, NULL);
  if (bytes != NULL)
    {
      g_clear_error (&local);
      data = g_bytes_get_data (bytes, &len);
      json = pulsar_frame_to_json (data, len, &local);
    }
out:
  if (json == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return json;
}

static const gchar *
lers_pulsar_driver_get_protocol (LersDeviceDriver *driver)
{
  return "pulsar";
}

static GStrv
lers_pulsar_driver_get_models (LersDeviceDriver *driver)
{
  return g_strdupv ((gchar **) pulsar_models);
}

static void
lers_pulsar_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_pulsar_driver_get_protocol;
  iface->get_models = lers_pulsar_driver_get_models;
  iface->create_session = lers_pulsar_driver_create_session;
  iface->decode_frame = lers_pulsar_driver_decode_frame;
}

static void
lers_pulsar_driver_class_init (LersPulsarDriverClass *klass)
{
}

static void
lers_pulsar_driver_class_finalize (LersPulsarDriverClass *klass)
{
}

static void
lers_pulsar_driver_init (LersPulsarDriver *self)
{
}

void
lers_pulsar_driver_register (GTypeModule *module)
{
  lers_pulsar_driver_register_type (module);
}

LersPulsarDriver *
lers_pulsar_driver_new (void)
{
  return g_object_new (LERS_TYPE_PULSAR_DRIVER, NULL);
}
