/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* What the session benchmarks share: the M-Bus driver and simulators from
 * the plugin (through the engine, as lersd and lers-sim get them), a thread
 * of their own for the simulated meters, so that the main thread is the
 * poller alone, and a few helpers. Any failure ends the program. */

/* Prints "PROGRAM: @what: @msg" and exits with failure. */
G_NORETURN void bench_session_die (const gchar *what, const gchar *msg);

/* A thread with its own main context in which the simulated meters run. */
typedef struct _BenchSimThread BenchSimThread;

BenchSimThread *bench_sim_thread_new (void);
/* Runs @func (@data) in the thread's context and waits for it. */
void bench_sim_thread_invoke (BenchSimThread *self, GSourceFunc func, gpointer data);
GMainContext *bench_sim_thread_get_context (BenchSimThread *self);
/* Stops the loop and joins the thread. */
void bench_sim_thread_free (BenchSimThread *self);

/* An M-Bus device of primary @address, serial @serial. */
LersDevice *bench_mbus_device_new (const gchar *serial, guint address);

/* M-Bus short frame C A: 10 C A CS 16. */
GBytes *bench_mbus_short_frame (guint8 c, guint8 a);

/* Complete M-Bus frame at the start of @data: its length; 0 for more;
 * -1 for garbage (a valid LersFrameScanner too). */
gssize bench_mbus_scan (const guint8 *data, gsize len, gpointer user_data);

/* Raises RLIMIT_NOFILE to its hard limit; the new soft limit. */
guint64 bench_raise_fd_limit (void);

G_END_DECLS
