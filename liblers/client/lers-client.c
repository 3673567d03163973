/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "client/lers-client.h"
#include "lers-enum-types.h"
#include "lers-error.h"
#include "lers-time.h"
#include "model/lers-archive-batch-private.h"
#include "model/lers-device.h"
#include "model/lers-measure-point.h"
#include "model/lers-parameter.h"
#include "model/lers-poll-job.h"

/**
 * LersClient:
 *
 * The HTTP API of a LERS server (lersd) as objects: the same #LersNode,
 * #LersMeasurePoint, #LersArchiveBatch… that a #LersStore returns, so code
 * moves between a local database and a remote server.
 *
 * Every call is asynchronous and runs in the thread-default main context
 * the client was created in. Errors are in the %LERS_ERROR domain: the
 * server's `{"error": {"code", "message"}}` keeps its message and maps its
 * code back (`unauthorized` and `forbidden` are
 * %LERS_ERROR_PERMISSION_DENIED, `not-found` is %LERS_ERROR_NOT_FOUND,
 * `too-many-requests` is %LERS_ERROR_BUSY…); a server that cannot be
 * reached is %LERS_ERROR_CONNECTION and a cancelled call
 * %LERS_ERROR_CANCELLED.
 *
 * ```python
 * client = Lers.Client.new("https://lers.example.org")
 * client.set_token_from_file("/etc/lers/token")
 * nodes = await client.list_nodes_async("order=title", 0, None)  # or with a callback
 * ```
 *
 * Since: 0.5
 */
