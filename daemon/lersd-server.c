/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <sys/socket.h>

#include "lersd-server.h"
#include "lersd-auth.h"
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

/* Longest request target (path plus query) accepted; longer gets 414. */
#define LERSD_MAX_TARGET_LENGTH 2048
/* Most path segments a request may have; no route has more than a few. */
#define LERSD_MAX_SEGMENTS 16

struct _LersdServer
{
  GObject parent_instance;
  LersStore *store;
  SoupServer *soup;
  LersPollQueue *queue;   /* on the store; routes call it from worker threads */
  LersAccounts *accounts; /* users, sessions, rights; routes call it from worker threads */
  guint poll_lease;       /* seconds: a service with no heartbeat for this long is dead */
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
  LersUser *user;  /* the caller, once lersd-auth.c knows it */
  gchar *language; /* "ru" or "en", worked out on first use */
  gchar *address;  /* the client's IP address */
};

/* Largest request body accepted (a POST of a manual read); larger gets 413. */
#define LERSD_MAX_BODY_LENGTH (256 * 1024)

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
  g_object_unref (self->msg);
  g_object_unref (self->cancellable);
  g_object_unref (self->server);
  g_ptr_array_unref (self->segments);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_clear_object (&self->user);
  g_free (self->language);
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

/**
 * lersd_request_get_language:
 * @self: a #LersdRequest
 *
 * Returns: "ru" or "en"
 *
 * Since: 0.5
 */
const gchar *
lersd_request_get_language (LersdRequest *self)
{
  /* the language negotiation (user, Accept-Language) is the HTTP front's */
  if (self->language == NULL)
    self->language = g_strdup ("ru");
  return self->language;
}

typedef struct
{
  LersdRequest *req;
  LersdThreadFunc func;
  gpointer data;
  GDestroyNotify data_free;
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

  call->body
      = call->func (call->req, call->data, cancellable, &call->status, &call->content_type, &error);
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

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    lersd_request_reply_error (call->req, error);
  else
    lersd_request_reply (call->req, call->status, call->content_type, call->body);
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
  {
    GSocket *socket = soup_server_message_get_socket (self->msg);
    if (socket != NULL)
      {
        self->hangup = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
        g_source_set_callback (self->hangup, G_SOURCE_FUNC (lersd_request_hangup_cb), self, NULL);
        g_source_attach (self->hangup, g_main_context_get_thread_default ());
      }
  }
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
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lersd_request_reply_json (self, status, root);
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
  lersd_routes_auth,    lersd_routes_users,   lersd_routes_resources,
  lersd_routes_points,  lersd_routes_poll,    lersd_routes_compat,
  lersd_routes_openapi, lersd_routes_metrics, NULL,
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

static void
lersd_serve_index (LersdRequest *req)
{
  g_autoptr (GBytes) page = NULL;
  g_autoptr (GError) error = NULL;

  page = g_resources_lookup_data ("/org/lers/daemon/web/index.html", G_RESOURCE_LOOKUP_FLAGS_NONE,
                                  &error);
  if (page == NULL)
    {
      lers_error_convert (&error);
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_reply (req, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
}

/* Runs once a request's headers are in, before libsoup reads its body: a
 * body declared larger than the bound gets 413 and is never read, so a
 * client cannot make the server hold gigabytes. (A chunked body, which
 * declares no length, is bounded after it is read, in the handler.) */
static void
lersd_server_early_cb (SoupServer *soup, SoupServerMessage *msg, const gchar *path,
                       GHashTable *query, gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > LERSD_MAX_BODY_LENGTH)
    {
      g_autoptr (LersdRequest) req = lersd_request_new (self, msg);

      lersd_request_reply_error_literal (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                         "invalid-argument", _ ("The request body is too large"));
    }
}

static void
lersd_server_handle_cb (SoupServer *soup, SoupServerMessage *msg, const gchar *path,
                        GHashTable *query, gpointer user_data)
{
  LersdServer *self = LERSD_SERVER (user_data);
  g_autoptr (LersdRequest) req = lersd_request_new (self, msg);
  g_autoptr (GPtrArray) segments = NULL;
  g_autoptr (GError) error = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const gchar *raw_path = g_uri_get_path (uri);
  const gchar *raw_query = g_uri_get_query (uri);
  const gchar *method = soup_server_message_get_method (msg);
  gsize target_len = strlen (raw_path) + (raw_query != NULL ? strlen (raw_query) + 1 : 0);
  gboolean is_api;
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

  /* The web page */
  if (segments->len == 0
      || (segments->len == 1 && g_str_equal (g_ptr_array_index (segments, 0), "index.html")))
    {
      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                        "GET, HEAD");
          lersd_request_reply_error_literal (req, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                             "method-not-allowed",
                                             _ ("Only GET and HEAD are allowed here"));
          return;
        }
      lersd_serve_index (req);
      return;
    }

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

      if (body != NULL && body->length > LERSD_MAX_BODY_LENGTH)
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
lersd_server_request_finished_cb (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  GUri *uri = soup_server_message_get_uri (msg);

  g_debug ("%s %s%s%s → %u", soup_server_message_get_method (msg),
           uri != NULL ? g_uri_get_path (uri) : "?",
           uri != NULL && g_uri_get_query (uri) != NULL ? "?" : "",
           uri != NULL && g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "",
           soup_server_message_get_status (msg));
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
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (lersd_server_request_finished_cb),
                    NULL);
}

