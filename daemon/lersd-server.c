/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>
#include <sys/socket.h>

#include "lersd-server.h"
#include "lersd-web.h"
#include "lersd-auth.h"
#include "lersd-config.h"
#include "lersd-guard-stream.h"
#include "routes/lersd-routes.h"

/**
 * LersdServer:
 *
 * The HTTP API of `lersd`: a #SoupServer that answers `/api/v1/…` from a
 * #LersStore and serves the web page at `/`.
 *
 * Every request is answered without blocking the main loop: a route that needs
 * the database pauses the message, calls the store's asynchronous API and
 * resumes the message from the callback. Malformed requests (bad escapes, NUL
 * bytes, dot segments, overlong targets) get a JSON error with a 4xx status
 * before any route runs.
 *
 * Since: 0.1
 */

/* Why lersd owns its sockets.
 *
 * libsoup 3.2 (Debian 12) left to itself holds badly on the open Internet:
 * no idle, head or body timeouts, no bound on connections, an empty 400 for
 * a target GLib's URI parser refuses, a reset for a head over its 64 KB
 * bound, a CLOSE_WAIT socket for each kept-alive connection a client drops,
 * and a few hundred bytes lost per connection in its own socket handling.
 * So a GSocketService accepts the connections (and does TLS, so the
 * handshake is bounded too), counts them (beyond max-connections a raw 503
 * and close), and hands each to libsoup with soup_server_accept_iostream()
 * through a LersdGuardStream: the guard sees every byte of a request head
 * first, answers 431 and 400 itself when the head is too long or its target
 * has a bad escape, and arms the head timer on the first byte. The request
 * signals move the timers along (head → body → none while a route works →
 * idle), and a timer that runs out shuts the socket down, which libsoup
 * sees as the end of the stream. When libsoup closes the stream, the socket
 * is ours to close: write side first, then what the client still sends is
 * read and dropped for a moment, so that the client reads our answer
 * instead of a reset. Every answer carries `Connection: close`: the next
 * request opens a new connection (see lersd_request_reply()).
 *
 * The alternative, a guard stream only, would have left the accept loop,
 * the connection count and the TLS handshake in libsoup's hands. */

/* Longest request target (path plus query) accepted; longer gets 414. */
#define LERSD_MAX_TARGET_LENGTH 2048
/* Most path segments a request may have; no route has more than a few. */
#define LERSD_MAX_SEGMENTS 16
/* Longest request head (request line and headers); longer gets 431. */
#define LERSD_MAX_HEAD_LENGTH (64 * 1024)
/* How long a closed connection's late bytes are read and dropped */
#define LERSD_LINGER_MS 1000

typedef struct _LersdConn LersdConn;
static GSocket *lersd_server_get_message_socket (LersdServer *self, SoupServerMessage *msg);
static LersdConn *lersd_server_lookup_conn (LersdServer *self, SoupServerMessage *msg);
static locale_t lersd_use_language (const gchar *language);
static void lersd_conn_refuse (LersdConn *conn, guint status, const gchar *code,
                               const gchar *message);

struct _LersdServer
{
  GObject parent_instance;
  LersStore *store;
  SoupServer *soup;
  LersPollQueue *queue;   /* on the store; routes call it from worker threads */
  LersAccounts *accounts; /* users, sessions, rights; routes call it from worker threads */
  guint poll_lease;       /* seconds: a service with no heartbeat for this long is dead */

  GSocketService *service;
  GPtrArray *local_addresses; /* of GInetSocketAddress: what we listen on */
  GHashTable *conns; /* GSocketAddress* (the remote address given to libsoup) → LersdConn* */
  guint n_conns;     /* open connections, lingering ones too */
  GTlsCertificate *tls;
  gboolean allow_plain_http;
  gchar **server_names;
  guint idle_timeout, head_timeout, body_timeout; /* seconds */
  gsize max_body;
  guint max_connections;
  gchar *language; /* "ru" or "en" */
  gchar *web_root; /* serve the web files from here, not the GResource */
  /* GET /server: the keys server-name, map-tile-url, map-attribution (NULL: unset) */
  gchar *display_name;
  gchar *map_tile_url;
  gchar *map_attribution;
};

G_DEFINE_FINAL_TYPE (LersdServer, lersd_server, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS,
};

static GParamSpec *props[N_PROPS];

struct _LersdRequest
{
  grefcount ref;
  LersdServer *server;
  SoupServerMessage *msg;
  GCancellable *cancellable;
  GPtrArray *segments; /* of gchar*, decoded, after LERSD_API_PREFIX */
  GHashTable *query;   /* decoded name → value */
  gulong disconnected_id;
  GSource *hangup; /* watches the client's socket while the request is paused */
  gboolean paused;
  gboolean replied;
  gboolean disconnected;
  LersUser *user;        /* the caller, once lersd-auth.c knows it */
  gchar *language;       /* "ru" or "en" from Accept-Language, worked out on first use */
  gchar *address;        /* the client's IP address */
  gchar *error_field;    /* the body's member an error answer names, or NULL */
  gboolean in_scope;     /* this thread runs under the request's locale (lersd_request_call()) */
  gboolean streaming;    /* answered with lersd_request_reply_stream() */
  gboolean stream_ended; /* lersd_request_stream_end() called */
  guint64 stream_unsent; /* bytes given to libsoup and not yet written */
  gulong wrote_id;       /* "wrote-body-data" of a stream */
};

/* A live stream whose client reads slower than it is written to is ended
 * once this much waits to go out: memory is not spent on a slow reader. */
#define LERSD_STREAM_MAX_UNSENT (1024 * 1024)

/* ---------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------- */

/* What a user is told about a server-side failure: the details (libpq text,
 * socket paths) go to the log, not to the client. */
static const gchar *
lersd_status_get_message (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return _ ("The database is unavailable; try again later");
    case SOUP_STATUS_BAD_GATEWAY:
      return _ ("The database could not be reached; try again later");
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      return _ ("The database did not answer in time; try again later");
    case SOUP_STATUS_NOT_IMPLEMENTED:
      return _ ("This operation is not supported");
    default:
      return _ ("Internal server error");
    }
}

/* ---------------------------------------------------------------------------
 * LersdRequest
 * ------------------------------------------------------------------------- */

static void
lersd_request_disconnected_cb (SoupServerMessage *msg, LersdRequest *self)
{
  self->disconnected = TRUE;
  g_cancellable_cancel (self->cancellable);
}

/* libsoup 3.2 does not look at a paused message's connection, so a client
 * that leaves while we wait for the database goes unnoticed (and its query
 * keeps waiting for a lock). Watch the socket ourselves: end of stream or an
 * error means the client is gone, and the request's work is cancelled. */
static gboolean
lersd_request_hangup_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  LersdRequest *self = user_data;

  if ((condition & (G_IO_HUP | G_IO_ERR)) == 0)
    {
      gchar byte;
      gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return G_SOURCE_CONTINUE;
      if (n > 0)
        return G_SOURCE_REMOVE; /* more bytes (a pipelined request): libsoup's, not a hangup */
    }
  g_debug ("%s %s: the client went away", soup_server_message_get_method (self->msg),
           g_uri_get_path (soup_server_message_get_uri (self->msg)));
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
lersd_request_unwatch (LersdRequest *self)
{
  if (self->hangup != NULL)
    {
      g_source_destroy (self->hangup);
      g_clear_pointer (&self->hangup, g_source_unref);
    }
}

/* Cancels the request's cancellable when the client goes away. */
static void
lersd_request_watch (LersdRequest *self)
{
  GSocket *socket;

  if (self->hangup != NULL)
    return;
  socket = lersd_server_get_message_socket (self->server, self->msg);
  if (socket != NULL)
    {
      self->hangup = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (self->hangup, G_SOURCE_FUNC (lersd_request_hangup_cb), self, NULL);
      g_source_attach (self->hangup, g_main_context_get_thread_default ());
    }
}

static LersdRequest *
lersd_request_new (LersdServer *server, SoupServerMessage *msg)
{
  LersdRequest *self = g_new0 (LersdRequest, 1);

  g_ref_count_init (&self->ref);
  self->server = g_object_ref (server);
  self->msg = g_object_ref (msg);
  self->cancellable = g_cancellable_new ();
  self->segments = g_ptr_array_new_with_free_func (g_free);
  self->disconnected_id
      = g_signal_connect (msg, "disconnected", G_CALLBACK (lersd_request_disconnected_cb), self);
  return self;
}

/**
 * lersd_request_ref:
 * @self: a #LersdRequest
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
LersdRequest *
lersd_request_ref (LersdRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref);
  return self;
}

/**
 * lersd_request_unref:
 * @self: (transfer full): a #LersdRequest
 *
 * Drops a reference. A paused request that nobody answered is answered with
 * 500 here, so a forgotten error path cannot leave a client hanging.
 *
 * Since: 0.1
 */
void
lersd_request_unref (LersdRequest *self)
{
  g_return_if_fail (self != NULL);
  if (!g_ref_count_dec (&self->ref))
    return;

  if (self->paused && !self->replied)
    {
      g_critical ("request for %s was paused and never answered",
                  g_uri_get_path (soup_server_message_get_uri (self->msg)));
      lersd_request_reply_error_literal (self, SOUP_STATUS_INTERNAL_SERVER_ERROR, "failed",
                                         lersd_status_get_message (500));
    }
  lersd_request_unwatch (self);
  g_clear_signal_handler (&self->disconnected_id, self->msg);
  g_clear_signal_handler (&self->wrote_id, self->msg);
  g_object_unref (self->msg);
  g_object_unref (self->cancellable);
  g_object_unref (self->server);
  g_ptr_array_unref (self->segments);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_clear_object (&self->user);
  g_free (self->language);
  g_free (self->error_field);
  g_free (self->address);
  g_free (self);
}

/**
 * lersd_request_get_server:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none): the server answering the request
 *
 * Since: 0.1
 */
LersdServer *
lersd_request_get_server (LersdRequest *self)
{
  return self->server;
}

/**
 * lersd_request_get_store:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none): the store to answer from
 *
 * Since: 0.1
 */
LersStore *
lersd_request_get_store (LersdRequest *self)
{
  return self->server->store;
}

/**
 * lersd_request_get_cancellable:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none): cancelled when the client goes away
 *
 * Since: 0.1
 */