struct _LersClient
{
  GObject parent_instance;
  gchar *base_url; /* without a trailing "/" */
  gchar *token;
  gchar *language;
  gchar *ca_file;
  guint page_size;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (LersClient, lers_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_LANGUAGE,
  PROP_CA_FILE,
  PROP_PAGE_SIZE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The API answers at most this many objects a page */
#define LERS_CLIENT_MAX_PAGE 1000

static void
lers_client_finalize (GObject *object)
{
  LersClient *self = LERS_CLIENT (object);

  g_free (self->base_url);
  g_free (self->token);
  g_free (self->language);
  g_free (self->ca_file);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (lers_client_parent_class)->finalize (object);
}

static void
lers_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersClient *self = LERS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_client_set_base_url (LersClient *self, const gchar *base_url)
{
  gsize len;

  g_free (self->base_url);
  self->base_url = g_strdup (base_url != NULL ? base_url : "http://127.0.0.1:8080");
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  /* "https://host/api/v1" and "https://host" name the same server */
  if (g_str_has_suffix (self->base_url, "/api/v1"))
    self->base_url[len - strlen ("/api/v1")] = '\0';
}

static void
lers_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersClient *self = LERS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      lers_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      lers_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_LANGUAGE:
      lers_client_set_language (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      lers_client_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_PAGE_SIZE:
      self->page_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_client_class_init (LersClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_client_finalize;
  object_class->get_property = lers_client_get_property;
  object_class->set_property = lers_client_set_property;

  /**
   * LersClient:base-url:
   *
   * The server's address, such as `https://lers.example.org:8443`; the
   * API's paths (`/api/v1/…`) are added to it. A trailing `/api/v1` is
   * accepted and dropped.
   *
   * Since: 0.5
   */
  props[PROP_BASE_URL]
      = g_param_spec_string ("base-url", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * LersClient:token:
   *
   * The API token sent as `Authorization: Bearer`; set by
   * lers_client_login_async() or by the caller (a token from a file).
   *
   * Since: 0.5
   */
  props[PROP_TOKEN]
      = g_param_spec_string ("token", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LersClient:language:
   *
   * The language of the server's messages, sent as `Accept-Language`
   * (`ru`, `en`); %NULL sends none and the server chooses.
   *
   * Since: 0.5
   */
  props[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LersClient:ca-file:
   *
   * A PEM file of the certificate authorities an HTTPS server's
   * certificate must be signed by, in place of the system's: for a server
   * with a self-signed certificate, give that certificate. %NULL uses the
   * system's.
   *
   * Since: 0.5
   */
  props[PROP_CA_FILE]
      = g_param_spec_string ("ca-file", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LersClient:page-size:
   *
   * How many objects the client asks for a page when it lists (the API's
   * `?limit=`, 1–1000); the lists follow the pages to the end whatever it
   * is.
   *
   * Since: 0.5
   */
  props[PROP_PAGE_SIZE]
      = g_param_spec_uint ("page-size", NULL, NULL, 1, LERS_CLIENT_MAX_PAGE, LERS_CLIENT_MAX_PAGE,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_client_init (LersClient *self)
{
  self->page_size = LERS_CLIENT_MAX_PAGE;
  self->session = soup_session_new_with_options ("user-agent", "LersClient/" LERS_VERSION,
                                                 "timeout", 300, NULL);
}

/**
 * lers_client_new:
 * @base_url: the server's address, such as `http://127.0.0.1:8080`
 *
 * Creates a client of the server at @base_url. Nothing is sent until the
 * first call.
 *
 * Returns: (transfer full): a new #LersClient
 *
 * Since: 0.5
 */
LersClient *
lers_client_new (const gchar *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (LERS_TYPE_CLIENT, "base-url", base_url, NULL);
}

/**
 * lers_client_get_base_url:
 * @self: a #LersClient
 *
 * Returns: the server's address, without a trailing `/`
 *
 * Since: 0.5
 */
const gchar *
lers_client_get_base_url (LersClient *self)
{
  g_return_val_if_fail (LERS_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * lers_client_get_token:
 * @self: a #LersClient
 *
 * Returns: (nullable): the API token requests carry
 *
 * Since: 0.5
 */
const gchar *
lers_client_get_token (LersClient *self)
{
  g_return_val_if_fail (LERS_IS_CLIENT (self), NULL);

  return self->token;
}

/**
 * lers_client_set_token:
 * @self: a #LersClient
 * @token: (nullable): an API token, or %NULL to send none
 *
 * Sets the token sent as `Authorization: Bearer` with every request.
 *
 * Since: 0.5
 */
void
lers_client_set_token (LersClient *self, const gchar *token)
{
  g_return_if_fail (LERS_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TOKEN]);
}

/**
 * lers_client_set_token_from_file:
 * @self: a #LersClient
 * @path: (type filename): a file holding the token (white space around it
 *   is ignored)
 * @error: return location for a #GError
 *
 * Reads the API token from @path: keep tokens in files readable only by
 * their owner, never on a command line.
 *
 * Returns: %TRUE on success; else %FALSE with %LERS_ERROR_NOT_FOUND (no
 *   such file), %LERS_ERROR_PERMISSION_DENIED or
 *   %LERS_ERROR_INVALID_ARGUMENT (an empty file)
 *
 * Since: 0.5
 */
gboolean
lers_client_set_token_from_file (LersClient *self, const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (LERS_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      gint code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                      ? LERS_ERROR_NOT_FOUND
                  : g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES)
                      ? LERS_ERROR_PERMISSION_DENIED
                      : LERS_ERROR_FAILED;
      g_set_error (error, LERS_ERROR, code, _ ("Could not read the token file: %s"),
                   local_error->message);
      return FALSE;
    }
  g_strstrip (contents);
  if (contents[0] == '\0' || !g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The token file %s holds no token"), path);
      return FALSE;
    }
  lers_client_set_token (self, contents);
  return TRUE;
}

/**
 * lers_client_get_language:
 * @self: a #LersClient
 *
 * Returns: (nullable): the language sent as `Accept-Language`
 *
 * Since: 0.5
 */
const gchar *
lers_client_get_language (LersClient *self)
{
  g_return_val_if_fail (LERS_IS_CLIENT (self), NULL);

  return self->language;
}

/**
 * lers_client_set_language:
 * @self: a #LersClient
 * @language: (nullable): a language tag such as `ru`, or %NULL
 *
 * Sets the language of the server's messages (its errors).
 *
 * Since: 0.5
 */
void
lers_client_set_language (LersClient *self, const gchar *language)
{
  g_return_if_fail (LERS_IS_CLIENT (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LANGUAGE]);
}

/**
 * lers_client_get_ca_file:
 * @self: a #LersClient
 *
 * Returns: (nullable) (type filename): the certificate authorities' file
 *
 * Since: 0.5
 */
const gchar *
lers_client_get_ca_file (LersClient *self)
{
  g_return_val_if_fail (LERS_IS_CLIENT (self), NULL);

  return self->ca_file;
}

/**
 * lers_client_set_ca_file:
 * @self: a #LersClient
 * @ca_file: (nullable) (type filename): a PEM file, or %NULL for the
 *   system's authorities
 *
 * Sets the certificate authorities an HTTPS server must be certified by.
 * A file that cannot be read fails every later request with
 * %LERS_ERROR_CONNECTION naming it.
 *
 * Since: 0.5
 */
void
lers_client_set_ca_file (LersClient *self, const gchar *ca_file)
{
  g_return_if_fail (LERS_IS_CLIENT (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CA_FILE]);
}

/* ---------------------------------------------------------------------------
 * Reading the server's JSON: anything may come, nothing may crash
 * ------------------------------------------------------------------------- */

static JsonArray *
lers_client_member_array (JsonObject *object, const gchar *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
lers_client_member_object (JsonObject *object, const gchar *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
lers_client_element_object (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* NULL unless a string */
static const gchar *
lers_client_element_string (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

/* ---------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------- */

/* The API's error code back to a LersError: the names of
 * lers_error_code_to_string() and the HTTP-only ones */
static LersError
lers_client_code_from_string (const gchar *code, guint status)
{
  static const struct
  {
    const gchar *name;
    LersError code;
  } map[] = {
    { "failed", LERS_ERROR_FAILED },
    { "invalid-argument", LERS_ERROR_INVALID_ARGUMENT },
    { "not-found", LERS_ERROR_NOT_FOUND },
    { "not-supported", LERS_ERROR_NOT_SUPPORTED },
    { "invalid-data", LERS_ERROR_INVALID_DATA },
    { "checksum", LERS_ERROR_CHECKSUM },
    { "timed-out", LERS_ERROR_TIMED_OUT },
    { "connection", LERS_ERROR_CONNECTION },
    { "database", LERS_ERROR_DATABASE },
    { "permission-denied", LERS_ERROR_PERMISSION_DENIED },
    { "cancelled", LERS_ERROR_CANCELLED },
    { "busy", LERS_ERROR_BUSY },
    { "unauthorized", LERS_ERROR_PERMISSION_DENIED },
    { "forbidden", LERS_ERROR_PERMISSION_DENIED },
    { "method-not-allowed", LERS_ERROR_NOT_SUPPORTED },
    { "conflict", LERS_ERROR_INVALID_ARGUMENT },
    { "too-many-requests", LERS_ERROR_BUSY },
  };

  for (gsize i = 0; code != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].name, code))
      return map[i].code;

  /* an answer without a known code: by its status */
  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
    case SOUP_STATUS_CONFLICT:
      return LERS_ERROR_INVALID_ARGUMENT;
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      return LERS_ERROR_PERMISSION_DENIED;
    case SOUP_STATUS_NOT_FOUND:
      return LERS_ERROR_NOT_FOUND;
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
    case SOUP_STATUS_NOT_IMPLEMENTED:
      return LERS_ERROR_NOT_SUPPORTED;
    case 429:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return LERS_ERROR_BUSY;
    case SOUP_STATUS_GATEWAY_TIMEOUT:
    case SOUP_STATUS_REQUEST_TIMEOUT:
      return LERS_ERROR_TIMED_OUT;
    case SOUP_STATUS_BAD_GATEWAY:
      return LERS_ERROR_CONNECTION;
    default:
      return LERS_ERROR_FAILED;
    }
}

/* An answer that is not 2xx as a GError: the server's message when it sent
 * one, else the status line. */
static GError *
lers_client_error_from_answer (SoupMessage *msg, GBytes *body)
{
  guint status = soup_message_get_status (msg);
  g_autoptr (JsonParser) parser = json_parser_new ();
  const gchar *code = NULL;
  const gchar *message = NULL;
  JsonNode *root;

  if (body != NULL && g_bytes_get_size (body) > 0
      && json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *error = lers_client_member_object (json_node_get_object (root), "error");

      if (error != NULL)
        {
          code = json_object_get_string_member_with_default (error, "code", NULL);
          message = json_object_get_string_member_with_default (error, "message", NULL);
        }
    }
  if (message != NULL)
    return g_error_new_literal (LERS_ERROR, lers_client_code_from_string (code, status), message);
  /* TRANSLATORS: %u is an HTTP status such as 502, %s its reason such as
   * "Bad Gateway" */
  return g_error_new (
      LERS_ERROR, lers_client_code_from_string (NULL, status), _ ("The server answered HTTP %u %s"),
      status,
      soup_message_get_reason_phrase (msg) != NULL ? soup_message_get_reason_phrase (msg) : "");
}

/* A transport error (nothing answered) as a LERS_ERROR */
static GError *
lers_client_error_from_transport (LersClient *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (LERS_ERROR, LERS_ERROR_CANCELLED, _ ("The request was cancelled"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (LERS_ERROR, LERS_ERROR_TIMED_OUT, _ ("The server %s did not answer: %s"),
                        self->base_url, error->message);
  /* TRANSLATORS: the first %s is the server's address, the second why */
  return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION, _ ("Could not reach the server %s: %s"),
                      self->base_url, error->message);
}

/* ---------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------- */

static gboolean
lers_client_prepare_tls (LersClient *self, GError **error)
{
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (GError) local_error = NULL;
  GTlsDatabase *current = soup_session_get_tls_database (self->session);

  if (self->ca_file == NULL)
    {
      if (current != NULL && G_IS_TLS_FILE_DATABASE (current))
        soup_session_set_tls_database (
            self->session, g_tls_backend_get_default_database (g_tls_backend_get_default ()));
      return TRUE;
    }
  if (current != NULL && G_IS_TLS_FILE_DATABASE (current))
    {
      g_autofree gchar *anchors = NULL;

      g_object_get (current, "anchors", &anchors, NULL);
      if (g_strcmp0 (anchors, self->ca_file) == 0)
        return TRUE;
    }
  database = g_tls_file_database_new (self->ca_file, &local_error);
  if (database == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION,
                   _ ("Could not read the certificate authorities of %s: %s"), self->ca_file,
                   local_error->message);
      return FALSE;
    }
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

/* A task whose error is the one the call returns: a cancelled call is
 * LERS_ERROR_CANCELLED, not GIO's */
static GTask *
lers_client_task_new (LersClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_check_cancellable (task, FALSE);
  return task;
}

/* Printable ASCII without line breaks: what a header value may carry */
static gboolean
lers_client_header_safe (const gchar *value)
{
  for (const gchar *p = value; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

/* Sends @method @path (with its query, after /api/v1) and @body (a JSON
 * text, or NULL); the task's result is the answer's JSON root (NULL for an
 * empty answer). */
static void
lers_client_request_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &error);
  if (body == NULL)
    {
      g_task_return_error (task, lers_client_error_from_transport (self, error));
      return;
    }
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, lers_client_error_from_answer (msg, body));
      return;
    }
  if (g_bytes_get_size (body) == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   &error))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("The server's answer is not JSON: %s"), error->message);
      return;
    }
  g_task_return_pointer (task, json_node_ref (json_parser_get_root (parser)),
                         (GDestroyNotify) json_node_unref);
}

static void
lers_client_request_async (LersClient *self, const gchar *method, const gchar *path,
                           const gchar *body, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = lers_client_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *url = g_strconcat (self->base_url, "/api/v1/", path, NULL);
  g_autoptr (GUri) uri = NULL;
  SoupMessage *msg;
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, lers_client_request_async);
  if (!lers_client_prepare_tls (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is not a server address: %s"), self->base_url,
                               error->message);
      return;
    }
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
      && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is not an http:// or https:// address"), self->base_url);
      return;
    }
  /* a header value with a line break would be a second header */
  if ((self->token != NULL && !lers_client_header_safe (self->token))
      || (self->language != NULL && !lers_client_header_safe (self->language)))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The token or the language has characters a request cannot "
                                  "carry"));
      return;
    }
  msg = soup_message_new_from_uri (method, uri);
  g_task_set_task_data (task, msg, g_object_unref);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree gchar *bearer = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  if (self->language != NULL)
    soup_message_headers_replace (headers, "Accept-Language", self->language);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    lers_client_request_cb, g_steal_pointer (&task));
}

