/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lers-error.h"
#include "store/lers-store-private.h"

/* Meter events: written per measure point, idempotently (a point's events
 * are keyed by the device's code and the start), and read back by range.
 * See migrations/0005-device-layer.sql. */

/* Text parameters of one event, as the INSERT below takes them after the
 * point id. */
enum
{
  EV_DEVICE_ID,
  EV_CHANNEL,
  EV_CODE,
  EV_DEVICE_CODE,
  EV_TEXT,
  EV_START,
  EV_END,
  EV_SEVERITY,
  EV_N_PARAMS
};

static gchar *
lers_store_events_us_text (GDateTime *dt)
{
  if (dt == NULL)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (dt) * G_USEC_PER_SEC
                                                   + g_date_time_get_microsecond (dt));
}

static gboolean
lers_store_events_check_point (gint64 point_id, GError **error)
{
  if (point_id <= 0 || point_id > G_MAXINT32)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%" PRId64 " is not a measure point id"), point_id);
      return FALSE;
    }
  return TRUE;
}

/* Checks the events and snapshots them as text parameters, in the
 * caller's thread: the worker never reads the objects. */
static GPtrArray *
lers_store_events_snapshot (gint64 point_id, GPtrArray *events, GError **error)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);

  if (!lers_store_events_check_point (point_id, error))
    return NULL;
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *event = g_ptr_array_index (events, i);
      GDateTime *start, *end;
      const gchar *text;
      gint64 device_id;

      if (!LERS_IS_METER_EVENT (event))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Event %u is not a meter event"), i + 1);
          return NULL;
        }
      start = lers_meter_event_get_start (event);
      end = lers_meter_event_get_end (event);
      if (start == NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Meter event %u (%s) has no start time"), i + 1,
                       lers_meter_event_get_code (event));
          return NULL;
        }
      if (end != NULL && g_date_time_compare (end, start) < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Meter event %u (%s) ends before it starts"), i + 1,
                       lers_meter_event_get_code (event));
          return NULL;
        }
      device_id = lers_meter_event_get_device_id (event);
      g_ptr_array_add (params,
                       device_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, device_id) : NULL);
      g_ptr_array_add (params, g_strdup_printf ("%u", lers_meter_event_get_channel (event)));
      /* a device's text may be in any encoding: stored as valid UTF-8 */
      g_ptr_array_add (params, g_utf8_make_valid (lers_meter_event_get_code (event), -1));
      g_ptr_array_add (params, g_strdup_printf ("%d", lers_meter_event_get_device_code (event)));
      text = lers_meter_event_get_text (event);
      g_ptr_array_add (params, text != NULL ? g_utf8_make_valid (text, -1) : NULL);
      g_ptr_array_add (params, lers_store_events_us_text (start));
      g_ptr_array_add (params, lers_store_events_us_text (end));
      g_ptr_array_add (params,
                       g_strdup_printf ("%d", (gint) lers_meter_event_get_severity (event)));
    }
  return g_steal_pointer (&params);
}

/* Makes sure the point exists; with @lock, it stays until the commit. */
static gboolean
lers_store_events_lock_point (LersStoreConn *conn, const gchar *point_str, gint64 point_id,
                              gboolean lock, GError **error)
{
  const gchar *values[] = { point_str };
  g_autoptr (PGresult) res
      = lers_store_exec (conn,
                         lock ? "SELECT 1 FROM measure_points WHERE id = $1::int8 FOR SHARE"
                              : "SELECT 1 FROM measure_points WHERE id = $1::int8",
                         1, values, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ ("measure point"), point_id);
      return FALSE;
    }
  return TRUE;
}

/* An event is new, or changed when what the device says of it now differs
 * from the row; an end once known is kept when a later read has none. */
static const gchar lers_store_events_upsert_sql[]
    = "INSERT INTO meter_events AS e (point_id, device_id, channel, code, device_code, text,"
      " started_at, ended_at, severity)"
      " VALUES ($1::int4,"
      "  coalesce($2::int8, (SELECT device_id FROM measure_points WHERE id = $1::int4)),"
      "  $3::int4, $4, $5::int4, $6,"
      "  'epoch'::timestamptz + $7::int8 * interval '1 microsecond',"
      "  'epoch'::timestamptz + $8::int8 * interval '1 microsecond', $9::int2)"
      " ON CONFLICT (point_id, channel, code, device_code, started_at) DO UPDATE SET"
      "  device_id = coalesce(EXCLUDED.device_id, e.device_id), text = EXCLUDED.text,"
      "  ended_at = coalesce(EXCLUDED.ended_at, e.ended_at), severity = EXCLUDED.severity"
      " WHERE (e.device_id, e.text, e.ended_at, e.severity)"
      "  IS DISTINCT FROM (coalesce(EXCLUDED.device_id, e.device_id),"
      "  EXCLUDED.text, coalesce(EXCLUDED.ended_at, e.ended_at), EXCLUDED.severity)";

