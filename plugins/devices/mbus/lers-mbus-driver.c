/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The M-Bus driver: makes LersMbusSession (the readout, see
 * lers-mbus-session.c), scans a bus for meters, decodes frames for
 * `lers decode`. Timeouts and retries come from the transport and the
 * device's options (`answer-timeout-ms`, `retries`), read by the session.
 *
 * Scanning: primary, SND_NKE to 0…250, E5 → a meter, then REQ_UD2 for its
 * identification; secondary, the digit-by-digit search over select masks
 * with F wildcards: a clean E5 → one meter or more match (identical E5s
 * overlap cleanly on a real bus), so REQ_UD2 to 253 reads its address; a
 * garbled E5 or a garbled RSP_UD after it → a collision, narrow the next
 * digit; no answer → none there. Two meters on one primary address, or on
 * one full secondary address, come back as an entry with the option
 * `warning` and no serial number.
 */
#include <math.h>
#include <string.h>

#include "lers-mbus-driver.h"

#include <glib/gi18n-lib.h>

#include "lers-mbus-session.h"
#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-json.h"

struct _LersMbusDriver
{
  GObject parent_instance;
};

static void lers_mbus_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersMbusDriver, lers_mbus_driver, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_mbus_driver_iface_init))

/* ---- sessions ------------------------------------------------------------- */

static LersDeviceSession *
lers_mbus_driver_create_session (LersDeviceDriver *driver, LersTransport *transport,
                                 LersDevice *device, GError **error)
{
  return lers_mbus_session_new (transport, device);
}

/* ---- scanning ---------------------------------------------------------------- */

/* Model names: manufacturer, medium and version, as models.ini lists them;
 * the session names a meter it reads the same way */
gchar *
mbus_model_name (const MbusData *data)
{
  const gchar *medium;

  switch (data->medium)
    {
    case 0x04:
    case 0x0C:
      medium = "heat";
      break;
    case 0x06:
    case 0x07:
    case 0x15:
    case 0x16:
      medium = "water";
      break;
    case 0x03:
      medium = "gas";
      break;
    case 0x02:
      medium = "electricity";
      break;
    default:
      return g_strdup_printf ("%s medium 0x%02X meter v%u", data->manufacturer, data->medium,
                              data->version);
    }
  return g_strdup_printf ("%s %s meter v%u", data->manufacturer, medium, data->version);
}

/* as libmbus writes it: id, the manufacturer's two bytes in frame order,
 * version, medium */
static gchar *
mbus_secondary_address (const MbusData *data, const guint8 *manufacturer)
{
  return g_strdup_printf ("%08u%02X%02X%02X%02X", data->id, manufacturer[0], manufacturer[1],
                          data->version, data->medium);
}

typedef struct
{
  LersTransport *transport;
  LersProgress *progress;
  GPtrArray *devices;
  gboolean secondary;
  guint address;    /* primary scan: the next address */
  GPtrArray *masks; /* secondary scan: masks still to probe (a stack) */
  gchar *mask;      /* the one being probed */
  guint probes;
  gboolean saw_bytes; /* the scanner saw some answer */
} ScanData;

static void
scan_data_free (ScanData *d)
{
  g_clear_object (&d->transport);
  g_clear_object (&d->progress);
  g_clear_pointer (&d->devices, g_ptr_array_unref);
  g_clear_pointer (&d->masks, g_ptr_array_unref);
  g_free (d->mask);
  g_free (d);
}

/* like the session's scanner, but noise is kept: on a bus, bytes that
 * cannot start a frame are the sound of a collision */
static gssize
scan_scanner (const guint8 *data, gsize len, gpointer user_data)
{
  ScanData *d = user_data;
  gssize n = mbus_frame_scan (data, len, NULL);

  if (len > 0)
    d->saw_bytes = TRUE;
  return n < 0 ? 0 : n;
}

typedef enum
{
  PROBE_NONE,
  PROBE_ONE,
  PROBE_COLLISION,
} ProbeResult;

/* what an exchange's outcome says about the bus */
static ProbeResult
scan_classify (ScanData *d, GBytes *answer, GError *error, MbusFrame **frame_out, GError **fatal)
{
  g_autoptr (MbusFrame) frame = NULL;
  gsize len = 0;
  const guint8 *buf;

  if (answer == NULL)
    {
      if (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT))
        return d->saw_bytes ? PROBE_COLLISION : PROBE_NONE;
      *fatal = g_error_copy (error);
      return PROBE_NONE;
    }
  buf = g_bytes_get_data (answer, &len);
  frame = mbus_frame_parse (buf, len, NULL);
  if (frame == NULL)
    return PROBE_COLLISION;
  if (frame_out != NULL)
    *frame_out = g_steal_pointer (&frame);
  return PROBE_ONE;
}