static void
lersd_server_dispose (GObject *object)
{
  LersdServer *self = LERSD_SERVER (object);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
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
gboolean
lersd_server_listen (LersdServer *self, const gchar *address, GError **error)
{
  g_autoptr (GSocketConnectable) conn = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) sockaddr = NULL;
  g_autoptr (GError) error_local = NULL;
  const gchar *host;
  guint16 port;

  g_return_val_if_fail (LERSD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (g_str_has_prefix (address, "*:"))
    {
      g_autofree gchar *any = g_strconcat ("0.0.0.0", address + 1, NULL);
      conn = g_network_address_parse (any, 0, &error_local);
      host = "*";
    }
  else
    {
      conn = g_network_address_parse (address, 0, &error_local);
      host = conn != NULL ? g_network_address_get_hostname (G_NETWORK_ADDRESS (conn)) : NULL;
    }
  if (conn == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Cannot parse the listen address “%s”: %s"), address, error_local->message);
      return FALSE;
    }
  port = g_network_address_get_port (G_NETWORK_ADDRESS (conn));

  if (g_str_equal (host, "*"))
    {
      if (!soup_server_listen_all (self->soup, port, 0, error))
        {
          lers_error_convert (error);
          return FALSE;
        }
      return TRUE;
    }
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      if (!soup_server_listen_local (self->soup, port, 0, error))
        {
          lers_error_convert (error);
          return FALSE;
        }
      return TRUE;
    }

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The listen address “%s” must be an IP address, “localhost” or “*”"),
                   address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->soup, sockaddr, 0, error))
    {
      lers_error_convert (error);
      g_prefix_error (error, _ ("Cannot listen on %s: "), address);
      return FALSE;
    }
  return TRUE;
}

/* The local address of the first listening socket. (Not through
 * soup_server_get_uris(), which leaks the addresses in libsoup 3.2.) */
static GInetSocketAddress *
lersd_server_get_local_address (LersdServer *self)
{
  GSList *listeners = soup_server_get_listeners (self->soup);
  GSocketAddress *address = NULL;

  if (listeners != NULL)
    address = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (address != NULL && !G_IS_INET_SOCKET_ADDRESS (address))
    g_clear_object (&address);
  return (GInetSocketAddress *) address;
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
    return g_strdup_printf ("http://[%s]:%u/", host, g_inet_socket_address_get_port (address));
  return g_strdup_printf ("http://%s:%u/", host, g_inet_socket_address_get_port (address));
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