static JsonNode *
lers_client_request_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The answer of a call that must be a JSON object */
static JsonObject *
lers_client_answer_object (JsonNode *root, GError **error)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("The server's answer is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (root);
}

/* ---------------------------------------------------------------------------
 * JSON → objects
 * ------------------------------------------------------------------------- */

static gboolean
lers_client_value_from_json (GParamSpec *pspec, JsonNode *node, GValue *value, GError **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  GType fundamental = G_TYPE_FUNDAMENTAL (type);
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);
  GType held = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  gboolean is_number = held == G_TYPE_INT64 || held == G_TYPE_DOUBLE;

  g_value_init (value, type);
  switch (fundamental)
    {
    case G_TYPE_STRING:
      if (is_null)
        return TRUE;
      if (held == G_TYPE_STRING)
        {
          g_value_set_string (value, json_node_get_string (node));
          return TRUE;
        }
      break;
    case G_TYPE_BOOLEAN:
      if (held == G_TYPE_BOOLEAN)
        {
          g_value_set_boolean (value, json_node_get_boolean (node));
          return TRUE;
        }
      break;
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      /* an id of another object is null for none */
      if (is_null || held == G_TYPE_INT64)
        {
          gint64 n = is_null ? 0 : json_node_get_int (node);
          GValue v64 = G_VALUE_INIT;

          g_value_init (&v64, G_TYPE_INT64);
          g_value_set_int64 (&v64, n);
          g_value_transform (&v64, value);
          return TRUE;
        }
      break;
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      if (is_number || is_null)
        {
          gdouble d = is_null ? NAN : json_node_get_double (node);

          if (fundamental == G_TYPE_DOUBLE)
            g_value_set_double (value, d);
          else
            g_value_set_float (value, d);
          return TRUE;
        }
      break;
    case G_TYPE_ENUM:
      if (held == G_TYPE_STRING)
        {
          g_autoptr (GEnumClass) klass = g_type_class_ref (type);
          const GEnumValue *ev = g_enum_get_value_by_nick (klass, json_node_get_string (node));

          if (ev != NULL)
            {
              g_value_set_enum (value, ev->value);
              return TRUE;
            }
        }
      break;
    case G_TYPE_FLAGS:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          g_autoptr (GFlagsClass) klass = g_type_class_ref (type);
          JsonArray *array = json_node_get_array (node);
          guint flags = 0;

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              const gchar *nick = lers_client_element_string (array, i);
              const GFlagsValue *fv = nick != NULL ? g_flags_get_value_by_nick (klass, nick) : NULL;

              if (fv != NULL)
                flags |= fv->value;
            }
          g_value_set_flags (value, flags);
          return TRUE;
        }
      break;
    case G_TYPE_BOXED:
      if (type == G_TYPE_DATE_TIME && (is_null || held == G_TYPE_STRING))
        {
          GDateTime *time = NULL;

          if (is_null)
            return TRUE;
          time = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
          if (time == NULL)
            time = lers_time_parse (json_node_get_string (node));
          if (time != NULL)
            {
              g_value_take_boxed (value, time);
              return TRUE;
            }
        }
      else if (type == G_TYPE_STRV && (is_null || JSON_NODE_HOLDS_ARRAY (node)))
        {
          JsonArray *array = is_null ? NULL : json_node_get_array (node);
          guint n = array != NULL ? json_array_get_length (array) : 0;
          GStrv strv = g_new0 (gchar *, n + 1);

          guint k = 0;

          for (guint i = 0; i < n; i++)
            if (lers_client_element_string (array, i) != NULL)
              strv[k++] = g_strdup (lers_client_element_string (array, i));
          g_value_take_boxed (value, strv);
          return TRUE;
        }
      else
        {
          /* a type the API does not show: left at its default */
          return TRUE;
        }
      break;
    default:
      return TRUE;
    }

  g_value_unset (value);
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               _ ("The server sent a value of the wrong type for “%s”"),
               g_param_spec_get_name (pspec));
  return FALSE;
}

