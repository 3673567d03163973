/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Latest current values of points, and their live stream (Server-Sent Events).
 *
 *   GET /api/v1/current?point=1,2,3&node=5
 *
 * → {"items": [{"point_id": 1, "node_id": 1, "point_title": "Ввод",
 *               "node_title": "Дом 1", "resource": "heat",
 *               "time": "2026-11-30T12:00:00+03:00",
 *               "values": [{"parameter": "T_in", "value": 71.3, "unit": "degC",
 *                           "flags": []}, …],
 *               "stale": false}, …],
 *    "next": null}
 *
 * One item for each point the caller sees (ids it does not see are simply
 * absent), ordered by point id, with its newest record of the current
 * archive; a point never read has "time": null, "values": [] and is stale.
 * A record is stale when it is older than twice the point's poll interval,
 * or than one hour when the point has no interval.
 *
 *   GET /api/v1/current/stream?point=…&node=…   (Accept: text/event-stream)
 *
 * Server-Sent Events: one `snapshot` event with the list above, then an
 * `update` event (one item) whenever a newer current record of a point of
 * the list is stored, and a `: ping` comment every 15 s. Nothing notifies
 * the storing of a record, so ONE timer of the server, running while there
 * are streams, asks the database once a second for the points whose newest
 * current record is later than the newest one it saw less 5 minutes (one
 * index probe a point), and each stream sends what is newer than what it
 * sent. A stream ends when its client goes away, the server stops, or the
 * caller's session ends (checked with each ping). At most max-streams
 * (200) at once: beyond, 503. A client that does not accept
 * text/event-stream (or HEAD) gets the snapshot alone, and the answer ends.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lersd-auth.h"
#include "lersd-routes.h"

#define LERSD_CURRENT_HUB_KEY "lersd-current-hub"
#define LERSD_CURRENT_TICK_MS 1000
#define LERSD_CURRENT_PING_SECONDS 15
/* staleness of a point without a poll interval */
#define LERSD_CURRENT_STALE_DEFAULT G_TIME_SPAN_HOUR
/* how far before the newest record seen the timer looks */
#define LERSD_CURRENT_LOOKBACK (5 * G_TIME_SPAN_MINUTE)
/* most ids in ?point= or ?node= */
#define LERSD_CURRENT_MAX_IDS 1000

typedef struct _LersdStream LersdStream;

typedef struct
{
  LersdServer *server; /* not owned: the hub is the server's data */
  GPtrArray *streams;  /* of LersdStream*, live ones (snapshot sent) */
  guint n_streams;     /* live and starting */
  guint max_streams;
  GHashTable *per_user; /* user id (gint64*) → its streams, live and starting (guint) */
  guint ping_seconds;   /* between a stream's pings (and session checks) */
  guint tick_id;
  gboolean querying;
  gint64 newest; /* Unix µs of the newest record seen, at most now */
} LersdCurrentHub;

struct _LersdStream
{
  LersdCurrentHub *hub;
  LersdRequest *req;
  GArray *point_filter; /* of gint64, or NULL */
  GArray *node_filter;  /* of gint64, or NULL */
  GHashTable *nodes;    /* gint64* the stream shows, or NULL: any node */
  GHashTable *points;   /* gint64* the stream shows, or NULL: any point */
  GHashTable *sent;     /* point id → Unix µs of the last record sent */
  GVariant *snapshot;
  gchar *secret;
  LersSessionKind kind;
  const gchar *language; /* the request's, "ru" or "en" */
  gulong cancelled_id;
  guint ping_id;
  guint end_id;
  gint64 user_id; /* whose stream it is, counted in the hub's per_user */
  gboolean live;
  gboolean ended;
  gboolean checking;
};

/* at most this many streams of one user at once (besides max-streams) */
#define LERSD_CURRENT_MAX_USER_STREAMS 8

/* ---------------------------------------------------------------------------
 * Items
 * ------------------------------------------------------------------------- */

/* Adds @delta to @user_id's count of streams; returns the new count */
static guint
lersd_current_count_user (LersdCurrentHub *hub, gint64 user_id, gint delta)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (hub->per_user, &user_id));

  n = delta < 0 && n == 0 ? 0 : n + delta;
  if (n == 0)
    g_hash_table_remove (hub->per_user, &user_id);
  else
    g_hash_table_replace (hub->per_user, g_memdup2 (&user_id, sizeof user_id),
                          GUINT_TO_POINTER (n));
  return n;
}

