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
/* the answer to an archive request's write (BC 0, ID 1), arriving late */
#define STALE_WRITE "01 48 00 00 00 01 20 04"
/* a 6-byte answer with ID 1 where the request carried ID 0 (its month 13
 * would fail the clock if it were taken) */
#define STALE_ID "01 48 00 06 00 01 0d 1e 0e 1a 0f 2d 92 dd"
#define GOOD_BYTES "01 48 00 06 00 00 0b 1e 0e 1a 0f 2d 82 7b"
/* address 0: the clock read as the Python driver sends it (replay-01.txt) */
#define REQ_0 "> 00 48 1e 88 00 03 00 00 00 00 00 00 00 00 f5 f3\n"
/* hour archive 2026-11-30 12 h (0b 1e 0c 1a), address 1: the write, ID 0 */
#define SELECT_12                                                                                  \
  "> 01 48 00 00 00 00 00 63 00 06 00 0c 00 00 0b 1e 0c 1a 00 00 00 00 00 00 00 00 a5 c2\n"
#define SELECTED "< 01 48 00 00 00 00 e1 c4\n"
/* the record read at 0x1B88, 0x8E words, ID 1 */
#define READ_REC "> 01 48 1b 88 00 8e 00 00 00 00 00 00 00 01 01 a8\n"
#define ERROR_02 "< 01 c8 02 f6 01\n"

typedef struct
{
  const gchar *name;
  const gchar *script;
  gint code; /* -1: open succeeds */
  const gchar *message;
  const gchar *address; /* NULL: "1" */
  const gchar *retries; /* NULL: option retries=1; else no option, the link's retries = 1 */
} Case;

static const Case cases[] = {
  { "resend after a bad CRC", REQ BAD_CRC REQ GOOD, -1, NULL },
  { "bad CRC twice", REQ BAD_CRC REQ BAD_CRC, LERS_ERROR_CHECKSUM,
    "TV7 at address 1, 2 attempts: TV7 frame CRC mismatch: 0x7c82 in the frame, 0x7b82 computed" },
  { "another address twice", REQ OTHER_ADDRESS REQ OTHER_ADDRESS, LERS_ERROR_INVALID_DATA,
    "TV7 at address 1, 2 attempts: TV7 reply from address 2, not 1" },
  { "error reply", REQ ERROR_01, LERS_ERROR_NOT_SUPPORTED, "TV7 error reply, code 1" },
  /* review #3: no answer, a resend, then a late answer to an earlier
   * request (another byte count) before the right one: dropped */
  { "late answer after a resend", REQ REQ "< " STALE_WRITE " " GOOD_BYTES "\n", -1, NULL },
  /* the right byte count but another ID: dropped too */
  { "answer with another ID", REQ "< " STALE_ID " " GOOD_BYTES "\n", -1, NULL },
  /* only late answers: garbled, resent, then the attempts run out */
  { "only late answers", REQ "< " STALE_ID "\n" REQ "< " STALE_ID "\n", LERS_ERROR_TIMED_OUT,
    NULL },
  /* review #6: address 0 takes the answer of whoever is on the line */
  { "address 0, answer from 1", REQ_0 GOOD, -1, NULL, "0" },
  /* review #8: without the option, the link's retries (1): 2 attempts */
  { "link retries", REQ BAD_CRC REQ BAD_CRC, LERS_ERROR_CHECKSUM,
    "TV7 at address 1, 2 attempts: TV7 frame CRC mismatch: 0x7c82 in the frame, 0x7b82 computed",
    NULL, "-" },
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

  g_test_message ("%s", c->name);
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
  lers_device_set_network_address (device, c->address != NULL ? c->address : "1");
  if (c->retries == NULL)
    lers_device_set_option (device, "retries", "1");
  else
    lers_transport_set_retries (transport, 1);
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

/* review #10: during an archive read, C8 01 (Modbus "illegal function")
 * is NOT_SUPPORTED; another C8 code is the Python driver's "no record" */
typedef struct
{
  const gchar *name;
  const gchar *script;
  gint code; /* -1: the read succeeds */
  const gchar *message;
  guint records;
} ArchiveCase;

static const ArchiveCase archive_cases[] = {
  { "C8 01 to the write", REQ GOOD SELECT_12 ERROR_01, LERS_ERROR_NOT_SUPPORTED,
    "TV7 refuses the archive request: error reply, code 1", 0 },
  { "C8 01 to the read", REQ GOOD SELECT_12 SELECTED READ_REC ERROR_01, LERS_ERROR_NOT_SUPPORTED,
    "TV7 refuses the archive request: error reply, code 1", 0 },
  { "C8 02 to the read: no record", REQ GOOD SELECT_12 SELECTED READ_REC ERROR_02, -1, NULL, 0 },
};

static void
run_archive_case (gconstpointer data)
{
  const ArchiveCase *c = data;
  g_autoptr (LersTv7Driver) driver = lers_tv7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersTransport) transport = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GAsyncResult) res2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) client = NULL;
  g_autoptr (GIOStream) server = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_from_iso8601 ("2026-11-30T12:00:00Z", NULL);
  /* one period whether the end is taken inclusive or not */
  g_autoptr (GDateTime) to = g_date_time_new_from_iso8601 ("2026-11-30T12:30:00Z", NULL);
  Tv7TestPeer peer = { 0 };
  int fds[2];

  g_test_message ("%s", c->name);
  tv7_test_peer_load (&peer, c->script);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  server = stream_from_fd (fds[0]);
  client = stream_from_fd (fds[1]);
  tv7_test_peer_start (&peer, server);
  transport = lers_stream_transport_new (client, "script");
  lers_transport_set_first_byte_timeout_ms (transport, 200);
  lers_transport_set_answer_timeout_ms (transport, 200);
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_network_address (device, "1");
  lers_device_set_option (device, "retries", "0");
  session
      = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), transport, device, NULL);
  lers_device_session_open_async (session, NULL, store_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lers_device_session_open_finish (session, res, &error));
  g_assert_no_error (error);
  lers_device_session_read_archive_async (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL,
                                          store_cb, &res2);
  while (res2 == NULL)
    g_main_context_iteration (NULL, TRUE);
  records = lers_device_session_read_archive_finish (session, res2, &error);
  g_assert_null (peer.mismatch);
  g_assert_cmpuint (peer.next, ==, peer.requests->len);
  if (c->code < 0)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (records->len, ==, c->records);
    }
  else
    {
      g_assert_null (records);
      g_assert_error (error, LERS_ERROR, c->code);
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
  for (guint i = 0; i < G_N_ELEMENTS (archive_cases); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("/tv7/errors/archive/%u", i);
      g_test_add_data_func (path, &archive_cases[i], run_archive_case);
    }
  return g_test_run ();
}