/* An object of @type with each writable property set from the member of
 * the same name ("node_type" → "node-type"); members with no such property
 * are ignored (a newer server may show more). */
static GObject *
lers_client_object_from_members (GType type, JsonObject *members, GError **error)
{
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_autoptr (GList) list = json_object_get_members (members);
  GObject *object = NULL;

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  for (GList *l = list; l != NULL; l = l->next)
    {
      const gchar *member = l->data;
      g_autofree gchar *name = g_strdelimit (g_strdup (member), "_", '-');
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), name);
      GValue value = G_VALUE_INIT;

      if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE))
        continue;
      if (!lers_client_value_from_json (pspec, json_object_get_member (members, member), &value,
                                        error))
        return NULL;
      /* a number out of the property's range would be a warning */
      if (g_param_value_validate (pspec, &value))
        {
          g_value_unset (&value);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("The server sent a value out of range for “%s”"), member);
          return NULL;
        }
      g_array_append_val (values, value);
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  object = g_object_new_with_properties (type, names->len, (const gchar **) names->pdata,
                                         (const GValue *) values->data);
  return object;
}

/**
 * lers_client_object_from_json:
 * @type: a #GObject type such as %LERS_TYPE_NODE
 * @json: an object as the API shows it: `{"id": 3, "title": "ИТП 1",
 *   "node_type": "node", …}`
 * @error: return location for a #GError
 *
 * Reads an object of the HTTP API: each writable property of @type is set
 * from the member of the same name with "-" as "_"; enums are their nicks,
 * times ISO 8601, ids of other objects integers or null for none. Members
 * with no property are ignored.
 *
 * Returns: (transfer full) (nullable): the object, or %NULL with
 *   %LERS_ERROR_INVALID_DATA (not a JSON object, a member of the wrong type)
 *
 * Since: 0.5
 */