static gboolean
lers_store_job_write_events_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                                 GCancellable *cancellable, GError **error)
{
  g_autofree gchar *point_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  guint n_events = job->params->len / EV_N_PARAMS;
  gint64 changed = 0;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (!lers_store_events_lock_point (conn, point_str, job->id, TRUE, error))
    return FALSE;
  for (guint i = 0; i < n_events; i++)
    {
      const gchar *values[1 + EV_N_PARAMS] = { point_str };
      g_autoptr (PGresult) res = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (guint k = 0; k < EV_N_PARAMS; k++)
        values[1 + k] = g_ptr_array_index (job->params, i * EV_N_PARAMS + k);
      res = lers_store_exec (conn, lers_store_events_upsert_sql, G_N_ELEMENTS (values), values,
                             error);
      if (res == NULL)
        {
          g_prefix_error (error, _ ("Could not store meter event %u of point %" PRId64 ": "), i + 1,
                          job->id);
          return FALSE;
        }
      changed += g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
    }
  if (!lers_store_exec_simple (conn, "COMMIT", error))
    return FALSE;
  job->result_id = changed;
  return TRUE;
}

static LersStoreJob *
lers_store_job_new_write_events (gint64 point_id, GPtrArray *params)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_write_events_run;
  job->id = point_id;
  job->params = params;
  job->bound = LERS_STORE_BOUND_OBJECT_WRITE;
  /* an upsert keyed by (point, code, start): sending it again changes nothing */
  job->once = FALSE;
  return job;
}

/**
 * lers_store_write_meter_events_sync:
 * @self: a #LersStore
 * @point_id: the measure point the events belong to
 * @events: (element-type LersMeterEvent): the events a device reported
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores a measure point's meter events in one transaction, keyed by
 * #LersMeterEvent:device-code and #LersMeterEvent:start: an event already
 * stored is updated when the device now says more of it (an end it did
 * not know before, another text or severity), and left alone when nothing
 * changed, so writing the same events twice changes nothing. An end once
 * stored is kept when a later read reports none. An event with no
 * #LersMeterEvent:device-id gets the point's device. The
 * #LersMeterEvent:point-id and #LersMeterEvent:id of @events are not read
 * or changed.
 *
 * Returns: how many events were added or changed; -1 with
 *   %LERS_ERROR_INVALID_ARGUMENT when an event has no start or ends before
 *   it starts, %LERS_ERROR_NOT_FOUND when there is no such point (nothing
 *   is stored then)
 *
 * Since: 0.3
 */
gint
lers_store_write_meter_events_sync (LersStore *self, gint64 point_id, GPtrArray *events,
                                    GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  GPtrArray *params;

  g_return_val_if_fail (LERS_IS_STORE (self), -1);
  g_return_val_if_fail (events != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  params = lers_store_events_snapshot (point_id, events, error);
  if (params == NULL)
    return -1;
  job = lers_store_job_new_write_events (point_id, params);
  if (!lers_store_run_job (self, job, cancellable, error))
    return -1;
  return (gint) job->result_id;
}

/**
 * lers_store_write_meter_events_async:
 * @self: a #LersStore
 * @point_id: the measure point the events belong to
 * @events: (element-type LersMeterEvent): the events a device reported
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Stores meter events in a worker thread; see
 * [method@Lers.Store.write_meter_events_sync]. The events are read now.
 *
 * Since: 0.3
 */
void
lers_store_write_meter_events_async (LersStore *self, gint64 point_id, GPtrArray *events,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *params;

  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (events != NULL);

  params = lers_store_events_snapshot (point_id, events, &error);
  if (params == NULL)
    {
      g_task_report_error (self, callback, user_data, lers_store_write_meter_events_async,
                           g_steal_pointer (&error));
      return;
    }
  lers_store_queue_job (self, lers_store_job_new_write_events (point_id, params),
                        lers_store_write_meter_events_async, cancellable, callback, user_data);
}

/**
 * lers_store_write_meter_events_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.write_meter_events_async].
 *
 * Returns: how many events were added or changed, or -1 on error
 *
 * Since: 0.3
 */
gint
lers_store_write_meter_events_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  LersStoreJob *job;

  g_return_val_if_fail (LERS_IS_STORE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  if (!lers_store_finish_boolean (self, result, lers_store_write_meter_events_async, error))
    return -1;
  job = g_task_get_task_data (G_TASK (result));
  return (gint) job->result_id;
}

/* ---- reading ----------------------------------------------------------- */

static LersMeterEvent *
lers_store_event_from_row (PGresult *res, gint row)
{
  LersMeterEvent *event = g_object_new (LERS_TYPE_METER_EVENT, NULL);
  g_autoptr (GDateTime) start = NULL;

  lers_meter_event_set_id (event, g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10));
  lers_meter_event_set_point_id (event, g_ascii_strtoll (PQgetvalue (res, row, 1), NULL, 10));
  if (!PQgetisnull (res, row, 2))
    lers_meter_event_set_device_id (event, g_ascii_strtoll (PQgetvalue (res, row, 2), NULL, 10));
  lers_meter_event_set_channel (
      event, (guint) CLAMP (g_ascii_strtoll (PQgetvalue (res, row, 3), NULL, 10), 0, G_MAXINT32));
  lers_meter_event_set_code (event, PQgetvalue (res, row, 4));
  lers_meter_event_set_device_code (event,
                                    (gint) g_ascii_strtoll (PQgetvalue (res, row, 5), NULL, 10));
  if (!PQgetisnull (res, row, 6))
    lers_meter_event_set_text (event, PQgetvalue (res, row, 6));
  start = lers_store_datetime_from_unix_us (g_ascii_strtoll (PQgetvalue (res, row, 7), NULL, 10));
  lers_meter_event_set_start (event, start);
  if (!PQgetisnull (res, row, 8))
    {
      g_autoptr (GDateTime) end
          = lers_store_datetime_from_unix_us (g_ascii_strtoll (PQgetvalue (res, row, 8), NULL, 10));
      lers_meter_event_set_end (event, end);
    }
  lers_meter_event_set_severity (event,
                                 (LersMeterEventSeverity) CLAMP (atoi (PQgetvalue (res, row, 9)),
                                                                 LERS_METER_EVENT_SEVERITY_INFO,
                                                                 LERS_METER_EVENT_SEVERITY_ALARM));
  return event;
}

