/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scheduler's refresh (run on the main loop every 30 s) for 10 000 and
 * 20 000 points, against the algorithm it replaced (for each point it knew,
 * a scan of the whole list: O(n²)). Doubling the points should take about
 * 2.1 times as long for O(n log n) and 4 times for O(n²).
 *
 * Timed: the first refresh (every point new) and a steady one (the same
 * points again), without the database query, which is the same for both. */
#include "config.h"

#include <lers.h>
#include <stdio.h>
#include <stdlib.h>

#include "poll/lers-scheduler-private.h"

static GPtrArray *
make_points (guint n)
{
  GPtrArray *points = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      LersMeasurePoint *point = lers_measure_point_new ();

      lers_measure_point_set_id (point, (gint64) i + 1);
      lers_measure_point_set_poll_interval (point, i % 10 == 9 ? 0 : 3600);
      lers_measure_point_set_poll_offset (point, 300 + i % 60);
      g_ptr_array_add (points, point);
    }
  return points;
}

/* seconds for the first refresh (best of @rounds) and a steady one (best of
 * 20 in each round) */
static void
time_new (LersStore *store, LersEngine *engine, GPtrArray *points, guint rounds, gdouble *first,
          gdouble *steady)
{
  *first = *steady = G_MAXDOUBLE;
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr (LersScheduler) scheduler = lers_scheduler_new (store, engine);
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      lers_scheduler_apply_points (scheduler, points);
      t1 = g_get_monotonic_time ();
      *first = MIN (*first, (t1 - t0) / 1e6);
      for (guint i = 0; i < 20; i++)
        {
          t1 = g_get_monotonic_time ();
          lers_scheduler_apply_points (scheduler, points);
          t2 = g_get_monotonic_time ();
          *steady = MIN (*steady, (t2 - t1) / 1e6);
        }
      if (lers_scheduler_get_n_points (scheduler) != points->len - points->len / 10)
        {
          g_printerr ("bench-scheduler-refresh: %u points scheduled, expected %u\n",
                      lers_scheduler_get_n_points (scheduler), points->len - points->len / 10);
          exit (EXIT_FAILURE);
        }
    }
}

/* The refresh as it was before (liblers/poll/lers-scheduler.c at d8e759f),
 * kept here only to measure it. */
static gint64 *
old_int64_dup (gint64 v)
{
  return g_memdup2 (&v, sizeof (v));
}

static void
old_refresh (GHashTable *due, GHashTable *interval_table, GPtrArray *points)
{
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < points->len; i++)
    {
      LersMeasurePoint *point = g_ptr_array_index (points, i);
      gint64 id = lers_measure_point_get_id (point);
      guint interval = lers_measure_point_get_poll_interval (point);
      guint offset = lers_measure_point_get_poll_offset (point);

      if (interval == 0)
        continue;
      g_hash_table_insert (
          interval_table, old_int64_dup (id),
          g_memdup2 (&(guint64){ ((guint64) interval << 32) | (offset % interval) },
                     sizeof (guint64)));
      if (!g_hash_table_contains (due, &id))
        g_hash_table_insert (due, old_int64_dup (id), old_int64_dup (0));
    }
  g_hash_table_iter_init (&iter, due);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean found = FALSE;
      for (guint i = 0; i < points->len && !found; i++)
        found = lers_measure_point_get_id (g_ptr_array_index (points, i)) == *(gint64 *) key
                && lers_measure_point_get_poll_interval (g_ptr_array_index (points, i)) > 0;
      if (!found)
        {
          g_hash_table_remove (interval_table, key);
          g_hash_table_iter_remove (&iter);
        }
    }
}

static void
time_old (GPtrArray *points, gdouble *first, gdouble *steady)
{
  g_autoptr (GHashTable) due = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GHashTable) interval
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gint64 t0, t1, t2;

  t0 = g_get_monotonic_time ();
  old_refresh (due, interval, points);
  t1 = g_get_monotonic_time ();
  old_refresh (due, interval, points);
  t2 = g_get_monotonic_time ();
  *first = (t1 - t0) / 1e6;
  *steady = (t2 - t1) / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr (LersStore) store = lers_store_new ("postgresql:///unused"); /* never opened */
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GPtrArray) small = make_points (10000);
  g_autoptr (GPtrArray) large = make_points (20000);
  gboolean with_old = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") != 0;
  gdouble nf1, ns1, nf2, ns2, of1 = 0, os1 = 0, of2 = 0, os2 = 0;

  time_new (store, engine, small, 5, &nf1, &ns1);
  time_new (store, engine, large, 5, &nf2, &ns2);
  printf ("scheduler refresh (new), first: 10000 points %.2f ms, 20000 points %.2f ms, "
          "ratio %.2f\n",
          nf1 * 1e3, nf2 * 1e3, nf2 / nf1);
  printf ("scheduler refresh (new), steady: 10000 points %.2f ms, 20000 points %.2f ms, "
          "ratio %.2f (n log n: 2.15, n²: 4)\n",
          ns1 * 1e3, ns2 * 1e3, ns2 / ns1);
  if (with_old)
    {
      time_old (small, &of1, &os1);
      time_old (large, &of2, &os2);
      printf ("scheduler refresh (old), first: 10000 points %.2f ms, 20000 points %.2f ms, "
              "ratio %.2f\n",
              of1 * 1e3, of2 * 1e3, of2 / of1);
      printf ("scheduler refresh (old), steady: 10000 points %.2f ms, 20000 points %.2f ms, "
              "ratio %.2f; new is %.0f times faster at 20000\n",
              os1 * 1e3, os2 * 1e3, os2 / os1, os2 / ns2);
    }
  return EXIT_SUCCESS;
}
