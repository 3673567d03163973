/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "protocol/lers-gprs-server.h"
#include "protocol/lers-stream-transport.h"

/**
 * LersGprsServer:
 *
 * The TCP server that GPRS modems in server mode call: a modem connects,
 * identifies itself by the #LersGprsServer:handshake rule within
 * #LersGprsServer:handshake-timeout-ms, and a known modem (see
 * lers_gprs_server_add_modem()) is handed over by
 * #LersGprsServer::modem-connected as a #LersTransport described
 * `gprs:IDENTITY`. An unknown modem, or one that does not identify itself,
 * is logged with its address and what it sent, and dropped.
 *
 * The transport belongs to the receiver of the signal, which keeps a
 * reference for as long as it reads the modem's devices. The session ends,
 * with #LersGprsServer::modem-disconnected, when the receiver closes or
 * drops the transport (`done`), after #LersGprsServer:idle-timeout-ms
 * without a byte either way (`idle`), after #LersGprsServer:max-session-ms
 * (`max-session`), when the same modem calls again (`replaced`: modems
 * reconnect after a drop, and the new connection wins) or when the server
 * stops (`stopped`). A session the server ends is shut down at the socket,
 * so the receiver's pending read fails with %LERS_ERROR_CONNECTION.
 *
 * Every session runs as async GIO on the main context the server was
 * started from: a #GSocketService, not a #GThreadedSocketService, because
 * no session blocks a thread, so thousands of modems need no thousands of
 * threads. Timeouts come from #LersGprsServer:clock (a manual clock in
 * tests).
 *
 * Since: 0.3
 */
struct _LersGprsServer
{
  GObject parent_instance;
  GSocketService *service;
  guint16 port;
  LersGprsHandshake *handshake;
  LersClock *clock;
  guint handshake_timeout_ms;
  guint idle_timeout_ms;
  guint max_session_ms;
  GHashTable *modems;   /* identity set */
  GHashTable *sessions; /* identity → Session */
  GPtrArray *pending;   /* Pending: connections still identifying themselves */
};

G_DEFINE_FINAL_TYPE (LersGprsServer, lers_gprs_server, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_HANDSHAKE,
  PROP_CLOCK,
  PROP_HANDSHAKE_TIMEOUT_MS,
  PROP_IDLE_TIMEOUT_MS,
  PROP_MAX_SESSION_MS,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_MODEM_CONNECTED,
  SIGNAL_MODEM_DISCONNECTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

#define DEFAULT_HANDSHAKE_TIMEOUT_MS 30000
#define DEFAULT_IDLE_TIMEOUT_MS 300000
#define DEFAULT_MAX_SESSION_MS 3600000
#define READ_CHUNK 256
#define LOG_BYTES 64

typedef struct _Session Session;
static void session_end (Session *s, const gchar *reason);

/* ---- the stream under a session's transport ------------------------------ */

/* A GIOStream over the modem's connection that tells the session when the
 * receiver closes it: GIOStream has no signal for that. Private to this file. */
#define GPRS_TYPE_LINK (gprs_link_get_type ())
G_DECLARE_FINAL_TYPE (GprsLink, gprs_link, GPRS, LINK, GIOStream)

struct _GprsLink
{
  GIOStream parent_instance;
  GIOStream *base;
  Session *session; /* not a reference; cleared when the session ends */
};

G_DEFINE_FINAL_TYPE (GprsLink, gprs_link, G_TYPE_IO_STREAM)

static void
gprs_link_closing (GprsLink *self)
{
  Session *s = g_steal_pointer (&self->session);

  if (s != NULL)
    session_end (s, "done");
}

static GInputStream *
gprs_link_get_input_stream (GIOStream *stream)
{
  return g_io_stream_get_input_stream (GPRS_LINK (stream)->base);
}

static GOutputStream *
gprs_link_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (GPRS_LINK (stream)->base);
}

static gboolean
gprs_link_close_fn (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  GprsLink *self = GPRS_LINK (stream);

  gprs_link_closing (self);
  return g_io_stream_close (self->base, cancellable, error);
}

static void
gprs_link_base_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
gprs_link_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  GprsLink *self = GPRS_LINK (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, gprs_link_close_async);
  gprs_link_closing (self);
  g_io_stream_close_async (self->base, io_priority, cancellable, gprs_link_base_closed_cb, task);
}

