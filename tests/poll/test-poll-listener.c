/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersStoreListener on the poll queue's channels: a manual read and a
 * cancel are heard within 2 s, a terminated listening session comes back
 * by itself and says so, and stopping or dropping a listener that is still
 * connecting neither blocks nor leaks. */
#include "config.h"

#include <check.h>
#include <lers.h>

#include "lers-check.h"

typedef struct
{
  GPtrArray *channels; /* of gchar*, in the order heard */
  GPtrArray *payloads;
  guint reconnected;
  guint disconnected;
} Heard;

static void
notification_cb (LersStoreListener *listener, const gchar *channel, const gchar *payload,
                 gpointer user_data)
{
  Heard *heard = user_data;

  g_ptr_array_add (heard->channels, g_strdup (channel));
  g_ptr_array_add (heard->payloads, g_strdup (payload));
}

static void
reconnected_cb (LersStoreListener *listener, gpointer user_data)
{
  Heard *heard = user_data;

  heard->reconnected++;
}

static void
connected_cb (LersStoreListener *listener, GParamSpec *pspec, gpointer user_data)
{
  Heard *heard = user_data;

  if (!lers_store_listener_get_connected (listener))
    heard->disconnected++;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context until *@count exceeds @before or
 * @seconds pass; whether it did. */
static gboolean
run_until (const guint *count, guint before, guint seconds)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (seconds, timeout_cb, &expired);

  while (*count <= before && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timeout);
  return *count > before;
}

static LersStoreListener *
start_listener (Heard *heard)
{
  LersStoreListener *listener = lers_store_listener_new (lers_check_get_store ());

  heard->channels = g_ptr_array_new_with_free_func (g_free);
  heard->payloads = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (listener, "notification", G_CALLBACK (notification_cb), heard);
  g_signal_connect (listener, "reconnected", G_CALLBACK (reconnected_cb), heard);
  g_signal_connect (listener, "notify::connected", G_CALLBACK (connected_cb), heard);
  lers_store_listener_listen (listener, LERS_POLL_CHANNEL_JOBS);
  lers_store_listener_start (listener);
  ck_assert (!lers_store_listener_get_connected (listener));
  /* connected within 10 s */
  for (guint i = 0; i < 100 && !lers_store_listener_get_connected (listener); i++)
    {
      gboolean expired = FALSE;
      guint timeout = g_timeout_add (100, timeout_cb, &expired);
      while (!expired && !lers_store_listener_get_connected (listener))
        g_main_context_iteration (NULL, TRUE);
      if (!expired)
        g_source_remove (timeout);
    }
  ck_assert (lers_store_listener_get_connected (listener));
  return listener;
}

static void
heard_clear (Heard *heard)
{
  g_clear_pointer (&heard->channels, g_ptr_array_unref);
  g_clear_pointer (&heard->payloads, g_ptr_array_unref);
}

static void
make_links (void)
{
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port)"
                       " SELECT g, 0, '127.0.0.1', 10000 + g FROM generate_series(1, 2) g;"
                       "INSERT INTO devices (id, protocol, connection_id)"
                       " SELECT g, 'mbus', g FROM generate_series(1, 2) g;"
                       "INSERT INTO measure_points (id, title, device_id)"
                       " SELECT g, 'Точка ' || g, g FROM generate_series(1, 2) g;");
}

static GPtrArray *
enqueue (LersPollQueue *queue, gint64 point_id, LersPollPriority priority)
{
  g_autoptr (GError) error = NULL;
  const LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  GPtrArray *jobs = lers_poll_queue_enqueue_sync (queue, &point_id, 1, &kind, 1, NULL, NULL,
                                                  priority, NULL, NULL, &error);

  lers_check_assert_no_error (error);
  return jobs;
}

START_TEST (test_manual_read_heard)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersStoreListener) listener = NULL;
  g_autoptr (GPtrArray) routine = NULL;
  g_autoptr (GPtrArray) manual = NULL;
  Heard heard = { 0 };

  make_links ();
  listener = start_listener (&heard);
  /* a routine job on link 1 is not announced; a manual read on link 2 is,
   * with the link's id, within 2 s */
  routine = enqueue (queue, 1, LERS_POLL_PRIORITY_ROUTINE);
  manual = enqueue (queue, 2, LERS_POLL_PRIORITY_MANUAL);
  ck_assert (run_until (&heard.channels->len, 0, 2));
  ck_assert_str_eq (g_ptr_array_index (heard.channels, 0), LERS_POLL_CHANNEL_JOBS);
  ck_assert_str_eq (g_ptr_array_index (heard.payloads, 0), "2");
  ck_assert_uint_eq (heard.reconnected, 0);

  lers_store_listener_stop (listener);
  ck_assert (!lers_store_listener_get_connected (listener));
  heard_clear (&heard);
}
END_TEST

