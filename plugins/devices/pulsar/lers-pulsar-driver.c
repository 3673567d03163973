/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Pulsar driver: makes LersPulsarSession (lers-pulsar-session.c),
 * decodes frames for `lers decode pulsar`, and scans a line the one way the
 * protocol allows: a clock read to the broadcast address 0 (or to the
 * address given as the pattern), whose answer carries the device's own
 * address. With several devices on the line their answers collide: the
 * scan says so rather than guess.
 */
#include "lers-pulsar-driver.h"

#include <glib/gi18n-lib.h>
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

/**
 * pulsar_model_marks_no_power:
 * @model: (nullable): a model name
 *
 * Whether the archive mark 0xFFFFFFF0 means "no power" on @model. The
 * 2012 description (p. 6) documents that mark for the «Пульсар 16РМ-М»
 * only; the 2021 specification (§3.10) calls 0xFFFFFFF0 "no data".
 *
 * Returns: %TRUE for Pulsar-16RM-M
 */
gboolean
pulsar_model_marks_no_power (const gchar *model)
{
  return g_strcmp0 (model, "Pulsar-16RM-M") == 0;
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

static void
scan_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree gchar *address = NULL;
  PulsarFrame frame;
  LersDevice *device;
  gsize len = 0;
  const guint8 *p;

  if (answer == NULL)
    {
      /* nobody there */
      if (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT))
        g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  p = g_bytes_get_data (answer, &len);
  if (!pulsar_frame_parse (p, len, &frame, &error) || frame.function != PULSAR_FN_READ_CLOCK)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("Pulsar scan: a garbled answer (more than one device on the "
                                  "line?)"));
      return;
    }
  address = g_strdup_printf ("%u", frame.address);
  device = lers_device_new ();
  lers_device_set_protocol (device, "pulsar");
  lers_device_set_network_address (device, address);
  /* what `lers scan` shows */
  lers_device_set_option (device, "primary-address", address);
  lers_device_set_option (device, "manufacturer", "Pulsar");
  g_ptr_array_add (found, device);
  if (g_task_get_task_data (task) != NULL)
    lers_progress_set_fraction (g_task_get_task_data (task), 1.0);
  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
}

static void
lers_pulsar_driver_scan_async (LersDeviceDriver *driver, LersTransport *transport,
                               const gchar *pattern, LersProgress *progress,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (driver, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) request = NULL;
  guint32 address = 0;

  g_task_set_source_tag (task, lers_pulsar_driver_scan_async);
  if (progress != NULL)
    g_task_set_task_data (task, g_object_ref (progress), g_object_unref);
  if ((pattern != NULL && !pulsar_address_parse (pattern, &address, &error))
      || !lers_transport_set_line_default (transport, 9600, 8, LERS_PARITY_NONE, 1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  request = pulsar_request_read_clock (address, 1);
  lers_transport_exchange_async (transport, request, pulsar_frame_scan, NULL, NULL, cancellable,
                                 scan_answered_cb, g_steal_pointer (&task));
}

static GPtrArray *
lers_pulsar_driver_scan_finish (LersDeviceDriver *driver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
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
  iface->scan_async = lers_pulsar_driver_scan_async;
  iface->scan_finish = lers_pulsar_driver_scan_finish;
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
