/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* A serial line of a given speed made of a pseudo-terminal pair: the
 * poller opens the slave (bench_pty_line_get_slave_path()) as a serial
 * port, the meter serves @meter_fd (one end of a socketpair), and a pacing
 * thread between that and the pty's master gives the line the speed and
 * character format set on the slave (see bench-session-pty.c for the
 * method). Any failure ends the program. */
typedef struct _BenchPtyLine BenchPtyLine;

/* What the pacer carried since bench_pty_line_start(). */
typedef struct
{
  guint64 to_meter;  /* bytes, driver -> meter */
  guint64 to_driver; /* bytes, meter -> driver */
  guint answers;     /* answers begun, each after a request */
  gdouble wire_s;    /* those bytes x bits a char / baud, each at its line's format */
  guint baud;        /* the line's last format: speed */
  guint data_bits;
  LersParity parity;
  guint stop_bits;
  guint format_changes; /* times the format changed between bytes */
  gdouble poller_s;     /* from each answer's last byte to the next request */
  gdouble poller_max_s; /* the longest of those */
  gdouble meter_late_s; /* answers begun later than request + delay, summed */
} BenchPtyStats;

BenchPtyLine *bench_pty_line_new (int meter_fd, guint chunk, guint delay_ms);
const gchar *bench_pty_line_get_slave_path (BenchPtyLine *self);
int bench_pty_line_get_slave_fd (BenchPtyLine *self);

/* The data bits and parity the poller's transport asked for: a Linux pty
 * reports every line as 8 bits without parity (pty_set_termios()), so the
 * pacer takes these two from here and the speed and stop bits from the
 * slave's termios. Any thread. */
void bench_pty_line_set_framing (BenchPtyLine *self, guint data_bits, LersParity parity);

/* The slave's line as its termios says (baud 0: not a standard speed);
 * FALSE if tcgetattr() fails (errno). */
gboolean bench_pty_line_read_termios (BenchPtyLine *self, guint *baud, guint *data_bits,
                                      LersParity *parity, guint *stop_bits);

/* Runs the pacer; with @record, it keeps each request and the length of
 * its answer for bench_pty_line_replay(). */
void bench_pty_line_start (BenchPtyLine *self, gboolean record);
/* Ends the pacer and returns what it carried. */
BenchPtyStats bench_pty_line_stop (BenchPtyLine *self);

/* With the pacer running (not recording): the recorded round trips again,
 * with plain write() and poll()/read() on the slave. Seconds; *@mismatches
 * is the number of answers whose length differed from the recorded one
 * (then the replay stops there). */
gdouble bench_pty_line_replay (BenchPtyLine *self, guint *mismatches);
guint bench_pty_line_get_n_exchanges (BenchPtyLine *self);

void bench_pty_line_free (BenchPtyLine *self);

/* "9600 8E1" */
gchar *bench_pty_format_to_string (guint baud, guint data_bits, LersParity parity, guint stop_bits);

G_END_DECLS