START_TEST (test_cancel_heard)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersStoreListener) listener = NULL;
  g_autoptr (LersPollService) service = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GPtrArray) claimed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *id = NULL;
  Heard heard = { 0 };

  make_links ();
  service = lers_poll_queue_register_service_sync (queue, "poller", "secret", NULL, NULL, 4, TRUE,
                                                   NULL, &error);
  lers_check_assert_no_error (error);
  jobs = enqueue (queue, 1, LERS_POLL_PRIORITY_ROUTINE);
  claimed = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (service), "secret", 4, 60,
                                        NULL, &error);
  ck_assert_uint_eq (claimed->len, 1);

  listener = start_listener (&heard);
  /* listening on a second channel once connected */
  lers_store_listener_listen (listener, LERS_POLL_CHANNEL_CANCEL);
  /* the LISTEN is sent at once, its answer read by the watch: let it pass */
  g_main_context_iteration (NULL, FALSE);
  ck_assert (lers_poll_queue_cancel_job_sync (
      queue, lers_poll_job_get_id (g_ptr_array_index (jobs, 0)), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (run_until (&heard.channels->len, 0, 2));
  id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_poll_job_get_id (g_ptr_array_index (jobs, 0)));
  ck_assert_str_eq (g_ptr_array_index (heard.channels, 0), LERS_POLL_CHANNEL_CANCEL);
  ck_assert_str_eq (g_ptr_array_index (heard.payloads, 0), id);
  heard_clear (&heard);
}
END_TEST

START_TEST (test_reconnect)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersStoreListener) listener = NULL;
  g_autoptr (GPtrArray) manual = NULL;
  Heard heard = { 0 };

  make_links ();
  listener = start_listener (&heard);
  /* the listening session is terminated on the server (as a restart or
   * an administrator would) */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM (SELECT pg_terminate_backend(pid)"
                                        " FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"
                                        " AND pid <> pg_backend_pid()) t"),
                    1);
  /* noticed, and listening again after the first back-off (1 s) */
  ck_assert (run_until (&heard.reconnected, 0, 10));
  ck_assert_uint_eq (heard.disconnected, 1);
  ck_assert (lers_store_listener_get_connected (listener));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM pg_stat_activity"
                                        " WHERE query LIKE 'LISTEN%'"),
                    1);
  /* and hears again */
  manual = enqueue (queue, 1, LERS_POLL_PRIORITY_MANUAL);
  ck_assert (run_until (&heard.channels->len, 0, 2));
  ck_assert_str_eq (g_ptr_array_index (heard.payloads, 0), "1");
  heard_clear (&heard);
}
END_TEST

START_TEST (test_stop_while_connecting)
{
  g_autoptr (LersStoreListener) listener = lers_store_listener_new (lers_check_get_store ());
  LersStoreListener *dropped = lers_store_listener_new (lers_check_get_store ());
  gint64 start = g_get_monotonic_time ();
  gboolean expired = FALSE;

  lers_store_listener_listen (listener, LERS_POLL_CHANNEL_JOBS);
  lers_store_listener_start (listener);
  lers_store_listener_stop (listener);
  lers_store_listener_start (listener);
  lers_store_listener_stop (listener);
  lers_store_listener_listen (dropped, LERS_POLL_CHANNEL_JOBS);
  lers_store_listener_start (dropped);
  g_object_unref (dropped);
  /* none of that waited for a connection */
  ck_assert_int_lt (g_get_monotonic_time () - start, G_USEC_PER_SEC / 2);
  /* the connects under way end, and nothing is left listening */
  g_timeout_add (1500, timeout_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (!lers_store_listener_get_connected (listener));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM pg_stat_activity"
                                        " WHERE query LIKE 'LISTEN%'"),
                    0);
}
END_TEST

static Suite *
poll_listener_suite (void)
{
  Suite *s = suite_create ("poll-listener");
  TCase *tc = tcase_create ("listener");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_manual_read_heard);
  tcase_add_test (tc, test_cancel_heard);
  tcase_add_test (tc, test_reconnect);
  tcase_add_test (tc, test_stop_while_connecting);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (poll_listener_suite ());
}