GCancellable *
lersd_request_get_cancellable (LersdRequest *self)
{
  return self->cancellable;
}

/**
 * lersd_request_get_n_segments:
 * @self: a #LersdRequest
 *
 * Returns: how many path segments follow the API prefix
 *
 * Since: 0.1
 */
guint
lersd_request_get_n_segments (LersdRequest *self)
{
  return self->segments->len;
}

/**
 * lersd_request_get_segment:
 * @self: a #LersdRequest
 * @index: which segment after the API prefix, from 0
 *
 * Returns: (nullable): the percent-decoded segment, or %NULL past the end
 *
 * Since: 0.1
 */
const gchar *
lersd_request_get_segment (LersdRequest *self, guint index)
{
  if (index >= self->segments->len)
    return NULL;
  return g_ptr_array_index (self->segments, index);
}

/**
 * lersd_request_get_query:
 * @self: a #LersdRequest
 * @name: a query parameter name
 *
 * A `+` in the query stays a `+` (it is not a space): ISO 8601 offsets such as
 * `+03:00` arrive as written.
 *
 * Returns: (nullable): the percent-decoded value, or %NULL if absent
 *
 * Since: 0.1
 */
const gchar *
lersd_request_get_query (LersdRequest *self, const gchar *name)
{
  if (self->query == NULL)
    return NULL;
  return g_hash_table_lookup (self->query, name);
}

/**
 * lersd_request_get_query_table:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): every query
 *   parameter, decoded name → value, or %NULL when there are none
 *
 * Since: 0.5
 */
GHashTable *
lersd_request_get_query_table (LersdRequest *self)
{
  return self->query;
}

/**
 * lersd_request_get_method:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none): the HTTP method (`GET`, `POST`…), interned
 *
 * Since: 0.4
 */
const gchar *
lersd_request_get_method (LersdRequest *self)
{
  return soup_server_message_get_method (self->msg);
}

/**
 * lersd_request_get_body:
 * @self: a #LersdRequest
 *
 * Returns: (transfer full): the request body (empty when there is none)
 *
 * Since: 0.4
 */
GBytes *
lersd_request_get_body (LersdRequest *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (self->msg);

  if (body == NULL)
    return g_bytes_new (NULL, 0);
  return soup_message_body_flatten (body);
}

/**
 * lersd_request_get_queue:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none): the poll job queue in the server's store
 *
 * Since: 0.4
 */
LersPollQueue *
lersd_request_get_queue (LersdRequest *self)
{
  return lersd_server_get_queue (self->server);
}

/**
 * lersd_request_get_user:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none) (nullable): the caller; %NULL on a public route
 *   called without credentials
 *
 * Since: 0.5
 */
LersUser *
lersd_request_get_user (LersdRequest *self)
{
  return self->user;
}

/**
 * lersd_request_set_user:
 * @self: a #LersdRequest
 * @user: (nullable): the caller
 *
 * Set by lersd-auth.c once the caller's credentials are checked.
 *
 * Since: 0.5
 */
void
lersd_request_set_user (LersdRequest *self, LersUser *user)
{
  g_set_object (&self->user, user);
  /* the user's language may differ from Accept-Language's: from here on
   * the route speaks it (lersd_request_call() gives the old locale back) */
  if (self->in_scope)
    lersd_use_language (lersd_request_get_language (self));
}

/**
 * lersd_request_get_accounts:
 * @self: a #LersdRequest
 *
 * Returns: (transfer none): the server's accounts (blocking calls: use them
 *   from a thread function)
 *
 * Since: 0.5
 */
LersAccounts *
lersd_request_get_accounts (LersdRequest *self)
{
  return lersd_server_get_accounts (self->server);
}

/**
 * lersd_request_get_address:
 * @self: a #LersdRequest
 *
 * Returns: (nullable): the client's IP address as text
 *
 * Since: 0.5
 */
const gchar *
lersd_request_get_address (LersdRequest *self)
{
  if (self->address == NULL)
    {
      const gchar *host = soup_server_message_get_remote_host (self->msg);
      self->address = g_strdup (host);
    }
  return self->address;
}

/**
 * lersd_request_get_header:
 * @self: a #LersdRequest
 * @name: a header name
 *
 * Returns: (nullable): the request header's value (several joined by ", ")
 *
 * Since: 0.5
 */
const gchar *
lersd_request_get_header (LersdRequest *self, const gchar *name)
{
  return soup_message_headers_get_list (soup_server_message_get_request_headers (self->msg), name);
}

/**
 * lersd_request_set_response_header:
 * @self: a #LersdRequest
 * @name: a header name
 * @value: its value
 *
 * Sets a header of the answer; call it before the reply.
 *
 * Since: 0.5
 */
void
lersd_request_set_response_header (LersdRequest *self, const gchar *name, const gchar *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (self->msg), name, value);
}

/* The best of "ru" and "en" in an Accept-Language value by q-value (the
 * first listed wins a tie), or NULL when it names neither. */
static const gchar *
lersd_accept_language_pick (const gchar *header)
{
  g_auto (GStrv) ranges = NULL;
  const gchar *best = NULL;
  gdouble best_q = 0.0;

  if (header == NULL)
    return NULL;
  ranges = g_strsplit (header, ",", 32);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (ranges[i], ";", 8);
      g_autofree gchar *tag = g_ascii_strdown (g_strstrip (parts[0]), -1);
      gdouble q = 1.0;
      const gchar *lang = NULL;

      if (g_str_equal (tag, "ru") || g_str_has_prefix (tag, "ru-"))
        lang = "ru";
      else if (g_str_equal (tag, "en") || g_str_has_prefix (tag, "en-"))
        lang = "en";
      for (guint j = 1; parts[j] != NULL; j++)
        {
          gchar *param = g_strstrip (parts[j]);

          if (g_ascii_strncasecmp (param, "q=", 2) == 0)
            {
              gchar *end = NULL;

              q = g_ascii_strtod (param + 2, &end);
              if (end == param + 2 || q < 0.0 || q > 1.0)
                q = 0.0;
            }
        }
      if (lang != NULL && q > best_q)
        {
          best = lang;
          best_q = q;
        }
    }
  return best;
}

/**
 * lersd_request_get_language:
 * @self: a #LersdRequest
 *
 * The language of the request's messages: the user's (when the request has
 * a user who chose one), else the best of Russian and English by q-value
 * in `Accept-Language`, else the server's (see lersd_server_configure()).
 *
 * Returns: "ru" or "en"
 *
 * Since: 0.5
 */
const gchar *
lersd_request_get_language (LersdRequest *self)
{
  if (self->user != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (self->user), "language") != NULL)
    {
      g_autofree gchar *language = NULL;

      g_object_get (self->user, "language", &language, NULL);
      if (g_strcmp0 (language, "en") == 0)
        return "en";
      if (g_strcmp0 (language, "ru") == 0)
        return "ru";
    }
  if (self->language == NULL)
    {
      const gchar *picked
          = lersd_accept_language_pick (lersd_request_get_header (self, "Accept-Language"));

      self->language = g_strdup (picked != NULL ? picked : self->server->language);
    }
  return self->language;
}

/* glibc's gettext follows the thread's locale: under the plain "C" locale it
 * ignores LANGUAGE and returns the English msgid; under the process's
 * (C.UTF-8 with LANGUAGE=ru, see lers_i18n_init()) it translates. */
static locale_t
lersd_english_locale (void)
{
  static gsize once = 0;
  static locale_t english;

  if (g_once_init_enter (&once))
    {
      english = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
      g_once_init_leave (&once, 1);
    }
  return english;
}

/* Makes this thread speak @language; returns the locale to give back to
 * uselocale() afterwards. */
static locale_t
lersd_use_language (const gchar *language)
{
  locale_t english = lersd_english_locale ();

  if (g_strcmp0 (language, "en") == 0 && english != (locale_t) 0)
    return uselocale (english);
  return uselocale (LC_GLOBAL_LOCALE);
}

typedef struct
{
  LersdRequest *req;
  LersdThreadFunc func;
  gpointer data;
  GDestroyNotify data_free;
  const gchar *language; /* static: "ru" or "en" */
  guint status;
  const gchar *content_type;
  GBytes *body;
} LersdThreadCall;

static void
lersd_thread_call_free (LersdThreadCall *call)
{
  if (call->data_free != NULL)
    call->data_free (call->data);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->req, lersd_request_unref);
  g_free (call);
}

static void
lersd_thread_call_run (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LersdThreadCall *call = task_data;
  GError *error = NULL;
  locale_t old = lersd_use_language (call->language);

  call->body
      = call->func (call->req, call->data, cancellable, &call->status, &call->content_type, &error);
  uselocale (old);
  if (call->body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lersd_thread_call_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdThreadCall *call = user_data;
  g_autoptr (GError) error = NULL;
  locale_t old = lersd_use_language (call->language);

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    lersd_request_reply_error (call->req, error);
  else
    lersd_request_reply (call->req, call->status, call->content_type, call->body);
  uselocale (old);
  /* freed here, in the main context, never in the worker thread that may
   * drop the task's last reference */
  lersd_thread_call_free (call);
}

/**
 * lersd_request_run_in_thread:
 * @self: a #LersdRequest
 * @func: (scope async): the blocking work: it may call blocking #LersPollQueue
 *   and #LersStore functions, read the request's segments and query, and
 *   returns the body (or %NULL with an error)
 * @data: (nullable): passed to @func
 * @data_free: (nullable): frees @data once the answer is sent
 *
 * Pauses the message, runs @func on a worker thread, and answers from the
 * main context with its result: the body with the status and media type
 * @func set (200 and `application/json` unless it says otherwise), or
 * the error as lersd_request_reply_error() shows it. The main loop never
 * waits for the database. The cancellable @func gets is the request's,
 * cancelled when the client goes away.
 *
 * Since: 0.4
 */
void
lersd_request_run_in_thread (LersdRequest *self, LersdThreadFunc func, gpointer data,
                             GDestroyNotify data_free)
{
  g_autoptr (GTask) task = NULL;
  LersdThreadCall *call = g_new0 (LersdThreadCall, 1);

  call->req = lersd_request_ref (self);
  call->func = func;
  call->data = data;
  call->data_free = data_free;
  /* worked out here, in the main context: the worker only reads it */
  call->language = g_str_equal (lersd_request_get_language (self), "en") ? "en" : "ru";
  call->status = SOUP_STATUS_OK;
  call->content_type = "application/json; charset=utf-8";
  lersd_request_pause (self);
  task = g_task_new (NULL, self->cancellable, lersd_thread_call_done, call);
  g_task_set_source_tag (task, lersd_request_run_in_thread);
  g_task_set_task_data (task, call, NULL);
  g_task_set_check_cancellable (task, FALSE);
  /* the answer is sent from the callback, whatever happens to the client */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, lersd_thread_call_run);
}

