/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-session-farm.h"

void
bench_session_die (const gchar *what, const gchar *msg)
{
  g_printerr ("%s: %s: %s\n", g_get_prgname (), what, msg);
  exit (EXIT_FAILURE);
}

struct _BenchSimThread
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
};

static gpointer
sim_thread_main (gpointer data)
{
  BenchSimThread *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  /* let the simulators' tasks that were cancelled finish */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

BenchSimThread *
bench_sim_thread_new (void)
{
  BenchSimThread *self = g_new0 (BenchSimThread, 1);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("bench-sim", sim_thread_main, self);
  return self;
}

GMainContext *
bench_sim_thread_get_context (BenchSimThread *self)
{
  return self->context;
}

typedef struct
{
  GSourceFunc func;
  gpointer data;
  GMutex mutex;
  GCond cond;
  gboolean done;
} Invocation;

static gboolean
invoke_cb (gpointer user_data)
{
  Invocation *inv = user_data;

  inv->func (inv->data);
  g_mutex_lock (&inv->mutex);
  inv->done = TRUE;
  g_cond_signal (&inv->cond);
  g_mutex_unlock (&inv->mutex);
  return G_SOURCE_REMOVE;
}

void
bench_sim_thread_invoke (BenchSimThread *self, GSourceFunc func, gpointer data)
{
  Invocation inv = { func, data };

  g_mutex_init (&inv.mutex);
  g_cond_init (&inv.cond);
  g_main_context_invoke (self->context, invoke_cb, &inv);
  g_mutex_lock (&inv.mutex);
  while (!inv.done)
    g_cond_wait (&inv.cond, &inv.mutex);
  g_mutex_unlock (&inv.mutex);
  g_mutex_clear (&inv.mutex);
  g_cond_clear (&inv.cond);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
bench_sim_thread_free (BenchSimThread *self)
{
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self);
}

LersDevice *
bench_mbus_device_new (const gchar *serial, guint address)
{
  LersDevice *device = lers_device_new ();
  g_autofree gchar *text = g_strdup_printf ("%u", address);

  lers_device_set_protocol (device, "mbus");
  lers_device_set_serial_number (device, serial);
  lers_device_set_network_address (device, text);
  lers_device_set_clock_zone (device, "UTC");
  return device;
}

GBytes *
bench_mbus_short_frame (guint8 c, guint8 a)
{
  guint8 frame[5] = { 0x10, c, a, (guint8) (c + a), 0x16 };

  return g_bytes_new (frame, sizeof frame);
}

gssize
bench_mbus_scan (const guint8 *data, gsize len, gpointer user_data)
{
  gsize total;
  guint8 sum = 0;

  if (len == 0)
    return 0;
  switch (data[0])
    {
    case 0xE5:
      return 1;
    case 0x10:
      if (len < 5)
        return 0;
      return data[4] == 0x16 && (guint8) (data[1] + data[2]) == data[3] ? 5 : -1;
    case 0x68:
      if (len < 4)
        return 0;
      if (data[1] != data[2] || data[3] != 0x68 || data[1] < 3)
        return -1;
      total = (gsize) data[1] + 6;
      if (len < total)
        return 0;
      for (gsize i = 4; i < total - 2; i++)
        sum += data[i];
      return sum == data[total - 2] && data[total - 1] == 0x16 ? (gssize) total : -1;
    default:
      return -1;
    }
}

guint64
bench_raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    bench_session_die ("getrlimit", g_strerror (errno));
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit (RLIMIT_NOFILE, &rl) != 0)
    bench_session_die ("setrlimit", g_strerror (errno));
  return rl.rlim_cur;
}