static void scan_next (GTask *task);

static void
scan_add_device (ScanData *d, const MbusFrame *frame, guint primary)
{
  g_autoptr (MbusData) data = mbus_data_decode_frame (frame, NULL);
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autofree gchar *model = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *address = NULL;
  g_autofree gchar *secondary = NULL;

  if (data == NULL || !data->has_id)
    return;
  {
    gsize n = 0;
    const guint8 *user = g_bytes_get_data (frame->data, &n);
    static const guint8 none[2] = { 0, 0 };
    secondary = mbus_secondary_address (data, n >= 6 ? user + 4 : none);
  }
  model = mbus_model_name (data);
  serial = g_strdup_printf ("%08u", data->id);
  lers_device_set_protocol (device, "mbus");
  lers_device_set_model (device, model);
  lers_device_set_serial_number (device, serial);
  if (d->secondary)
    lers_device_set_network_address (device, secondary);
  else
    {
      address = g_strdup_printf ("%u", primary);
      lers_device_set_network_address (device, address);
    }
  /* what `lers scan` shows next to the address */
  lers_device_set_option (device, "secondary-address", secondary);
  {
    g_autofree gchar *a = g_strdup_printf ("%u", data->a);
    g_autofree gchar *version = g_strdup_printf ("%u", data->version);
    lers_device_set_option (device, "primary-address", a);
    lers_device_set_option (device, "manufacturer", data->manufacturer);
    lers_device_set_option (device, "medium", mbus_data_get_medium_name (data->medium));
    lers_device_set_option (device, "version", version);
  }
  for (guint i = 0; i < d->devices->len; i++)
    {
      LersDevice *known = g_ptr_array_index (d->devices, i);
      if (g_strcmp0 (lers_device_get_network_address (known),
                     lers_device_get_network_address (device))
          == 0)
        return;
    }
  g_ptr_array_add (d->devices, g_steal_pointer (&device));
}

/* A finding that is no meter: an entry without serial number whose option
 * `warning` says what the scan saw, for `lers scan` to print */
static void
scan_warn (ScanData *d, const gchar *address, gchar *message)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autofree gchar *text = message;

  lers_device_set_protocol (device, "mbus");
  lers_device_set_network_address (device, address);
  lers_device_set_option (device, "warning", text);
  g_ptr_array_add (d->devices, g_steal_pointer (&device));
}

static void
scan_warn_primary (ScanData *d)
{
  g_autofree gchar *address = g_strdup_printf ("%u", d->address);

  /* TRANSLATORS: a warning of `lers scan`; %u is an M-Bus primary address */
  scan_warn (d, address,
             g_strdup_printf (_ ("more than one meter answers at primary address %u; give "
                                 "them different addresses or scan by secondary address"),
                              d->address));
}

/* A collision on @d->mask: probe the first wildcard digit of the
 * identification number narrowed to 0…9 (pushed 9…0 so that 0 comes
 * first), as libmbus's probe does */
static void
scan_narrow (ScanData *d)
{
  const gchar *wild = strchr (d->mask, 'F');
  gsize pos = wild != NULL ? (gsize) (wild - d->mask) : 16;

  if (pos >= 8)
    {
      /* TRANSLATORS: a warning of `lers scan`; %s is a secondary address mask */
      scan_warn (
          d, d->mask,
          g_strdup_printf (_ ("more than one meter answers to secondary address %s"), d->mask));
      return;
    }
  for (gint digit = 9; digit >= 0; digit--)
    {
      gchar *narrower = g_strdup (d->mask);
      narrower[pos] = (gchar) ('0' + digit);
      g_ptr_array_add (d->masks, narrower);
    }
}

/* Ends the exchange @result and classifies its answer into @r and @frame.
 * Returns %FALSE when the scan has failed: @task has then returned the
 * error and been released. */
static gboolean
scan_probe_finish (GTask *task, GAsyncResult *result, ProbeResult *r, MbusFrame **frame)
{
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) fatal = NULL;
  g_autoptr (GBytes) answer = lers_transport_exchange_finish (d->transport, result, &error);

  *r = scan_classify (d, answer, error, frame, &fatal);
  if (fatal != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&fatal));
      g_object_unref (task);
      return FALSE;
    }
  return TRUE;
}

/* REQ_UD2 to @address, after its E5 */
static void
scan_identify (GTask *task, guint8 address, GAsyncReadyCallback callback)
{
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (GBytes) request = mbus_frame_build_req_ud2 (address, TRUE);

  d->saw_bytes = FALSE;
  lers_transport_exchange_async (d->transport, request, scan_scanner, d, NULL,
                                 g_task_get_cancellable (task), callback, task);
}