/**
 * lersd_request_pause:
 * @self: a #LersdRequest
 *
 * Pauses the message until one of the `lersd_request_reply_*()` functions is
 * called; the route keeps a reference to @self until then.
 *
 * Since: 0.1
 */
void
lersd_request_pause (LersdRequest *self)
{
  g_return_if_fail (!self->replied);
  /* lersd-auth.c pauses a request while it looks the caller up; the route
   * it then runs may pause it again */
  if (self->paused)
    return;
  self->paused = TRUE;
  soup_server_message_pause (self->msg);
  lersd_request_watch (self);
}

/**
 * lersd_request_reply:
 * @self: a #LersdRequest
 * @status: the HTTP status
 * @content_type: the media type of @body
 * @body: (transfer none): the body
 *
 * Answers and resumes the message if it was paused.
 *
 * Since: 0.1
 */
void
lersd_request_reply (LersdRequest *self, guint status, const gchar *content_type, GBytes *body)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (!self->replied);
  self->replied = TRUE;
  lersd_request_unwatch (self);

  headers = soup_server_message_get_response_headers (self->msg);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* No keep-alive: libsoup 3.2 (Debian 12) never notices a client closing an
   * idle kept-alive connection, so each one would stay in CLOSE_WAIT and keep
   * its file descriptor for the life of the daemon (fixed in libsoup 3.3;
   * see wingtk/gvsbuild#849). Closing after every answer costs a TCP
   * handshake per request and keeps the daemon's descriptors bounded. */
  soup_message_headers_replace (headers, "Connection", "close");
  soup_server_message_set_status (self->msg, status, NULL);
  soup_server_message_set_response (self->msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  /* If the client went away while we waited for the database, the message
   * has no connection left to resume. */
  if (self->paused && !self->disconnected)
    soup_server_message_unpause (self->msg);
}

static void
lersd_request_wrote_body_data_cb (SoupServerMessage *msg, guint chunk_size, LersdRequest *self)
{
  self->stream_unsent -= MIN (self->stream_unsent, chunk_size);
}

/**
 * lersd_request_reply_stream:
 * @self: a #LersdRequest
 * @content_type: the media type of the stream
 *
 * Answers 200 with a body sent as it comes (chunked): write it with
 * lersd_request_stream_write() and end it with lersd_request_stream_end().
 * The request's cancellable is cancelled when the client goes away. The
 * connection's timeouts do not run while the answer goes out.
 *
 * Since: 0.5
 */
void
lersd_request_reply_stream (LersdRequest *self, const gchar *content_type)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (!self->replied);
  self->replied = TRUE;
  self->streaming = TRUE;

  headers = soup_server_message_get_response_headers (self->msg);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Connection", "close");
  /* no buffering in a proxy (nginx) in front of lersd */
  soup_message_headers_replace (headers, "X-Accel-Buffering", "no");
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_server_message_set_status (self->msg, SOUP_STATUS_OK, NULL);
  /* what was sent is not kept: a stream may run for days */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (self->msg), FALSE);
  self->wrote_id = g_signal_connect (self->msg, "wrote-body-data",
                                     G_CALLBACK (lersd_request_wrote_body_data_cb), self);
  lersd_request_watch (self);
  if (!self->disconnected)
    soup_server_message_unpause (self->msg);
  self->paused = FALSE;
}

/**
 * lersd_request_stream_write:
 * @self: a #LersdRequest answered with lersd_request_reply_stream()
 * @data: (array length=len): bytes to send
 * @len: how many
 *
 * Sends @data as the next part of the streamed body (nothing once the
 * client is gone or the stream ended).
 *
 * Since: 0.5
 */
void
lersd_request_stream_write (LersdRequest *self, const gchar *data, gsize len)
{
  g_return_if_fail (self->streaming);
  if (self->disconnected || self->stream_ended || len == 0)
    return;
  if (self->stream_unsent + len > LERSD_STREAM_MAX_UNSENT)
    {
      GSocket *socket = lersd_server_get_message_socket (self->server, self->msg);

      g_message ("%s: the client reads too slowly (%" G_GUINT64_FORMAT
                 " bytes unsent); its stream ends",
                 g_uri_get_path (soup_server_message_get_uri (self->msg)), self->stream_unsent);
      self->stream_ended = TRUE;
      lersd_request_unwatch (self);
      g_cancellable_cancel (self->cancellable);
      /* the client does not read: the end of the body would not reach it
       * either; closing the socket lets libsoup free what waits */
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
      return;
    }
  self->stream_unsent += len;
  soup_message_body_append (soup_server_message_get_response_body (self->msg), SOUP_MEMORY_COPY,
                            data, len);
  soup_server_message_unpause (self->msg);
}

/**
 * lersd_request_stream_end:
 * @self: a #LersdRequest answered with lersd_request_reply_stream()
 *
 * Ends the streamed body; the connection then closes.
 *
 * Since: 0.5
 */
void
lersd_request_stream_end (LersdRequest *self)
{
  g_return_if_fail (self->streaming);
  if (self->stream_ended)
    return;
  self->stream_ended = TRUE;
  lersd_request_unwatch (self);
  if (self->disconnected)
    return;
  soup_message_body_complete (soup_server_message_get_response_body (self->msg));
  soup_server_message_unpause (self->msg);
}

/**
 * lersd_request_reply_json:
 * @self: a #LersdRequest
 * @status: the HTTP status
 * @root: (transfer none): the body
 *
 * Answers with @root as `application/json` and resumes the message if it was
 * paused.
 *
 * Since: 0.1
 */
void
lersd_request_reply_json (LersdRequest *self, guint status, JsonNode *root)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree gchar *text = NULL;
  gsize len = 0;
  g_autoptr (GBytes) body = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  body = g_bytes_new_take (g_steal_pointer (&text), len);
  lersd_request_reply (self, status, "application/json; charset=utf-8", body);
}

/**
 * lersd_request_reply_error_literal:
 * @self: a #LersdRequest
 * @status: the HTTP status
 * @code: the stable error code (`not-found`, `invalid-argument`…)
 * @message: a translated message for people
 *
 * Answers with `{"error": {"code": …, "message": …}}`.
 *
 * Since: 0.1
 */
void
lersd_request_reply_error_literal (LersdRequest *self, guint status, const gchar *code,
                                   const gchar *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *valid = g_utf8_make_valid (message, -1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, valid);
  /* a client's mistake in one member of its body: the form shows it there */
  if (self->error_field != NULL
      && (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_CONFLICT))
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, self->error_field);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lersd_request_reply_json (self, status, root);
}

/**
 * lersd_request_set_error_field:
 * @self: a #LersdRequest
 * @field: (nullable): a member of the request's body, or %NULL for none
 *
 * Names the member of the body an error answer (400 or 409) is about: the
 * answer's error object then carries `"field"` beside its code and
 * message. A route's thread function may call it before it fails.
 *
 * Since: 0.5
 */
void
lersd_request_set_error_field (LersdRequest *self, const gchar *field)
{
  g_free (self->error_field);
  self->error_field = g_strdup (field);
}

/**
 * lersd_request_reply_error:
 * @self: a #LersdRequest
 * @error: what went wrong, in the #LERS_ERROR domain (others count as failed)
 *
 * Answers with the status lers_error_to_http_status() gives for @error,
 * except that %LERS_ERROR_CONNECTION (the database cannot be reached) is 503
 * Service Unavailable. Every 503 carries `Retry-After`: 2 seconds for
 * %LERS_ERROR_BUSY (a lock or statement bound ran out; the read bound is
 * 2 s, so by then the holder is likely done), 5 for the others. For a 4xx status the message of
 * @error is shown; for a 5xx status it is logged and the client gets a
 * generic message.
 *
 * Since: 0.1
 */
void
lersd_request_reply_error (LersdRequest *self, const GError *error)
{
  guint status = lers_error_to_http_status (error);
  const gchar *code = lers_error_code_to_string (error);

  /* lersd's only upstream is its database: when that cannot be reached
   * (LERS_ERROR_CONNECTION, 502 in the general table) the service is
   * unavailable, and clients should retry, rather than blame a gateway. */
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
    status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (soup_server_message_get_response_headers (self->msg),
                                  "Retry-After",
                                  g_error_matches (error, LERS_ERROR, LERS_ERROR_BUSY) ? "2" : "5");

  /* Cancelled: the client went away (499 is nginx's "client closed
   * request"); nobody is left to read the answer. */
  if (status == 499)
    {
      g_debug ("%s %s: %s", soup_server_message_get_method (self->msg),
               g_uri_get_path (soup_server_message_get_uri (self->msg)), error->message);
      lersd_request_reply_error_literal (self, status, code, error->message);
      return;
    }
  if (status >= 500)
    {
      g_message ("%s %s: %s", soup_server_message_get_method (self->msg),
                 g_uri_get_path (soup_server_message_get_uri (self->msg)), error->message);
      lersd_request_reply_error_literal (self, status, code,
                                         g_error_matches (error, LERS_ERROR, LERS_ERROR_BUSY)
                                             ? _ ("The database is busy; try again later")
                                             : lersd_status_get_message (status));
      return;
    }
  lersd_request_reply_error_literal (self, status, code, error->message);
}

/* ---------------------------------------------------------------------------
 * Helpers for routes
 * ------------------------------------------------------------------------- */

/**
 * lersd_parse_id:
 * @str: a path segment or query value
 * @id: (out): the id
 * @error: return location for a #GError
 *
 * Parses an object id: a decimal integer from 1 to %G_MAXINT32 (ids are
 * `integer` columns), with no sign, spaces or leading zeros.
 *
 * Returns: %TRUE if @str is an id
 *
 * Since: 0.1
 */