static gboolean
gprs_link_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
gprs_link_finalize (GObject *object)
{
  g_clear_object (&GPRS_LINK (object)->base);
  G_OBJECT_CLASS (gprs_link_parent_class)->finalize (object);
}

static void
gprs_link_class_init (GprsLinkClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = gprs_link_finalize;
  stream_class->get_input_stream = gprs_link_get_input_stream;
  stream_class->get_output_stream = gprs_link_get_output_stream;
  stream_class->close_fn = gprs_link_close_fn;
  stream_class->close_async = gprs_link_close_async;
  stream_class->close_finish = gprs_link_close_finish;
}

static void
gprs_link_init (GprsLink *self)
{
}

/* ---- sessions ------------------------------------------------------------ */

struct _Session
{
  LersGprsServer *server; /* not a reference: the server ends its sessions */
  gchar *identity;
  GSocketConnection *connection;
  GprsLink *link;
  LersTransport *transport; /* weak: the receiver's */
  guint idle_timer;
  guint max_timer;
  gulong sent_handler;
  gulong received_handler;
};

static void
session_idle_cb (gpointer user_data)
{
  Session *s = user_data;

  s->idle_timer = 0;
  g_message (_ ("GPRS modem %s: no traffic for %u ms, the session ends"), s->identity,
             s->server->idle_timeout_ms);
  session_end (s, "idle");
}

static void
session_max_cb (gpointer user_data)
{
  Session *s = user_data;

  s->max_timer = 0;
  g_message (_ ("GPRS modem %s: the session reached its limit of %u ms and ends"), s->identity,
             s->server->max_session_ms);
  session_end (s, "max-session");
}

static void
session_restart_idle (Session *s)
{
  LersClock *clock = lers_gprs_server_get_clock (s->server);

  lers_clock_remove_timeout (clock, s->idle_timer);
  s->idle_timer = 0;
  if (s->server->idle_timeout_ms > 0)
    s->idle_timer
        = lers_clock_add_timeout (clock, s->server->idle_timeout_ms, session_idle_cb, s, NULL);
}

static void
session_traffic_cb (GObject *transport, GParamSpec *pspec, gpointer user_data)
{
  session_restart_idle (user_data);
}

static void
session_transport_gone_cb (gpointer user_data, GObject *where_the_object_was)
{
  Session *s = user_data;

  /* the receiver dropped the transport without closing it */
  s->transport = NULL;
  s->sent_handler = s->received_handler = 0;
  session_end (s, "done");
}

static void
session_end (Session *s, const gchar *reason)
{
  g_autoptr (LersGprsServer) server = g_object_ref (s->server);
  LersClock *clock = lers_gprs_server_get_clock (server);

  lers_clock_remove_timeout (clock, s->idle_timer);
  lers_clock_remove_timeout (clock, s->max_timer);
  s->link->session = NULL;
  if (s->transport != NULL)
    {
      g_clear_signal_handler (&s->sent_handler, s->transport);
      g_clear_signal_handler (&s->received_handler, s->transport);
      g_object_weak_unref (G_OBJECT (s->transport), session_transport_gone_cb, s);
    }
  if (g_hash_table_lookup (server->sessions, s->identity) == s)
    g_hash_table_remove (server->sessions, s->identity);
  /* the modem sees the end at once; the receiver's reads fail, and the
   * socket closes with the transport */
  if (!g_io_stream_is_closed (G_IO_STREAM (s->connection)))
    g_socket_shutdown (g_socket_connection_get_socket (s->connection), TRUE, TRUE, NULL);
  if (s->transport == NULL)
    g_io_stream_close (G_IO_STREAM (s->link), NULL, NULL);
  g_debug ("GPRS modem %s: session ended (%s)", s->identity, reason);
  g_signal_emit (server, signals[SIGNAL_MODEM_DISCONNECTED], 0, s->identity, reason);
  g_object_unref (s->link);
  g_object_unref (s->connection);
  g_free (s->identity);
  g_free (s);
}

