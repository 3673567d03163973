/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `lers import` as a user runs it: all or nothing, idempotent by natural
 * keys, a summary of what it did, hostile files refused with the place in
 * the file named and nothing stored. What is stored is checked with SQL on
 * a connection of the test's own, not through LersStore. */
#include <check.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <lers.h>
#include <stdlib.h>
#include <unistd.h>

#include "lers-check.h"

static gchar *tmp_dir;

static gchar *
tool_path (const gchar *name)
{
  return g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", name, NULL);
}

/* runs `lers --db=URI import ARGS…` with @language as LANGUAGE (NULL: unset,
 * which is Russian); returns the exit status, output in @out and @err */
static gint
run_import (gchar **out, gchar **err, const gchar *language, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) envp = g_get_environ ();
  const gchar *arg;
  gint status = -1;
  va_list args;

  envp = language != NULL ? g_environ_setenv (envp, "LANGUAGE", language, TRUE)
                          : g_environ_unsetenv (envp, "LANGUAGE");
  g_ptr_array_add (argv, tool_path ("lers"));
  g_ptr_array_add (argv, g_strconcat ("--db=", lers_check_get_uri (), NULL));
  g_ptr_array_add (argv, g_strdup ("import"));
  va_start (args, language);
  while ((arg = va_arg (args, const gchar *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, out,
                           err, &status, &error));
  ck_assert_msg (WIFEXITED (status), "lers died: status %d, stderr %s", status, *err);
  return WEXITSTATUS (status);
}

/* the first value of the first row of @query, from PostgreSQL itself */
static gchar *
sql (const gchar *query)
{
  PGconn *conn = PQconnectdb (lers_check_get_uri ());
  PGresult *res;
  gchar *value;

  ck_assert_msg (PQstatus (conn) == CONNECTION_OK, "%s", PQerrorMessage (conn));
  res = PQexec (conn, query);
  ck_assert_msg (PQresultStatus (res) == PGRES_TUPLES_OK
                     || PQresultStatus (res) == PGRES_COMMAND_OK,
                 "%s: %s", query, PQresultErrorMessage (res));
  value = PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0
              ? g_strdup (PQgetvalue (res, 0, 0))
              : g_strdup ("");
  PQclear (res);
  PQfinish (conn);
  return value;
}

/* rows of nodes/measure_points/devices/connections */
static gchar *
row_counts (void)
{
  return sql (
      "SELECT (SELECT count(*) FROM nodes) || '/' || (SELECT count(*) FROM measure_points)"
      " || '/' || (SELECT count(*) FROM devices) || '/' || (SELECT count(*) FROM connections)");
}

/* every row of the four tables with its xmin: equal only if no row was
 * added, removed, changed or even rewritten with the same values */
static gchar *
table_state (void)
{
  return sql ("SELECT count(*) || ' ' || md5(coalesce(string_agg(r, '|' ORDER BY r), '')) FROM ("
              " SELECT 'n' || n.xmin::text || n::text AS r FROM nodes n UNION ALL"
              " SELECT 'p' || p.xmin::text || p::text FROM measure_points p UNION ALL"
              " SELECT 'd' || d.xmin::text || d::text FROM devices d UNION ALL"
              " SELECT 'c' || c.xmin::text || c::text FROM connections c) AS s");
}