static gboolean
lers_store_job_list_events_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                                GCancellable *cancellable, GError **error)
{
  g_autofree gchar *point_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  g_autofree gchar *from_str = lers_store_events_us_text (job->from);
  g_autofree gchar *to_str = lers_store_events_us_text (job->to);
  const gchar *values[] = { point_str, from_str, to_str };
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);

  if (!lers_store_events_lock_point (conn, point_str, job->id, FALSE, error))
    return FALSE;
  res = lers_store_exec (
      conn,
      "SELECT id, point_id, device_id, channel, code, device_code, text,"
      " (extract(epoch FROM started_at) * 1000000)::int8,"
      " (extract(epoch FROM ended_at) * 1000000)::int8, severity"
      " FROM meter_events WHERE point_id = $1::int4"
      " AND ($2::int8 IS NULL OR started_at >= 'epoch'::timestamptz + $2::int8 * interval '1 "
      "microsecond')"
      " AND ($3::int8 IS NULL OR started_at < 'epoch'::timestamptz + $3::int8 * interval '1 "
      "microsecond')"
      " ORDER BY started_at, device_code, id",
      G_N_ELEMENTS (values), values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read the meter events of point %" PRId64 ": "), job->id);
      return FALSE;
    }
  for (gint i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (events, lers_store_event_from_row (res, i));
  lers_store_job_set_result (job, g_steal_pointer (&events), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

static LersStoreJob *
lers_store_job_new_list_events (gint64 point_id, GDateTime *from, GDateTime *to)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_list_events_run;
  job->id = point_id;
  job->bound = LERS_STORE_BOUND_READ;
  job->from = from != NULL ? g_date_time_ref (from) : NULL;
  job->to = to != NULL ? g_date_time_ref (to) : NULL;
  return job;
}

/**
 * lers_store_list_meter_events_sync:
 * @self: a #LersStore
 * @point_id: the measure point
 * @from: (nullable): the earliest start to list; %NULL for no bound
 * @to: (nullable): the start to stop before (not included); %NULL for no bound
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a measure point's meter events that started in [@from, @to),
 * ordered by start (then by the device's code).
 *
 * Returns: (transfer container) (element-type LersMeterEvent): the events,
 *   or %NULL with %LERS_ERROR_NOT_FOUND when there is no such point
 *
 * Since: 0.3
 */
GPtrArray *
lers_store_list_meter_events_sync (LersStore *self, gint64 point_id, GDateTime *from, GDateTime *to,
                                   GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lers_store_events_check_point (point_id, error))
    return NULL;
  job = lers_store_job_new_list_events (point_id, from, to);
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_list_meter_events_async:
 * @self: a #LersStore
 * @point_id: the measure point
 * @from: (nullable): the earliest start to list; %NULL for no bound
 * @to: (nullable): the start to stop before (not included); %NULL for no bound
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads meter events in a worker thread; see
 * [method@Lers.Store.list_meter_events_sync].
 *
 * Since: 0.3
 */
void
lers_store_list_meter_events_async (LersStore *self, gint64 point_id, GDateTime *from,
                                    GDateTime *to, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (LERS_IS_STORE (self));

  if (!lers_store_events_check_point (point_id, &error))
    {
      g_task_report_error (self, callback, user_data, lers_store_list_meter_events_async,
                           g_steal_pointer (&error));
      return;
    }
  lers_store_queue_job (self, lers_store_job_new_list_events (point_id, from, to),
                        lers_store_list_meter_events_async, cancellable, callback, user_data);
}

/**
 * lers_store_list_meter_events_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_meter_events_async].
 *
 * Returns: (transfer container) (element-type LersMeterEvent): the events,
 *   or %NULL on error
 *
 * Since: 0.3
 */
GPtrArray *
lers_store_list_meter_events_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return lers_store_finish_pointer (self, result, lers_store_list_meter_events_async, error);
}