/* One item of lers_store_query_current_sync() as JSON; @now in Unix µs */
static void
lersd_current_append_item (GString *out, GVariant *item, GFlagsClass *flags_class, gint64 now)
{
  gint64 point_id, node_id, interval, ts;
  const gchar *point_title = NULL, *node_title = NULL, *zone_name;
  gint32 resource;
  g_autoptr (GVariantIter) values = NULL;
  const gchar *resource_str;
  guint8 parameter, flags;
  gdouble value;
  gboolean first = TRUE;
  GTimeSpan stale_after;

  g_variant_get (item, "(xxm&sm&six&sxa(yyd))", &point_id, &node_id, &point_title, &node_title,
                 &resource, &interval, &zone_name, &ts, &values);
  g_string_append_printf (out, "{\"point_id\":%" G_GINT64_FORMAT ",\"node_id\":", point_id);
  if (node_id > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, node_id);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"point_title\":");
  lers_json_append_nullable_string (out, point_title);
  g_string_append (out, ",\"node_title\":");
  lers_json_append_nullable_string (out, node_title);
  g_string_append (out, ",\"resource\":");
  resource_str = lers_resource_to_string ((LersResource) resource);
  lers_json_append_nullable_string (out, resource_str);
  g_string_append (out, ",\"time\":");
  if (ts == G_MININT64)
    g_string_append (out, "null");
  else
    {
      g_autoptr (GTimeZone) zone
          = lers_time_zone_new (zone_name[0] != '\0' ? zone_name : NULL, NULL);
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (ts / G_USEC_PER_SEC);
      g_autoptr (GDateTime) dt = NULL;

      if (zone == NULL)
        zone = g_time_zone_new_local ();
      if (utc != NULL)
        dt = g_date_time_add (utc, ts % G_USEC_PER_SEC);
      if (dt != NULL)
        lers_json_append_time (out, dt, zone);
      else
        g_string_append (out, "null");
    }
  g_string_append (out, ",\"values\":[");
  while (g_variant_iter_next (values, "(yyd)", &parameter, &flags, &value))
    {
      if (flags & LERS_VALUE_FLAG_MISSING)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      g_string_append (out, "{\"parameter\":");
      lers_json_append_string (out, lers_parameter_get_name (parameter));
      g_string_append (out, ",\"value\":");
      /* not finite (a meter's NaN): null with the flag bad */
      if (!lers_json_append_double (out, value))
        flags |= LERS_VALUE_FLAG_BAD;
      g_string_append (out, ",\"unit\":");
      lers_json_append_string (out, lers_unit_get_code (lers_parameter_get_unit (parameter)));
      g_string_append (out, ",\"flags\":");
      lersd_append_json_flags (out, flags_class, flags);
      g_string_append_c (out, '}');
    }
  stale_after = interval > 0 ? 2 * interval * G_TIME_SPAN_SECOND : LERSD_CURRENT_STALE_DEFAULT;
  g_string_append_printf (out, "],\"stale\":%s}",
                          ts == G_MININT64 || now - ts > stale_after ? "true" : "false");
}

/* {"items": [...], "next": null} */
static GString *
lersd_current_list_json (GVariant *items)
{
  g_autoptr (GFlagsClass) flags_class = g_type_class_ref (LERS_TYPE_VALUE_FLAGS);
  GString *out = g_string_sized_new (256 + g_variant_n_children (items) * 384);
  gint64 now = g_get_real_time ();

  g_string_append (out, "{\"items\":[");
  for (gsize i = 0; i < g_variant_n_children (items); i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (items, i);

      if (i > 0)
        g_string_append_c (out, ',');
      lersd_current_append_item (out, item, flags_class, now);
    }
  g_string_append (out, "],\"next\":null}");
  return out;
}

/* ?point=1,2,3 or ?node=5: NULL in @ids when absent */
static gboolean
lersd_current_parse_ids (LersdRequest *req, const gchar *name, GArray **ids, GError **error)
{
  const gchar *text = lersd_request_get_query (req, name);
  g_auto (GStrv) parts = NULL;

  *ids = NULL;
  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) > LERSD_CURRENT_MAX_IDS)
    {
      /* TRANSLATORS: %s is the query parameter (point, node), %d a number */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s lists more than %d ids"),
                   name, LERSD_CURRENT_MAX_IDS);
      return FALSE;
    }
  *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (!lersd_parse_id (g_strstrip (parts[i]), &id, error))
        {
          g_clear_pointer (ids, g_array_unref);
          g_prefix_error (error, "%s: ", name);
          return FALSE;
        }
      g_array_append_val (*ids, id);
    }
  return TRUE;
}