static gchar *
write_file (const gchar *name, const gchar *contents, gssize length)
{
  gchar *path = g_build_filename (tmp_dir, name, NULL);

  ck_assert (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
import_setup (void)
{
  lers_check_store_setup ();
  tmp_dir = g_dir_make_tmp ("lers-import-XXXXXX", NULL);
  ck_assert (tmp_dir != NULL);
}

static void
import_teardown (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (tmp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  lers_check_store_teardown ();
}

#define CONNECTION "{\"host\": \"10.0.0.7\", \"port\": 4001, \"timeout\": 5}"
#define DEVICE(serial)                                                                             \
  "{\"protocol\": \"mbus\", \"model\": \"ТВ7\", \"serial_number\": \"" serial                      \
  "\", \"network_address\": \"1\", \"connection\": " CONNECTION "}"
#define POINT(serial) "{\"title\": \"Ввод\", \"channel\": 1, \"device\": " DEVICE (serial) "}"
#define NODE(number, title, points)                                                                \
  "{\"number\": \"" number "\", \"title\": \"" title                                               \
  "\", \"type\": \"house\", \"points\": [" points "]}"

/* Two houses, three meters on one gateway: 2 nodes, 3 points, 3 devices,
 * 1 connection (all on 10.0.0.7:4001). */
static const gchar *two_houses = "{\"nodes\": [" NODE (
    "A-1", "Дом 1", POINT ("111") "," POINT ("112")) "," NODE ("A-2", "Дом 2", POINT ("221")) "]}";

/* the summary as `lers import` prints it in English, worked out by hand:
 * a 14-wide first column ("Measure points"), then each count right-aligned
 * under its heading (7, 7 and 17 wide), cells separated by a space */
static gchar *
summary_en (guint n_c, guint n_u, guint n_l, guint p_c, guint p_u, guint p_l, guint d_c, guint d_u,
            guint d_l, guint c_c, guint c_u, guint c_l)
{
  return g_strdup_printf ("               created updated left as they were\n"
                          "Nodes          %7u %7u %17u\n"
                          "Measure points %7u %7u %17u\n"
                          "Devices        %7u %7u %17u\n"
                          "Connections    %7u %7u %17u\n",
                          n_c, n_u, n_l, p_c, p_u, p_l, d_c, d_u, d_l, c_c, c_u, c_l);
}

START_TEST (test_import_twice)
{
  g_autofree gchar *path = write_file ("houses.json", two_houses, -1);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = summary_en (2, 0, 0, 3, 0, 0, 3, 0, 0, 1, 0, 0);
  g_autofree gchar *counts = NULL;
  g_autofree gchar *state = NULL;
  g_autofree gchar *state2 = NULL;
  g_autofree gchar *shared = NULL;

  ck_assert_int_eq (run_import (&out, &err, "en", path, NULL), 0);
  ck_assert_str_eq (out, expected);
  counts = row_counts ();
  ck_assert_str_eq (counts, "2/3/3/1");
  /* the three devices share the one gateway connection */
  shared = sql ("SELECT count(DISTINCT connection_id) || ' ' || min(c.host) || ':' || min(c.port)"
                " FROM devices d JOIN connections c ON c.id = d.connection_id");
  ck_assert_str_eq (shared, "1 10.0.0.7:4001");
  state = table_state ();

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&expected, g_free);
  ck_assert_int_eq (run_import (&out, &err, "en", path, NULL), 0);
  expected = summary_en (0, 0, 2, 0, 0, 3, 0, 0, 3, 0, 0, 1);
  ck_assert_str_eq (out, expected);
  state2 = table_state ();
  ck_assert_str_eq (state2, state);
}
END_TEST

START_TEST (test_changed_title_updates)
{
  g_autofree gchar *path = write_file ("houses.json", two_houses, -1);
  g_autofree gchar *changed = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = summary_en (0, 1, 1, 0, 0, 3, 0, 0, 3, 0, 0, 1);
  g_autofree gchar *titles = NULL;
  g_autofree gchar *others = NULL;
  g_autofree gchar *others2 = NULL;
  const gchar *others_sql
      = "SELECT string_agg(xmin::text, ',' ORDER BY id) FROM ("
        " SELECT id, xmin FROM nodes WHERE number = 'A-1' UNION ALL"
        " SELECT id, xmin FROM measure_points UNION ALL SELECT id, xmin FROM devices) AS s";

  ck_assert_int_eq (run_import (&out, &err, "en", path, NULL), 0);
  others = sql (others_sql);
  changed = write_file (
      "changed.json",
      "{\"nodes\": [" NODE ("A-1", "Дом 1", POINT ("111") "," POINT ("112")) "," NODE (
          "A-2", "Дом 2, корпус 1", POINT ("221")) "]}",
      -1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (run_import (&out, &err, "en", changed, NULL), 0);
  ck_assert_str_eq (out, expected);
  titles = sql ("SELECT string_agg(number || '=' || title, ';' ORDER BY number) FROM nodes");
  ck_assert_str_eq (titles, "A-1=Дом 1;A-2=Дом 2, корпус 1");
  /* nothing else was rewritten */
  others2 = sql (others_sql);
  ck_assert_str_eq (others2, others);
}
END_TEST

/* lers-sim --config writes a file that imports, and imports again as it was */
START_TEST (test_sim_config_round_trip)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sim = tool_path ("lers-sim");
  g_autofree gchar *config = g_build_filename (tmp_dir, "demo.json", NULL);
  g_autoptr (GSubprocess) process = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = NULL;
  g_autofree gchar *counts = NULL;
  g_autofree gchar *state = NULL;
  g_autofree gchar *state2 = NULL;

  process = lers_check_spawn (&error, sim, "--count=6", "--port=0", "--seed=7", "--config", config,
                              NULL);
  ck_assert_msg (process != NULL, "%s", error ? error->message : "");
  for (gint i = 0; i < 100 && !g_file_test (config, G_FILE_TEST_EXISTS); i++)
    g_usleep (50000);
  g_usleep (100000);
  g_subprocess_send_signal (process, SIGTERM);
  ck_assert (g_subprocess_wait (process, NULL, NULL));

  /* 6 meters, 4 a house: 2 nodes; each meter its own port */
  ck_assert_int_eq (run_import (&out, &err, "en", config, NULL), 0);
  expected = summary_en (2, 0, 0, 6, 0, 0, 6, 0, 0, 6, 0, 0);
  ck_assert_str_eq (out, expected);
  counts = row_counts ();
  ck_assert_str_eq (counts, "2/6/6/6");
  state = table_state ();
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&expected, g_free);
  ck_assert_int_eq (run_import (&out, &err, "en", config, NULL), 0);
  expected = summary_en (0, 0, 2, 0, 0, 6, 0, 0, 6, 0, 0, 6);
  ck_assert_str_eq (out, expected);
  state2 = table_state ();
  ck_assert_str_eq (state2, state);
}
END_TEST

/* The database refuses the third node (a trigger of the test's own): the
 * first two, already written in the transaction, must go too. */
START_TEST (test_all_or_nothing)
{
  g_autofree gchar *path = write_file ("houses.json", two_houses, -1);
  g_autofree gchar *bad = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *state = NULL;
  g_autofree gchar *state2 = NULL;
  g_autofree gchar *ignored = NULL;

  ck_assert_int_eq (run_import (&out, &err, "en", path, NULL), 0);
  ignored = sql ("CREATE FUNCTION refuse_boom () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                 " IF NEW.title = 'boom' THEN RAISE EXCEPTION 'node boom refused'; END IF;"
                 " RETURN NEW; END $$;"
                 " CREATE TRIGGER refuse_boom BEFORE INSERT OR UPDATE ON nodes"
                 " FOR EACH ROW EXECUTE FUNCTION refuse_boom ()");
  state = table_state ();
  /* node 0 changes a title, node 1 is new with a new device, node 2 is refused */
  bad = write_file ("bad.json",
                    "{\"nodes\": [" NODE ("A-1", "Дом 1 (новый)", POINT ("111")) "," NODE (
                        "A-3", "Дом 3", POINT ("331")) "," NODE ("A-4", "boom", POINT ("441")) "]}",
                    -1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (run_import (&out, &err, "en", bad, NULL), 1);
  ck_assert_msg (strstr (err, "nodes[2]: ") != NULL, "%s", err);
  ck_assert_msg (strstr (err, "node boom refused") != NULL, "%s", err);
  ck_assert_msg (strstr (err, "Nothing was stored.") != NULL, "%s", err);
  ck_assert_str_eq (out, "");
  state2 = table_state ();
  ck_assert_str_eq (state2, state);
}
END_TEST

typedef struct
{
  const gchar *name;
  const gchar *json; /* NULL: made by the test */
  gsize length;      /* 0: strlen */
  const gchar *message;
} BadInput;

static const BadInput bad_inputs[] = {
  { "wrong-type", "{\"nodes\": [{\"number\": \"1\", \"title\": 5}]}", 0,
    "nodes[0].title: expected a string, got an integer" },
  { "port-string",
    "{\"nodes\": [" NODE ("1", "x",
                          POINT ("1") ","
                                      "{\"device\": {\"protocol\": \"mbus\", "
                                      "\"serial_number\": \"2\", \"connection\": {\"host\": "
                                      "\"h\", \"port\": \"4001\"}}}") "]}",
    0, "nodes[0].points[1].device.connection.port: expected an integer, got a string" },
  { "nodes-object", "{\"nodes\": {}}", 0, "nodes: expected an array, got an object" },
  { "nodes-not-objects", "{\"nodes\": [1, \"x\"]}", 0,
    "nodes[0]: expected an object, got an integer" },
  { "points-not-objects", "{\"nodes\": [{\"number\": \"1\", \"points\": [5]}]}", 0,
    "nodes[0].points[0]: expected an object, got an integer" },
  { "points-object", "{\"nodes\": [{\"number\": \"1\", \"points\": {}}]}", 0,
    "nodes[0].points: expected an array, got an object" },
  { "device-null", "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": null}]}]}", 0,
    "nodes[0].points[0].device: expected an object, got null" },
  { "root-array", "[]", 0, "The file must hold an object with a “nodes” array, not an array" },
  { "no-nodes", "{}", 0, "nodes: missing" },
  { "unknown-member", "{\"nodes\": [{\"number\": \"1\", \"titel\": \"x\"}]}", 0,
    "nodes[0].titel: unknown member (known: " },
  { "unknown-root-member", "{\"nodes\": [], \"node\": []}", 0,
    "node: unknown member (known: nodes)" },
  { "id-member", "{\"nodes\": [{\"number\": \"1\", \"id\": 5}]}", 0,
    "nodes[0].id: unknown member" },
  { "unknown-protocol",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"modbus\", "
    "\"serial_number\": \"1\", \"connection\": {\"host\": \"h\"}}}]}]}",
    0, "nodes[0].points[0].device.protocol: “modbus” is not a loaded device plugin" },
  { "unknown-nick", "{\"nodes\": [{\"number\": \"1\", \"type\": \"castle\"}]}", 0,
    "nodes[0].type: “castle” is not one of: node, house, power-source" },
  { "port-out-of-range",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"mbus\", "
    "\"serial_number\": \"1\", \"connection\": {\"host\": \"h\", \"port\": 65536}}}]}]}",
    0, "nodes[0].points[0].device.connection.port: 65536 is out of range (0 to 65535)" },
  { "negative-channel",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"channel\": -1, \"device\": " DEVICE (
        "1") "}]}]}",
    0, "nodes[0].points[0].channel: -1 is out of range (0 to 4294967295)" },
  /* 2^64 + 1 would wrap around to 1 in the JSON parser */
  { "huge-integer",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"poll_interval\": 18446744073709551617, "
    "\"device\": " DEVICE ("1") "}]}]}",
    0, "nodes[0].points[0].poll_interval: 18446744073709551616 is out of range (0 to 4294967295)" },
  { "fraction", "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"channel\": 1.5}]}]}", 0,
    "nodes[0].points[0].channel: expected an integer, got a number with a fraction" },
  { "latitude", "{\"nodes\": [{\"number\": \"1\", \"latitude\": 91}]}", 0,
    "nodes[0].latitude: 91 is out of range (-90 to 90)" },
  { "infinite", "{\"nodes\": [{\"number\": \"1\", \"longitude\": 1e400}]}", 0,
    "nodes[0].longitude: inf is out of range (-180 to 180)" },
  { "no-number", "{\"nodes\": [{\"title\": \"x\"}]}", 0,
    "nodes[0].number: missing; the number is how a second import finds the node" },
  { "no-serial",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"mbus\", "
    "\"connection\": {\"host\": \"h\"}}}]}]}",
    0, "nodes[0].points[0].device.serial_number: missing" },
  { "no-connection",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"mbus\"}}]}]}", 0,
    "nodes[0].points[0].device.connection: missing" },
  { "groups-not-strings", "{\"nodes\": [{\"number\": \"1\", \"groups\": [\"a\", 2]}]}", 0,
    "nodes[0].groups[1]: expected a string, got an integer" },
  { "nul-escape", "{\"nodes\": [{\"number\": \"1\", \"title\": \"ti\\u0000tle\"}]}", 0,
    "nodes[0].title: a string must not contain a NUL character (\\u0000)" },
  { "nul-in-name", "{\"nodes\": [{\"number\": \"1\", \"ti\\u0000tle\": \"x\"}]}", 0,
    "nodes[0].ti\\u0000tle: a string must not contain a NUL character (\\u0000)" },
  { "nul-byte", "{\"nodes\": [{\"number\": \"1\", \"title\": \"ti\0tle\"}]}", 47,
    "line 1: a NUL byte" },
  { "invalid-utf8", "{\"nodes\": [{\"number\": \"1\",\n \"title\": \"\xff\"}]}", 0,
    "line 2: invalid UTF-8" },
  { "lone-surrogate", "{\"nodes\": [{\"number\": \"1\", \"title\": \"a\\ud800b\"}]}", 0,
    "nodes[0].title: invalid UTF-8 in a string" },
  /* the name cannot be shown as it is: U+FFFD stands for each byte the
   * parser made of the surrogate (json-glib also swallows the "b" after it) */
  { "surrogate-in-name", "{\"nodes\": [{\"number\": \"1\", \"a\\udc00b\": 1}]}", 0,
    "nodes[0].a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd: invalid UTF-8 in a string" },
  /* a zone the system does not know, or a path GLib would read as a file:
   * refused while loading, where the file says it */
  { "bogus-clock-zone",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"mbus\", "
    "\"serial_number\": \"1\", \"clock_zone\": \"Nowhere/Bogus\", \"connection\": {\"host\": "
    "\"h\"}}}]}]}",
    0,
    "nodes[0].points[0].device.clock_zone: “Nowhere/Bogus” is not a time zone: use an IANA name "
    "such as Europe/Moscow" },
  { "path-clock-zone",
    "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"mbus\", "
    "\"serial_number\": \"1\", \"clock_zone\": \"/etc/passwd\", \"connection\": {\"host\": "
    "\"h\"}}}]}]}",
    0,
    "nodes[0].points[0].device.clock_zone: “/etc/passwd” is not a time zone: use an IANA name "
    "such as Europe/Moscow" },
  /* the parser would keep the last silently */
  { "duplicate-member", "{\"nodes\": [{\"number\": \"1\", \"title\": \"a\", \"number\": \"2\"}]}",
    0, "nodes[0]: duplicate member “number”" },
  { "duplicate-escaped", "{\"nodes\": [{\"number\": \"1\", \"\\u006eumber\": \"2\"}]}", 0,
    "nodes[0]: duplicate member “number”" },
  { "duplicate-nested",
    "{\"nodes\": [{\"number\": \"1\"}, {\"number\": \"2\", \"points\": [{\"device\": "
    "{\"serial_number\": \"1\", \"serial_number\": \"2\"}}]}]}",
    0, "nodes[1].points[0].device: duplicate member “serial_number”" },
  { "duplicate-root", "{\"nodes\": [], \"nodes\": []}", 0, "duplicate member “nodes”" },
  { "empty", "", 0, "The file is empty" },
  { "blank", " \n\t\n", 0, "The file is empty" },
  { "not-json", "nodes: [1, 2]\n", 0, "Not a JSON file: " },
  { "truncated", "{\"nodes\": [{\"number\": \"1\"", 0, "Not a JSON file: " },
  { "deep-nesting", NULL, 0, "line 1: nested deeper than 32 levels" },
  { "50MB", NULL, 0, "The file is larger than 16777216 bytes (16 MiB), the most import reads" },
};

