/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Memory per request of lersd's HTTP front: N sequential GET / on fresh
 * connections (each answered and closed), the server in-process; prints
 * the growth of resident memory between request 2,000 and 2,000 + N, per
 * request. libsoup 3.2's own socket handling lost about 340 bytes per
 * connection; lersd now hands libsoup streams instead of sockets.
 *
 *   bench-http-rss [N]   (default 20000) */
#include "config.h"

#include <lers.h>
#include <stdlib.h>
#include <string.h>

#include "lersd-server.h"

static gint64
rss_kb (void)
{
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + 6, NULL, 10);
}

static gboolean
one_request (guint port)
{
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, (guint16) port);
  g_autoptr (GSocket) sock
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  const gchar *req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  gsize got = 0;

  if (sock == NULL || !g_socket_connect (sock, addr, NULL, NULL))
    return FALSE;
  g_socket_set_blocking (sock, FALSE);
  g_socket_send (sock, req, strlen (req), NULL, NULL);
  for (;;)
    {
      gchar buf[16384];
      gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, NULL);

      if (n > 0)
        got += (gsize) n;
      else if (n == 0)
        break;
      else if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (50);
    }
  g_socket_close (sock, NULL);
  return got > 0;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20000;
  g_autoptr (LersStore) store = lers_store_new ("host=/nonexistent dbname=none");
  g_autoptr (LersdServer) server = lersd_server_new (store);
  g_autoptr (GError) error = NULL;
  gint64 before, after;
  guint port;

  if (!lersd_server_listen (server, "127.0.0.1:0", &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  port = lersd_server_get_port (server);
  for (guint i = 0; i < 2000; i++)
    if (!one_request (port))
      return EXIT_FAILURE;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  before = rss_kb ();
  for (guint i = 0; i < n; i++)
    if (!one_request (port))
      return EXIT_FAILURE;
  /* let the last connections linger out */
  for (gint64 end = g_get_monotonic_time () + 1500 * 1000; g_get_monotonic_time () < end;)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  after = rss_kb ();
  g_print ("%u requests: RSS %" G_GINT64_FORMAT " kB -> %" G_GINT64_FORMAT " kB, %.0f bytes per "
           "request\n",
           n, before, after, (gdouble) (after - before) * 1024.0 / n);
  lersd_server_disconnect (server);
  return EXIT_SUCCESS;
}