/* Blocks: the newest current record of each point the caller sees and the
 * filters keep. @nodes: (out) (optional): the node ids shown, NULL for any. */
static GVariant *
lersd_current_query (LersdRequest *req, GArray *point_filter, GArray *node_filter,
                     GHashTable **nodes_out, GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) visible = NULL;
  g_autoptr (GArray) nodes = NULL;
  gboolean all = FALSE;

  visible = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (visible == NULL && !all)
    return NULL;
  if (all)
    nodes = node_filter != NULL ? g_array_ref (node_filter) : NULL;
  else if (node_filter == NULL)
    nodes = g_array_ref (visible);
  else
    {
      /* the nodes asked for that the caller sees */
      nodes = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < node_filter->len; i++)
        for (guint j = 0; j < visible->len; j++)
          if (g_array_index (node_filter, gint64, i) == g_array_index (visible, gint64, j))
            {
              g_array_append_val (nodes, g_array_index (node_filter, gint64, i));
              break;
            }
    }
  if (nodes_out != NULL)
    {
      *nodes_out = NULL;
      if (nodes != NULL)
        {
          *nodes_out = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
          for (guint i = 0; i < nodes->len; i++)
            g_hash_table_add (*nodes_out,
                              g_memdup2 (&g_array_index (nodes, gint64, i), sizeof (gint64)));
        }
    }
  if ((nodes != NULL && nodes->len == 0) || (point_filter != NULL && point_filter->len == 0))
    return g_variant_ref_sink (
        g_variant_new_array (G_VARIANT_TYPE ("(xxmsmsixsxa(yyd))"), NULL, 0));
  return lers_store_query_current_sync (
      lersd_request_get_store (req), nodes != NULL ? (const gint64 *) nodes->data : NULL,
      nodes != NULL ? nodes->len : 0,
      point_filter != NULL ? (const gint64 *) point_filter->data : NULL,
      point_filter != NULL ? point_filter->len : 0, NULL, cancellable, error);
}

/* ---------------------------------------------------------------------------
 * GET /api/v1/current
 * ------------------------------------------------------------------------- */

typedef struct
{
  GArray *point_filter;
  GArray *node_filter;
  gboolean as_events; /* the snapshot event alone (the stream's answer to a non-SSE client) */
} LersdCurrentData;

static void
lersd_current_data_free (gpointer p)
{
  LersdCurrentData *data = p;

  g_clear_pointer (&data->point_filter, g_array_unref);
  g_clear_pointer (&data->node_filter, g_array_unref);
  g_free (data);
}

static GBytes *
lersd_current_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                   const gchar **content_type, GError **error)
{
  LersdCurrentData *data = user_data;
  g_autoptr (GVariant) items = NULL;
  GString *out;

  items
      = lersd_current_query (req, data->point_filter, data->node_filter, NULL, cancellable, error);
  if (items == NULL)
    return NULL;
  out = lersd_current_list_json (items);
  if (data->as_events)
    {
      g_string_prepend (out, "event: snapshot\ndata: ");
      g_string_append (out, "\n\n");
      *content_type = "text/event-stream; charset=utf-8";
    }
  else
    *content_type = "application/json; charset=utf-8";
  return g_string_free_to_bytes (out);
}

static LersdCurrentData *
lersd_current_data_parse (LersdRequest *req)
{
  LersdCurrentData *data = g_new0 (LersdCurrentData, 1);
  g_autoptr (GError) error = NULL;

  if (!lersd_current_parse_ids (req, "point", &data->point_filter, &error)
      || !lersd_current_parse_ids (req, "node", &data->node_filter, &error))
    {
      lersd_request_reply_error (req, error);
      lersd_current_data_free (data);
      return NULL;
    }
  return data;
}

static void
lersd_route_current_get (LersdRequest *req)
{
  LersdCurrentData *data = lersd_current_data_parse (req);

  if (data != NULL)
    lersd_request_run_in_thread (req, lersd_current_run, data, lersd_current_data_free);
}

