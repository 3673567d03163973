/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>
#include <termios.h>

G_BEGIN_DECLS

/* The far end of a pseudo-terminal pair, served by the thread-default main
 * context: the code under test opens serial_peer_get_path(); the peer reads
 * the master side. Once @request_len bytes of a request came, it writes the
 * answer (after the request itself when it echoes, as RS-485 adapters do). */
typedef struct
{
  gint master;
  gint slave; /* the test's own view of the line: tcgetattr */
  gchar *path;
  guint watch;
  GByteArray *received;
  gsize pending;     /* bytes of the current request so far */
  gsize request_len; /* 0: never answer */
  GBytes *answer;
  gboolean echo;
  gboolean mangle_echo;
  gint64 answered_us; /* monotonic time the last answer was written */
  gint64 gap_us;      /* from the last answer to the first byte of the next request */
  guint requests;
} SerialPeer;

SerialPeer *serial_peer_new (void);
void serial_peer_free (SerialPeer *peer);
void serial_peer_set_answer (SerialPeer *peer, gsize request_len, const void *answer, gsize len);
void serial_peer_get_termios (SerialPeer *peer, struct termios *tio);

G_END_DECLS
