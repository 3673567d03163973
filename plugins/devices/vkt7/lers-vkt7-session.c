/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ВКТ-7 session: the device's options and line, and the public calls;
 * the exchanges themselves are vkt7-job.c's.
 */
#include "lers-vkt7-session.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "vkt7-data.h"
#include "vkt7-events.h"
#include "vkt7-frame.h"
#include "vkt7-job.h"

#define VKT7_DEFAULT_RETRIES 3

struct _LersVkt7Session
{
  LersDeviceSession parent_instance;

  Vkt7Link link;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersVkt7Session, lers_vkt7_session, LERS_TYPE_DEVICE_SESSION,
                                G_TYPE_FLAG_FINAL, {})

gssize
lers_vkt7_scan_frame (const guint8 *data, gsize len, gpointer user_data)
{
  gssize n = vkt7_scan_reply (data, len);
  return n < 0 ? -1 : n;
}

/* ---- open ------------------------------------------------------------------- */

static gboolean
option_false (LersDeviceSession *session, const gchar *key)
{
  const gchar *v = lers_device_session_get_option (session, key);

  return v != NULL
         && (g_ascii_strcasecmp (v, "false") == 0 || g_ascii_strcasecmp (v, "no") == 0
             || g_strcmp0 (v, "0") == 0);
}

static void
open_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!vkt7_job_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_vkt7_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  LersVkt7Session *self = LERS_VKT7_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LersTransport *transport = lers_device_session_get_transport (session);
  LersDevice *device = lers_device_session_get_device (session);
  const gchar *address = lers_device_get_network_address (device);
  g_autoptr (GError) error = NULL;
  guint64 a = 0;
  guint baud;

  if (address != NULL && *address != '\0'
      && (!g_ascii_string_to_unsigned (address, 10, 0, 240, &a, NULL)))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("ВКТ-7 network address “%s” is not a number from 0 to 240"),
                               address);
      g_object_unref (task);
      return;
    }
  self->link.address = (guint8) a;
  self->link.wake_up = !option_false (session, "wake-up");
  self->link.retries
      = lers_device_session_get_option_uint (session, "retries", VKT7_DEFAULT_RETRIES);
  g_clear_pointer (&self->link.zone, g_time_zone_unref);
  self->link.zone = lers_device_dup_clock_time_zone (device);
  baud = lers_device_session_get_option_uint (session, "baud", 0);
  /* §2: 8 data bits, 2 stop bits, no parity; 9600 unless told */
  if (baud > 0)
    {
      if (!lers_transport_set_line (transport, baud, 8, LERS_PARITY_NONE, 2, &error)
          && !g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
        goto fail;
      g_clear_error (&error);
    }
  else if (!lers_transport_set_line_default (transport, 9600, 8, LERS_PARITY_NONE, 2, &error))
    goto fail;
  vkt7_properties_clear (&self->link.props);
  vkt7_properties_init (&self->link.props);
  vkt7_job_open (session, &self->link, cancellable, open_done_cb, task);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static gboolean
lers_vkt7_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- archives and events ------------------------------------------------------ */

static void lers_vkt7_session_read_events_async (LersDeviceSession *session, GDateTime *from,
                                                 GDateTime *to, LersProgress *progress,
                                                 GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);

static void
archive_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersVkt7Session *self = LERS_VKT7_SESSION (source);
  g_autoptr (GError) error = NULL;

  if (!vkt7_job_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_task_get_source_tag (task) == lers_vkt7_session_read_events_async)
    g_task_return_pointer (task,
                           vkt7_events_build (vkt7_job_get_ns_hours (result), self->link.zone),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_pointer (task, g_ptr_array_ref (vkt7_job_get_records (result)),
                           (GDestroyNotify) g_ptr_array_unref);
}

static void
lers_vkt7_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                      GDateTime *from, GDateTime *to, LersProgress *progress,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  LersVkt7Session *self = LERS_VKT7_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  if (kind != LERS_ARCHIVE_KIND_HOUR && kind != LERS_ARCHIVE_KIND_DAY
      && kind != LERS_ARCHIVE_KIND_MONTH && kind != LERS_ARCHIVE_KIND_CURRENT
      && kind != LERS_ARCHIVE_KIND_TOTALS)
    {
      g_task_return_new_error (
          task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
          _ ("The ВКТ-7 driver reads hour, day, month, current and totals archives, not %s"),
          lers_archive_kind_to_string (kind));
      g_object_unref (task);
      return;
    }
  if ((from == NULL || to == NULL) && kind != LERS_ARCHIVE_KIND_CURRENT
      && kind != LERS_ARCHIVE_KIND_TOTALS)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("An archive read needs a time range"));
      g_object_unref (task);
      return;
    }
  vkt7_job_archive (session, &self->link, kind, FALSE, from, to, progress, cancellable,
                    archive_done_cb, task);
}