/* ---------------------------------------------------------------------------
 * The hub: the server's streams and their timer
 * ------------------------------------------------------------------------- */

static void
lersd_current_hub_free (gpointer p)
{
  LersdCurrentHub *hub = p;

  g_clear_handle_id (&hub->tick_id, g_source_remove);
  g_ptr_array_unref (hub->streams);
  g_hash_table_unref (hub->per_user);
  g_free (hub);
}

static LersdCurrentHub *
lersd_current_hub_get (LersdServer *server)
{
  LersdCurrentHub *hub = g_object_get_data (G_OBJECT (server), LERSD_CURRENT_HUB_KEY);

  if (hub == NULL)
    {
      hub = g_new0 (LersdCurrentHub, 1);
      hub->server = server;
      hub->streams = g_ptr_array_new ();
      hub->max_streams = LERSD_MAX_STREAMS_DEFAULT;
      hub->ping_seconds = LERSD_CURRENT_PING_SECONDS;
      hub->per_user = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_object_set_data_full (G_OBJECT (server), LERSD_CURRENT_HUB_KEY, hub,
                              lersd_current_hub_free);
    }
  return hub;
}

/**
 * lersd_current_set_max_streams:
 * @server: a #LersdServer
 * @max_streams: how many live streams may be open at once
 *
 * Since: 0.5
 */
void
lersd_current_set_max_streams (LersdServer *server, guint max_streams)
{
  lersd_current_hub_get (server)->max_streams = MAX (max_streams, 1);
}

/**
 * lersd_current_set_ping_interval:
 * @server: a #LersdServer
 * @seconds: between a live stream's pings, which also check the caller's
 *   session (15 unless set; tests set less)
 *
 * Applies to streams opened afterwards.
 *
 * Since: 0.5
 */
void
lersd_current_set_ping_interval (LersdServer *server, guint seconds)
{
  lersd_current_hub_get (server)->ping_seconds = MAX (seconds, 1);
}

/**
 * lersd_current_get_n_streams:
 * @server: a #LersdServer
 *
 * Returns: how many live streams are open (or starting)
 *
 * Since: 0.5
 */
guint
lersd_current_get_n_streams (LersdServer *server)
{
  LersdCurrentHub *hub = g_object_get_data (G_OBJECT (server), LERSD_CURRENT_HUB_KEY);

  return hub != NULL ? hub->n_streams : 0;
}

static LersdStream *
lersd_stream_ref (LersdStream *stream)
{
  return g_rc_box_acquire (stream);
}

static void
lersd_stream_clear (LersdStream *stream)
{
  g_clear_pointer (&stream->req, lersd_request_unref);
  g_clear_pointer (&stream->point_filter, g_array_unref);
  g_clear_pointer (&stream->node_filter, g_array_unref);
  g_clear_pointer (&stream->nodes, g_hash_table_unref);
  g_clear_pointer (&stream->points, g_hash_table_unref);
  g_clear_pointer (&stream->sent, g_hash_table_unref);
  g_clear_pointer (&stream->snapshot, g_variant_unref);
  if (stream->secret != NULL)
    memset (stream->secret, 0, strlen (stream->secret));
  g_clear_pointer (&stream->secret, g_free);
}

static void
lersd_stream_unref (gpointer stream)
{
  g_rc_box_release_full (stream, (GDestroyNotify) lersd_stream_clear);
}

/* The end of a stream, whatever ends it: the hub forgets it. */
static void
lersd_stream_end (LersdStream *stream)
{
  LersdCurrentHub *hub = stream->hub;

  if (stream->ended)
    return;
  stream->ended = TRUE;
  g_clear_handle_id (&stream->ping_id, g_source_remove);
  g_clear_handle_id (&stream->end_id, g_source_remove);
  g_clear_signal_handler (&stream->cancelled_id, lersd_request_get_cancellable (stream->req));
  hub->n_streams--;
  lersd_current_count_user (hub, stream->user_id, -1);
  if (stream->live)
    {
      g_ptr_array_remove (hub->streams, stream);
      lersd_request_stream_end (stream->req);
      /* the hub's reference */
      lersd_stream_unref (stream);
    }
  if (hub->n_streams == 0)
    g_clear_handle_id (&hub->tick_id, g_source_remove);
}

/**
 * lersd_current_stop:
 * @server: a #LersdServer
 *
 * Ends every live stream (the server stops).
 *
 * Since: 0.5
 */