START_TEST (test_bad_input)
{
  g_autofree gchar *good = write_file ("houses.json", two_houses, -1);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *state = NULL;

  /* something stored that a bad file must not touch */
  ck_assert_int_eq (run_import (&out, &err, "en", good, NULL), 0);
  state = table_state ();

  for (gsize i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *bad = &bad_inputs[i];
      g_autofree gchar *name = g_strconcat (bad->name, ".json", NULL);
      g_autofree gchar *path = NULL;
      g_autofree gchar *expected = NULL;
      g_autofree gchar *state2 = NULL;

      if (g_strcmp0 (bad->name, "deep-nesting") == 0)
        {
          /* 100000 `[`: parsed, it would overflow the parser's stack */
          g_autofree gchar *deep = g_malloc (100001);
          memset (deep, '[', 100000);
          deep[100000] = '\0';
          path = write_file (name, deep, 100000);
        }
      else if (g_strcmp0 (bad->name, "50MB") == 0)
        {
          /* 50 MB (sparse): refused by its size, before it is read */
          int fd;
          path = write_file (name, "{\"nodes\": [", -1);
          fd = open (path, O_WRONLY);
          ck_assert_int_ge (fd, 0);
          ck_assert_int_eq (ftruncate (fd, 50 * 1024 * 1024), 0);
          close (fd);
        }
      else
        path = write_file (name, bad->json, bad->length > 0 ? (gssize) bad->length : -1);

      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      ck_assert_msg (run_import (&out, &err, "en", path, NULL) == 1, "%s: exit status", bad->name);
      expected = g_strconcat (path, ": ", bad->message, NULL);
      ck_assert_msg (g_str_has_prefix (err, expected), "%s: expected “%s”, got “%s”", bad->name,
                     expected, err);
      ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "%s: one line: %s", bad->name,
                     err);
      ck_assert_msg (g_strcmp0 (out, "") == 0, "%s: stdout %s", bad->name, out);
      state2 = table_state ();
      ck_assert_msg (g_strcmp0 (state2, state) == 0, "%s: the tables changed", bad->name);
    }
}
END_TEST