GObject *
lers_client_object_from_json (GType type, const gchar *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Not valid JSON: %s"),
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("The server's answer is not a JSON object"));
      return NULL;
    }
  return lers_client_object_from_members (type, json_node_get_object (root), error);
}

static GObject *
lers_client_object_from_node (GType type, JsonNode *node, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("The server's answer is not a JSON object"));
      return NULL;
    }
  return lers_client_object_from_members (type, json_node_get_object (node), error);
}

/* ---------------------------------------------------------------------------
 * One object
 * ------------------------------------------------------------------------- */

static void
lers_client_get_object_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  GType type = GPOINTER_TO_SIZE (g_task_get_task_data (task));
  GObject *object;

  root = lers_client_request_finish (LERS_CLIENT (source), res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = lers_client_object_from_node (type, root, &error);
  if (object == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, object, g_object_unref);
}

static void
lers_client_get_object_async (LersClient *self, GType type, const gchar *path,
                              GCancellable *cancellable, gpointer source_tag,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = lers_client_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, GSIZE_TO_POINTER (type), NULL);
  lers_client_request_async (self, "GET", path, NULL, cancellable, lers_client_get_object_cb, task);
}

/**
 * lers_client_get_node_async:
 * @self: a #LersClient
 * @id: the node's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the node
 * @user_data: data for @callback
 *
 * Reads one node (`GET /api/v1/nodes/{id}`).
 *
 * Since: 0.5
 */
void
lers_client_get_node_async (LersClient *self, gint64 id, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree gchar *path = g_strdup_printf ("nodes/%" G_GINT64_FORMAT, id);

  g_return_if_fail (LERS_IS_CLIENT (self));

  lers_client_get_object_async (self, LERS_TYPE_NODE, path, cancellable, lers_client_get_node_async,
                                callback, user_data);
}

/**
 * lers_client_get_node_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the node, or %NULL with the error
 *   (%LERS_ERROR_NOT_FOUND for a node that does not exist or is not
 *   visible to the user)
 *
 * Since: 0.5
 */
LersNode *
lers_client_get_node_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------
 * Lists
 * ------------------------------------------------------------------------- */

typedef struct
{
  GType type;
  gchar *path;   /* "nodes" */
  gchar *filter; /* the caller's query, or NULL */
  guint limit;   /* 0: all */
  GPtrArray *items;
} LersClientList;

static void
lers_client_list_free (LersClientList *list)
{
  g_free (list->path);
  g_free (list->filter);
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list);
}

static void lers_client_list_next (GTask *task, const gchar *cursor_param, const gchar *cursor);

static void
lers_client_list_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersClientList *list = g_task_get_task_data (task);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *next = NULL;
  const gchar *cursor_param = "after";
  JsonArray *items = NULL;

  root = lers_client_request_finish (LERS_CLIENT (source), res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    items = json_node_get_array (root); /* a bare array: one page */
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *next_node = json_object_get_member (object, "next");

      items = lers_client_member_array (object, "items");
      if (items == NULL && (items = lers_client_member_array (object, "jobs")) != NULL)
        cursor_param = "before"; /* /poll/jobs pages by the last id */
      if (next_node != NULL && JSON_NODE_HOLDS_VALUE (next_node))
        {
          if (json_node_get_value_type (next_node) == G_TYPE_STRING)
            next = g_strdup (json_node_get_string (next_node));
          else if (json_node_get_value_type (next_node) == G_TYPE_INT64)
            next = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (next_node));
        }
    }
  if (items == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("The server's answer is not a list"));
      return;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      GObject *object;

      if (list->limit > 0 && list->items->len >= list->limit)
        break;
      object = lers_client_object_from_node (list->type, json_array_get_element (items, i), &error);
      if (object == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (list->items, object);
    }

  if (next != NULL && next[0] != '\0' && json_array_get_length (items) > 0
      && (list->limit == 0 || list->items->len < list->limit))
    {
      lers_client_list_next (g_steal_pointer (&task), cursor_param, next);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&list->items), (GDestroyNotify) g_ptr_array_unref);
}

/* Asks for the next page; takes @task */
static void
lers_client_list_next (GTask *task, const gchar *cursor_param, const gchar *cursor)
{
  LersClient *self = g_task_get_source_object (task);
  LersClientList *list = g_task_get_task_data (task);
  g_autoptr (GString) path = g_string_new (list->path);
  guint page = self->page_size;
  const gchar *sep = strchr (list->path, '?') != NULL ? "&" : "?";

  if (list->limit > 0)
    page = MIN (page, list->limit - list->items->len);
  if (list->filter != NULL && list->filter[0] != '\0')
    {
      g_string_append_printf (path, "%s%s", sep,
                              list->filter[0] == '?' ? list->filter + 1 : list->filter);
      sep = "&";
    }
  g_string_append_printf (path, "%slimit=%u", sep, page);
  if (cursor != NULL)
    {
      g_autofree gchar *escaped = g_uri_escape_string (cursor, NULL, FALSE);
      g_string_append_printf (path, "&%s=%s", cursor_param, escaped);
    }
  lers_client_request_async (self, "GET", path->str, NULL, g_task_get_cancellable (task),
                             lers_client_list_cb, task);
}