void
lersd_current_stop (LersdServer *server)
{
  LersdCurrentHub *hub = g_object_get_data (G_OBJECT (server), LERSD_CURRENT_HUB_KEY);
  g_autoptr (GPtrArray) streams = NULL;

  if (hub == NULL)
    return;
  streams = g_ptr_array_new_with_free_func (lersd_stream_unref);
  for (guint i = 0; i < hub->streams->len; i++)
    g_ptr_array_add (streams, lersd_stream_ref (g_ptr_array_index (hub->streams, i)));
  for (guint i = 0; i < streams->len; i++)
    lersd_stream_end (g_ptr_array_index (streams, i));
}

static gboolean
lersd_stream_end_cb (gpointer user_data)
{
  LersdStream *stream = user_data;

  stream->end_id = 0;
  lersd_stream_end (stream);
  return G_SOURCE_REMOVE;
}

/* The client went away (or the server closes its connection): ended from
 * the main loop, not from within the signal. */
static void
lersd_stream_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  LersdStream *stream = user_data;

  if (!stream->ended && stream->end_id == 0)
    stream->end_id = g_idle_add_full (G_PRIORITY_DEFAULT, lersd_stream_end_cb,
                                      lersd_stream_ref (stream), lersd_stream_unref);
}

static void
lersd_stream_send (LersdStream *stream, const gchar *event, GString *data)
{
  g_autoptr (GString) out = g_string_sized_new (data->len + 32);

  g_string_append_printf (out, "event: %s\ndata: ", event);
  g_string_append_len (out, data->str, data->len);
  g_string_append (out, "\n\n");
  lersd_request_stream_write (stream->req, out->str, out->len);
}

static void
lersd_stream_updates (LersdStream *stream, GVariant *items, GFlagsClass *flags_class, gint64 now)
{
  for (gsize i = 0; i < g_variant_n_children (items); i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (items, i);
      g_autoptr (GString) out = NULL;
      gint64 point_id, node_id, ts;
      gpointer sent;

      g_variant_get_child (item, 0, "x", &point_id);
      g_variant_get_child (item, 1, "x", &node_id);
      g_variant_get_child (item, 7, "x", &ts);
      if (ts == G_MININT64)
        continue;
      if (stream->nodes != NULL && !g_hash_table_contains (stream->nodes, &node_id))
        continue;
      if (stream->points != NULL && !g_hash_table_contains (stream->points, &point_id))
        continue;
      sent = g_hash_table_lookup (stream->sent, &point_id);
      if (sent != NULL && *(gint64 *) sent >= ts)
        continue;
      g_hash_table_replace (stream->sent, g_memdup2 (&point_id, sizeof point_id),
                            g_memdup2 (&ts, sizeof ts));
      out = g_string_sized_new (512);
      lersd_current_append_item (out, item, flags_class, now);
      lersd_stream_send (stream, "update", out);
    }
}

typedef struct
{
  LersdServer *server; /* keeps the hub */
  GDateTime *since;
  GArray *node_ids;  /* of gint64: the nodes the streams watch, or NULL */
  GArray *point_ids; /* of gint64: the points the streams watch, or NULL */
} LersdTick;

static void
lersd_tick_add_ids (GArray **ids, GHashTable *set)
{
  GHashTableIter iter;
  gpointer key;

  if (*ids == NULL)
    *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (*ids, *(gint64 *) key);
}

/* What the tick queries: the union of what the live streams watch, as
 * node ids or point ids (one query either way); both NULL when a stream
 * watches every point or the streams mix the two. Ids may repeat. */
static void
lersd_tick_watched (LersdCurrentHub *hub, LersdTick *tick)
{
  gboolean points_only = TRUE;
  gboolean nodes_only = TRUE;

  for (guint i = 0; i < hub->streams->len; i++)
    {
      LersdStream *stream = g_ptr_array_index (hub->streams, i);

      if (stream->ended)
        continue;
      if (stream->points == NULL)
        points_only = FALSE;
      if (stream->nodes == NULL)
        nodes_only = FALSE;
    }
  for (guint i = 0; i < hub->streams->len && (points_only || nodes_only); i++)
    {
      LersdStream *stream = g_ptr_array_index (hub->streams, i);

      if (stream->ended)
        continue;
      if (points_only)
        lersd_tick_add_ids (&tick->point_ids, stream->points);
      else
        lersd_tick_add_ids (&tick->node_ids, stream->nodes);
    }
}