static void
session_start (LersGprsServer *self, const gchar *identity, GSocketConnection *connection)
{
  Session *s = g_new0 (Session, 1);
  Session *old = g_hash_table_lookup (self->sessions, identity);
  g_autofree gchar *description = g_strconcat ("gprs:", identity, NULL);
  g_autoptr (LersTransport) transport = NULL;
  LersClock *clock = lers_gprs_server_get_clock (self);

  if (old != NULL)
    {
      g_message (_ ("GPRS modem %s called again: the new connection replaces the old one"),
                 identity);
      session_end (old, "replaced");
    }
  s->server = self;
  s->identity = g_strdup (identity);
  s->connection = g_object_ref (connection);
  s->link = g_object_new (GPRS_TYPE_LINK, NULL);
  s->link->base = g_object_ref (G_IO_STREAM (connection));
  s->link->session = s;
  transport = lers_stream_transport_new (G_IO_STREAM (s->link), description);
  lers_transport_set_clock (transport, self->clock);
  s->transport = transport;
  g_object_weak_ref (G_OBJECT (transport), session_transport_gone_cb, s);
  s->sent_handler
      = g_signal_connect (transport, "notify::bytes-sent", G_CALLBACK (session_traffic_cb), s);
  s->received_handler
      = g_signal_connect (transport, "notify::bytes-received", G_CALLBACK (session_traffic_cb), s);
  g_hash_table_insert (self->sessions, s->identity, s);
  session_restart_idle (s);
  if (self->max_session_ms > 0)
    s->max_timer = lers_clock_add_timeout (clock, self->max_session_ms, session_max_cb, s, NULL);
  g_signal_emit (self, signals[SIGNAL_MODEM_CONNECTED], 0, identity, transport);
  /* from here the receiver's reference keeps the transport; without one,
   * the session ends now ("done") */
}

/* ---- handshakes ---------------------------------------------------------- */

typedef struct
{
  LersGprsServer *server; /* not a reference; NULL once the server let go */
  GSocketConnection *connection;
  LersGprsHandshake *rule;
  gchar *peer;
  GByteArray *rx;
  GCancellable *cancellable;
  guint timer;
  gboolean timed_out;
} Pending;

static void
pending_detach (Pending *p)
{
  if (p->server == NULL)
    return;
  lers_clock_remove_timeout (lers_gprs_server_get_clock (p->server), p->timer);
  p->timer = 0;
  g_ptr_array_remove (p->server->pending, p);
  p->server = NULL;
}

static void
pending_free (Pending *p)
{
  pending_detach (p);
  g_clear_object (&p->connection);
  g_clear_pointer (&p->rule, lers_gprs_handshake_unref);
  g_free (p->peer);
  g_byte_array_unref (p->rx);
  g_object_unref (p->cancellable);
  g_free (p);
}

/* what the modem sent, for the log: printable, at most LOG_BYTES of it */
static gchar *
printable (const GByteArray *rx)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rx->len && i < LOG_BYTES; i++)
    {
      guint8 c = rx->data[i];

      if (c == '\r')
        g_string_append (text, "\\r");
      else if (c == '\n')
        g_string_append (text, "\\n");
      else if (c == '\\')
        g_string_append (text, "\\\\");
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (text, (gchar) c);
      else
        g_string_append_printf (text, "\\x%02X", c);
    }
  if (rx->len > LOG_BYTES)
    g_string_append (text, "…");
  return g_string_free (text, FALSE);
}

static void
pending_drop (Pending *p, const gchar *why)
{
  g_autofree gchar *sent = printable (p->rx);

  g_message (_ ("GPRS: dropped the connection from %s: %s; it sent “%s”"), p->peer, why, sent);
  g_io_stream_close (G_IO_STREAM (p->connection), NULL, NULL);
  pending_free (p);
}

static void
pending_identified (Pending *p, const gchar *identity, gsize consumed)
{
  LersGprsServer *self = p->server;

  if (!g_hash_table_contains (self->modems, identity))
    {
      g_autofree gchar *why = g_strdup_printf (_ ("unknown modem %s"), identity);
      pending_drop (p, why);
      return;
    }
  if (consumed < p->rx->len)
    g_debug ("GPRS modem %s: %u bytes after the identification dropped", identity,
             p->rx->len - (guint) consumed);
  g_message (_ ("GPRS modem %s connected from %s"), identity, p->peer);
  pending_detach (p);
  session_start (self, identity, p->connection);
  pending_free (p);
}

static void pending_read (Pending *p);