static void
lers_client_list_async (LersClient *self, GType type, const gchar *path, const gchar *filter,
                        guint limit, GCancellable *cancellable, gpointer source_tag,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = lers_client_task_new (self, cancellable, callback, user_data);
  LersClientList *list = g_new0 (LersClientList, 1);

  g_task_set_source_tag (task, source_tag);
  list->type = type;
  list->path = g_strdup (path);
  list->filter = g_strdup (filter);
  list->limit = limit;
  list->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, list, (GDestroyNotify) lers_client_list_free);
  lers_client_list_next (task, NULL, NULL);
}

static GPtrArray *
lers_client_list_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lers_client_list_nodes_async:
 * @self: a #LersClient
 * @filter: (nullable): the list's query, as the API takes it:
 *   `territory_id=3&order=title`, `title.like=%25Ленина%25` (URL-encoded)
 * @limit: at most this many nodes, or 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the nodes
 * @user_data: data for @callback
 *
 * Lists the nodes the user may see (`GET /api/v1/nodes`), following the
 * server's pages (`next`) until @limit nodes or the end.
 *
 * Since: 0.5
 */
void
lers_client_list_nodes_async (LersClient *self, const gchar *filter, guint limit,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (LERS_IS_CLIENT (self));

  lers_client_list_async (self, LERS_TYPE_NODE, "nodes", filter, limit, cancellable,
                          lers_client_list_nodes_async, callback, user_data);
}

/**
 * lers_client_list_nodes_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersNode) (nullable): the
 *   nodes in the server's order, or %NULL with the error
 *   (%LERS_ERROR_INVALID_ARGUMENT naming an unknown filter)
 *
 * Since: 0.5
 */
GPtrArray *
lers_client_list_nodes_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  return lers_client_list_finish (self, result, error);
}

/**
 * lers_client_list_measure_points_async:
 * @self: a #LersClient
 * @node_id: a node's id, or 0 for every point the user may see
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the points
 * @user_data: data for @callback
 *
 * Lists the measure points of a node, or all (`GET
 * /api/v1/points?node_id=…`), following the pages to the end.
 *
 * Since: 0.5
 */
void
lers_client_list_measure_points_async (LersClient *self, gint64 node_id, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree gchar *filter = NULL;

  g_return_if_fail (LERS_IS_CLIENT (self));

  if (node_id > 0)
    filter = g_strdup_printf ("node_id=%" G_GINT64_FORMAT, node_id);
  lers_client_list_async (self, LERS_TYPE_MEASURE_POINT, "points", filter, 0, cancellable,
                          lers_client_list_measure_points_async, callback, user_data);
}

/**
 * lers_client_list_measure_points_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersMeasurePoint) (nullable):
 *   the points, or %NULL with the error
 *
 * Since: 0.5
 */
GPtrArray *
lers_client_list_measure_points_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  return lers_client_list_finish (self, result, error);
}

/**
 * lers_client_list_devices_async:
 * @self: a #LersClient
 * @filter: (nullable): the list's query, such as `protocol=mbus&order=serial`
 * @limit: at most this many devices, or 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the devices
 * @user_data: data for @callback
 *
 * Lists the devices (`GET /api/v1/devices`; staff only), following the
 * pages. Devices' passwords are never sent.
 *
 * Since: 0.5
 */
void
lers_client_list_devices_async (LersClient *self, const gchar *filter, guint limit,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (LERS_IS_CLIENT (self));

  lers_client_list_async (self, LERS_TYPE_DEVICE, "devices", filter, limit, cancellable,
                          lers_client_list_devices_async, callback, user_data);
}

/**
 * lers_client_list_devices_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersDevice) (nullable): the
 *   devices, or %NULL with the error
 *
 * Since: 0.5
 */
GPtrArray *
lers_client_list_devices_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  return lers_client_list_finish (self, result, error);
}

/**
 * lers_client_list_poll_jobs_async:
 * @self: a #LersClient
 * @filter: (nullable): the query of `GET /api/v1/poll/jobs`, such as
 *   `point=3&state=failed`
 * @limit: at most this many jobs, or 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the jobs
 * @user_data: data for @callback
 *
 * Lists poll jobs, newest first, following the pages.
 *
 * Since: 0.5
 */
void
lers_client_list_poll_jobs_async (LersClient *self, const gchar *filter, guint limit,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (LERS_IS_CLIENT (self));

  lers_client_list_async (self, LERS_TYPE_POLL_JOB, "poll/jobs", filter, limit, cancellable,
                          lers_client_list_poll_jobs_async, callback, user_data);
}

/**
 * lers_client_list_poll_jobs_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersPollJob) (nullable): the
 *   jobs, or %NULL with the error
 *
 * Since: 0.5
 */
GPtrArray *
lers_client_list_poll_jobs_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  return lers_client_list_finish (self, result, error);
}

/* ---------------------------------------------------------------------------
 * Archives
 * ------------------------------------------------------------------------- */