static void
lersd_tick_free (gpointer p)
{
  LersdTick *tick = p;

  g_clear_object (&tick->server);
  g_clear_pointer (&tick->since, g_date_time_unref);
  g_clear_pointer (&tick->node_ids, g_array_unref);
  g_clear_pointer (&tick->point_ids, g_array_unref);
  g_free (tick);
}

static void
lersd_tick_run (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LersdTick *tick = task_data;
  GError *error = NULL;
  GVariant *items = lers_store_query_current_sync (
      lersd_server_get_store (tick->server),
      tick->node_ids != NULL ? (const gint64 *) tick->node_ids->data : NULL,
      tick->node_ids != NULL ? tick->node_ids->len : 0,
      tick->point_ids != NULL ? (const gint64 *) tick->point_ids->data : NULL,
      tick->point_ids != NULL ? tick->point_ids->len : 0, tick->since, cancellable, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_variant_unref);
}

static void
lersd_tick_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdTick *tick = g_task_get_task_data (G_TASK (res));
  LersdCurrentHub *hub = lersd_current_hub_get (tick->server);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) items = g_task_propagate_pointer (G_TASK (res), &error);
  g_autoptr (GFlagsClass) flags_class = NULL;
  g_autoptr (GPtrArray) streams = NULL;
  gint64 now = g_get_real_time ();

  hub->querying = FALSE;
  if (items == NULL)
    {
      g_debug ("live values: %s", error->message);
      return;
    }
  for (gsize i = 0; i < g_variant_n_children (items); i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (items, i);
      gint64 ts;

      g_variant_get_child (item, 7, "x", &ts);
      if (ts != G_MININT64)
        hub->newest = MAX (hub->newest, MIN (ts, now));
    }
  if (g_variant_n_children (items) == 0)
    return;
  flags_class = g_type_class_ref (LERS_TYPE_VALUE_FLAGS);
  streams = g_ptr_array_new_with_free_func (lersd_stream_unref);
  for (guint i = 0; i < hub->streams->len; i++)
    g_ptr_array_add (streams, lersd_stream_ref (g_ptr_array_index (hub->streams, i)));
  for (guint i = 0; i < streams->len; i++)
    {
      LersdStream *stream = g_ptr_array_index (streams, i);

      if (!stream->ended)
        lersd_stream_updates (stream, items, flags_class, now);
    }
}