static void
pending_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  g_autofree gchar *identity = NULL;
  gssize n;

  if (p->server == NULL)
    {
      /* the server stopped */
      g_io_stream_close (G_IO_STREAM (p->connection), NULL, NULL);
      pending_free (p);
      return;
    }
  if (p->timed_out)
    {
      g_autofree gchar *why
          = g_strdup_printf (_ ("no identification within %u ms"), p->server->handshake_timeout_ms);
      pending_drop (p, why);
      return;
    }
  if (bytes == NULL)
    {
      pending_drop (p, error->message);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      pending_drop (p, _ ("the modem closed the connection"));
      return;
    }
  g_byte_array_append (p->rx, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_clear_error (&error);
  n = lers_gprs_handshake_match (p->rule, p->rx->data, p->rx->len, &identity, &error);
  if (n < 0)
    pending_drop (p, error->message);
  else if (n == 0)
    pending_read (p);
  else
    pending_identified (p, identity, (gsize) n);
}

static void
pending_read (Pending *p)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (p->connection));

  g_input_stream_read_bytes_async (in, READ_CHUNK, G_PRIORITY_DEFAULT, p->cancellable,
                                   pending_read_cb, p);
}

static void
pending_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *p = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (p->server == NULL)
        {
          g_io_stream_close (G_IO_STREAM (p->connection), NULL, NULL);
          pending_free (p);
        }
      else
        pending_drop (p, error->message);
      return;
    }
  pending_read (p);
}

static void
pending_timeout_cb (gpointer user_data)
{
  Pending *p = user_data;

  p->timer = 0;
  p->timed_out = TRUE;
  g_cancellable_cancel (p->cancellable);
}

static gchar *
peer_of (GSocketConnection *connection)
{
  g_autoptr (GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree gchar *host = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");
  host = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

static gboolean
incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source_object,
             gpointer user_data)
{
  LersGprsServer *self = user_data;
  Pending *p = g_new0 (Pending, 1);
  GBytes *request;

  p->server = self;
  p->connection = g_object_ref (connection);
  p->rule = lers_gprs_handshake_ref (self->handshake);
  p->peer = peer_of (connection);
  p->rx = g_byte_array_new ();
  p->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->pending, p);
  g_debug ("GPRS: connection from %s", p->peer);
  if (self->handshake_timeout_ms > 0)
    p->timer = lers_clock_add_timeout (lers_gprs_server_get_clock (self),
                                       self->handshake_timeout_ms, pending_timeout_cb, p, NULL);
  request = lers_gprs_handshake_get_request (p->rule);
  if (request != NULL)
    g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                     g_bytes_get_data (request, NULL), g_bytes_get_size (request),
                                     G_PRIORITY_DEFAULT, p->cancellable, pending_written_cb, p);
  else
    pending_read (p);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------- */

static void
lers_gprs_server_dispose (GObject *object)
{
  lers_gprs_server_stop (LERS_GPRS_SERVER (object));
  G_OBJECT_CLASS (lers_gprs_server_parent_class)->dispose (object);
}

static void
lers_gprs_server_finalize (GObject *object)
{
  LersGprsServer *self = LERS_GPRS_SERVER (object);

  g_clear_pointer (&self->handshake, lers_gprs_handshake_unref);
  g_clear_object (&self->clock);
  g_hash_table_unref (self->modems);
  g_hash_table_unref (self->sessions);
  g_ptr_array_unref (self->pending);
  G_OBJECT_CLASS (lers_gprs_server_parent_class)->finalize (object);
}

