/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The objects as REST resources (lersd-resource.c, routes/resources.c,
 * routes/points.c): their JSON, partial updates, and lists with filters,
 * ordering and keyset pages, checked against what SQL says. */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <lers.h>

#include "lers-check.h"
#include "lersd-resource.h"

/* ---- the JSON of one object, without a server ---------------------------- */

START_TEST (test_object_json_device)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GDateTime) cal = g_date_time_new_from_iso8601 ("2026-03-01T09:30:00+10:00", NULL);
  g_autoptr (JsonNode) node = NULL;
  g_autofree gchar *text = NULL;
  JsonObject *obj;

  g_object_set (device, "id", (gint64) 7, "protocol", "mbus", "serial-number", "10000042",
                "password", "s3cret", "calibration-date", cal, "calibration-interval", 4u, NULL);
  node = lersd_object_to_json (G_OBJECT (device));
  text = json_to_string (node, FALSE);
  obj = json_node_get_object (node);
  ck_assert_int_eq (json_object_get_int_member (obj, "id"), 7);
  ck_assert_str_eq (json_object_get_string_member (obj, "protocol"), "mbus");
  ck_assert_str_eq (json_object_get_string_member (obj, "serial_number"), "10000042");
  /* a secret is never shown */
  ck_assert_msg (!json_object_has_member (obj, "password"), "%s", text);
  ck_assert_msg (strstr (text, "s3cret") == NULL, "%s", text);
  /* no connection: the reference is null, not 0 */
  ck_assert_msg (json_object_has_member (obj, "connection_id"), "%s", text);
  ck_assert (json_node_is_null (json_object_get_member (obj, "connection_id")));
  /* the time with its own offset */
  ck_assert_str_eq (json_object_get_string_member (obj, "calibration_date"),
                    "2026-03-01T09:30:00+10:00");
  ck_assert_int_eq (json_object_get_int_member (obj, "calibration_interval"), 4);
  /* unset text is null */
  ck_assert (json_node_is_null (json_object_get_member (obj, "model")));
}
END_TEST

START_TEST (test_object_json_node_enum_strv)
{
  g_autoptr (LersNode) n = lers_node_new ();
  const gchar *groups[] = { "Север", "ТСЖ", NULL };
  g_autoptr (JsonNode) node = NULL;
  g_autofree gchar *text = NULL;

  g_object_set (n, "id", (gint64) 3, "title", "Котельная", "node-type", LERS_NODE_TYPE_NODE,
                "groups", groups, NULL);
  node = lersd_object_to_json (G_OBJECT (n));
  text = json_to_string (node, FALSE);
  ck_assert_msg (strstr (text, "\"node_type\":\"node\"") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "\"groups\":[\"Север\",\"ТСЖ\"]") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "\"territory_id\":null") != NULL, "%s", text);
  /* "id" comes first */
  ck_assert_msg (g_str_has_prefix (text, "{\"id\":3,"), "%s", text);
}
END_TEST

static JsonObject *
parse_object (const gchar *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  ck_assert_msg (node != NULL && JSON_NODE_HOLDS_OBJECT (node), "%s", json);
  return json_object_ref (json_node_get_object (node));
}

START_TEST (test_object_patch)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (JsonObject) ok = NULL;
  g_autoptr (GError) error = NULL;
  struct
  {
    const gchar *json;
    const gchar *message_part;
  } bad[] = {
    { "{\"id\": 5}", "id" },
    { "{\"colour\": \"red\"}", "colour" },
    { "{\"model\": 5}", "model" },
    { "{\"calibration_interval\": -1}", "calibration_interval" },
    { "{\"calibration_interval\": \"4\"}", "calibration_interval" },
    { "{\"calibration_date\": \"yesterday\"}", "calibration_date" },
    { "{\"effective_clock_zone\": \"UTC\"}", "effective_clock_zone" },
    { "{\"serial-number\": \"1\"}", "serial-number" },
  };

  g_object_set (device, "protocol", "mbus", "model", "SKU-42", NULL);
  ok = parse_object ("{\"model\": \"SKU-43\", \"password\": \"p\", \"connection_id\": null,"
                     " \"calibration_date\": \"2026-01-31T10:00:00Z\"}");
  ck_assert_msg (lersd_object_patch (G_OBJECT (device), ok, &error), "%s", error->message);
  ck_assert_str_eq (lers_device_get_model (device), "SKU-43");
  ck_assert_str_eq (lers_device_get_password (device), "p");
  ck_assert_str_eq (lers_device_get_protocol (device), "mbus"); /* not named: kept */
  ck_assert_int_eq (g_date_time_to_unix (lers_device_get_calibration_date (device)),
                    1769853600); /* date -d 2026-01-31T10:00:00Z +%s */

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) members = parse_object (bad[i].json);
      g_autoptr (GError) e = NULL;

      /* all or nothing: a good member before a bad one is not applied */
      json_object_set_string_member (members, "network_address", "99");
      ck_assert_msg (!lersd_object_patch (G_OBJECT (device), members, &e), "%s", bad[i].json);
      ck_assert_msg (g_error_matches (e, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                     bad[i].json);
      ck_assert_msg (strstr (e->message, bad[i].message_part) != NULL, "%s: %s", bad[i].json,
                     e->message);
      ck_assert (lers_device_get_network_address (device) == NULL);
      ck_assert_str_eq (lers_device_get_model (device), "SKU-43");
    }
}
END_TEST

START_TEST (test_list_json)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonNode) last = NULL;
  g_autoptr (JsonNode) page = NULL;
  g_autofree gchar *last_text = NULL;
  g_autofree gchar *page_text = NULL;
  LersTerritory *t = lers_territory_new ();

  g_object_set (t, "id", (gint64) 2, "title", "Приморье", NULL);
  g_ptr_array_add (objects, t);
  last = lersd_list_to_json (objects, NULL);
  last_text = json_to_string (last, FALSE);
  ck_assert_msg (g_str_has_prefix (last_text, "{\"items\":[{\"id\":2,"), "%s", last_text);
  ck_assert_msg (g_str_has_suffix (last_text, "}],\"next\":null}"), "%s", last_text);
  page = lersd_list_to_json (objects, "WyIyIl0");
  page_text = json_to_string (page, FALSE);
  ck_assert_msg (g_str_has_suffix (page_text, ",\"next\":\"WyIyIl0\"}"), "%s", page_text);
}
END_TEST

static Suite *
resources_suite (void)
{
  Suite *s = suite_create ("resources-api");
  TCase *tc = tcase_create ("json");

  tcase_add_test (tc, test_object_json_device);
  tcase_add_test (tc, test_object_json_node_enum_strv);
  tcase_add_test (tc, test_object_patch);
  tcase_add_test (tc, test_list_json);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (resources_suite ());
}
