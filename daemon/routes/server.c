/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the workstation shows about the server: status bar, node and point
 * states (docs/api-server.md has bodies and examples).
 *
 *   GET /api/v1/server        → {"name", "version", "time", "time_zone",
 *                                "map": {"tile_url", "attribution"},
 *                                "user": {"login", "role"}, "polling": {…}}
 *   GET /api/v1/nodes/states  → {"items": [{"node_id", "state", "last_reading",
 *                                "problems": [{"point_id", "code", "message"}]}],
 *                                "next": null}
 *   GET /api/v1/points/states → {"items": [{"point_id", "node_id", "state",
 *                                "last_reading", "problems"}], "next": null}
 *
 * "polling" is there for staff who see every node (the queue serves them
 * all); a subscriber, or staff limited to some nodes, gets none.
 *
 * Until incidents exist (the diagnostics issue), a state is derived from
 * what the store holds (lers_store_list_point_facts_sync()):
 *
 *   unknown   the point has no archive record of any kind;
 *   critical  a value of the point's newest hourly or newest current
 *             record is marked bad (LERS_VALUE_FLAG_BAD: НС, an error of
 *             the device), or the point has a meter event of severity
 *             alarm that started in the last 24 hours;
 *   warning   the point has a device and its newest record is more than
 *             26 hours old, or its newest finished poll job failed;
 *   normal    otherwise.
 *
 * A node is unknown when none of its points has a record (or it has no
 * points); else it takes the worst state of its points that have one. Its
 * problems are those of all its points. Times are in the server's zone.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lersd-auth.h"
#include "lersd-routes.h"

/* Data older than this is stale: a day and the two hours a daily poll may
 * be late */
#define LERSD_STATE_STALE_SECONDS (26 * 3600)

typedef enum
{
  LERSD_STATE_UNKNOWN,
  LERSD_STATE_NORMAL,
  LERSD_STATE_WARNING,
  LERSD_STATE_CRITICAL,
} LersdState;

static const gchar *const lersd_state_names[] = { "unknown", "normal", "warning", "critical" };

static GBytes *
lersd_server_builder_to_bytes (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  gsize len = 0;
  gchar *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static void
lersd_server_add_time (JsonBuilder *b, gint64 unix_time, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc = unix_time != 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;
  g_autofree gchar *text = utc != NULL ? lers_time_format (utc, zone) : NULL;

  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

/* The IANA name of the server's zone: TZ, else the link /etc/localtime,
 * else /etc/timezone, else what GLib calls it */
static gchar *
lersd_server_time_zone_name (GTimeZone *local)
{
  const gchar *tz = g_getenv ("TZ");
  g_autofree gchar *target = NULL;
  g_autofree gchar *contents = NULL;
  const gchar *zoneinfo;

  if (tz != NULL && *tz == ':')
    tz++;
  if (tz != NULL && *tz != '\0')
    {
      zoneinfo = strstr (tz, "zoneinfo/");
      return g_strdup (zoneinfo != NULL ? zoneinfo + strlen ("zoneinfo/") : tz);
    }
  target = g_file_read_link ("/etc/localtime", NULL);
  if (target != NULL && (zoneinfo = strstr (target, "zoneinfo/")) != NULL)
    return g_strdup (zoneinfo + strlen ("zoneinfo/"));
  if (g_file_get_contents ("/etc/timezone", &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (*contents != '\0')
        return g_steal_pointer (&contents);
    }
  return g_strdup (g_time_zone_get_identifier (local));
}

/* ---------------------------------------------------------------------------
 * GET /server
 * ------------------------------------------------------------------------- */

static GBytes *
lersd_server_info_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable,
                       guint *status, const gchar **content_type, GError **error)
{
  LersdServer *server = lersd_request_get_server (req);
  LersUser *user = lersd_request_get_user (req);
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autoptr (GDateTime) now = g_date_time_new_now (local);
  g_autofree gchar *now_text = lers_time_format (now, local);
  g_autofree gchar *zone_name = lersd_server_time_zone_name (local);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GVariant) poll = NULL;
  g_autoptr (GPtrArray) services = NULL;
  g_autoptr (GEnumClass) roles = g_type_class_ref (LERS_TYPE_USER_ROLE);
  const gchar *tile_url, *attribution;
  gboolean all = FALSE;

  if (user != NULL && lers_user_get_role (user) != LERS_USER_ROLE_SUBSCRIBER)
    {
      g_autoptr (GArray) visible = lersd_request_get_visible_nodes (req, &all, cancellable, error);

      if (visible == NULL && !all)
        return NULL;
    }
  if (all)
    {
      guint lease = lersd_server_get_poll_lease (server);

      poll = lers_poll_queue_get_status_sync (lersd_request_get_queue (req), lease, cancellable,
                                              error);
      if (poll == NULL)
        return NULL;
      services
          = lers_poll_queue_list_services_sync (lersd_request_get_queue (req), cancellable, error);
      if (services == NULL)
        return NULL;
    }

  lersd_server_get_map (server, &tile_url, &attribution);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, lersd_server_get_display_name (server));
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, LERS_VERSION);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, now_text);
  json_builder_set_member_name (b, "time_zone");
  json_builder_add_string_value (b, zone_name);
  json_builder_set_member_name (b, "map");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tile_url");
  json_builder_add_string_value (b, tile_url);
  json_builder_set_member_name (b, "attribution");
  json_builder_add_string_value (b, attribution);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "user");
  if (user != NULL)
    {
      GEnumValue *role = g_enum_get_value (roles, lers_user_get_role (user));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "login");
      json_builder_add_string_value (b, lers_user_get_login (user));
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, role != NULL ? role->value_nick : NULL);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  if (poll != NULL)
    {
      /* the status bar: "Служб опроса: 2; портов: 8, действует: 8, свободно: 8":
       * the ports of the authorised services, those of the running ones,
       * and those of the running ones no link holds */
      guint32 n_services = 0, pending = 0, running_ports = 0, free_ports = 0, queued = 0;
      guint64 ports = 0;

      for (guint i = 0; i < services->len; i++)
        if (lers_poll_service_get_authorised (g_ptr_array_index (services, i)))
          ports += lers_poll_service_get_max_links (g_ptr_array_index (services, i));
      g_variant_lookup (poll, "services", "u", &n_services);
      g_variant_lookup (poll, "services_pending", "u", &pending);
      g_variant_lookup (poll, "ports_total", "u", &running_ports);
      g_variant_lookup (poll, "ports_free", "u", &free_ports);
      g_variant_lookup (poll, "jobs_queued", "u", &queued);
      json_builder_set_member_name (b, "polling");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "services");
      json_builder_add_int_value (b, n_services);
      json_builder_set_member_name (b, "services_authorised");
      json_builder_add_int_value (b, n_services >= pending ? n_services - pending : 0);
      json_builder_set_member_name (b, "ports");
      json_builder_add_int_value (b, (gint64) ports);
      json_builder_set_member_name (b, "ports_active");
      json_builder_add_int_value (b, running_ports);
      json_builder_set_member_name (b, "ports_free");
      json_builder_add_int_value (b, free_ports);
      json_builder_set_member_name (b, "jobs_queued");
      json_builder_add_int_value (b, queued);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  *content_type = "application/json; charset=utf-8";
  return lersd_server_builder_to_bytes (b);
}