/* 2000 nodes with --progress: percentages only go up and end at 100 */
START_TEST (test_progress)
{
  g_autoptr (GString) json = g_string_new ("{\"nodes\": [");
  g_autofree gchar *path = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = summary_en (2000, 0, 0, 2000, 0, 0, 2000, 0, 0, 1, 0, 0);
  g_autofree gchar *counts = NULL;
  g_auto (GStrv) lines = NULL;
  gint last = -1;
  guint n = 0;

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (json,
                            "%s{\"number\": \"N%u\", \"title\": \"Дом %u\", \"points\": "
                            "[{\"device\": {\"protocol\": \"mbus\", \"serial_number\": \"%u\", "
                            "\"connection\": {\"host\": \"10.0.0.1\", \"port\": 4001}}}]}",
                            i > 0 ? "," : "", i, i, 50000000 + i);
  g_string_append (json, "]}");
  path = write_file ("big.json", json->str, (gssize) json->len);
  ck_assert_int_eq (run_import (&out, &err, "en", "--progress", path, NULL), 0);
  ck_assert_str_eq (out, expected);
  counts = row_counts ();
  ck_assert_str_eq (counts, "2000/2000/2000/1");
  /* not a terminal: one line a step, "[#####-----] NNN% message" */
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const gchar *pct;
      gint value;

      if (lines[i][0] == '\0')
        continue;
      ck_assert_msg (lines[i][0] == '[' && (pct = strstr (lines[i], "] ")) != NULL, "%s", lines[i]);
      value = atoi (pct + 2);
      ck_assert_msg (value >= last, "progress went back from %d to %d", last, value);
      last = value;
      n++;
    }
  ck_assert_int_eq (last, 100);
  ck_assert_uint_gt (n, 10);
}
END_TEST