static gboolean
lers_client_batch_add_record (LersArchiveBatch *batch, GFlagsClass *flags_class, JsonObject *record,
                              GError **error)
{
  const gchar *ts_str = json_object_get_string_member_with_default (record, "timestamp", NULL);
  JsonArray *values = lers_client_member_array (record, "values");
  g_autoptr (GDateTime) ts = NULL;

  if (ts_str != NULL)
    ts = g_date_time_new_from_iso8601 (ts_str, NULL);
  if (ts == NULL || values == NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("The server sent an archive record without a timestamp or values"));
      return FALSE;
    }
  lers_archive_batch_append_row (
      batch, g_date_time_to_unix (ts) * G_USEC_PER_SEC + g_date_time_get_microsecond (ts),
      json_object_get_int_member_with_default (record, "channel", 0));
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *v = lers_client_element_object (values, i);
      const gchar *name;
      JsonNode *value_node;
      JsonArray *flags;
      LersParameter parameter;
      guint32 value_flags = 0;
      gdouble value = NAN;

      if (v == NULL)
        continue;
      name = json_object_get_string_member_with_default (v, "parameter", NULL);
      /* a parameter this library does not know (a newer server): left out */
      if (name == NULL || !lers_parameter_from_name (name, &parameter))
        continue;
      value_node = json_object_get_member (v, "value");
      if (value_node != NULL && JSON_NODE_HOLDS_VALUE (value_node)
          && json_node_get_value_type (value_node) != G_TYPE_STRING)
        value = json_node_get_double (value_node);
      else
        value_flags |= LERS_VALUE_FLAG_BAD; /* null: not finite on the server */
      flags = lers_client_member_array (v, "flags");
      for (guint j = 0; flags != NULL && j < json_array_get_length (flags); j++)
        {
          const gchar *nick = lers_client_element_string (flags, j);
          const GFlagsValue *fv
              = nick != NULL ? g_flags_get_value_by_nick (flags_class, nick) : NULL;

          if (fv != NULL)
            value_flags |= fv->value;
        }
      lers_archive_batch_set_last (batch, parameter, value, value_flags);
    }
  return TRUE;
}

static void
lers_client_archive_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autoptr (GFlagsClass) flags_class = NULL;
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  JsonObject *object;
  JsonArray *records;
  guint n;

  root = lers_client_request_finish (LERS_CLIENT (source), res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = lers_client_answer_object (root, &error);
  records = object != NULL ? lers_client_member_array (object, "records") : NULL;
  if (records == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("The server's answer is not an archive"));
      return;
    }
  lers_archive_kind_from_string (json_object_get_string_member_with_default (object, "kind", ""),
                                 &kind);
  batch = lers_archive_batch_new (json_object_get_int_member_with_default (object, "point_id", 0),
                                  kind);
  n = json_array_get_length (records);
  lers_archive_batch_reserve (batch, n);
  flags_class = g_type_class_ref (LERS_TYPE_VALUE_FLAGS);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *record = lers_client_element_object (records, i);

      if (record == NULL)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                   _ ("The server's answer is not an archive"));
          return;
        }
      if (!lers_client_batch_add_record (batch, flags_class, record, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  lers_archive_batch_trim (batch);
  g_task_return_pointer (task, g_steal_pointer (&batch), g_object_unref);
}

/**
 * lers_client_get_archive_async:
 * @self: a #LersClient
 * @point_id: the measure point's id
 * @kind: the archive
 * @from: (nullable): the first time, or %NULL for a day before @to
 * @to: (nullable): the end, not included, or %NULL for now
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the records
 * @user_data: data for @callback
 *
 * Reads a point's archive over [@from, @to) (`GET
 * /api/v1/points/{id}/archive`), as lers_store_query_archive_async() does
 * on a local database. The range is at most 366 days.
 *
 * Since: 0.5
 */
void
lers_client_get_archive_async (LersClient *self, gint64 point_id, LersArchiveKind kind,
                               GDateTime *from, GDateTime *to, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  g_autoptr (GString) path = g_string_new (NULL);

  g_return_if_fail (LERS_IS_CLIENT (self));

  task = lers_client_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_client_get_archive_async);
  g_string_printf (path, "points/%" G_GINT64_FORMAT "/archive?kind=%s", point_id,
                   lers_archive_kind_to_string (kind));
  if (from != NULL)
    {
      g_autofree gchar *text = lers_time_format (from, NULL);
      g_autofree gchar *escaped = g_uri_escape_string (text, NULL, FALSE);
      g_string_append_printf (path, "&from=%s", escaped);
    }
  if (to != NULL)
    {
      g_autofree gchar *text = lers_time_format (to, NULL);
      g_autofree gchar *escaped = g_uri_escape_string (text, NULL, FALSE);
      g_string_append_printf (path, "&to=%s", escaped);
    }
  lers_client_request_async (self, "GET", path->str, NULL, cancellable, lers_client_archive_cb,
                             task);
}

/**
 * lers_client_get_archive_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the records, oldest first, each value
 *   in its parameter's storage unit with its flags; %NULL with the error
 *   (%LERS_ERROR_NOT_FOUND for an unknown point)
 *
 * Since: 0.5
 */
LersArchiveBatch *
lers_client_get_archive_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------
 * Manual reads
 * ------------------------------------------------------------------------- */