/* primary: REQ_UD2 after the E5 */
static void
scan_primary_identified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (MbusFrame) frame = NULL;
  ProbeResult r;

  if (!scan_probe_finish (task, result, &r, &frame))
    return;
  if (r == PROBE_ONE && frame != NULL && frame->kind == MBUS_FRAME_KIND_LONG)
    scan_add_device (d, frame, d->address);
  else if (r == PROBE_COLLISION)
    /* identical E5s overlap cleanly; differing RSP_UDs do not */
    scan_warn_primary (d);
  else
    g_debug ("address %u answered SND_NKE but not REQ_UD2", d->address);
  d->address++;
  scan_next (task);
}

static void
scan_primary_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (MbusFrame) frame = NULL;
  ProbeResult r;

  if (!scan_probe_finish (task, result, &r, &frame))
    return;
  if (r == PROBE_ONE && frame->kind == MBUS_FRAME_KIND_ACK)
    {
      scan_identify (task, (guint8) d->address, scan_primary_identified_cb);
      return;
    }
  if (r == PROBE_COLLISION)
    scan_warn_primary (d);
  d->address++;
  scan_next (task);
}

/* secondary: REQ_UD2 to 253 after a clean E5 */
static void
scan_secondary_identified_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (MbusFrame) frame = NULL;
  ProbeResult r;

  if (!scan_probe_finish (task, result, &r, &frame))
    return;
  if (r == PROBE_ONE && frame != NULL && frame->kind == MBUS_FRAME_KIND_LONG)
    scan_add_device (d, frame, frame->a);
  else if (r == PROBE_COLLISION)
    /* several meters matched: their E5s overlapped cleanly, their RSP_UDs
     * did not */
    scan_narrow (d);
  scan_next (task);
}

static void
scan_secondary_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (MbusFrame) frame = NULL;
  ProbeResult r;

  if (!scan_probe_finish (task, result, &r, &frame))
    return;
  if (r == PROBE_ONE && frame->kind != MBUS_FRAME_KIND_ACK)
    r = PROBE_COLLISION;
  if (r == PROBE_ONE)
    {
      scan_identify (task, MBUS_ADDRESS_NETWORK_LAYER, scan_secondary_identified_cb);
      return;
    }
  if (r == PROBE_COLLISION)
    scan_narrow (d);
  scan_next (task);
}