gboolean
lersd_parse_id (const gchar *str, gint64 *id, GError **error)
{
  guint64 value = 0;
  gsize len = strlen (str);

  if (len == 0 || len > 10 || str[0] == '0')
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("An id must be an integer from 1 to 2147483647"));
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (str[i]))
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("An id must be an integer from 1 to 2147483647"));
          return FALSE;
        }
      value = value * 10 + (guint64) (str[i] - '0');
    }
  if (value > G_MAXINT32)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("An id must be an integer from 1 to 2147483647"));
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

/**
 * lersd_format_timestamp:
 * @dt: a time
 *
 * Returns: (transfer full): @dt in UTC as ISO 8601, such as `2026-01-31T10:00:00Z`
 *
 * Since: 0.1
 */
gchar *
lersd_format_timestamp (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);
  return g_date_time_format_iso8601 (utc);
}

/* ---------------------------------------------------------------------------
 * Routing
 * ------------------------------------------------------------------------- */

/* Every table of routes, each ending with a { NULL } entry. Patterns are
 * relative to LERSD_API_PREFIX, or to the root when they start with "/";
 * "*" matches any one segment (the route validates it, so a bad id is 400
 * rather than 404). A GET route also answers HEAD. */
static const LersdRoute *const lersd_route_tables[] = {
  lersd_routes_auth,
  lersd_routes_users,
  /* before resources: their paths may share its first segment
   * ("nodes/states" would be taken for "nodes/{id}") */
  lersd_routes_current,
  lersd_routes_diagrams,
  lersd_routes_settings,
  lersd_routes_server,
  lersd_routes_reports,
  lersd_routes_resources,
  lersd_routes_points,
  lersd_routes_poll,
  lersd_routes_compat,
  lersd_routes_openapi,
  lersd_routes_metrics,
  NULL,
};

/**
 * lersd_route_tables_get:
 *
 * Every route lersd answers, for the tests that hold the routes and the
 * OpenAPI document together.
 *
 * Returns: (transfer none): a %NULL-terminated array of route tables, each
 *   ending with an entry whose method is %NULL
 *
 * Since: 0.5
 */
const LersdRoute *const *
lersd_route_tables_get (void)
{
  return lersd_route_tables;
}

static gboolean
lersd_route_matches (const gchar *pattern, GPtrArray *segments)
{
  g_auto (GStrv) parts = g_strsplit (pattern, "/", -1);

  if (g_strv_length (parts) != segments->len)
    return FALSE;
  for (guint i = 0; i < segments->len; i++)
    if (g_strcmp0 (parts[i], "*") != 0
        && g_strcmp0 (parts[i], g_ptr_array_index (segments, i)) != 0)
      return FALSE;
  return TRUE;
}

/* Splits a raw (still percent-encoded) absolute path into decoded segments.
 * Rejects escapes that are invalid or decode to NUL or '/', dot segments and
 * empty segments. */
static gboolean
lersd_split_path (const gchar *raw, GPtrArray *segments, GError **error)
{
  g_auto (GStrv) parts = NULL;

  if (raw[0] != '/')
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request path must be absolute"));
      return FALSE;
    }
  if (raw[1] == '\0')
    return TRUE;
  if (strstr (raw, "%00") != NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request path must not contain NUL bytes"));
      return FALSE;
    }

  parts = g_strsplit (raw + 1, "/", LERSD_MAX_SEGMENTS + 1);
  if (g_strv_length (parts) > LERSD_MAX_SEGMENTS)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("No such resource"));
      return FALSE;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree gchar *seg = g_uri_unescape_segment (parts[i], NULL, "/");

      if (seg == NULL)
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The request path has an invalid percent-escape"));
          return FALSE;
        }
      if (g_str_equal (seg, ".") || g_str_equal (seg, ".."))
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The request path must not contain “.” or “..” segments"));
          return FALSE;
        }
      if (seg[0] == '\0')
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("No such resource"));
          return FALSE;
        }
      g_ptr_array_add (segments, g_steal_pointer (&seg));
    }
  return TRUE;
}

static gboolean
lersd_parse_query (const gchar *raw, GHashTable **out, GError **error)
{
  g_autoptr (GError) error_local = NULL;

  if (raw == NULL || raw[0] == '\0')
    return TRUE;
  /* A NUL byte would cut the decoded value short: "hour%00x" would read as
   * "hour". Refuse it outright. */
  if (strstr (raw, "%00") != NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The query must not contain NUL bytes"));
      return FALSE;
    }
  *out = g_uri_parse_params (raw, -1, "&", G_URI_PARAMS_NONE, &error_local);
  if (*out == NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The query is malformed"));
      return FALSE;
    }
  return TRUE;
}

/**
 * lersd_parse_target:
 * @raw_path: the request path, still percent-encoded
 * @raw_query: (nullable): the query, still percent-encoded
 * @segments: (out) (transfer full) (element-type utf8): the decoded path segments
 * @query: (out) (transfer full) (nullable): the decoded query parameters, or
 *   %NULL if there is no query
 * @error: return location for a #GError
 *
 * Splits and decodes a request target the way the server does before any
 * route runs. Escapes that are invalid or decode to NUL or `/`, `.` and `..`
 * segments and NUL bytes in the query are %LERS_ERROR_INVALID_ARGUMENT;
 * empty segments (`//`, a trailing `/`) and paths of more than 16 segments
 * are %LERS_ERROR_NOT_FOUND. A `+` in the query stays a `+`. Pure, for the
 * fuzzer as much as for the server.
 *
 * Returns: %TRUE if the target is well-formed
 *
 * Since: 0.1
 */
gboolean
lersd_parse_target (const gchar *raw_path, const gchar *raw_query, GPtrArray **segments,
                    GHashTable **query, GError **error)
{
  g_autoptr (GPtrArray) segs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) params = NULL;

  if (!lersd_split_path (raw_path, segs, error) || !lersd_parse_query (raw_query, &params, error))
    return FALSE;
  *segments = g_steal_pointer (&segs);
  *query = g_steal_pointer (&params);
  return TRUE;
}

/* The host part of a Host header: "[::1]:8080" → "::1", "a.b:80" → "a.b". */
static gchar *
lersd_host_name (const gchar *host)
{
  const gchar *colon;

  if (host[0] == '[')
    {
      const gchar *close = strchr (host, ']');
      return close != NULL ? g_strndup (host + 1, (gsize) (close - host - 1)) : g_strdup (host);
    }
  colon = strrchr (host, ':');
  return colon != NULL ? g_strndup (host, (gsize) (colon - host)) : g_strdup (host);
}

/* Against DNS rebinding: a page on another site that gets its name to
 * resolve to this server sends its own name as Host. Accepted: the address
 * the client connected to, loopback names and addresses, server-names. */
static gboolean
lersd_server_host_allowed (LersdServer *self, SoupServerMessage *msg, const gchar *header)
{
  g_autofree gchar *host = NULL;
  g_autofree gchar *lower = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  GSocketAddress *local;

  if (header == NULL)
    return TRUE; /* HTTP/1.0: libsoup used the local address */
  host = lersd_host_name (header);
  if (g_str_has_suffix (host, "."))
    host[strlen (host) - 1] = '\0';
  lower = g_ascii_strdown (host, -1);
  if (g_str_equal (lower, "localhost") || g_str_has_suffix (lower, ".localhost"))
    return TRUE;
  inet = g_inet_address_new_from_string (host);
  if (inet != NULL && g_inet_address_get_is_loopback (inet))
    return TRUE;
  local = soup_server_message_get_local_address (msg);
  if (inet != NULL && local != NULL && G_IS_INET_SOCKET_ADDRESS (local)
      && g_inet_address_equal (inet,
                               g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local))))
    return TRUE;
  for (guint i = 0; self->server_names != NULL && self->server_names[i] != NULL; i++)
    if (g_ascii_strcasecmp (host, self->server_names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Runs once a request's headers are in, before libsoup reads its body:
 * what can be refused from the head alone is refused here, and the body is
 * never read. A body declared larger than the bound gets 413; a chunked one
 * (which declares no length) 411, so a client cannot make the server hold
 * gigabytes; a Content-Length that is not a number 400 (libsoup would wait
 * for a body that never ends). Range is dropped: libsoup would answer it
 * with a part of (or thousands of copies of parts of) the body, and we
 * serve no partial content. */
static void
lersd_server_early_cb (SoupServer *soup, SoupServerMessage *msg, const gchar *path,
                       GHashTable *query, gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *length = soup_message_headers_get_one (headers, "Content-Length");
  g_autoptr (LersdRequest) req = lersd_request_new (self, msg);
  locale_t old = lersd_use_language (lersd_request_get_language (req));

  guint status = 0;
  const gchar *code = "invalid-argument";
  const gchar *message = NULL;
  LersdConn *conn = lersd_server_lookup_conn (self, msg);

  soup_message_headers_remove (headers, "Range");
  soup_message_headers_remove (headers, "If-Range");

  if (!lersd_server_host_allowed (self, msg, soup_message_headers_get_one (headers, "Host")))
    {
      status = 421;
      code = "misdirected";
      message = _ ("This server does not answer to that host name");
    }
  else if (length != NULL
           && (length[0] == '\0' || strspn (length, "0123456789") != strlen (length)
               || strlen (length) > 18))
    {
      status = SOUP_STATUS_BAD_REQUEST;
      message = _ ("Content-Length must be a number of bytes");
    }
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      status = SOUP_STATUS_LENGTH_REQUIRED;
      message = _ ("A request body must have a Content-Length");
    }
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (headers) > (goffset) self->max_body)
    {
      status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      message = _ ("The request body is too large");
    }
  if (status != 0 && conn != NULL)
    {
      /* libsoup 3.2 reads the body even when an early handler answered:
       * answer here, on the connection, and read no further */
      soup_server_message_set_status (msg, status, NULL);
      lersd_conn_refuse (conn, status, code, message);
    }
  else if (status != 0)
    lersd_request_reply_error_literal (req, status, code, message);
  uselocale (old);
}

