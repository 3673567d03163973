/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Defects found when `lers` was tried as a new user would (issue 11, item 8):
 * `lers decode mbus` printing `-nan.0`, crashing on empty input; `lers
 * db-uri` stopping the cluster whose URI it printed; an empty LERS_DB= taken
 * as a URI. Each test runs the built program as a user would. */
#include <check.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <lers.h>
#include <signal.h>
#include <stdlib.h>

#include "lers-check.h"

static gchar *
tool_path (const gchar *name)
{
  return g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", name, NULL);
}

/* Runs @argv with @env (NULL: ours), stdin from @stdin_path (NULL: none);
 * returns the exit status, or 128 + the signal that killed it. */
static gint
run (const gchar *const *argv, const gchar *const *env, const gchar *stdin_path, gchar **out,
     gchar **err)
{
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;

  if (env != NULL)
    g_subprocess_launcher_set_environ (launcher, (gchar **) env);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  lers_check_assert_no_error (error);
  ck_assert (g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error));
  lers_check_assert_no_error (error);
  if (g_subprocess_get_if_signaled (proc))
    return 128 + g_subprocess_get_term_sig (proc);
  return g_subprocess_get_exit_status (proc);
}

static gchar *
write_temp (const gchar *contents, gssize len)
{
  g_autoptr (GError) error = NULL;
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("lers-defects-XXXXXX.hex", &path, &error);

  lers_check_assert_no_error (error);
  close (fd);
  ck_assert (g_file_set_contents (path, contents, len, &error));
  lers_check_assert_no_error (error);
  return path;
}

/* A whole RSP_UD long frame around the record `05 FF 3A 00 00 C0 FF`, worked
 * out by hand (EN 13757-2 and -3):
 *
 *   68 1C 1C 68     start, L = 0x1C (28 = C + A + CI + 12 + 6 + 7), start
 *   08 01 72        C = RSP_UD, A = 1, CI = 72 (variable data, long header)
 *   78 56 34 12     identification 12345678 (BCD, LSB first)
 *   B2 30           manufacturer 0x30B2 = 12·1024 + 5·32 + 18 = "LER"
 *   01 04 05 00     version 1, medium 04 (heat, outlet), access 5, status 0
 *   00 00           signature
 *   04 13 31 D4 00 00
 *                   DIF 04 = 32-bit integer, instantaneous; VIF 13 = volume,
 *                   10⁻³ m³; 0x0000D431 = 54321 → 54.321 m³
 *   05 FF 3A 00 00 C0 FF
 *                   DIF 05 = 32-bit real, instantaneous, storage 0; VIF FF =
 *                   manufacturer specific (7F) with an extension; VIFE 3A
 *                   (no further extension, its meaning is the maker's);
 *                   data 0xFFC00000 = sign 1, exponent FF, mantissa ≠ 0:
 *                   a (negative, quiet) NaN
 *   94 16           checksum, stop
 *
 * The checksum is the sum of C through the last data byte, mod 256:
 * 08+01+72 = 0x7B; header 78+56+34+12+B2+30+01+04+05 = 0x200;
 * 04+13+31+D4+00+00 = 0x11C; 05+FF+3A+00+00+C0+FF = 0x2FD;
 * 0x7B + 0x200 + 0x11C + 0x2FD = 0x694 → 0x94. */
static const gchar nan_frame[] = "68 1C 1C 68 08 01 72 78 56 34 12 B2 30 01 04 05 00 00 00\n"
                                 "04 13 31 D4 00 00\n"
                                 "05 FF 3A 00 00 C0 FF\n"
                                 "94 16\n";

START_TEST (test_decode_nan_is_null_and_bad)
{
  g_autofree gchar *lers = tool_path ("lers");
  g_autofree gchar *frame = write_temp (nan_frame, -1);
  g_autofree gchar *json = NULL;
  g_autofree gchar *json_path = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *py_out = NULL;
  g_autofree gchar *py_err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  const gchar *argv[] = { lers, "decode", "mbus", frame, NULL };
  JsonArray *records;
  JsonObject *volume, *nan;
  JsonArray *flags;

  ck_assert_int_eq (run (argv, NULL, NULL, &json, &err), 0);
  ck_assert_str_eq (err, "");
  ck_assert_msg (strstr (json, "nan") == NULL, "%s", json);

  /* json-glib reads it */
  ck_assert_msg (json_parser_load_from_data (parser, json, -1, &error), "%s\n%s",
                 error ? error->message : "", json);
  records = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "records");
  ck_assert_uint_eq (json_array_get_length (records), 2);
  volume = json_array_get_object_element (records, 0);
  ck_assert_str_eq (json_object_get_string_member (volume, "quantity"), "Volume");
  ck_assert_str_eq (json_object_get_string_member (volume, "unit"), "m^3");
  ck_assert_double_eq (json_object_get_double_member (volume, "value"), 54.321);
  ck_assert (!json_object_has_member (volume, "flags"));
  /* shortest round-trip form, not %.17g's 54.320999999999998 */
  ck_assert_msg (strstr (json, "\"value\" : 54.321\n") != NULL, "%s", json);

  nan = json_array_get_object_element (records, 1);
  ck_assert_str_eq (json_object_get_string_member (nan, "quantity"), "Manufacturer specific");
  ck_assert (json_object_get_null_member (nan, "value"));
  flags = json_object_get_array_member (nan, "flags");
  ck_assert_uint_eq (json_array_get_length (flags), 1);
  ck_assert_str_eq (json_array_get_string_element (flags, 0), "bad");

  /* and so does a third-party parser, Python's */
  {
    const gchar *py_argv[]
        = { g_getenv ("LERS_PYTHON"), "-c",
            "import json, sys\n"
            "d = json.load(sys.stdin)\n"
            "r = d['records']\n"
            "print(d['id'], r[0]['value'], r[0]['unit'], r[1]['value'], r[1]['flags'])\n",
            NULL };
    ck_assert_ptr_nonnull (py_argv[0]);
    json_path = write_temp (json, -1);
    ck_assert_int_eq (run (py_argv, NULL, json_path, &py_out, &py_err), 0);
    ck_assert_str_eq (py_out, "12345678 54.321 m^3 None ['bad']\n");
  }
  g_unlink (frame);
  g_unlink (json_path);
}
END_TEST