/**
 * lersd_route_server_get:
 * @req: the request
 *
 * `GET /api/v1/server`: the server's name, version, time and zone, the
 * map's tiles, the caller, and for unscoped staff the polling figures.
 *
 * Since: 0.5
 */
void
lersd_route_server_get (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_server_info_run, NULL, NULL);
}

/* ---------------------------------------------------------------------------
 * GET /nodes/states, /points/states
 * ------------------------------------------------------------------------- */

/* Adds the problems of one point (a row of lers_store_list_point_facts_sync())
 * to @b, an open array; returns the point's state */
static LersdState
lersd_point_state (JsonBuilder *b, GVariant *row, gint64 now, gboolean staff)
{
  gint64 point_id, node_id, last;
  gboolean has_device, bad, failed;
  const gchar *alarm, *job_error;
  LersdState state;

  g_variant_get (row, "(xxbxb&sb&s)", &point_id, &node_id, &has_device, &last, &bad, &alarm,
                 &failed, &job_error);
  if (point_id == 0)
    return LERSD_STATE_UNKNOWN;
  state = last != 0 ? LERSD_STATE_NORMAL : LERSD_STATE_UNKNOWN;

#define LERSD_PROBLEM(code_, message_)                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    json_builder_begin_object (b);                                                                 \
    json_builder_set_member_name (b, "point_id");                                                  \
    json_builder_add_int_value (b, point_id);                                                      \
    json_builder_set_member_name (b, "code");                                                      \
    json_builder_add_string_value (b, code_);                                                      \
    json_builder_set_member_name (b, "message");                                                   \
    json_builder_add_string_value (b, message_);                                                   \
    json_builder_end_object (b);                                                                   \
  }                                                                                                \
  G_STMT_END

  if (bad)
    {
      LERSD_PROBLEM ("bad-value", _ ("The newest record holds a value the meter marked invalid"));
      state = MAX (state, LERSD_STATE_CRITICAL);
    }
  if (*alarm != '\0')
    {
      g_autofree gchar *message
          = g_strdup_printf (_ ("Alarm event “%s” in the last 24 hours"), alarm);
      LERSD_PROBLEM ("alarm-event", message);
      state = MAX (state, LERSD_STATE_CRITICAL);
    }
  if (has_device && last != 0 && now - last > LERSD_STATE_STALE_SECONDS)
    {
      LERSD_PROBLEM ("stale", _ ("No new data for more than 26 hours"));
      state = MAX (state, LERSD_STATE_WARNING);
    }
  if (failed)
    {
      /* the driver's text (addresses, ports, the meter's answers) is for
       * staff; a subscriber gets the code and a generic message */
      g_autofree gchar *message = staff && *job_error != '\0'
                                      ? g_strdup_printf (_ ("The last poll failed: %s"), job_error)
                                      : g_strdup (_ ("The last poll failed"));
      LERSD_PROBLEM ("poll-failed", message);
      if (state != LERSD_STATE_UNKNOWN)
        state = MAX (state, LERSD_STATE_WARNING);
    }