static gboolean
lersd_current_tick_cb (gpointer user_data)
{
  LersdCurrentHub *hub = user_data;
  g_autoptr (GTask) task = NULL;
  LersdTick *tick;

  if (hub->querying || hub->streams->len == 0)
    return G_SOURCE_CONTINUE;
  hub->querying = TRUE;
  tick = g_new0 (LersdTick, 1);
  tick->server = g_object_ref (hub->server);
  tick->since
      = g_date_time_new_from_unix_utc ((hub->newest - LERSD_CURRENT_LOOKBACK) / G_USEC_PER_SEC);
  lersd_tick_watched (hub, tick);
  task = g_task_new (NULL, NULL, lersd_tick_done, NULL);
  g_task_set_source_tag (task, lersd_current_tick_cb);
  g_task_set_task_data (task, tick, lersd_tick_free);
  g_task_run_in_thread (task, lersd_tick_run);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------
 * The caller's session, checked with each ping
 * ------------------------------------------------------------------------- */

static gint
lersd_stream_compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Whether two lists of node ids hold the same ids (in any order) */
static gboolean
lersd_stream_same_nodes (GArray *a, GArray *b)
{
  g_autoptr (GArray) x = NULL;
  g_autoptr (GArray) y = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  x = g_array_copy (a);
  y = g_array_copy (b);
  g_array_sort (x, lersd_stream_compare_ids);
  g_array_sort (y, lersd_stream_compare_ids);
  return memcmp (x->data, y->data, x->len * sizeof (gint64)) == 0;
}

static void
lersd_session_check_run (GTask *task, gpointer source, gpointer task_data,
                         GCancellable *cancellable)
{
  LersdStream *stream = task_data;
  g_autoptr (LersUser) user = NULL;
  GError *error = NULL;

  LersAccounts *accounts = lersd_request_get_accounts (stream->req);
  LersUser *opened = lersd_request_get_user (stream->req);
  g_autoptr (GArray) then = NULL;
  g_autoptr (GArray) now = NULL;
  gboolean then_all = FALSE, now_all = FALSE;

  /* read-only: a stream's pings must not keep its browser session alive */
  user = lers_accounts_check_session_sync (accounts, stream->secret, stream->kind, cancellable,
                                           &error);
  if (user == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* the rights the stream opened with (cached on the request's user) and
   * the rights now: a changed role or set of visible nodes ends it */
  then = lersd_request_get_visible_nodes (stream->req, &then_all, cancellable, &error);
  if (then == NULL && !then_all)
    {
      g_task_return_error (task, error);
      return;
    }
  now = lers_accounts_get_visible_nodes_sync (accounts, user, &now_all, cancellable, &error);
  if (now == NULL && !now_all)
    {
      g_task_return_error (task, error);
      return;
    }
  if (opened == NULL || lers_user_get_role (user) != lers_user_get_role (opened)
      || then_all != now_all
      || !lersd_stream_same_nodes (then_all ? NULL : then, now_all ? NULL : now))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                               "the caller's rights changed");
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
lersd_session_check_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdStream *stream = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;

  stream->checking = FALSE;
  if (!g_task_propagate_boolean (G_TASK (res), &error)
      && g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
    {
      g_debug ("live values: the session ended: %s", error->message);
      lersd_stream_end (stream);
    }
}

static gboolean
lersd_stream_ping_cb (gpointer user_data)
{
  LersdStream *stream = user_data;
  static const gchar ping[] = ": ping\n\n";

  lersd_request_stream_write (stream->req, ping, sizeof ping - 1);
  if (!stream->checking && stream->secret != NULL)
    {
      g_autoptr (GTask) task = g_task_new (NULL, lersd_request_get_cancellable (stream->req),
                                           lersd_session_check_done, NULL);

      stream->checking = TRUE;
      g_task_set_source_tag (task, lersd_stream_ping_cb);
      g_task_set_task_data (task, lersd_stream_ref (stream), lersd_stream_unref);
      g_task_set_check_cancellable (task, FALSE);
      g_task_run_in_thread (task, lersd_session_check_run);
    }
  return G_SOURCE_CONTINUE;
}

/* The secret the request authenticated with (as lersd-auth.c reads it) */
static gchar *
lersd_stream_get_secret (LersdRequest *req, LersSessionKind *kind)
{
  const gchar *authorization = lersd_request_get_header (req, "Authorization");

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      *kind = LERS_SESSION_KIND_TOKEN;
      return g_strstrip (g_strdup (authorization + 7));
    }
  *kind = LERS_SESSION_KIND_BROWSER;
  return lersd_auth_get_cookie (req, LERSD_SESSION_COOKIE);
}

/* ---------------------------------------------------------------------------
 * GET /api/v1/current/stream
 * ------------------------------------------------------------------------- */

static void
lersd_stream_snapshot_run (GTask *task, gpointer source, gpointer task_data,
                           GCancellable *cancellable)
{
  LersdStream *stream = task_data;
  GError *error = NULL;
  gpointer old = lersd_language_enter (stream->language);

  stream->snapshot = lersd_current_query (stream->req, stream->point_filter, stream->node_filter,
                                          &stream->nodes, cancellable, &error);
  lersd_language_leave (old);
  if (stream->snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lersd_stream_snapshot_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdStream *stream = g_task_get_task_data (G_TASK (res));
  LersdCurrentHub *hub = stream->hub;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error) || stream->ended)
    {
      if (error == NULL)
        g_set_error_literal (&error, LERS_ERROR, LERS_ERROR_CANCELLED, _ ("The server stops"));
      stream->ended = TRUE;
      hub->n_streams--;
      lersd_current_count_user (hub, stream->user_id, -1);
      lersd_request_reply_error (stream->req, error);
      return;
    }

  /* what was sent: the snapshot's records */
  for (gsize i = 0; i < g_variant_n_children (stream->snapshot); i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (stream->snapshot, i);
      gint64 point_id, ts;

      g_variant_get_child (item, 0, "x", &point_id);
      g_variant_get_child (item, 7, "x", &ts);
      g_hash_table_replace (stream->sent, g_memdup2 (&point_id, sizeof point_id),
                            g_memdup2 (&ts, sizeof ts));
    }
  if (stream->point_filter != NULL)
    {
      stream->points = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < stream->point_filter->len; i++)
        g_hash_table_add (
            stream->points,
            g_memdup2 (&g_array_index (stream->point_filter, gint64, i), sizeof (gint64)));
    }

  lersd_request_reply_stream (stream->req, "text/event-stream; charset=utf-8");
  out = lersd_current_list_json (stream->snapshot);
  g_clear_pointer (&stream->snapshot, g_variant_unref);
  lersd_stream_send (stream, "snapshot", out);

  stream->live = TRUE;
  g_ptr_array_add (hub->streams, lersd_stream_ref (stream));
  stream->ping_id
      = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, hub->ping_seconds, lersd_stream_ping_cb,
                                    lersd_stream_ref (stream), lersd_stream_unref);
  stream->cancelled_id = g_signal_connect (lersd_request_get_cancellable (stream->req), "cancelled",
                                           G_CALLBACK (lersd_stream_cancelled_cb), stream);
  if (g_cancellable_is_cancelled (lersd_request_get_cancellable (stream->req)))
    lersd_stream_cancelled_cb (NULL, stream);
  if (hub->tick_id == 0)
    {
      if (hub->newest == 0)
        hub->newest = g_get_real_time ();
      hub->tick_id = g_timeout_add (LERSD_CURRENT_TICK_MS, lersd_current_tick_cb, hub);
    }
}