/* Input `lers decode` must refuse with exit status 1 and a message, never a
 * crash; "-" reads stdin. */
static const struct
{
  const gchar *name;
  const gchar *contents; /* NULL: 2 MiB of 'A' */
  gsize len;
  gboolean on_stdin;
  const gchar *message; /* stderr after "FILE: " */
} bad_inputs[] = {
  { "empty stdin", "", 0, TRUE, "The file is empty" },
  { "empty file", "", 0, FALSE, "The file is empty" },
  { "whitespace only", " \n\t \r\n", 6, TRUE, "The file has no hex digits" },
  { "separators only", " : , \n", 6, FALSE, "The file has no hex digits" },
  { "odd number of digits", "68 0", 4, TRUE, "The file has an odd number of hex digits" },
  { "one digit", "6", 1, TRUE, "The file has an odd number of hex digits" },
  { "not hex", "68 zz", 5, TRUE, "Character 4 of the file is not a hex digit" },
  { "NUL byte", "68\0 16", 6, TRUE, "Character 3 of the file is not a hex digit" },
  { "one byte", "68", 2, TRUE, "truncated long frame header" },
  { "one byte, bad start", "20", 2, FALSE, NULL },
  { "huge file", NULL, 0, FALSE, "The file is larger than 1048576 bytes: too large for a frame" },
  { "huge stdin", NULL, 0, TRUE, "The file is larger than 1048576 bytes: too large for a frame" },
};

START_TEST (test_decode_bad_input)
{
  g_autofree gchar *lers = tool_path ("lers");
  g_autofree gchar *path = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = NULL;
  const gchar *argv[] = { lers, "decode", "mbus", NULL, NULL };
  gint status;

  if (bad_inputs[_i].contents != NULL)
    path = write_temp (bad_inputs[_i].contents, (gssize) bad_inputs[_i].len);
  else
    {
      g_autofree gchar *huge = g_strnfill (2 * 1024 * 1024, 'A');
      path = write_temp (huge, -1);
    }
  argv[3] = bad_inputs[_i].on_stdin ? "-" : path;
  status = run (argv, NULL, bad_inputs[_i].on_stdin ? path : NULL, &out, &err);
  ck_assert_msg (status == 1, "%s: exit status %d, stderr %s", bad_inputs[_i].name, status, err);
  ck_assert_str_eq (out, "");
  /* one line: "FILE: message" */
  expected = g_strdup_printf ("%s: %s", argv[3],
                              bad_inputs[_i].message != NULL ? bad_inputs[_i].message : "");
  ck_assert_msg (g_str_has_prefix (err, expected), "%s: expected “%s”, got “%s”",
                 bad_inputs[_i].name, expected, err);
  ck_assert_msg (strlen (err) > strlen (argv[3]) + 3, "%s: no message", bad_inputs[_i].name);
  ck_assert_msg (g_str_has_suffix (err, "\n") && strchr (err, '\n') == err + strlen (err) - 1,
                 "%s: not one line: %s", bad_inputs[_i].name, err);
  g_unlink (path);
}
END_TEST

START_TEST (test_decode_missing_file)
{
  g_autofree gchar *lers = tool_path ("lers");
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  const gchar *argv[] = { lers, "decode", "mbus", "/nonexistent/frame.hex", NULL };

  ck_assert_int_eq (run (argv, NULL, NULL, &out, &err), 1);
  ck_assert_str_eq (out, "");
  ck_assert_msg (g_str_has_prefix (err, "/nonexistent/frame.hex: "), "%s", err);
}
END_TEST

/* An embedded cluster of the test's own: LERS_CLUSTER_DATADIR under a
 * temporary HOME and XDG_STATE_HOME, so that the real one
 * (~/.local/state/lers or, as root, /var/lib/lers) is never touched. */
static gchar *home;
static gchar *datadir;
static gchar **cluster_env;