/* Russian by default (no LANGUAGE), English with LANGUAGE=en */
START_TEST (test_russian)
{
  g_autofree gchar *path = write_file ("houses.json", two_houses, -1);
  g_autofree gchar *bad = write_file ("bad.json", "{\"nodes\": [{\"number\": 1}]}", -1);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  ck_assert_int_eq (run_import (&out, &err, NULL, path, NULL), 0);
  /* "Объекты учёта" (13 characters) is the widest name; then the headings
   * создано (7), обновлено (9), без изменений (13), counts right-aligned */
  ck_assert_str_eq (out, "              создано обновлено без изменений\n"
                         "Объекты учёта       2         0             0\n"
                         "Точки учёта         3         0             0\n"
                         "Приборы             3         0             0\n"
                         "Соединения          1         0             0\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (run_import (&out, &err, NULL, bad, NULL), 1);
  ck_assert_msg (strstr (err, "nodes[0].number: ожидается: строка; в файле: целое число") != NULL,
                 "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (run_import (&out, &err, "en", bad, NULL), 1);
  ck_assert_msg (strstr (err, "nodes[0].number: expected a string, got an integer") != NULL, "%s",
                 err);
}
END_TEST

/* The same from the library: what lersd or a Python script would call */
START_TEST (test_importer_api)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersImporter) importer = lers_importer_new (engine);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *counts = NULL;
  /* node A-1 twice in one file and meter 111 under both: each counted once */
  const gchar *json = "{\"nodes\": [" NODE ("A-1", "Дом 1", POINT ("111")) "," NODE (
      "A-1", "Дом 1", POINT ("111")) "]}";

  ck_assert (!lers_importer_load_data (importer, "{\"nodes\": [1]}", 14, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (error->message, "nodes[0]: expected an object, got an integer");
  g_clear_error (&error);

  ck_assert (lers_importer_load_data (importer, json, strlen (json), &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_importer_get_n_nodes (importer), 2);
  ck_assert_uint_eq (lers_importer_get_n_points (importer), 2);
  ck_assert (lers_importer_run_sync (importer, lers_check_get_store (), NULL, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_importer_get_n_created (importer, LERS_TYPE_NODE), 1);
  ck_assert_uint_eq (lers_importer_get_n_unchanged (importer, LERS_TYPE_NODE), 0);
  ck_assert_uint_eq (lers_importer_get_n_created (importer, LERS_TYPE_MEASURE_POINT), 1);
  ck_assert_uint_eq (lers_importer_get_n_created (importer, LERS_TYPE_DEVICE), 1);
  ck_assert_uint_eq (lers_importer_get_n_created (importer, LERS_TYPE_CONNECTION), 1);
  counts = row_counts ();
  ck_assert_str_eq (counts, "1/1/1/1");

  /* run again: the same importer, nothing to do */
  ck_assert (lers_importer_run_sync (importer, lers_check_get_store (), NULL, NULL, &error));
  ck_assert_uint_eq (lers_importer_get_n_created (importer, LERS_TYPE_NODE), 0);
  ck_assert_uint_eq (lers_importer_get_n_unchanged (importer, LERS_TYPE_NODE), 1);
  ck_assert_uint_eq (lers_importer_get_n_unchanged (importer, LERS_TYPE_MEASURE_POINT), 1);
}
END_TEST

/* The natural keys hold in the database itself, whoever writes */
START_TEST (test_unique_indexes)
{
  PGconn *conn = PQconnectdb (lers_check_get_uri ());
  const gchar *duplicates[] = {
    "INSERT INTO nodes (number) VALUES ('7'), ('7')",
    "INSERT INTO devices (model, serial_number) VALUES (NULL, '9'), ('', '9')",
    "INSERT INTO connections (kind, host, port) VALUES (0, 'h', 1), (0, 'h', 1)",
  };
  const gchar *allowed[] = {
    "INSERT INTO nodes (number) VALUES (NULL), (NULL), (''), ('')",
    "INSERT INTO devices (model, serial_number) VALUES ('a', '9'), ('b', '9'), ('a', NULL), "
    "('a', NULL)",
    "INSERT INTO connections (kind, host, port) VALUES (0, 'h', 1), (0, 'h', 2), (0, NULL, 1), "
    "(0, NULL, 1)",
  };

  ck_assert_msg (PQstatus (conn) == CONNECTION_OK, "%s", PQerrorMessage (conn));
  for (gsize i = 0; i < G_N_ELEMENTS (duplicates); i++)
    {
      PGresult *res = PQexec (conn, duplicates[i]);
      ck_assert_msg (PQresultStatus (res) == PGRES_FATAL_ERROR, "%s", duplicates[i]);
      /* unique_violation */
      ck_assert_str_eq (PQresultErrorField (res, PG_DIAG_SQLSTATE), "23505");
      PQclear (res);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      PGresult *res = PQexec (conn, allowed[i]);
      ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK, "%s: %s", allowed[i],
                     PQresultErrorMessage (res));
      PQclear (res);
    }
  PQfinish (conn);
}
END_TEST

/* A database the old import filled twice: migration 0002 merges each
 * duplicate into the oldest row, moves references to it, keeps the removed
 * rows as JSON, and then the unique indexes hold. */
START_TEST (test_migration_merges_duplicates)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *name = g_strdup_printf ("import_old_%d", (int) getpid ());
  g_autofree gchar *uri = NULL;
  g_autofree gchar *path = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "liblers", "store",
                                             "migrations", "0001-initial.sql", NULL);
  g_autofree gchar *initial = NULL;
  g_autoptr (LersStore) store = NULL;
  LersCluster *cluster = lers_check_get_cluster ();
  PGconn *conn;
  PGresult *res;
  /* ids by hand: connections 10 and 11 are one link, devices 20 and 21 one
   * meter (a NULL and an empty model are the same), nodes 30 and 31 one node;
   * point 40 hangs on the duplicates 31/21, point 41 on the originals 30/20.
   * Device 22 and node 32 have no key and stay. Points 40 and 41 then
   * share node 30, device 20 and channel 0: 41 is merged into 40, its
   * archive rows moved to 40 except the one of a time 40 has itself
   * (15 January: 40's own 'aa' stays, 41's 'bb' is kept as JSON); the
   * 16 January row 'cc' moves. Point 42 has no device and stays. */
  const gchar *old_rows
      = "CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
        " applied_at timestamptz NOT NULL DEFAULT now());"
        "INSERT INTO schema_migrations (version) VALUES (1);"
        "INSERT INTO connections (id, kind, host, port) VALUES (10, 0, 'h', 1), (11, 0, 'h', 1);"
        "INSERT INTO devices (id, model, serial_number, password, connection_id) VALUES"
        " (20, NULL, '9', NULL, 10), (21, '', '9', 'secret', 11), (22, NULL, NULL, NULL, 11);"
        "INSERT INTO nodes (id, number, title) VALUES (30, '7', 'old'), (31, '7', 'older'),"
        " (32, NULL, 'no number');"
        "INSERT INTO measure_points (id, node_id, device_id, title) VALUES (40, 31, 21, 'a'),"
        " (41, 30, 20, 'b'), (42, 30, NULL, 'c');"
        "SELECT lers_archive_ensure_partition ('2026-01-15T00:00:00Z');"
        "INSERT INTO archive (point_id, kind, ts, data) VALUES"
        " (40, 1, '2026-01-15T00:00:00Z', '\\xaa'), (41, 1, '2026-01-15T00:00:00Z', '\\xbb'),"
        " (41, 1, '2026-01-16T00:00:00Z', '\\xcc');";
  const struct
  {
    const gchar *query;
    const gchar *expected;
  } checks[] = {
    { "SELECT string_agg(id::text, ',' ORDER BY id) FROM connections", "10" },
    { "SELECT string_agg(id || ':' || coalesce(connection_id::text, '-'), ',' ORDER BY id)"
      " FROM devices",
      "20:10,22:10" },
    { "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM nodes", "30:old,32:no number" },
    { "SELECT string_agg(id || ':' || node_id || ':' || device_id, ',' ORDER BY id)"
      " FROM measure_points",
      "40:30:20" },
    { "SELECT string_agg(id || ':' || title, ',' ORDER BY id) FROM measure_points"
      " WHERE device_id IS NULL",
      "42:c" },
    { "SELECT string_agg(table_name || ':' || kept_id || ':' || coalesce(row_data->>'id',"
      " row_data->>'point_id'), ',' ORDER BY table_name) FROM import_merged_rows",
      "archive:40:41,connections:10:11,devices:20:21,measure_points:40:41,nodes:30:31" },
    { "SELECT string_agg(point_id || ':' || to_char(ts AT TIME ZONE 'UTC', 'DD') || ':'"
      " || encode(data, 'hex'), ',' ORDER BY point_id, ts) FROM archive",
      "40:15:aa,40:16:cc" },
    { "SELECT row_data->>'data' FROM import_merged_rows WHERE table_name = 'archive'", "\\xbb" },
    /* the merged device's own values are kept, not lost */
    { "SELECT row_data->>'password' FROM import_merged_rows WHERE table_name = 'devices'",
      "secret" },
  };

  ck_assert (g_file_get_contents (path, &initial, NULL, NULL));
  ck_assert_msg (lers_cluster_create_database (cluster, name, NULL, &error), "%s",
                 error ? error->message : "");
  uri = lers_cluster_get_uri_for_database (cluster, name);
  conn = PQconnectdb (uri);
  ck_assert_msg (PQstatus (conn) == CONNECTION_OK, "%s", PQerrorMessage (conn));
  res = PQexec (conn, initial);
  ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage (res));
  PQclear (res);
  res = PQexec (conn, old_rows);
  ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage (res));
  PQclear (res);

  /* opening the store applies 0002 and whatever comes after it */
  store = lers_store_new (uri);
  ck_assert_msg (lers_store_open_sync (store, NULL, &error), "%s", error ? error->message : "");
  g_clear_object (&store);

  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      res = PQexec (conn, checks[i].query);
      ck_assert_msg (PQresultStatus (res) == PGRES_TUPLES_OK, "%s", PQresultErrorMessage (res));
      ck_assert_msg (g_strcmp0 (PQgetvalue (res, 0, 0), checks[i].expected) == 0,
                     "%s: expected %s, got %s", checks[i].query, checks[i].expected,
                     PQgetvalue (res, 0, 0));
      PQclear (res);
    }
  PQfinish (conn);
  ck_assert_msg (lers_cluster_drop_database (cluster, name, &error), "%s",
                 error ? error->message : "");
}
END_TEST