static void
lersd_server_handle (LersdServer *self, LersdRequest *req)
{
  SoupServerMessage *msg = req->msg;
  g_autoptr (GPtrArray) segments = NULL;
  g_autoptr (GError) error = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const gchar *raw_path = g_uri_get_path (uri);
  const gchar *raw_query = g_uri_get_query (uri);
  const gchar *method = soup_server_message_get_method (msg);
  gsize target_len = strlen (raw_path) + (raw_query != NULL ? strlen (raw_query) + 1 : 0);
  gboolean is_api;
  gboolean web;
  const LersdRoute *route = NULL;
  LersdRouteFunc func = NULL;
  g_autoptr (GString) allow = g_string_new (NULL);

  if (target_len > LERSD_MAX_TARGET_LENGTH)
    {
      lersd_request_reply_error_literal (req, SOUP_STATUS_REQUEST_URI_TOO_LONG, "invalid-argument",
                                         _ ("The request path and query are too long"));
      return;
    }
  if (!lersd_parse_target (raw_path, raw_query, &segments, &req->query, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }

  /* The web application's files (lersd-web.c): any path outside /api
   * that names one. Other methods to any path outside /api that no route
   * (/metrics) takes are 405 (below). */
  is_api = segments->len >= 1 && g_str_equal (g_ptr_array_index (segments, 0), "api");
  web = !is_api;
  if (web && (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
      && lersd_web_serve (req, segments, self->web_root))
    return;

  /* The API (patterns relative to the prefix) and the few routes outside it
   * (patterns starting with "/"): match a route and its method. */
  is_api = segments->len >= 2 && g_str_equal (g_ptr_array_index (segments, 0), "api")
           && g_str_equal (g_ptr_array_index (segments, 1), "v1");
  for (guint i = is_api ? 2 : 0; i < segments->len; i++)
    g_ptr_array_add (req->segments, g_strdup (g_ptr_array_index (segments, i)));
  for (const LersdRoute *const *table = lersd_route_tables; *table != NULL && route == NULL;
       table++)
    for (const LersdRoute *r = *table; r->method != NULL && route == NULL; r++)
      {
        gboolean get = g_str_equal (r->method, "GET");
        gboolean root = r->pattern[0] == '/';

        if (root == is_api
            || !lersd_route_matches (root ? r->pattern + 1 : r->pattern,
                                     root ? segments : req->segments))
          continue;
        if (allow->len > 0)
          g_string_append (allow, ", ");
        g_string_append (allow, get ? "GET, HEAD" : r->method);
        if (g_str_equal (r->method, method) || (get && method == SOUP_METHOD_HEAD))
          route = r;
      }
  if (route != NULL)
    func = route->func;
  if (func == NULL && allow->len == 0 && web && method != SOUP_METHOD_GET
      && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD");
      lersd_request_reply_error_literal (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                         _ ("Only GET and HEAD are allowed here"));
      return;
    }
  if (func == NULL && allow->len == 0)
    {
      lersd_request_reply_error_literal (req, SOUP_STATUS_NOT_FOUND, "not-found",
                                         _ ("No such resource"));
      return;
    }
  if (func == NULL)
    {
      g_autofree gchar *message = NULL;

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    allow->str);
      if (g_str_equal (allow->str, "GET, HEAD"))
        message = g_strdup (_ ("Only GET and HEAD are allowed here"));
      else
        /* TRANSLATORS: %s lists HTTP methods, such as "POST, GET, HEAD" */
        message = g_strdup_printf (_ ("Methods allowed here: %s"), allow->str);
      lersd_request_reply_error_literal (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                         message);
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);

      if (body != NULL && body->length > (goffset) self->max_body)
        {
          lersd_request_reply_error_literal (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                             "invalid-argument",
                                             _ ("The request body is too large"));
          return;
        }
    }
  /* who is asking, and may they: then the route runs */
  lersd_auth_dispatch (req, route);
}

static void
lersd_server_handle_cb (SoupServer *soup, SoupServerMessage *msg, const gchar *path,
                        GHashTable *query, gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  g_autoptr (LersdRequest) req = lersd_request_new (self, msg);
  /* the route and the errors made here speak the request's language */
  locale_t old = lersd_use_language (lersd_request_get_language (req));

  req->in_scope = TRUE;
  lersd_server_handle (self, req);
  req->in_scope = FALSE;
  uselocale (old);
}

/**
 * lersd_language_enter:
 * @language: "ru" or "en" (lersd_request_get_language(), read on the main
 *   thread)
 *
 * Makes gettext on this thread speak @language until
 * lersd_language_leave(): for a route's own worker thread.
 *
 * Returns: what to give lersd_language_leave()
 *
 * Since: 0.5
 */
gpointer
lersd_language_enter (const gchar *language)
{
  return (gpointer) lersd_use_language (language);
}

/**
 * lersd_language_leave:
 * @old: what lersd_language_enter() returned
 *
 * Gives this thread its language back.
 *
 * Since: 0.5
 */
void
lersd_language_leave (gpointer old)
{
  uselocale ((locale_t) old);
}

/**
 * lersd_request_call_data:
 * @self: a #LersdRequest
 * @func: (scope call): what to run
 * @data: (nullable): given to @func
 *
 * Runs @func for @self in the request's language (lersd_request_get_language();
 * the user's once lersd_request_set_user() is called, also from within
 * @func): glibc's gettext follows the thread's locale. For whoever answers
 * a request later than its handler, such as an asynchronous
 * authentication. Call it from the main context.
 *
 * Since: 0.5
 */
void
lersd_request_call_data (LersdRequest *self, LersdRequestFunc func, gpointer data)
{
  locale_t old = lersd_use_language (lersd_request_get_language (self));
  gboolean was = self->in_scope;

  self->in_scope = TRUE;
  func (self, data);
  self->in_scope = was;
  uselocale (old);
}

static void
lersd_request_call_route (LersdRequest *self, gpointer data)
{
  LersdRouteFunc func = (LersdRouteFunc) data;
  func (self);
}

/**
 * lersd_request_call:
 * @self: a #LersdRequest
 * @func: (scope call): a route
 *
 * Runs the route @func in the request's language, as
 * lersd_request_call_data() does.
 *
 * Since: 0.5
 */
void
lersd_request_call (LersdRequest *self, LersdRouteFunc func)
{
  lersd_request_call_data (self, lersd_request_call_route, (gpointer) func);
}

/* `OPTIONS *`: what the server as a whole allows (libsoup would answer an
 * empty 404) */
static void
lersd_server_options_cb (SoupServer *soup, SoupServerMessage *msg, const gchar *path,
                         GHashTable *query, gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  g_autoptr (LersdRequest) req = lersd_request_new (self, msg);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);

  if (soup_server_message_get_method (msg) != SOUP_METHOD_OPTIONS)
    {
      locale_t old = lersd_use_language (lersd_request_get_language (req));
      g_autofree gchar *message = g_strdup_printf (_ ("Methods allowed here: %s"), "OPTIONS");

      lersd_request_set_response_header (req, "Allow", "OPTIONS");
      lersd_request_reply_error_literal (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                         message);
      uselocale (old);
      return;
    }
  lersd_request_set_response_header (req, "Allow", "GET, HEAD, POST, PUT, PATCH, DELETE");
  lersd_request_reply (req, SOUP_STATUS_NO_CONTENT, "text/plain", empty);
}

static void
lersd_server_request_finished_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  GUri *uri = soup_server_message_get_uri (msg);

  lersd_metrics_request_finished (msg);
  g_debug ("%s %s%s%s → %u", soup_server_message_get_method (msg),
           uri != NULL ? g_uri_get_path (uri) : "?",
           uri != NULL && g_uri_get_query (uri) != NULL ? "?" : "",
           uri != NULL && g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "",
           soup_server_message_get_status (msg));
}

/* ---------------------------------------------------------------------------
 * Connections
 * ------------------------------------------------------------------------- */

typedef enum
{
  LERSD_CONN_IDLE,    /* waiting for a request: idle-timeout */
  LERSD_CONN_HEAD,    /* reading a request head: head-timeout */
  LERSD_CONN_BODY,    /* reading a request body: body-timeout */
  LERSD_CONN_BUSY,    /* a route works on the request, or the answer goes out */
  LERSD_CONN_CLOSING, /* libsoup is done with it: lingering */
} LersdConnState;

struct _LersdConn
{
  LersdServer *server; /* NULL once the server is gone */
  GSocketConnection *sconn;
  GSocket *socket;
  GIOStream *stream; /* sconn, or the TLS connection over it */
  GSocketAddress *remote;
  GSocketAddress *local;
  LersdConnState state;
  guint timer;
  gsize head_bytes;
  GString *line;     /* the request line, until its end is seen */
  gboolean answered; /* the guard answered (431, 400) itself */
  gboolean aborted;  /* shut down by a timer */
  gboolean finished;
  GSource *drain;
  GCancellable *handshake;
};

static gchar *
lersd_error_json (const gchar *code, const gchar *message, gsize *len)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, len);
}

/* A whole answer written straight to the connection, for what is refused
 * before libsoup has a message: small, so one non-blocking write takes it. */
static void
lersd_conn_write_raw (LersdConn *conn, guint status, const gchar *extra_headers, const gchar *code,
                      const gchar *message)
{
  GOutputStream *out = g_io_stream_get_output_stream (conn->stream);
  g_autofree gchar *body = NULL;
  g_autofree gchar *text = NULL;
  gsize len = 0;

  body = lersd_error_json (code, message, &len);
  text = g_strdup_printf (
      "HTTP/1.1 %u %s\r\nContent-Type: application/json; charset=utf-8\r\n"
      "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n"
      "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n%s\r\n%s",
      status, status == 431 ? "Request Header Fields Too Large" : soup_status_get_phrase (status),
      len, extra_headers != NULL ? extra_headers : "", body);
  if (G_IS_POLLABLE_OUTPUT_STREAM (out))
    g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out), text, strlen (text),
                                                NULL, NULL);
  else
    g_output_stream_write (out, text, strlen (text), NULL, NULL);
}

/* As lersd_conn_write_raw() with a message still to translate, in the
 * server's language: nothing of the request says another yet. */
static void
lersd_conn_write_raw_untranslated (LersdConn *conn, guint status, const gchar *extra_headers,
                                   const gchar *code, const gchar *message)
{
  locale_t old = lersd_use_language (conn->server != NULL ? conn->server->language : "ru");

  lersd_conn_write_raw (conn, status, extra_headers, code, _ (message));
  uselocale (old);
}