#undef LERSD_PROBLEM
  return state;
}

static void
lersd_states_end_item (JsonBuilder *b, LersdState state, gint64 last, GTimeZone *zone)
{
  json_builder_end_array (b); /* problems */
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, lersd_state_names[state]);
  json_builder_set_member_name (b, "last_reading");
  lersd_server_add_time (b, last, zone);
  json_builder_end_object (b);
}

static GBytes *
lersd_states_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                  const gchar **content_type, GError **error)
{
  gboolean per_node = GPOINTER_TO_INT (user_data);
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GArray) visible = NULL;
  g_autoptr (GVariant) facts = NULL;
  gint64 now_unix = g_date_time_to_unix (now);
  gboolean all = FALSE;
  gsize n;
  gint64 node = 0, node_last = 0;
  LersdState node_state = LERSD_STATE_UNKNOWN;
  gboolean open = FALSE;
  LersUser *user = lersd_request_get_user (req);
  gboolean staff = user != NULL && lers_user_get_role (user) != LERS_USER_ROLE_SUBSCRIBER;

  visible = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (visible == NULL && !all)
    return NULL;
  facts = lers_store_list_point_facts_sync (
      lersd_request_get_store (req), visible != NULL ? (const gint64 *) visible->data : NULL,
      visible != NULL ? visible->len : 0, all, now, cancellable, error);
  if (facts == NULL)
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  n = g_variant_n_children (facts);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) row = g_variant_get_child_value (facts, i);
      gint64 point_id, node_id, last;
      LersdState state;

      g_variant_get (row, "(xxbxbsbs)", &point_id, &node_id, NULL, &last, NULL, NULL, NULL, NULL);
      if (per_node)
        {
          if (!open || node_id != node)
            {
              if (open)
                lersd_states_end_item (b, node_state, node_last, local);
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "node_id");
              json_builder_add_int_value (b, node_id);
              json_builder_set_member_name (b, "problems");
              json_builder_begin_array (b);
              node = node_id;
              node_last = 0;
              node_state = LERSD_STATE_UNKNOWN;
              open = TRUE;
            }
          state = lersd_point_state (b, row, now_unix, staff);
          node_last = MAX (node_last, last);
          /* points never read leave the node's state to the others */
          if (state != LERSD_STATE_UNKNOWN)
            node_state = MAX (node_state, state);
        }
      else if (point_id != 0)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "point_id");
          json_builder_add_int_value (b, point_id);
          json_builder_set_member_name (b, "node_id");
          json_builder_add_int_value (b, node_id);
          json_builder_set_member_name (b, "problems");
          json_builder_begin_array (b);
          state = lersd_point_state (b, row, now_unix, staff);
          lersd_states_end_item (b, state, last, local);
        }
    }
  if (open)
    lersd_states_end_item (b, node_state, node_last, local);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  *content_type = "application/json; charset=utf-8";
  return lersd_server_builder_to_bytes (b);
}

/**
 * lersd_route_nodes_states:
 * @req: the request
 *
 * `GET /api/v1/nodes/states`: the state of every node the caller sees.
 *
 * Since: 0.5
 */
void
lersd_route_nodes_states (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_states_run, GINT_TO_POINTER (TRUE), NULL);
}

/**
 * lersd_route_points_states:
 * @req: the request
 *
 * `GET /api/v1/points/states`: the state of every measure point of the
 * nodes the caller sees.
 *
 * Since: 0.5
 */
void
lersd_route_points_states (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_states_run, GINT_TO_POINTER (FALSE), NULL);
}

const LersdRoute lersd_routes_server[] = {
  { "GET", "server", LERSD_ACCESS_READ, lersd_route_server_get },
  { "GET", "nodes/states", LERSD_ACCESS_READ, lersd_route_nodes_states },
  { "GET", "points/states", LERSD_ACCESS_READ, lersd_route_points_states },
  { NULL },
};