/* Two imports of the same new file at once: one waits for the other
 * (an advisory lock), so the rows are stored once and both
 * succeed; without it both listed an empty database and both inserted. */
typedef struct
{
  const gchar *json;
  gboolean ok;
  GError *error;
  guint created;
} ImportThread;

static gpointer
import_thread (gpointer data)
{
  ImportThread *it = data;
  g_autoptr (LersImporter) importer = lers_importer_new (NULL);

  if (!lers_importer_load_data (importer, it->json, strlen (it->json), &it->error))
    return NULL;
  it->ok = lers_importer_run_sync (importer, lers_check_get_store (), NULL, NULL, &it->error);
  it->created = lers_importer_get_n_created (importer, LERS_TYPE_MEASURE_POINT);
  return NULL;
}

START_TEST (test_concurrent_imports)
{
  g_autoptr (GString) json = g_string_new ("{\"nodes\": [");
  ImportThread a = { 0 }, b = { 0 };
  GThread *ta, *tb;
  g_autofree gchar *counts = NULL;

  /* 100 nodes of one point each, the meters on one gateway: 100/100/100/1 */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (
        json,
        "%s{\"number\": \"C-%u\", \"points\": [{\"channel\": 1, \"device\": {\"protocol\": "
        "\"mbus\", \"serial_number\": \"%u\", \"connection\": {\"host\": \"10.0.0.9\"}}}]}",
        i > 0 ? ", " : "", i, 5000 + i);
  g_string_append (json, "]}");
  a.json = b.json = json->str;
  ta = g_thread_new ("import-a", import_thread, &a);
  tb = g_thread_new ("import-b", import_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  ck_assert_msg (a.ok, "first: %s", a.error != NULL ? a.error->message : "");
  ck_assert_msg (b.ok, "second: %s", b.error != NULL ? b.error->message : "");
  /* one created the points, the other found them */
  ck_assert_uint_eq (a.created + b.created, 100);
  counts = row_counts ();
  ck_assert_str_eq (counts, "100/100/100/1");
  g_clear_error (&a.error);
  g_clear_error (&b.error);
}
END_TEST

/* Someone else (not an import) stores a node of the file while the import
 * runs: the import fails with a clear message naming the place in the file,
 * not PostgreSQL's raw unique violation. */
static gpointer
commit_later (gpointer data)
{
  PGconn *conn = data;

  g_usleep (G_USEC_PER_SEC);
  PQclear (PQexec (conn, "COMMIT"));
  return NULL;
}

START_TEST (test_unique_violation_translated)
{
  g_autoptr (LersImporter) importer = lers_importer_new (NULL);
  g_autoptr (GError) error = NULL;
  PGconn *conn = PQconnectdb (lers_check_get_uri ());
  GThread *thread;
  g_autofree gchar *count = NULL;

  ck_assert (lers_importer_load_data (importer, two_houses, strlen (two_houses), &error));
  ck_assert_msg (PQstatus (conn) == CONNECTION_OK, "%s", PQerrorMessage (conn));
  /* node A-2, not yet committed: the import does not see it, then waits on
   * it when it inserts its own A-2, and the commit makes that a duplicate */
  PQclear (PQexec (conn, "BEGIN"));
  PQclear (PQexec (conn, "INSERT INTO nodes (number, title) VALUES ('A-2', 'by hand')"));
  thread = g_thread_new ("commit", commit_later, conn);
  ck_assert (!lers_importer_run_sync (importer, lers_check_get_store (), NULL, NULL, &error));
  g_thread_join (thread);
  PQfinish (conn);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_BUSY);
  ck_assert_str_eq (error->message,
                    "nodes[1]: stored by someone else while the import ran (its number, serial or "
                    "address is taken now); import the file again");
  ck_assert (!lers_importer_get_outcome_unknown (importer));
  /* nothing of the file stored, the other's node kept */
  count = sql ("SELECT string_agg(number || ':' || title, ',') FROM nodes");
  ck_assert_str_eq (count, "A-2:by hand");
}
END_TEST