/* Refuses the request being read: the answer is written at once, the
 * write side shut (an answer libsoup tries after it goes nowhere), and the
 * next read fails, so libsoup reads no body and lets go of the connection. */
static void
lersd_conn_refuse (LersdConn *conn, guint status, const gchar *code, const gchar *message)
{
  lersd_conn_write_raw (conn, status, NULL, code, message);
  conn->answered = TRUE;
  if (conn->stream == G_IO_STREAM (conn->sconn))
    g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
}

static void lersd_conn_finish (LersdConn *conn);

static void
lersd_conn_free (LersdConn *conn)
{
  g_clear_handle_id (&conn->timer, g_source_remove);
  if (conn->drain != NULL)
    {
      g_source_destroy (conn->drain);
      g_clear_pointer (&conn->drain, g_source_unref);
    }
  g_clear_object (&conn->handshake);
  g_clear_object (&conn->stream);
  g_clear_object (&conn->socket);
  g_clear_object (&conn->sconn);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->local);
  if (conn->line != NULL)
    g_string_free (conn->line, TRUE);
}

static LersdConn *
lersd_conn_ref (LersdConn *conn)
{
  return g_rc_box_acquire (conn);
}

static void
lersd_conn_unref (gpointer conn)
{
  g_rc_box_release_full (conn, (GDestroyNotify) lersd_conn_free);
}

static gboolean
lersd_conn_timeout_cb (gpointer user_data)
{
  LersdConn *conn = user_data;

  conn->timer = 0;
  if (conn->state == LERSD_CONN_CLOSING)
    {
      /* lingered long enough */
      lersd_conn_finish (conn);
      return G_SOURCE_REMOVE;
    }
  if (conn->remote != NULL && G_IS_INET_SOCKET_ADDRESS (conn->remote))
    {
      g_autofree gchar *who = g_inet_address_to_string (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (conn->remote)));

      g_debug ("closing a connection from %s: %s timed out", who,
               conn->state == LERSD_CONN_IDLE   ? "idle"
               : conn->state == LERSD_CONN_HEAD ? "request head"
                                                : "request body");
    }
  if (conn->handshake != NULL)
    g_cancellable_cancel (conn->handshake);
  conn->aborted = TRUE;
  /* libsoup sees the end of the stream and lets go of the connection; if
   * it was not reading, the linger timer closes it all the same */
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  conn->state = LERSD_CONN_CLOSING;
  conn->timer = g_timeout_add (LERSD_LINGER_MS, lersd_conn_timeout_cb, conn);
  return G_SOURCE_REMOVE;
}

static void
lersd_conn_arm (LersdConn *conn, LersdConnState state, guint seconds)
{
  if (conn->state == LERSD_CONN_CLOSING)
    return;
  conn->state = state;
  g_clear_handle_id (&conn->timer, g_source_remove);
  if (seconds > 0)
    conn->timer = g_timeout_add ((guint) MIN (seconds, G_MAXUINT / 1000) * 1000,
                                 lersd_conn_timeout_cb, conn);
}

/* The end of a connection: the socket closed, the count down. */
static void
lersd_conn_finish (LersdConn *conn)
{
  LersdServer *server = conn->server;

  if (conn->finished)
    return;
  conn->finished = TRUE;
  conn->state = LERSD_CONN_CLOSING;
  g_clear_handle_id (&conn->timer, g_source_remove);
  if (conn->drain != NULL)
    {
      g_source_destroy (conn->drain);
      g_clear_pointer (&conn->drain, g_source_unref);
    }
  if (conn->stream != NULL && conn->stream != G_IO_STREAM (conn->sconn))
    g_io_stream_close (conn->stream, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (conn->sconn), NULL, NULL);
  if (server != NULL)
    {
      conn->server = NULL;
      server->n_conns--;
      /* drops the table's reference: last, @conn may go with it */
      g_hash_table_remove (server->conns, conn->remote);
    }
}

static gboolean
lersd_conn_drain_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  LersdConn *conn = user_data;
  gchar buf[16384];

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr (GError) error = NULL;
      gssize n = g_socket_receive_with_blocking (socket, buf, sizeof buf, FALSE, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          g_clear_pointer (&conn->drain, g_source_unref);
          lersd_conn_finish (conn);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_CONTINUE;
}

/* libsoup closed the connection's stream: close our side gently. What the
 * client still sends (a body we refused) is read and dropped for a moment,
 * because closing a socket with unread bytes sends a reset that can reach
 * the client before it has read our answer. */
static gboolean
lersd_conn_closed_cb (gpointer user_data)
{
  LersdConn *conn = user_data;

  if (conn->finished || conn->state == LERSD_CONN_CLOSING)
    return G_SOURCE_REMOVE;
  conn->state = LERSD_CONN_CLOSING;
  g_clear_handle_id (&conn->timer, g_source_remove);
  if (conn->stream != G_IO_STREAM (conn->sconn))
    {
      /* TLS: the close_notify alert goes with the close */
      lersd_conn_finish (conn);
      return G_SOURCE_REMOVE;
    }
  g_output_stream_flush (g_io_stream_get_output_stream (conn->stream), NULL, NULL);
  if (!g_socket_shutdown (conn->socket, FALSE, TRUE, NULL))
    {
      lersd_conn_finish (conn);
      return G_SOURCE_REMOVE;
    }
  conn->drain = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (conn->drain, G_SOURCE_FUNC (lersd_conn_drain_cb), conn, NULL);
  g_source_attach (conn->drain, NULL);
  conn->timer = g_timeout_add (LERSD_LINGER_MS, lersd_conn_timeout_cb, conn);
  return G_SOURCE_REMOVE;
}

/* An escape GLib's URI parser refuses ('%' without two hex digits): libsoup
 * would answer an empty 400. */
static gboolean
lersd_target_has_bad_escape (const gchar *line, gsize len)
{
  const gchar *sp1 = memchr (line, ' ', len);
  const gchar *end;

  if (sp1 == NULL)
    return FALSE;
  end = memchr (sp1 + 1, ' ', len - (gsize) (sp1 + 1 - line));
  if (end == NULL)
    end = line + len;
  for (const gchar *p = sp1 + 1; p < end; p++)
    if (*p == '%' && (p + 2 >= end || !g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2])))
      return TRUE;
  return FALSE;
}

static gboolean
lersd_conn_guard_cb (gpointer data, const guint8 *buffer, gsize count, GError **error)
{
  LersdConn *conn = data;

  if (conn->answered)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "answered");
      return FALSE;
    }
  if (conn->server == NULL || conn->state == LERSD_CONN_CLOSING)
    return TRUE;
  if (conn->state == LERSD_CONN_IDLE)
    {
      /* the first byte of a request: the head must be whole in time */
      conn->head_bytes = 0;
      g_string_truncate (conn->line, 0);
      lersd_conn_arm (conn, LERSD_CONN_HEAD, conn->server->head_timeout);
    }
  if (conn->state != LERSD_CONN_HEAD)
    return TRUE;

  conn->head_bytes += count;
  if (conn->line->len < LERSD_MAX_TARGET_LENGTH + 64
      && (conn->line->len == 0 || conn->line->str[conn->line->len - 1] != '\n'))
    {
      const guint8 *nl = memchr (buffer, '\n', count);
      gsize take = nl != NULL ? (gsize) (nl - buffer) + 1 : count;

      g_string_append_len (conn->line, (const gchar *) buffer,
                           MIN (take, LERSD_MAX_TARGET_LENGTH + 64 - conn->line->len));
      if (nl != NULL && lersd_target_has_bad_escape (conn->line->str, conn->line->len))
        {
          lersd_conn_write_raw_untranslated (
              conn, SOUP_STATUS_BAD_REQUEST, NULL, "invalid-argument",
              N_ ("The request path or query has an invalid percent-escape"));
          conn->answered = TRUE;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad escape");
          return FALSE;
        }
      /* a request line longer than any target we serve: answered here, so
       * that an escape past the part we look at cannot reach libsoup's
       * empty 400 */
      if (conn->line->len >= LERSD_MAX_TARGET_LENGTH + 64
          && conn->line->str[conn->line->len - 1] != '\n')
        {
          lersd_conn_write_raw_untranslated (conn, SOUP_STATUS_REQUEST_URI_TOO_LONG, NULL,
                                             "invalid-argument",
                                             N_ ("The request path and query are too long"));
          conn->answered = TRUE;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "line too long");
          return FALSE;
        }
    }
  if (conn->head_bytes > LERSD_MAX_HEAD_LENGTH)
    {
      lersd_conn_write_raw_untranslated (conn, 431, NULL, "invalid-argument",
                                         N_ ("The request headers are too large"));
      conn->answered = TRUE;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "head too large");
      return FALSE;
    }
  return TRUE;
}

static LersdConn *
lersd_server_lookup_conn (LersdServer *self, SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->conns, remote) : NULL;
}

/* The client's socket under @msg (libsoup knows none: we gave it a stream) */
static GSocket *
lersd_server_get_message_socket (LersdServer *self, SoupServerMessage *msg)
{
  LersdConn *conn = lersd_server_lookup_conn (self, msg);

  return conn != NULL ? conn->socket : soup_server_message_get_socket (msg);
}

static void
lersd_conn_got_headers_cb (SoupServerMessage *msg, LersdConn *conn)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  gboolean has_body = encoding == SOUP_ENCODING_CHUNKED
                      || (encoding == SOUP_ENCODING_CONTENT_LENGTH
                          && soup_message_headers_get_content_length (headers) > 0);

  if (conn->server == NULL)
    return;
  if (has_body && soup_server_message_get_status (msg) == 0)
    lersd_conn_arm (conn, LERSD_CONN_BODY, conn->server->body_timeout);
  else
    lersd_conn_arm (conn, LERSD_CONN_BUSY, 0);
}

static void
lersd_conn_got_body_cb (SoupServerMessage *msg, LersdConn *conn)
{
  lersd_conn_arm (conn, LERSD_CONN_BUSY, 0);
}

static void
lersd_conn_finished_cb (SoupServerMessage *msg, LersdConn *conn)
{
  if (conn->server != NULL)
    lersd_conn_arm (conn, LERSD_CONN_IDLE, conn->server->idle_timeout);
}

