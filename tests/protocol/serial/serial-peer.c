/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "serial-peer.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <pty.h>
#include <unistd.h>

static void
peer_write (SerialPeer *peer, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      gssize n = write (peer->master, data, len);

      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_assert_cmpint (n, >, 0);
      data += n;
      len -= (gsize) n;
    }
}

static gboolean
peer_in_cb (gint fd, GIOCondition condition, gpointer user_data)
{
  SerialPeer *peer = user_data;
  guint8 buf[4096];
  gint64 now = g_get_monotonic_time ();
  gssize n = read (fd, buf, sizeof buf);

  if (n <= 0)
    return G_SOURCE_CONTINUE;
  if (peer->pending == 0 && peer->answered_us != 0)
    peer->gap_us = now - peer->answered_us;
  g_byte_array_append (peer->received, buf, (guint) n);
  peer->pending += (gsize) n;
  if (peer->request_len == 0 || peer->pending < peer->request_len)
    return G_SOURCE_CONTINUE;
  peer->requests++;
  if (peer->echo)
    {
      const guint8 *request = peer->received->data + peer->received->len - peer->pending;
      g_autofree guint8 *echo = g_memdup2 (request, peer->pending);

      if (peer->mangle_echo)
        echo[0] ^= 0x01;
      peer_write (peer, echo, peer->pending);
    }
  peer->pending = 0;
  if (peer->answer != NULL)
    {
      peer->answered_us = g_get_monotonic_time ();
      peer_write (peer, g_bytes_get_data (peer->answer, NULL), g_bytes_get_size (peer->answer));
    }
  return G_SOURCE_CONTINUE;
}

SerialPeer *
serial_peer_new (void)
{
  SerialPeer *peer = g_new0 (SerialPeer, 1);
  struct termios tio;
  gchar name[256];

  g_assert_cmpint (openpty (&peer->master, &peer->slave, name, NULL, NULL), ==, 0);
  g_assert_cmpint (tcgetattr (peer->slave, &tio), ==, 0);
  cfmakeraw (&tio);
  g_assert_cmpint (tcsetattr (peer->slave, TCSANOW, &tio), ==, 0);
  g_assert_cmpint (fcntl (peer->master, F_SETFL, fcntl (peer->master, F_GETFL) | O_NONBLOCK), ==,
                   0);
  peer->path = g_strdup (name);
  peer->received = g_byte_array_new ();
  peer->watch = g_unix_fd_add (peer->master, G_IO_IN, peer_in_cb, peer);
  return peer;
}

void
serial_peer_free (SerialPeer *peer)
{
  g_source_remove (peer->watch);
  close (peer->master);
  close (peer->slave);
  g_free (peer->path);
  g_byte_array_unref (peer->received);
  g_clear_pointer (&peer->answer, g_bytes_unref);
  g_free (peer);
}

void
serial_peer_set_answer (SerialPeer *peer, gsize request_len, const void *answer, gsize len)
{
  peer->request_len = request_len;
  g_clear_pointer (&peer->answer, g_bytes_unref);
  peer->answer = answer != NULL ? g_bytes_new (answer, len) : NULL;
}

void
serial_peer_get_termios (SerialPeer *peer, struct termios *tio)
{
  g_assert_cmpint (tcgetattr (peer->slave, tio), ==, 0);
}