static void
lers_gprs_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersGprsServer *self = LERS_GPRS_SERVER (object);

  switch (prop_id)
    {
    case PROP_HANDSHAKE:
      g_value_set_boxed (value, self->handshake);
      break;
    case PROP_CLOCK:
      g_value_set_object (value, lers_gprs_server_get_clock (self));
      break;
    case PROP_HANDSHAKE_TIMEOUT_MS:
      g_value_set_uint (value, self->handshake_timeout_ms);
      break;
    case PROP_IDLE_TIMEOUT_MS:
      g_value_set_uint (value, self->idle_timeout_ms);
      break;
    case PROP_MAX_SESSION_MS:
      g_value_set_uint (value, self->max_session_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_gprs_server_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  LersGprsServer *self = LERS_GPRS_SERVER (object);

  switch (prop_id)
    {
    case PROP_HANDSHAKE:
      lers_gprs_server_set_handshake (self, g_value_get_boxed (value));
      break;
    case PROP_CLOCK:
      lers_gprs_server_set_clock (self, g_value_get_object (value));
      break;
    case PROP_HANDSHAKE_TIMEOUT_MS:
      lers_gprs_server_set_handshake_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT_MS:
      lers_gprs_server_set_idle_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_SESSION_MS:
      lers_gprs_server_set_max_session_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
ms_property (const gchar *name, guint default_value)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, default_value,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
lers_gprs_server_class_init (LersGprsServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lers_gprs_server_dispose;
  object_class->finalize = lers_gprs_server_finalize;
  object_class->get_property = lers_gprs_server_get_property;
  object_class->set_property = lers_gprs_server_set_property;

  /**
   * LersGprsServer:handshake:
   *
   * How a modem identifies itself; `id` unless set.
   *
   * Since: 0.3
   */
  props[PROP_HANDSHAKE]
      = g_param_spec_boxed ("handshake", NULL, NULL, LERS_TYPE_GPRS_HANDSHAKE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersGprsServer:clock:
   *
   * Where the server's timeouts come from, and the clock of the transports
   * it hands over; the real clock unless a test sets a manual one.
   *
   * Since: 0.3
   */
  props[PROP_CLOCK]
      = g_param_spec_object ("clock", NULL, NULL, LERS_TYPE_CLOCK,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersGprsServer:handshake-timeout-ms:
   *
   * How long a modem may take from connecting to identifying itself; 0 for
   * no limit.
   *
   * Since: 0.3
   */
  props[PROP_HANDSHAKE_TIMEOUT_MS]
      = ms_property ("handshake-timeout-ms", DEFAULT_HANDSHAKE_TIMEOUT_MS);
  /**
   * LersGprsServer:idle-timeout-ms:
   *
   * A session with no byte either way for this long ends; 0 for never.
   *
   * Since: 0.3
   */
  props[PROP_IDLE_TIMEOUT_MS] = ms_property ("idle-timeout-ms", DEFAULT_IDLE_TIMEOUT_MS);
  /**
   * LersGprsServer:max-session-ms:
   *
   * No session lasts longer than this, traffic or not; 0 for no limit.
   *
   * Since: 0.3
   */
  props[PROP_MAX_SESSION_MS] = ms_property ("max-session-ms", DEFAULT_MAX_SESSION_MS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * LersGprsServer::modem-connected:
   * @self: the server
   * @identity: the modem's identity (its IMEI or ID)
   * @transport: an open transport to the modem, described `gprs:IDENTITY`
   *
   * A known modem called in and identified itself. Keep a reference to
   * @transport for as long as the session should last; close it (or drop
   * it) when done.
   *
   * Since: 0.3
   */
  signals[SIGNAL_MODEM_CONNECTED]
      = g_signal_new ("modem-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, LERS_TYPE_TRANSPORT);
  /**
   * LersGprsServer::modem-disconnected:
   * @self: the server
   * @identity: the modem's identity
   * @reason: why the session ended: `done`, `idle`, `max-session`,
   *   `replaced` or `stopped`
   *
   * A session handed over by #LersGprsServer::modem-connected ended.
   *
   * Since: 0.3
   */
  signals[SIGNAL_MODEM_DISCONNECTED]
      = g_signal_new ("modem-disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
lers_gprs_server_init (LersGprsServer *self)
{
  self->handshake = lers_gprs_handshake_new_from_string ("id", NULL);
  self->handshake_timeout_ms = DEFAULT_HANDSHAKE_TIMEOUT_MS;
  self->idle_timeout_ms = DEFAULT_IDLE_TIMEOUT_MS;
  self->max_session_ms = DEFAULT_MAX_SESSION_MS;
  self->modems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_ptr_array_new ();
}

/* ---- API ----------------------------------------------------------------- */

/**
 * lers_gprs_server_new:
 *
 * Returns: (transfer full): a server that does not listen yet
 *
 * Since: 0.3
 */
LersGprsServer *
lers_gprs_server_new (void)
{
  return g_object_new (LERS_TYPE_GPRS_SERVER, NULL);
}

/**
 * lers_gprs_server_listen:
 * @self: a #LersGprsServer
 * @address: (nullable): the local address to listen on (`0.0.0.0`,
 *   `127.0.0.1`, `::`); %NULL for every address
 * @port: the TCP port; 0 to let the system pick one (see
 *   lers_gprs_server_get_port())
 * @error: return location for a #GError
 *
 * Starts accepting modems, on the thread-default main context.
 *
 * Returns: whether the server listens
 *
 * Since: 0.3
 */
gboolean
lers_gprs_server_listen (LersGprsServer *self, const gchar *address, guint16 port, GError **error)
{
  GSocketListener *listener;
  GError *local_error = NULL;
  guint16 bound = port;

  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), FALSE);
  if (self->service != NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The GPRS server already listens on port %u"), self->port);
      return FALSE;
    }
  self->service = g_socket_service_new ();
  listener = G_SOCKET_LISTENER (self->service);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  if (address == NULL && port == 0)
    bound = g_socket_listener_add_any_inet_port (listener, NULL, &local_error);
  else if (address == NULL)
    g_socket_listener_add_inet_port (listener, port, NULL, &local_error);
  else
    {
      g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
      g_autoptr (GSocketAddress) wanted = NULL;
      g_autoptr (GSocketAddress) effective = NULL;

      if (inet == NULL)
        local_error = g_error_new (LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("“%s” is not an IP address"), address);
      else
        {
          wanted = g_inet_socket_address_new (inet, port);
          if (g_socket_listener_add_address (listener, wanted, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL, &effective, &local_error))
            bound = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
        }
    }
  if (local_error != NULL)
    {
      lers_error_convert (&local_error);
      g_prefix_error (&local_error, _ ("The GPRS server cannot listen: "));
      g_propagate_error (error, local_error);
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
      return FALSE;
    }
  self->port = bound;
  g_socket_service_start (self->service);
  return TRUE;
}

/**
 * lers_gprs_server_get_port:
 * @self: a #LersGprsServer
 *
 * Returns: the port the server listens on; 0 when it does not
 *
 * Since: 0.3
 */
guint16
lers_gprs_server_get_port (LersGprsServer *self)
{
  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), 0);
  return self->port;
}

/**
 * lers_gprs_server_stop:
 * @self: a #LersGprsServer
 *
 * Stops listening, drops the modems still identifying themselves and ends
 * every session (`stopped`). The server may listen again afterwards.
 *
 * Since: 0.3
 */
void
lers_gprs_server_stop (LersGprsServer *self)
{
  GHashTableIter iter;
  Session *s;

  g_return_if_fail (LERS_IS_GPRS_SERVER (self));
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  self->port = 0;
  while (self->pending->len > 0)
    {
      Pending *p = g_ptr_array_index (self->pending, self->pending->len - 1);

      /* its read or write ends cancelled, and frees it */
      pending_detach (p);
      g_cancellable_cancel (p->cancellable);
    }
  /* one at a time: a modem-disconnected handler may end others (by
   * dropping their transports), so no list of them stays valid */
  for (;;)
    {
      g_hash_table_iter_init (&iter, self->sessions);
      if (!g_hash_table_iter_next (&iter, NULL, (gpointer *) &s))
        break;
      session_end (s, "stopped");
    }
}

/**
 * lers_gprs_server_get_handshake:
 * @self: a #LersGprsServer
 *
 * Returns: (transfer none): the rule modems identify themselves by
 *
 * Since: 0.3
 */
LersGprsHandshake *
lers_gprs_server_get_handshake (LersGprsServer *self)
{
  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), NULL);
  return self->handshake;
}

/**
 * lers_gprs_server_set_handshake:
 * @self: a #LersGprsServer
 * @rule: (nullable): how modems identify themselves; %NULL for `id`
 *
 * Applies to the modems that connect from now on.
 *
 * Since: 0.3
 */
void
lers_gprs_server_set_handshake (LersGprsServer *self, LersGprsHandshake *rule)
{
  g_return_if_fail (LERS_IS_GPRS_SERVER (self));
  g_clear_pointer (&self->handshake, lers_gprs_handshake_unref);
  self->handshake = rule != NULL ? lers_gprs_handshake_ref (rule)
                                 : lers_gprs_handshake_new_from_string ("id", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HANDSHAKE]);
}

/**
 * lers_gprs_server_add_modem:
 * @self: a #LersGprsServer
 * @identity: a modem's identity (its IMEI or configured ID), as the
 *   handshake finds it
 *
 * Makes a modem known: only known modems are handed over by
 * #LersGprsServer::modem-connected; the receiver matches the identity to
 * the modem's devices.
 *
 * Since: 0.3
 */
void
lers_gprs_server_add_modem (LersGprsServer *self, const gchar *identity)
{
  g_return_if_fail (LERS_IS_GPRS_SERVER (self));
  g_return_if_fail (identity != NULL);
  g_hash_table_add (self->modems, g_strdup (identity));
}

/**
 * lers_gprs_server_remove_modem:
 * @self: a #LersGprsServer
 * @identity: a modem's identity
 *
 * Forgets a modem: its next call is dropped. A running session goes on.
 *
 * Returns: whether the modem was known
 *
 * Since: 0.3
 */
gboolean
lers_gprs_server_remove_modem (LersGprsServer *self, const gchar *identity)
{
  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);
  return g_hash_table_remove (self->modems, identity);
}

/**
 * lers_gprs_server_has_modem:
 * @self: a #LersGprsServer
 * @identity: a modem's identity
 *
 * Returns: whether the modem is known
 *
 * Since: 0.3
 */
gboolean
lers_gprs_server_has_modem (LersGprsServer *self, const gchar *identity)
{
  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);
  return g_hash_table_contains (self->modems, identity);
}