static void
lersd_server_request_started_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  LersdConn *conn = lersd_server_lookup_conn (self, msg);

  /* Every answer closes its connection, libsoup's own (a 404 for "*", a
   * 400 for a head it cannot parse) too: libsoup 3.2 never notices a
   * client closing a kept-alive connection. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  if (conn == NULL)
    return;
  g_signal_connect_data (msg, "got-headers", G_CALLBACK (lersd_conn_got_headers_cb),
                         lersd_conn_ref (conn), (GClosureNotify) lersd_conn_unref, 0);
  g_signal_connect_data (msg, "got-body", G_CALLBACK (lersd_conn_got_body_cb),
                         lersd_conn_ref (conn), (GClosureNotify) lersd_conn_unref, 0);
  g_signal_connect_data (msg, "finished", G_CALLBACK (lersd_conn_finished_cb),
                         lersd_conn_ref (conn), (GClosureNotify) lersd_conn_unref, 0);
}

static void
lersd_conn_start_http (LersdConn *conn)
{
  LersdServer *self = conn->server;
  g_autoptr (LersdGuardStream) guard = NULL;
  g_autoptr (GIOStream) http = NULL;
  g_autoptr (GError) error = NULL;

  guard = lersd_guard_stream_new (g_io_stream_get_input_stream (conn->stream), lersd_conn_guard_cb,
                                  lersd_conn_closed_cb, lersd_conn_ref (conn), lersd_conn_unref);
  http = g_simple_io_stream_new (G_INPUT_STREAM (guard),
                                 g_io_stream_get_output_stream (conn->stream));
  lersd_conn_arm (conn, LERSD_CONN_IDLE, self->idle_timeout);
  if (!soup_server_accept_iostream (self->soup, http, conn->local, conn->remote, &error))
    {
      g_debug ("cannot serve a connection: %s", error->message);
      lersd_conn_finish (conn);
    }
}

static void
lersd_conn_handshake_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdConn *conn = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), res, &error))
    {
      g_debug ("TLS handshake failed: %s", error->message);
      lersd_conn_finish (conn);
    }
  else if (conn->server != NULL && !conn->finished)
    {
      g_clear_object (&conn->handshake);
      lersd_conn_start_http (conn);
    }
  lersd_conn_unref (conn);
}

static gboolean
lersd_server_incoming_cb (GSocketService *service, GSocketConnection *sconn, GObject *source,
                          gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  LersdConn *conn;

  conn = g_rc_box_new0 (LersdConn);
  conn->server = self;
  conn->sconn = g_object_ref (sconn);
  conn->socket = g_object_ref (g_socket_connection_get_socket (sconn));
  conn->stream = g_object_ref (G_IO_STREAM (sconn));
  conn->remote = g_socket_connection_get_remote_address (sconn, NULL);
  conn->local = g_socket_connection_get_local_address (sconn, NULL);
  conn->line = g_string_new (NULL);
  if (conn->remote == NULL || conn->local == NULL)
    {
      g_io_stream_close (G_IO_STREAM (sconn), NULL, NULL);
      lersd_conn_unref (conn);
      return TRUE;
    }
  /* the table holds the reference made above */
  g_hash_table_insert (self->conns, conn->remote, conn);
  self->n_conns++;

  if (self->n_conns > self->max_connections)
    {
      g_debug ("refusing a connection: %u open", self->n_conns - 1);
      if (self->tls == NULL)
        lersd_conn_write_raw_untranslated (conn, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                           "Retry-After: 5\r\n", "busy",
                                           N_ ("The server is busy; try again later"));
      conn->state = LERSD_CONN_BUSY;
      lersd_conn_closed_cb (conn);
      return TRUE;
    }
  if (self->tls != NULL)
    {
      g_autoptr (GError) error = NULL;
      GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (sconn), self->tls, &error);

      if (tls == NULL)
        {
          g_warning ("TLS: %s", error->message);
          lersd_conn_finish (conn);
          return TRUE;
        }
      g_object_unref (conn->stream);
      conn->stream = tls;
      conn->handshake = g_cancellable_new ();
      /* the handshake is part of the head: bounded by head-timeout */
      lersd_conn_arm (conn, LERSD_CONN_HEAD, self->head_timeout);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, conn->handshake,
                                        lersd_conn_handshake_cb, lersd_conn_ref (conn));
      return TRUE;
    }
  lersd_conn_start_http (conn);
  return TRUE;
}

static void
lersd_server_close_connections (LersdServer *self)
{
  GList *conns = g_hash_table_get_values (self->conns);

  for (GList *l = conns; l != NULL; l = l->next)
    lersd_conn_ref (l->data);
  for (GList *l = conns; l != NULL; l = l->next)
    {
      lersd_conn_finish (l->data);
      lersd_conn_unref (l->data);
    }
  g_list_free (conns);
}

/* ---------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------- */

static void
lersd_server_constructed (GObject *object)
{
  LersdServer *self = LERSD_SERVER (object);

  G_OBJECT_CLASS (lersd_server_parent_class)->constructed (object);
  /* made here, before any worker thread of a route can look at it */
  self->queue = lers_poll_queue_new (self->store);
  self->accounts = lers_accounts_new (self->store);

  /* raw-paths: we decode the path ourselves so that "%00", "%2F" and "%2e%2e"
   * get a JSON 400 from us instead of libsoup's empty one. */
  self->soup
      = soup_server_new ("server-header", "lersd/" LERS_VERSION " ", "raw-paths", TRUE, NULL);
  soup_server_add_early_handler (self->soup, NULL, lersd_server_early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, lersd_server_handle_cb, self, NULL);
  soup_server_add_handler (self->soup, "*", lersd_server_options_cb, self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (lersd_server_request_finished_cb),
                    NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (lersd_server_request_started_cb),
                    self);
  /* lers_http_requests_total and lers_http_request_duration_seconds */
  g_signal_connect (self->soup, "request-started", G_CALLBACK (lersd_metrics_request_started),
                    NULL);

  self->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), 128);
  g_signal_connect (self->service, "incoming", G_CALLBACK (lersd_server_incoming_cb), self);
}

static void
lersd_server_dispose (GObject *object)
{
  LersdServer *self = LERSD_SERVER (object);

  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }
  if (self->conns != NULL)
    lersd_server_close_connections (self);
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  g_clear_pointer (&self->conns, g_hash_table_unref);
  g_clear_pointer (&self->local_addresses, g_ptr_array_unref);
  g_clear_object (&self->tls);
  g_clear_pointer (&self->server_names, g_strfreev);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->web_root, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->map_tile_url, g_free);
  g_clear_pointer (&self->map_attribution, g_free);
  g_clear_object (&self->queue);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (lersd_server_parent_class)->dispose (object);
}

static void
lersd_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersdServer *self = LERSD_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lersd_server_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersdServer *self = LERSD_SERVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lersd_server_class_init (LersdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lersd_server_constructed;
  object_class->dispose = lersd_server_dispose;
  object_class->get_property = lersd_server_get_property;
  object_class->set_property = lersd_server_set_property;

  /**
   * LersdServer:store:
   *
   * The store the API answers from.
   *
   * Since: 0.1
   */
  props[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, LERS_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lersd_server_init (LersdServer *self)
{
  self->poll_lease = LERSD_POLL_LEASE_DEFAULT;
  self->conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, lersd_conn_unref);
  self->local_addresses = g_ptr_array_new_with_free_func (g_object_unref);
  self->idle_timeout = LERSD_IDLE_TIMEOUT_DEFAULT;
  self->head_timeout = LERSD_HEAD_TIMEOUT_DEFAULT;
  self->body_timeout = LERSD_BODY_TIMEOUT_DEFAULT;
  self->max_body = LERSD_MAX_BODY_DEFAULT;
  self->max_connections = LERSD_MAX_CONNECTIONS_DEFAULT;
  self->language = g_strdup ("ru");
}

/**
 * lersd_server_new:
 * @store: an open #LersStore
 *
 * Creates a server; it answers nothing until lersd_server_listen().
 *
 * Returns: (transfer full): a new #LersdServer
 *
 * Since: 0.1
 */
LersdServer *
lersd_server_new (LersStore *store)
{
  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  return g_object_new (LERSD_TYPE_SERVER, "store", store, NULL);
}

/**
 * lersd_server_get_store:
 * @self: a #LersdServer
 *
 * Returns: (transfer none): the store
 *
 * Since: 0.1
 */
LersStore *
lersd_server_get_store (LersdServer *self)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), NULL);
  return self->store;
}