/* Two stored points with one key (as a node merge could leave them where
 * the unique index is missing): the import updates the lowest id, the one
 * migration 0002 keeps, not the last listed. */
START_TEST (test_lowest_point_wins)
{
  const gchar *one = "{\"nodes\": [" NODE ("L-1", "Дом", POINT ("300")) "]}";
  const gchar *renamed = "{\"nodes\": [" NODE (
      "L-1", "Дом",
      "{\"title\": \"Renamed\", \"channel\": 1, \"device\": " DEVICE ("300") "}") "]}";
  g_autofree gchar *path = write_file ("one.json", one, -1);
  g_autofree gchar *path2 = write_file ("renamed.json", renamed, -1);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *drop = NULL;
  g_autofree gchar *copy = NULL;
  g_autofree gchar *titles = NULL;

  ck_assert_int_eq (run_import (&out, &err, "en", path, NULL), 0);
  drop = sql ("DROP INDEX IF EXISTS measure_points_device_channel_key");
  copy = sql ("INSERT INTO measure_points (node_id, title, device_id, channel)"
              " SELECT node_id, 'copy', device_id, channel FROM measure_points RETURNING id");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_msg (run_import (&out, &err, "en", path2, NULL) == 0, "%s", err);
  titles = sql ("SELECT string_agg(title, ',' ORDER BY id) FROM measure_points");
  ck_assert_str_eq (titles, "Renamed,copy");
}
END_TEST