/**
 * lers_gprs_server_get_n_sessions:
 * @self: a #LersGprsServer
 *
 * Returns: how many modems are connected and handed over now
 *
 * Since: 0.3
 */
guint
lers_gprs_server_get_n_sessions (LersGprsServer *self)
{
  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), 0);
  return g_hash_table_size (self->sessions);
}

/**
 * lers_gprs_server_get_clock:
 * @self: a #LersGprsServer
 *
 * Returns: (transfer none): the clock of the server's timeouts
 *
 * Since: 0.3
 */
LersClock *
lers_gprs_server_get_clock (LersGprsServer *self)
{
  g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), NULL);
  return self->clock != NULL ? self->clock : lers_clock_get_default ();
}

/**
 * lers_gprs_server_set_clock:
 * @self: a #LersGprsServer
 * @clock: (nullable): a clock; %NULL for the real one
 *
 * Set it before the server listens: timeouts already running stay on the
 * clock they started on.
 *
 * Since: 0.3
 */
void
lers_gprs_server_set_clock (LersGprsServer *self, LersClock *clock)
{
  g_return_if_fail (LERS_IS_GPRS_SERVER (self));
  if (g_set_object (&self->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOCK]);
}

#define MS_ACCESSORS(name, prop)                                                                   \
  guint lers_gprs_server_get_##name (LersGprsServer *self)                                         \
  {                                                                                                \
    g_return_val_if_fail (LERS_IS_GPRS_SERVER (self), 0);                                          \
    return self->name;                                                                             \
  }                                                                                                \
  void lers_gprs_server_set_##name (LersGprsServer *self, guint value)                             \
  {                                                                                                \
    g_return_if_fail (LERS_IS_GPRS_SERVER (self));                                                 \
    if (self->name == value)                                                                       \
      return;                                                                                      \
    self->name = value;                                                                            \
    g_object_notify_by_pspec (G_OBJECT (self), props[prop]);                                       \
  }