static GPtrArray *
lers_vkt7_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                       GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_vkt7_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                     LersProgress *progress, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  LersVkt7Session *self = LERS_VKT7_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  if (from == NULL || to == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("An archive read needs a time range"));
      g_object_unref (task);
      return;
    }
  g_task_set_source_tag (task, lers_vkt7_session_read_events_async);
  vkt7_job_archive (session, &self->link, LERS_ARCHIVE_KIND_HOUR, TRUE, from, to, progress,
                    cancellable, archive_done_cb, task);
}

static GPtrArray *
lers_vkt7_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- clock -------------------------------------------------------------------- */

static void
clock_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!vkt7_job_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_date_time_ref (vkt7_job_get_clock (result)),
                           (GDestroyNotify) g_date_time_unref);
}

static void
lers_vkt7_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  LersVkt7Session *self = LERS_VKT7_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  vkt7_job_clock (session, &self->link, cancellable, clock_done_cb, task);
}

static GDateTime *
lers_vkt7_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                     GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_vkt7_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("The ВКТ-7 protocol has no request to set the clock"));
}

static gboolean
lers_vkt7_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                    GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lers_vkt7_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  /* the protocol has no end of session */
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_vkt7_session_close_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
lers_vkt7_session_finalize (GObject *object)
{
  LersVkt7Session *self = LERS_VKT7_SESSION (object);

  vkt7_properties_clear (&self->link.props);
  g_clear_pointer (&self->link.zone, g_time_zone_unref);
  g_free (self->link.model);
  G_OBJECT_CLASS (lers_vkt7_session_parent_class)->finalize (object);
}

static void
lers_vkt7_session_class_init (LersVkt7SessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_vkt7_session_finalize;
  session_class->open_async = lers_vkt7_session_open_async;
  session_class->open_finish = lers_vkt7_session_open_finish;
  session_class->read_archive_async = lers_vkt7_session_read_archive_async;
  session_class->read_archive_finish = lers_vkt7_session_read_archive_finish;
  session_class->read_events_async = lers_vkt7_session_read_events_async;
  session_class->read_events_finish = lers_vkt7_session_read_events_finish;
  session_class->read_clock_async = lers_vkt7_session_read_clock_async;
  session_class->read_clock_finish = lers_vkt7_session_read_clock_finish;
  session_class->set_clock_async = lers_vkt7_session_set_clock_async;
  session_class->set_clock_finish = lers_vkt7_session_set_clock_finish;
  session_class->close_async = lers_vkt7_session_close_async;
  session_class->close_finish = lers_vkt7_session_close_finish;
}

static void
lers_vkt7_session_class_finalize (LersVkt7SessionClass *klass)
{
}

static void
lers_vkt7_session_init (LersVkt7Session *self)
{
  self->link.retries = VKT7_DEFAULT_RETRIES;
  self->link.wake_up = TRUE;
  self->link.zone = g_time_zone_new_utc ();
  vkt7_properties_init (&self->link.props);
}

void
lers_vkt7_session_register (GTypeModule *module)
{
  lers_vkt7_session_register_type (module);
}

LersDeviceSession *
lers_vkt7_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_VKT7_SESSION, "transport", transport, "device", device, NULL);
}

const gchar *
lers_vkt7_session_get_model (LersVkt7Session *self)
{
  return self->link.model;
}