/**
 * lersd_server_listen:
 * @self: a #LersdServer
 * @address: `ADDR:PORT`: an IPv4 address, a bracketed IPv6 address
 *   (`[::1]:8080`), `localhost` (loopback, IPv4 and IPv6) or `*` (every
 *   interface); port 0 picks a free port (see lersd_server_get_port())
 * @error: return location for a #GError
 *
 * Starts listening in the thread-default main context. May be called more
 * than once to listen on several addresses.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
static gboolean
lersd_server_add_address (LersdServer *self, GInetAddress *inet, guint16 port, GError **error)
{
  g_autoptr (GSocketAddress) sockaddr = g_inet_socket_address_new (inet, port);
  g_autoptr (GSocketAddress) effective = NULL;

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), sockaddr,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                      error))
    return FALSE;
  g_ptr_array_add (self->local_addresses, g_steal_pointer (&effective));
  return TRUE;
}

gboolean
lersd_server_listen (LersdServer *self, const gchar *address, GError **error)
{
  g_autoptr (GSocketConnectable) conn = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GError) error_local = NULL;
  g_autofree gchar *host = NULL;
  guint16 port;
  gboolean loopback = FALSE;
  guint before;

  g_return_val_if_fail (LERSD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (g_str_has_prefix (address, "*:"))
    {
      g_autofree gchar *any = g_strconcat ("0.0.0.0", address + 1, NULL);
      conn = g_network_address_parse (any, 0, &error_local);
      host = g_strdup ("*");
    }
  else
    {
      conn = g_network_address_parse (address, 0, &error_local);
      if (conn != NULL)
        host = g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (conn)));
    }
  if (conn == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Cannot parse the listen address “%s”: %s"), address, error_local->message);
      return FALSE;
    }
  port = g_network_address_get_port (G_NETWORK_ADDRESS (conn));
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    loopback = TRUE;
  else if (!g_str_equal (host, "*"))
    {
      inet = g_inet_address_new_from_string (host);
      if (inet == NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("The listen address “%s” must be an IP address, “localhost” or “*”"),
                       address);
          return FALSE;
        }
      loopback = g_inet_address_get_is_loopback (inet);
    }
  /* plain HTTP carries passwords and session tokens in the clear */
  if (self->tls == NULL && !loopback && !self->allow_plain_http)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                   _ ("Refusing plain HTTP on %s, which is not a loopback address: set "
                      "tls-certificate and tls-key in the config file for HTTPS, or "
                      "allow-plain-http=true (behind a TLS proxy)"),
                   address);
      return FALSE;
    }

  before = self->local_addresses->len;
  if (g_str_equal (host, "*"))
    {
      g_autoptr (GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);

      /* every interface, IPv4 and IPv6 */
      if (port == 0)
        port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (self->service), NULL,
                                                    &error_local);
      else if (!g_socket_listener_add_inet_port (G_SOCKET_LISTENER (self->service), port, NULL,
                                                 &error_local))
        port = 0;
      if (port == 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, _ ("Cannot listen on %s: %s"),
                       address, error_local->message);
          return FALSE;
        }
      g_ptr_array_add (self->local_addresses, g_inet_socket_address_new (any, port));
    }
  else if (loopback && inet == NULL)
    {
      /* localhost: 127.0.0.1 and, where there is IPv6, ::1 on the same port */
      g_autoptr (GInetAddress) v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr (GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);

      if (!lersd_server_add_address (self, v4, port, &error_local))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, _ ("Cannot listen on %s: %s"),
                       address, error_local->message);
          return FALSE;
        }
      port = g_inet_socket_address_get_port (
          g_ptr_array_index (self->local_addresses, self->local_addresses->len - 1));
      if (!lersd_server_add_address (self, v6, port, &error_local))
        g_debug ("no IPv6 loopback: %s", error_local->message);
    }
  else if (!lersd_server_add_address (self, inet, port, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, _ ("Cannot listen on %s: %s"), address,
                   error_local->message);
      return FALSE;
    }
  if (before == 0)
    g_socket_service_start (self->service);
  return TRUE;
}

/* The local address of the first listening socket. */
static GInetSocketAddress *
lersd_server_get_local_address (LersdServer *self)
{
  if (self->local_addresses == NULL || self->local_addresses->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->local_addresses, 0));
}

/**
 * lersd_server_get_port:
 * @self: a #LersdServer
 *
 * Returns: the port the server listens on (the first, if several), or 0
 *
 * Since: 0.1
 */
guint
lersd_server_get_port (LersdServer *self)
{
  g_autoptr (GInetSocketAddress) address = NULL;

  g_return_val_if_fail (LERSD_IS_SERVER (self), 0);
  address = lersd_server_get_local_address (self);
  return address != NULL ? g_inet_socket_address_get_port (address) : 0;
}

/**
 * lersd_server_get_url:
 * @self: a #LersdServer
 *
 * Returns: (transfer full) (nullable): the base URL of the server (the first
 *   listener, if several), such as `http://127.0.0.1:8080/`, or %NULL when
 *   not listening
 *
 * Since: 0.1
 */
gchar *
lersd_server_get_url (LersdServer *self)
{
  g_autoptr (GInetSocketAddress) address = NULL;
  g_autofree gchar *host = NULL;
  GInetAddress *inet;

  g_return_val_if_fail (LERSD_IS_SERVER (self), NULL);
  address = lersd_server_get_local_address (self);
  if (address == NULL)
    return NULL;
  inet = g_inet_socket_address_get_address (address);
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("%s://[%s]:%u/", self->tls != NULL ? "https" : "http", host,
                            g_inet_socket_address_get_port (address));
  return g_strdup_printf ("%s://%s:%u/", self->tls != NULL ? "https" : "http", host,
                          g_inet_socket_address_get_port (address));
}

/**
 * lersd_server_disconnect:
 * @self: a #LersdServer
 *
 * Closes the listening sockets and every client connection.
 *
 * Since: 0.1
 */
void
lersd_server_disconnect (LersdServer *self)
{
  g_return_if_fail (LERSD_IS_SERVER (self));
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_ptr_array_set_size (self->local_addresses, 0);
    }
  /* the live streams end first: they would keep their connections */
  lersd_current_stop (self);
  lersd_server_close_connections (self);
  soup_server_disconnect (self->soup);
}

/**
 * lersd_server_get_accounts:
 * @self: a #LersdServer
 *
 * Returns: (transfer none): the users, sessions and rights of the server's
 *   store
 *
 * Since: 0.5
 */
LersAccounts *
lersd_server_get_accounts (LersdServer *self)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), NULL);
  return self->accounts;
}

/**
 * lersd_server_get_queue:
 * @self: a #LersdServer
 *
 * Returns: (transfer none): the poll job queue in the server's store
 *
 * Since: 0.4
 */
LersPollQueue *
lersd_server_get_queue (LersdServer *self)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), NULL);
  return self->queue;
}

/**
 * lersd_server_set_poll_lease:
 * @self: a #LersdServer
 * @seconds: the polling services' lease, in seconds (at least 1)
 *
 * How long a polling service may go without a heartbeat before the status
 * and /metrics call it dead: the lease its links are held under
 * (`lersd --lease`). The default is %LERSD_POLL_LEASE_DEFAULT.
 *
 * Since: 0.4
 */
void
lersd_server_set_poll_lease (LersdServer *self, guint seconds)
{
  g_return_if_fail (LERSD_IS_SERVER (self));
  self->poll_lease = MAX (seconds, 1);
}

/**
 * lersd_server_get_poll_lease:
 * @self: a #LersdServer
 *
 * Returns: the polling services' lease, in seconds
 *
 * Since: 0.4
 */
guint
lersd_server_get_poll_lease (LersdServer *self)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), LERSD_POLL_LEASE_DEFAULT);
  return self->poll_lease;
}

/**
 * lersd_server_configure:
 * @self: a #LersdServer, not yet listening
 * @config: lersd's options; the server's keys that are set are used
 *   (server-names, tls-certificate, tls-key, allow-plain-http,
 *   idle-timeout, head-timeout, body-timeout, max-body, max-connections,
 *   max-streams,
 *   language), the others are left as they are
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %FALSE with %LERS_ERROR_INVALID_ARGUMENT when
 *   the certificate or key cannot be read, or only one of them is set
 *
 * Since: 0.5
 */
gboolean
lersd_server_configure (LersdServer *self, const LersdConfig *config, GError **error)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if ((config->tls_certificate == NULL) != (config->tls_key == NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("tls-certificate and tls-key go together: set both or neither"));
      return FALSE;
    }
  if (config->tls_certificate != NULL)
    {
      g_autoptr (GError) error_local = NULL;
      GTlsCertificate *tls = g_tls_certificate_new_from_files (config->tls_certificate,
                                                               config->tls_key, &error_local);

      if (tls == NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Cannot load the TLS certificate %s and key %s: %s"),
                       config->tls_certificate, config->tls_key, error_local->message);
          return FALSE;
        }
      g_clear_object (&self->tls);
      self->tls = tls;
    }
  if (config->server_names != NULL)
    {
      g_strfreev (self->server_names);
      self->server_names = g_strdupv (config->server_names);
    }
  if (config->allow_plain_http != LERSD_CONFIG_UNSET)
    self->allow_plain_http = config->allow_plain_http != 0;
  if (config->idle_timeout != LERSD_CONFIG_UNSET)
    self->idle_timeout = (guint) MAX (config->idle_timeout, 1);
  if (config->head_timeout != LERSD_CONFIG_UNSET)
    self->head_timeout = (guint) MAX (config->head_timeout, 1);
  if (config->body_timeout != LERSD_CONFIG_UNSET)
    self->body_timeout = (guint) MAX (config->body_timeout, 1);
  if (config->max_body != LERSD_CONFIG_UNSET)
    self->max_body = (gsize) MAX (config->max_body, 1);
  if (config->max_connections != LERSD_CONFIG_UNSET)
    self->max_connections = (guint) MAX (config->max_connections, 1);
  if (config->max_streams != LERSD_CONFIG_UNSET)
    lersd_current_set_max_streams (self, (guint) MAX (config->max_streams, 1));
  if (config->web_root != NULL)
    {
      g_free (self->web_root);
      self->web_root = g_strdup (config->web_root);
    }
  if (config->language != NULL)
    {
      g_free (self->language);
      self->language = g_strdup (g_str_equal (config->language, "en") ? "en" : "ru");
    }
  if (config->server_name != NULL)
    {
      g_free (self->display_name);
      self->display_name = g_strdup (config->server_name);
    }
  if (config->map_tile_url != NULL)
    {
      g_free (self->map_tile_url);
      self->map_tile_url = g_strdup (config->map_tile_url);
    }
  if (config->map_attribution != NULL)
    {
      g_free (self->map_attribution);
      self->map_attribution = g_strdup (config->map_attribution);
    }
  return TRUE;
}

/**
 * lersd_server_get_display_name:
 * @self: a #LersdServer
 *
 * Returns: the name the web application shows: the key server-name, else
 *   the host name
 *
 * Since: 0.5
 */
const gchar *
lersd_server_get_display_name (LersdServer *self)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), NULL);
  return self->display_name != NULL ? self->display_name : g_get_host_name ();
}

/**
 * lersd_server_get_map:
 * @self: a #LersdServer
 * @tile_url: (out) (transfer none): the key map-tile-url, "" when unset (no tiles)
 * @attribution: (out) (transfer none): the key map-attribution, "" when unset
 *
 * What the web map draws its background with.
 *
 * Since: 0.5
 */
void
lersd_server_get_map (LersdServer *self, const gchar **tile_url, const gchar **attribution)
{
  g_return_if_fail (LERSD_IS_SERVER (self));
  *tile_url = self->map_tile_url != NULL ? self->map_tile_url : "";
  *attribution = self->map_attribution != NULL ? self->map_attribution : "";
}

/**
 * lersd_server_get_n_connections:
 * @self: a #LersdServer
 *
 * Returns: how many client connections are open (closing ones too)
 *
 * Since: 0.5
 */
guint
lersd_server_get_n_connections (LersdServer *self)
{
  g_return_val_if_fail (LERSD_IS_SERVER (self), 0);
  return self->n_conns;
}