static gboolean
lersd_stream_accepts_events (LersdRequest *req)
{
  const gchar *accept = lersd_request_get_header (req, "Accept");

  return g_str_equal (lersd_request_get_method (req), "GET") && accept != NULL
         && strstr (accept, "text/event-stream") != NULL;
}

static void
lersd_route_current_stream (LersdRequest *req)
{
  LersdCurrentHub *hub = lersd_current_hub_get (lersd_request_get_server (req));
  LersdCurrentData *data = lersd_current_data_parse (req);
  g_autoptr (GTask) task = NULL;
  LersdStream *stream;
  LersUser *user;
  gint64 user_id;

  if (data == NULL)
    return;
  if (!lersd_stream_accepts_events (req))
    {
      data->as_events = TRUE;
      lersd_request_run_in_thread (req, lersd_current_run, data, lersd_current_data_free);
      return;
    }
  if (hub->n_streams >= hub->max_streams)
    {
      lersd_current_data_free (data);
      lersd_request_set_response_header (req, "Retry-After", "30");
      lersd_request_reply_error_literal (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                                         _ ("Too many live streams are open; try again later"));
      return;
    }

  user = lersd_request_get_user (req);
  user_id = user != NULL ? lers_user_get_id (user) : 0;
  if (GPOINTER_TO_UINT (g_hash_table_lookup (hub->per_user, &user_id))
      >= LERSD_CURRENT_MAX_USER_STREAMS)
    {
      g_autofree gchar *message
          = g_strdup_printf (_ ("You have %u live streams open already; close one first"),
                             LERSD_CURRENT_MAX_USER_STREAMS);

      lersd_current_data_free (data);
      lersd_request_set_response_header (req, "Retry-After", "30");
      lersd_request_reply_error_literal (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", message);
      return;
    }

  stream = g_rc_box_new0 (LersdStream);
  stream->user_id = user_id;
  lersd_current_count_user (hub, user_id, +1);
  stream->hub = hub;
  stream->req = lersd_request_ref (req);
  stream->point_filter = g_steal_pointer (&data->point_filter);
  stream->node_filter = g_steal_pointer (&data->node_filter);
  stream->sent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  stream->secret = lersd_stream_get_secret (req, &stream->kind);
  stream->language = g_str_equal (lersd_request_get_language (req), "en") ? "en" : "ru";
  lersd_current_data_free (data);
  hub->n_streams++;

  lersd_request_pause (req);
  task = g_task_new (NULL, lersd_request_get_cancellable (req), lersd_stream_snapshot_done, NULL);
  g_task_set_source_tag (task, lersd_route_current_stream);
  g_task_set_task_data (task, stream, lersd_stream_unref);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, lersd_stream_snapshot_run);
}

const LersdRoute lersd_routes_current[] = {
  { "GET", "current", LERSD_ACCESS_READ, lersd_route_current_get },
  { "GET", "current/stream", LERSD_ACCESS_READ, lersd_route_current_stream },
  { NULL },
};