/**
 * lers_gprs_server_get_handshake_timeout_ms:
 * @self: a #LersGprsServer
 *
 * Returns: #LersGprsServer:handshake-timeout-ms
 *
 * Since: 0.3
 */
/**
 * lers_gprs_server_set_handshake_timeout_ms:
 * @self: a #LersGprsServer
 * @value: milliseconds; 0 for no limit
 *
 * Since: 0.3
 */
MS_ACCESSORS (handshake_timeout_ms, PROP_HANDSHAKE_TIMEOUT_MS)
/**
 * lers_gprs_server_get_idle_timeout_ms:
 * @self: a #LersGprsServer
 *
 * Returns: #LersGprsServer:idle-timeout-ms
 *
 * Since: 0.3
 */
/**
 * lers_gprs_server_set_idle_timeout_ms:
 * @self: a #LersGprsServer
 * @value: milliseconds; 0 for never
 *
 * Since: 0.3
 */
MS_ACCESSORS (idle_timeout_ms, PROP_IDLE_TIMEOUT_MS)
/**
 * lers_gprs_server_get_max_session_ms:
 * @self: a #LersGprsServer
 *
 * Returns: #LersGprsServer:max-session-ms
 *
 * Since: 0.3
 */
/**
 * lers_gprs_server_set_max_session_ms:
 * @self: a #LersGprsServer
 * @value: milliseconds; 0 for no limit
 *
 * Since: 0.3
 */
MS_ACCESSORS (max_session_ms, PROP_MAX_SESSION_MS)