static void
lers_client_poll_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object;
  JsonArray *array;

  root = lers_client_request_finish (LERS_CLIENT (source), res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = lers_client_answer_object (root, &error);
  array = object != NULL ? lers_client_member_array (object, "jobs") : NULL;
  if (array == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("The server's answer is not a list"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      GObject *job = lers_client_object_from_node (LERS_TYPE_POLL_JOB,
                                                   json_array_get_element (array, i), &error);
      if (job == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (jobs, job);
    }
  g_task_return_pointer (task, g_steal_pointer (&jobs), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * lers_client_poll_async:
 * @self: a #LersClient
 * @points: (array length=n_points): the measure points to read
 * @n_points: how many
 * @kinds: (array length=n_kinds) (nullable): the archives to read, or
 *   %NULL for the server's default (hour)
 * @n_kinds: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the jobs
 * @user_data: data for @callback
 *
 * Asks the server to read the points' meters now (`POST
 * /api/v1/poll/jobs`; operators and administrators). The jobs run on the
 * server; follow them with lers_client_list_poll_jobs_async().
 *
 * Since: 0.5
 */
void
lers_client_poll_async (LersClient *self, const gint64 *points, guint n_points,
                        const LersArchiveKind *kinds, guint n_kinds, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *body = NULL;
  GTask *task;

  g_return_if_fail (LERS_IS_CLIENT (self));
  g_return_if_fail (points != NULL || n_points == 0);
  g_return_if_fail (kinds != NULL || n_kinds == 0);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_points; i++)
    json_builder_add_int_value (b, points[i]);
  json_builder_end_array (b);
  if (n_kinds > 0)
    {
      json_builder_set_member_name (b, "kinds");
      json_builder_begin_array (b);
      for (guint i = 0; i < n_kinds; i++)
        json_builder_add_string_value (b, lers_archive_kind_to_string (kinds[i]));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);

  task = lers_client_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_client_poll_async);
  lers_client_request_async (self, "POST", "poll/jobs", body, cancellable, lers_client_poll_cb,
                             task);
}

/**
 * lers_client_poll_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersPollJob) (nullable): the
 *   jobs queued, or %NULL with the error
 *
 * Since: 0.5
 */
GPtrArray *
lers_client_poll_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------
 * Login and the server
 * ------------------------------------------------------------------------- */

static void
lers_client_login_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersClient *self = LERS_CLIENT (source);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *object;
  const gchar *token;
  GObject *user;

  root = lers_client_request_finish (self, res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = lers_client_answer_object (root, &error);
  token
      = object != NULL ? json_object_get_string_member_with_default (object, "token", NULL) : NULL;
  if (token == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("The server's answer to the login has no token"));
      return;
    }
  user = lers_client_object_from_node (LERS_TYPE_USER, json_object_get_member (object, "user"),
                                       &error);
  if (user == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  lers_client_set_token (self, token);
  g_task_return_pointer (task, user, g_object_unref);
}

/**
 * lers_client_login_async:
 * @self: a #LersClient
 * @login: the user's login
 * @password: the user's password
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once logged in
 * @user_data: data for @callback
 *
 * Logs in and creates an API token titled "LersClient" (`POST
 * /api/v1/auth/login`); later requests carry it (#LersClient:token). Read
 * the password from the user or a file, never from a command line.
 *
 * Since: 0.5
 */
void
lers_client_login_async (LersClient *self, const gchar *login, const gchar *password,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *body = NULL;
  GTask *task;

  g_return_if_fail (LERS_IS_CLIENT (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, login);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_set_member_name (b, "token");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, "LersClient");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);

  task = lers_client_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_client_login_async);
  lers_client_request_async (self, "POST", "auth/login", body, cancellable, lers_client_login_cb,
                             task);
}

/**
 * lers_client_login_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the user logged in, or %NULL with
 *   the error (%LERS_ERROR_PERMISSION_DENIED with the server's message for
 *   a wrong login or password, %LERS_ERROR_BUSY after too many)
 *
 * Since: 0.5
 */
LersUser *
lers_client_login_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_client_server_info_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr (GList) members = NULL;
  JsonObject *object;
  JsonObject *info;

  root = lers_client_request_finish (LERS_CLIENT (source), res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = lers_client_answer_object (root, &error);
  info = object != NULL ? lers_client_member_object (object, "info") : NULL;
  if (info == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("The server's answer has no information about it"));
      return;
    }
  members = json_object_get_members (info);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (info, l->data);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_variant_builder_add (&builder, "{sv}", (const gchar *) l->data,
                               g_variant_new_string (json_node_get_string (node)));
    }
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_builder_end (&builder)),
                         (GDestroyNotify) g_variant_unref);
}

/**
 * lers_client_get_server_info_async:
 * @self: a #LersClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the information
 * @user_data: data for @callback
 *
 * Reads what the server says of itself: the `info` of its OpenAPI
 * document (`GET /api/v1/openapi.json`, no login needed): `title`,
 * `version`, `description`. Also a cheap check that the server answers.
 *
 * Since: 0.5
 */
void
lers_client_get_server_info_async (LersClient *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_CLIENT (self));

  task = lers_client_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_client_get_server_info_async);
  lers_client_request_async (self, "GET", "openapi.json", NULL, cancellable,
                             lers_client_server_info_cb, task);
}

/**
 * lers_client_get_server_info_finish:
 * @self: a #LersClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): an `a{sv}` dictionary of strings
 *   (`title`, `version`…), or %NULL with the error
 *
 * Since: 0.5
 */
GVariant *
lers_client_get_server_info_finish (LersClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