static void
scan_next (GTask *task)
{
  ScanData *d = g_task_get_task_data (task);
  g_autoptr (GBytes) request = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  d->saw_bytes = FALSE;
  if (!d->secondary)
    {
      if (d->address > 250)
        goto done;
      if (d->progress != NULL)
        lers_progress_set_fraction (d->progress, (gdouble) d->address / 251.0);
      request = mbus_frame_build_snd_nke ((guint8) d->address);
      lers_transport_exchange_async (d->transport, request, scan_scanner, d, NULL,
                                     g_task_get_cancellable (task), scan_primary_cb, task);
      return;
    }
  if (d->masks->len == 0)
    goto done;
  g_free (d->mask);
  d->mask = g_ptr_array_steal_index (d->masks, d->masks->len - 1);
  d->probes++;
  if (d->progress != NULL)
    {
      /* the share of the identification numbers already searched */
      gdouble fraction = 0.0, weight = 0.1;
      for (guint i = 0; i < 8 && d->mask[i] != 'F'; i++, weight /= 10.0)
        fraction += (d->mask[i] - '0') * weight;
      lers_progress_set_fraction (d->progress, CLAMP (fraction, 0.0, 1.0));
    }
  request = mbus_frame_build_select_mask (d->mask);
  lers_transport_exchange_async (d->transport, request, scan_scanner, d, NULL,
                                 g_task_get_cancellable (task), scan_secondary_cb, task);
  return;

done:
  if (d->progress != NULL)
    lers_progress_set_fraction (d->progress, 1.0);
  g_task_return_pointer (task, g_steal_pointer (&d->devices), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
lers_mbus_driver_scan_async (LersDeviceDriver *driver, LersTransport *transport,
                             const gchar *pattern, LersProgress *progress,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  GTask *task = g_task_new (driver, cancellable, callback, user_data);
  ScanData *d = g_new0 (ScanData, 1);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, lers_mbus_driver_scan_async);
  g_task_set_task_data (task, d, (GDestroyNotify) scan_data_free);
  d->transport = g_object_ref (transport);
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  d->devices = g_ptr_array_new_with_free_func (g_object_unref);
  d->masks = g_ptr_array_new_with_free_func (g_free);
  if (pattern != NULL && g_strcmp0 (pattern, "primary") != 0)
    {
      g_autofree gchar *mask = g_ascii_strup (
          g_strcmp0 (pattern, "secondary") == 0 || *pattern == '\0' ? "FFFFFFFFFFFFFFFF" : pattern,
          -1);
      g_autoptr (GBytes) probe = mbus_frame_build_select_mask (mask);

      if (probe == NULL)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("“%s” is not an M-Bus secondary address mask: 16 hex "
                                      "digits (8 of them the identification number), F for any"),
                                   pattern);
          g_object_unref (task);
          return;
        }
      d->secondary = TRUE;
      if (strlen (mask) == 8)
        {
          gchar *full = g_strconcat (mask, "FFFFFFFF", NULL);
          g_ptr_array_add (d->masks, full);
        }
      else
        g_ptr_array_add (d->masks, g_steal_pointer (&mask));
    }
  if (!lers_transport_set_line_default (transport, 2400, 8, LERS_PARITY_EVEN, 1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (d->progress != NULL)
    lers_progress_set_message (d->progress, d->secondary ? _ ("searching secondary addresses")
                                                         : _ ("probing primary addresses"));
  scan_next (task);
}

static GPtrArray *
lers_mbus_driver_scan_finish (LersDeviceDriver *driver, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, driver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- frame decoding for `lers decode` --------------------------------------- */

static gboolean
looks_like_hex (const guint8 *buf, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (buf[i]) && !g_ascii_isspace (buf[i]))
      return FALSE;
  return TRUE;
}

static gchar *
lers_mbus_driver_decode_frame (LersDeviceDriver *driver, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (bytes, &len);
  g_autoptr (GBytes) decoded = NULL;
  g_autoptr (MbusFrame) frame = NULL;
  g_autoptr (MbusData) data = NULL;

  /* a .hex file as the conformance folder and our recordings keep them */
  if (len > 0 && buf[0] != 0x68 && buf[0] != 0x10 && buf[0] != 0xE5 && looks_like_hex (buf, len))
    {
      g_autofree gchar *text = g_strndup ((const gchar *) buf, len);
      decoded = mbus_hex_to_bytes (text, error);
      if (decoded == NULL)
        return NULL;
      buf = g_bytes_get_data (decoded, &len);
    }
  frame = mbus_frame_parse (buf, len, error);
  if (frame == NULL)
    return NULL;
  if (frame->kind == MBUS_FRAME_KIND_ACK)
    return g_strdup ("{\n  \"frame\" : \"ack\"\n}");
  if (frame->kind == MBUS_FRAME_KIND_SHORT)
    return g_strdup_printf ("{\n  \"frame\" : \"short\",\n  \"c\" : %u,\n  \"a\" : %u\n}", frame->c,
                            frame->a);
  data = mbus_data_decode_frame (frame, error);
  if (data == NULL)
    return NULL;
  return mbus_json_render (data, TRUE);
}

static const gchar *
lers_mbus_driver_get_protocol (LersDeviceDriver *driver)
{
  return "mbus";
}

static GStrv
lers_mbus_driver_get_models (LersDeviceDriver *driver)
{
  static const gchar *const models[] = {
    "EN 13757-3 heat meter", "EN 13757-3 water meter",
    "EN 13757-3 gas meter",  "EN 13757-3 electricity meter",
    "LRS heat meter v1",     "LRS heat meter v2",
    "LRS pulse adapter v1",  NULL,
  };
  return g_strdupv ((gchar **) models);
}

static void
lers_mbus_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_mbus_driver_get_protocol;
  iface->get_models = lers_mbus_driver_get_models;
  iface->create_session = lers_mbus_driver_create_session;
  iface->scan_async = lers_mbus_driver_scan_async;
  iface->scan_finish = lers_mbus_driver_scan_finish;
  iface->decode_frame = lers_mbus_driver_decode_frame;
}

/* ---- GObject -------------------------------------------------------------- */

static void
lers_mbus_driver_class_init (LersMbusDriverClass *klass)
{
}

static void
lers_mbus_driver_class_finalize (LersMbusDriverClass *klass)
{
}

static void
lers_mbus_driver_init (LersMbusDriver *self)
{
}

/**
 * lers_mbus_driver_register:
 * @module: the plugin's type module
 *
 * Registers #LersMbusDriver with @module.
 *
 * Since: 0.1
 */
void
lers_mbus_driver_register (GTypeModule *module)
{
  lers_mbus_driver_register_type (module);
}

/**
 * lers_mbus_driver_new:
 *
 * Returns: (transfer full): a driver
 *
 * Since: 0.1
 */
LersMbusDriver *
lers_mbus_driver_new (void)
{
  return g_object_new (LERS_TYPE_MBUS_DRIVER, NULL);
}