static void
embedded_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *state = NULL;

  home = g_dir_make_tmp ("lers-home-XXXXXX", &error);
  lers_check_assert_no_error (error);
  /* as root the server runs as postgres, which must get through */
  ck_assert_int_eq (g_chmod (home, 0755), 0);
  state = g_build_filename (home, "state", NULL);
  datadir = g_build_filename (state, "lers", "postgresql", NULL);
  cluster_env = g_get_environ ();
  cluster_env = g_environ_setenv (cluster_env, "HOME", home, TRUE);
  cluster_env = g_environ_setenv (cluster_env, "XDG_STATE_HOME", state, TRUE);
  cluster_env = g_environ_setenv (cluster_env, "LERS_CLUSTER_DATADIR", datadir, TRUE);
  cluster_env = g_environ_unsetenv (cluster_env, "LERS_DB");
}

/* Stops the server `lers` left running (SIGINT: a fast shutdown), waits for
 * it to go, and removes the directory. */
static void
embedded_teardown (void)
{
  g_autofree gchar *pidfile = g_build_filename (datadir, "postmaster.pid", NULL);
  g_autofree gchar *contents = NULL;
  g_autofree gchar *rm = g_find_program_in_path ("rm");

  if (g_file_get_contents (pidfile, &contents, NULL, NULL))
    {
      pid_t pid = (pid_t) g_ascii_strtoll (contents, NULL, 10);

      if (pid > 0 && kill (pid, SIGINT) == 0)
        for (gint i = 0; i < 300 && kill (pid, 0) == 0; i++)
          g_usleep (100000);
    }
  if (rm != NULL)
    {
      const gchar *argv[] = { rm, "-rf", home, NULL };
      g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL,
                    NULL);
    }
  g_clear_pointer (&home, g_free);
  g_clear_pointer (&datadir, g_free);
  g_clear_pointer (&cluster_env, g_strfreev);
}

static gchar *
psql_select_1 (const gchar *uri)
{
  g_autofree gchar *psql = g_find_program_in_path ("psql");
  const gchar *argv[] = { psql, uri, "-Atc", "select 1", NULL };
  gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status;

  ck_assert_msg (psql != NULL, "psql is missing (postgresql-client)");
  status = run (argv, NULL, NULL, &out, &err);
  ck_assert_msg (status == 0, "psql %s: %d %s", uri, status, err);
  return out;
}

START_TEST (test_db_uri_keeps_cluster_running)
{
  g_autofree gchar *lers = tool_path ("lers");
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *select = NULL;
  g_autofree gchar *host = NULL;
  const gchar *argv[] = { lers, "db-uri", NULL };

  ck_assert_int_eq (run (argv, (const gchar *const *) cluster_env, NULL, &out, &err), 0);
  ck_assert_msg (g_str_has_prefix (out, "postgresql:///lers?host="), "%s", out);
  ck_assert (g_str_has_suffix (out, "\n"));
  /* its socket is in our data directory */
  host = g_uri_escape_string (datadir, NULL, FALSE);
  ck_assert_msg (strstr (out, host) != NULL, "%s is not in %s", host, out);
  g_strchomp (out);

  /* after lers exited, as in the README: psql "$(lers db-uri)" */
  select = psql_select_1 (out);
  ck_assert_str_eq (select, "1\n");
}
END_TEST

START_TEST (test_empty_lers_db_means_unset)
{
  g_autofree gchar *lers = tool_path ("lers");
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *select = NULL;
  g_auto (GStrv) env = g_environ_setenv (g_strdupv (cluster_env), "LERS_DB", "", TRUE);
  const gchar *argv[] = { lers, "db-uri", NULL };
  const gchar *points_argv[] = { lers, "points", NULL };

  /* the embedded cluster's URI, not the empty string */
  ck_assert_int_eq (run (argv, (const gchar *const *) env, NULL, &out, &err), 0);
  ck_assert_msg (g_str_has_prefix (out, "postgresql:///lers?host="), "“%s”", out);
  g_strchomp (out);
  select = psql_select_1 (out);
  ck_assert_str_eq (select, "1\n");

  /* and a command that opens the store works on it (an empty URI would mean
   * libpq's defaults: no server there) */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_msg (run (points_argv, (const gchar *const *) env, NULL, &out, &err) == 0, "%s", err);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("cli-defects");
  TCase *decode = tcase_create ("decode");
  TCase *embedded = tcase_create ("embedded");

  lers_check_init (&argc, &argv);
  tcase_add_test (decode, test_decode_nan_is_null_and_bad);
  tcase_add_loop_test (decode, test_decode_bad_input, 0, G_N_ELEMENTS (bad_inputs));
  tcase_add_test (decode, test_decode_missing_file);
  suite_add_tcase (s, decode);

  tcase_set_timeout (embedded, 240);
  tcase_add_checked_fixture (embedded, embedded_setup, embedded_teardown);
  tcase_add_test (embedded, test_db_uri_keeps_cluster_running);
  tcase_add_test (embedded, test_empty_lers_db_means_unset);
  suite_add_tcase (s, embedded);
  return lers_check_run_suite (s);
}
