/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The session against a scripted meter that answers badly: each case
 * asserts the exact GError code (or that a resend recovers). Frames built
 * by hand (address 1, the clock read 0x1E88 × 3 words; the reply 11 30 14
 * 26 15 45), CRCs computed with an independent Python CRC-16/MODBUS (check
 * value 0x4B37).
 */
#include <sys/socket.h>

#include "tv7-test-util.h"

#include "lers-tv7-driver.h"

#define REQ "> 01 48 1e 88 00 03 00 00 00 00 00 00 00 00 f5 32\n"
#define GOOD "< 01 48 00 06 00 00 0b 1e 0e 1a 0f 2d 82 7b\n"
#define BAD_CRC "< 01 48 00 06 00 00 0b 1e 0e 1a 0f 2d 82 7c\n"
#define OTHER_ADDRESS "< 02 48 00 06 00 00 0b 1e 0e 1a 0f 2d 86 7f\n"
#define ERROR_01 "< 01 c8 01 b6 00\n"
#define MONTH_13 "< 01 48 00 06 00 00 0d 1e 0e 1a 0f 2d 82 1d\n"
#define SHORT "< 01 48 00 06 00 00 0b\n"

typedef struct
{
  const gchar *name;
  const gchar *script;
  gint code; /* -1: open succeeds */
  const gchar *message;
} Case;

static const Case cases[] = {
  { "resend after a bad CRC", REQ BAD_CRC REQ GOOD, -1, NULL },
  { "bad CRC twice", REQ BAD_CRC REQ BAD_CRC, LERS_ERROR_CHECKSUM,
    "TV7 at address 1, 2 attempts: TV7 frame CRC mismatch: 0x7c82 in the frame, 0x7b82 computed" },
  { "another address twice", REQ OTHER_ADDRESS REQ OTHER_ADDRESS, LERS_ERROR_INVALID_DATA,
    "TV7 at address 1, 2 attempts: TV7 reply from address 2, not 1" },
  { "error reply", REQ ERROR_01, LERS_ERROR_NOT_SUPPORTED, "TV7 error reply, code 1" },
  { "clock out of range", REQ MONTH_13, LERS_ERROR_INVALID_DATA,
    "TV7 clock out of range: 13-30 14:45:15 year 26" },
  { "short answers, then silence", REQ SHORT REQ SHORT, LERS_ERROR_TIMED_OUT, NULL },
};

static GIOStream *
stream_from_fd (int fd)
{
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, NULL);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

static void
store_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (LersTv7Driver) driver = lers_tv7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersTransport) transport = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) client = NULL;
  g_autoptr (GIOStream) server = NULL;
  Tv7TestPeer peer = { 0 };
  gboolean ok;
  int fds[2];

  tv7_test_peer_load (&peer, c->script);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  server = stream_from_fd (fds[0]);
  client = stream_from_fd (fds[1]);
  tv7_test_peer_start (&peer, server);
  transport = lers_stream_transport_new (client, "script");
  lers_transport_set_first_byte_timeout_ms (transport, 200);
  lers_transport_set_answer_timeout_ms (transport, 200);
  lers_transport_set_inter_byte_timeout_ms (transport, 100);
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_network_address (device, "1");
  lers_device_set_option (device, "retries", "1");
  session
      = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), transport, device, NULL);
  lers_device_session_open_async (session, NULL, store_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = lers_device_session_open_finish (session, res, &error);
  g_assert_null (peer.mismatch);
  if (c->code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, LERS_ERROR, c->code);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
    }
  g_clear_object (&session);
  lers_transport_close_sync (transport, NULL, NULL);
  tv7_test_peer_clear (&peer);
}

int
main (int argc, char **argv)
{
  tv7_test_init (&argc, &argv);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/tv7/errors/%u", i);
      g_test_add_data_func (path, &cases[i], run_case);
    }
  return g_test_run ();
}