/* The known members an error lists are those a file may set: not the
 * device's effective_clock_zone, which is worked out, never stored. */
START_TEST (test_known_members)
{
  g_autoptr (LersImporter) importer = lers_importer_new (NULL);
  g_autoptr (GError) error = NULL;
  const gchar *typo = "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": "
                      "\"mbus\", \"serial\": \"1\", \"connection\": {\"host\": \"h\"}}}]}]}";
  const gchar *effective
      = "{\"nodes\": [{\"number\": \"1\", \"points\": [{\"device\": {\"protocol\": \"mbus\", "
        "\"serial_number\": \"1\", \"effective_clock_zone\": \"UTC\", \"connection\": "
        "{\"host\": \"h\"}}}]}]}";

  ck_assert (!lers_importer_load_data (importer, typo, strlen (typo), &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (g_str_has_prefix (error->message,
                                   "nodes[0].points[0].device.serial: unknown member (known: "),
                 "%s", error->message);
  ck_assert_msg (strstr (error->message, "serial_number") != NULL, "%s", error->message);
  ck_assert_msg (strstr (error->message, " clock_zone") != NULL, "%s", error->message);
  ck_assert_msg (strstr (error->message, "effective_clock_zone") == NULL, "%s", error->message);
  g_clear_error (&error);

  ck_assert (!lers_importer_load_data (importer, effective, strlen (effective), &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (g_str_has_prefix (error->message, "nodes[0].points[0].device.effective_clock_zone:"
                                                   " unknown member (known: "),
                 "%s", error->message);
}
END_TEST

/* lers_importer_new () with a wrong argument returns NULL and makes
 * nothing (before, it made the importer first and leaked it: LSan) */
static void
swallow_log (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  (*(guint *) data)++;
}

START_TEST (test_new_rejects_non_engine)
{
  g_autoptr (GObject) not_engine = g_object_new (G_TYPE_OBJECT, NULL);
  GLogLevelFlags old = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  guint n = 0;
  guint handler = g_log_set_handler ("Lers", G_LOG_LEVEL_CRITICAL, swallow_log, &n);
  LersImporter *importer = lers_importer_new ((LersEngine *) not_engine);

  g_log_remove_handler ("Lers", handler);
  g_log_set_always_fatal (old);
  ck_assert_ptr_null (importer);
  ck_assert_uint_eq (n, 1);
}
END_TEST

/* The connection is lost while committing (a deferred trigger ends the
 * session at COMMIT): the CLI cannot know whether the file was stored and
 * says so, instead of "Nothing was stored." */
START_TEST (test_commit_outcome_unknown)
{
  g_autofree gchar *path = write_file ("houses.json", two_houses, -1);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *made = NULL;
  g_autofree gchar *dropped = NULL;

  made = sql ("CREATE FUNCTION end_session () RETURNS trigger LANGUAGE plpgsql AS"
              " $$BEGIN PERFORM pg_terminate_backend (pg_backend_pid ()); RETURN NULL; END$$;"
              "CREATE CONSTRAINT TRIGGER end_session AFTER INSERT ON nodes"
              " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION end_session ()");
  ck_assert_int_eq (run_import (&out, &err, "en", path, NULL), 1);
  ck_assert_msg (strstr (err, "Whether the file was stored is unknown: the connection to the "
                              "database was lost while committing. Run the import again: it "
                              "changes nothing that is already stored.")
                     != NULL,
                 "%s", err);
  ck_assert_msg (strstr (err, "Nothing was stored.") == NULL, "%s", err);
  dropped = sql ("DROP TRIGGER end_session ON nodes; DROP FUNCTION end_session ()");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("import");
  TCase *tc = tcase_create ("import");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, import_setup, import_teardown);
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_import_twice);
  tcase_add_test (tc, test_changed_title_updates);
  tcase_add_test (tc, test_sim_config_round_trip);
  tcase_add_test (tc, test_all_or_nothing);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_progress);
  tcase_add_test (tc, test_russian);
  tcase_add_test (tc, test_importer_api);
  tcase_add_test (tc, test_unique_indexes);
  tcase_add_test (tc, test_migration_merges_duplicates);
  tcase_add_test (tc, test_concurrent_imports);
  tcase_add_test (tc, test_unique_violation_translated);
  tcase_add_test (tc, test_lowest_point_wins);
  tcase_add_test (tc, test_known_members);
  tcase_add_test (tc, test_new_rejects_non_engine);
  tcase_add_test (tc, test_commit_outcome_unknown);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
