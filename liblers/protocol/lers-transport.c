/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-enum-types.h"
#include "lers-error.h"
#include "lers-sync-call-private.h"
#include "protocol/lers-transport.h"

/**
 * LersTransport:
 *
 * One physical link to one or more devices. Subclasses open it (connect,
 * open the serial line, dial); the base class owns the timing, so every
 * kind of link keeps the same rules:
 *
 * - #LersTransport:connect-timeout-ms bounds each attempt to open, and a
 *   failed attempt is made again up to #LersTransport:retries times;
 * - an exchange (a request and its answer) fails with %LERS_ERROR_TIMED_OUT
 *   when the first byte of the answer takes longer than
 *   #LersTransport:first-byte-timeout-ms, when the line goes quiet for
 *   #LersTransport:inter-byte-timeout-ms in the middle of an answer, or
 *   when the whole answer takes longer than #LersTransport:answer-timeout-ms.
 *
 * The link never retries an exchange itself: resending is the driver's
 * decision (with the same frame count bit, the same request), so a link's
 * timeout can never use up the driver's retries. Time comes from
 * #LersTransport:clock, which tests replace with a manual clock.
 *
 * Since: 0.3
 */
typedef struct
{
  gchar *description;
  LersClock *clock;
  guint connect_timeout_ms;
  guint first_byte_timeout_ms;
  guint inter_byte_timeout_ms;
  guint answer_timeout_ms;
  guint retries;
  guint64 bytes_sent;
  guint64 bytes_received;
  GIOStream *stream;
  gboolean open;
  gboolean line_configured;
  gboolean exchanging;
  GByteArray *leftover; /* received after the last answer, not yet read */
} LersTransportPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (LersTransport, lers_transport, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DESCRIPTION,
  PROP_CLOCK,
  PROP_CONNECT_TIMEOUT_MS,
  PROP_FIRST_BYTE_TIMEOUT_MS,
  PROP_INTER_BYTE_TIMEOUT_MS,
  PROP_ANSWER_TIMEOUT_MS,
  PROP_RETRIES,
  PROP_BYTES_SENT,
  PROP_BYTES_RECEIVED,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_FIRST_BYTE_TIMEOUT_MS 5000
#define DEFAULT_INTER_BYTE_TIMEOUT_MS 1000
#define DEFAULT_ANSWER_TIMEOUT_MS 30000
#define DEFAULT_RETRIES 1
#define READ_CHUNK 4096

static LersTransportPrivate *
priv_of (LersTransport *self)
{
  return lers_transport_get_instance_private (self);
}

/* ---- defaults over a GIOStream ------------------------------------------- */

static void
stream_open_async (LersTransport *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, stream_open_async);
  if (priv_of (self)->stream == NULL)
    g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                             _ ("The link %s cannot be opened from here"),
                             priv_of (self)->description);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
task_finish_boolean (LersTransport *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stream_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  /* a closed stream is not opened again by the default open */
  lers_transport_set_stream (g_task_get_source_object (task), NULL);
  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
stream_close_async (LersTransport *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GIOStream *stream = priv_of (self)->stream;

  g_task_set_source_tag (task, stream_close_async);
  if (stream == NULL || g_io_stream_is_closed (stream))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, cancellable, stream_closed_cb,
                           g_steal_pointer (&task));
}

static void
stream_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
stream_write_async (LersTransport *self, GBytes *bytes, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GIOStream *stream = priv_of (self)->stream;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_task_set_source_tag (task, stream_write_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  if (stream == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s is not open"), priv_of (self)->description);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, len,
                                   G_PRIORITY_DEFAULT, cancellable, stream_written_cb,
                                   g_steal_pointer (&task));
}

static void
stream_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTransport *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr (GBytes) bytes
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s was closed by the other end"),
                               priv_of (self)->description);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
stream_read_async (LersTransport *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GIOStream *stream = priv_of (self)->stream;

  g_task_set_source_tag (task, stream_read_async);
  if (stream == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s is not open"), priv_of (self)->description);
      return;
    }
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (stream), READ_CHUNK,
                                   G_PRIORITY_DEFAULT, cancellable, stream_read_cb,
                                   g_steal_pointer (&task));
}

static GBytes *
task_finish_bytes (LersTransport *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
no_set_line (LersTransport *self, guint baud_rate, guint data_bits, LersParity parity,
             guint stop_bits, GError **error)
{
  g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
               _ ("The link %s has no line speed to set"), priv_of (self)->description);
  return FALSE;
}

/* A late answer to an earlier request may sit in the socket: read and drop
 * whatever is there now, without waiting. */
static void
stream_discard_input (LersTransport *self)
{
  GIOStream *stream = priv_of (self)->stream;
  GInputStream *input;
  guint8 buf[READ_CHUNK];
  gsize dropped = 0;

  if (stream == NULL || g_io_stream_is_closed (stream))
    return;
  input = g_io_stream_get_input_stream (stream);
  if (!G_IS_POLLABLE_INPUT_STREAM (input)
      || !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input))
      || g_input_stream_has_pending (input))
    return;
  while (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input)))
    {
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input), buf,
                                                           sizeof buf, NULL, NULL);
      if (n <= 0)
        break; /* closed or failed: the next read says so */
      dropped += (gsize) n;
      priv_of (self)->bytes_received += (guint64) n;
    }
  if (dropped > 0)
    g_debug ("%s: dropped %" G_GSIZE_FORMAT " late bytes", priv_of (self)->description, dropped);
}

/* ---- GObject ------------------------------------------------------------- */

static void
lers_transport_finalize (GObject *object)
{
  LersTransportPrivate *priv = priv_of (LERS_TRANSPORT (object));

  g_free (priv->description);
  g_clear_object (&priv->clock);
  g_clear_object (&priv->stream);
  g_byte_array_unref (priv->leftover);
  G_OBJECT_CLASS (lers_transport_parent_class)->finalize (object);
}

static void
lers_transport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersTransport *self = LERS_TRANSPORT (object);
  LersTransportPrivate *priv = priv_of (self);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, priv->description);
      break;
    case PROP_CLOCK:
      g_value_set_object (value, lers_transport_get_clock (self));
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      g_value_set_uint (value, priv->connect_timeout_ms);
      break;
    case PROP_FIRST_BYTE_TIMEOUT_MS:
      g_value_set_uint (value, priv->first_byte_timeout_ms);
      break;
    case PROP_INTER_BYTE_TIMEOUT_MS:
      g_value_set_uint (value, priv->inter_byte_timeout_ms);
      break;
    case PROP_ANSWER_TIMEOUT_MS:
      g_value_set_uint (value, priv->answer_timeout_ms);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, priv->retries);
      break;
    case PROP_BYTES_SENT:
      g_value_set_uint64 (value, priv->bytes_sent);
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, priv->bytes_received);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_transport_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersTransport *self = LERS_TRANSPORT (object);
  LersTransportPrivate *priv = priv_of (self);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_free (priv->description);
      priv->description = g_value_dup_string (value);
      break;
    case PROP_CLOCK:
      lers_transport_set_clock (self, g_value_get_object (value));
      break;
    case PROP_CONNECT_TIMEOUT_MS:
      lers_transport_set_connect_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_FIRST_BYTE_TIMEOUT_MS:
      lers_transport_set_first_byte_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_INTER_BYTE_TIMEOUT_MS:
      lers_transport_set_inter_byte_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_ANSWER_TIMEOUT_MS:
      lers_transport_set_answer_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_RETRIES:
      lers_transport_set_retries (self, g_value_get_uint (value));
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
lers_transport_class_init (LersTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_transport_finalize;
  object_class->get_property = lers_transport_get_property;
  object_class->set_property = lers_transport_set_property;
  klass->open_async = stream_open_async;
  klass->open_finish = task_finish_boolean;
  klass->close_async = stream_close_async;
  klass->close_finish = task_finish_boolean;
  klass->write_async = stream_write_async;
  klass->write_finish = task_finish_boolean;
  klass->read_async = stream_read_async;
  klass->read_finish = task_finish_bytes;
  klass->set_line = no_set_line;
  klass->discard_input = stream_discard_input;

  /**
   * LersTransport:description:
   *
   * The link in logs and errors: `tcp:10.0.0.7:4001`, `/dev/ttyUSB0`.
   *
   * Since: 0.3
   */
  props[PROP_DESCRIPTION]
      = g_param_spec_string ("description", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersTransport:clock:
   *
   * Where the link's timeouts come from; the real clock unless a test sets
   * a manual one.
   *
   * Since: 0.3
   */
  props[PROP_CLOCK]
      = g_param_spec_object ("clock", NULL, NULL, LERS_TYPE_CLOCK,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersTransport:connect-timeout-ms:
   *
   * How long one attempt to open the link (connect, dial) may take; 0 for
   * no limit.
   *
   * Since: 0.3
   */
  props[PROP_CONNECT_TIMEOUT_MS] = ms_property ("connect-timeout-ms", DEFAULT_CONNECT_TIMEOUT_MS);
  /**
   * LersTransport:first-byte-timeout-ms:
   *
   * How long after a request the first byte of the answer may take; 0 for
   * no limit.
   *
   * Since: 0.3
   */
  props[PROP_FIRST_BYTE_TIMEOUT_MS]
      = ms_property ("first-byte-timeout-ms", DEFAULT_FIRST_BYTE_TIMEOUT_MS);
  /**
   * LersTransport:inter-byte-timeout-ms:
   *
   * The longest silence inside an answer; 0 for no limit. For an exchange
   * without a frame scanner this silence ends the answer (Modbus RTU).
   *
   * Since: 0.3
   */
  props[PROP_INTER_BYTE_TIMEOUT_MS]
      = ms_property ("inter-byte-timeout-ms", DEFAULT_INTER_BYTE_TIMEOUT_MS);
  /**
   * LersTransport:answer-timeout-ms:
   *
   * How long a whole answer may take from the end of the request; 0 for
   * no limit.
   *
   * Since: 0.3
   */
  props[PROP_ANSWER_TIMEOUT_MS] = ms_property ("answer-timeout-ms", DEFAULT_ANSWER_TIMEOUT_MS);
  /**
   * LersTransport:retries:
   *
   * How many more times a failed attempt to open the link is made.
   *
   * Since: 0.3
   */
  props[PROP_RETRIES]
      = g_param_spec_uint ("retries", NULL, NULL, 0, 100, DEFAULT_RETRIES,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersTransport:bytes-sent:
   *
   * Bytes written since the transport was made (traffic statistics).
   *
   * Since: 0.3
   */
  props[PROP_BYTES_SENT] = g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LersTransport:bytes-received:
   *
   * Bytes read since the transport was made.
   *
   * Since: 0.3
   */
  props[PROP_BYTES_RECEIVED] = g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_transport_init (LersTransport *self)
{
  LersTransportPrivate *priv = priv_of (self);

  priv->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
  priv->first_byte_timeout_ms = DEFAULT_FIRST_BYTE_TIMEOUT_MS;
  priv->inter_byte_timeout_ms = DEFAULT_INTER_BYTE_TIMEOUT_MS;
  priv->answer_timeout_ms = DEFAULT_ANSWER_TIMEOUT_MS;
  priv->retries = DEFAULT_RETRIES;
  priv->leftover = g_byte_array_new ();
}

/* ---- properties ---------------------------------------------------------- */

/**
 * lers_transport_get_description:
 * @self: a #LersTransport
 *
 * Returns: (nullable): the link as logs show it
 *
 * Since: 0.3
 */
const gchar *
lers_transport_get_description (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), NULL);
  return priv_of (self)->description;
}

/**
 * lers_transport_get_clock:
 * @self: a #LersTransport
 *
 * Returns: (transfer none): the clock the link's timeouts run on
 *
 * Since: 0.3
 */
LersClock *
lers_transport_get_clock (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), NULL);
  return priv_of (self)->clock != NULL ? priv_of (self)->clock : lers_clock_get_default ();
}

/**
 * lers_transport_set_clock:
 * @self: a #LersTransport
 * @clock: (nullable): a clock; %NULL for the real one
 *
 * Since: 0.3
 */
void
lers_transport_set_clock (LersTransport *self, LersClock *clock)
{
  g_return_if_fail (LERS_IS_TRANSPORT (self));
  if (g_set_object (&priv_of (self)->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOCK]);
}

#define MS_ACCESSORS(name, field, prop)                                                            \
  guint lers_transport_get_##name (LersTransport *self)                                            \
  {                                                                                                \
    g_return_val_if_fail (LERS_IS_TRANSPORT (self), 0);                                            \
    return priv_of (self)->field;                                                                  \
  }                                                                                                \
  void lers_transport_set_##name (LersTransport *self, guint value)                                \
  {                                                                                                \
    g_return_if_fail (LERS_IS_TRANSPORT (self));                                                   \
    if (priv_of (self)->field == value)                                                            \
      return;                                                                                      \
    priv_of (self)->field = value;                                                                 \
    g_object_notify_by_pspec (G_OBJECT (self), props[prop]);                                       \
  }

/**
 * lers_transport_get_connect_timeout_ms:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:connect-timeout-ms
 *
 * Since: 0.3
 */
/**
 * lers_transport_set_connect_timeout_ms:
 * @self: a #LersTransport
 * @value: milliseconds; 0 for no limit
 *
 * Since: 0.3
 */
MS_ACCESSORS (connect_timeout_ms, connect_timeout_ms, PROP_CONNECT_TIMEOUT_MS)
/**
 * lers_transport_get_first_byte_timeout_ms:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:first-byte-timeout-ms
 *
 * Since: 0.3
 */
/**
 * lers_transport_set_first_byte_timeout_ms:
 * @self: a #LersTransport
 * @value: milliseconds; 0 for no limit
 *
 * Since: 0.3
 */
MS_ACCESSORS (first_byte_timeout_ms, first_byte_timeout_ms, PROP_FIRST_BYTE_TIMEOUT_MS)
/**
 * lers_transport_get_inter_byte_timeout_ms:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:inter-byte-timeout-ms
 *
 * Since: 0.3
 */
/**
 * lers_transport_set_inter_byte_timeout_ms:
 * @self: a #LersTransport
 * @value: milliseconds; 0 for no limit
 *
 * Since: 0.3
 */
MS_ACCESSORS (inter_byte_timeout_ms, inter_byte_timeout_ms, PROP_INTER_BYTE_TIMEOUT_MS)
/**
 * lers_transport_get_answer_timeout_ms:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:answer-timeout-ms
 *
 * Since: 0.3
 */
/**
 * lers_transport_set_answer_timeout_ms:
 * @self: a #LersTransport
 * @value: milliseconds; 0 for no limit
 *
 * Since: 0.3
 */
MS_ACCESSORS (answer_timeout_ms, answer_timeout_ms, PROP_ANSWER_TIMEOUT_MS)
/**
 * lers_transport_get_retries:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:retries
 *
 * Since: 0.3
 */
/**
 * lers_transport_set_retries:
 * @self: a #LersTransport
 * @value: how many more attempts to open the link
 *
 * Since: 0.3
 */
MS_ACCESSORS (retries, retries, PROP_RETRIES)

/**
 * lers_transport_get_bytes_sent:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:bytes-sent
 *
 * Since: 0.3
 */
guint64
lers_transport_get_bytes_sent (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), 0);
  return priv_of (self)->bytes_sent;
}

/**
 * lers_transport_get_bytes_received:
 * @self: a #LersTransport
 *
 * Returns: #LersTransport:bytes-received
 *
 * Since: 0.3
 */
guint64
lers_transport_get_bytes_received (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), 0);
  return priv_of (self)->bytes_received;
}

/**
 * lers_transport_is_open:
 * @self: a #LersTransport
 *
 * Returns: whether the link is open
 *
 * Since: 0.3
 */
gboolean
lers_transport_is_open (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), FALSE);
  return priv_of (self)->open;
}

/**
 * lers_transport_apply_connection:
 * @self: a #LersTransport
 * @connection: the stored connection
 *
 * Takes the connection's timeouts and retries: #LersConnection:timeout
 * (seconds) becomes the connect timeout, #LersConnection:first-byte-timeout-ms,
 * #LersConnection:inter-byte-timeout-ms and #LersConnection:answer-timeout-ms
 * the answer timeouts, #LersConnection:retries the open retries. A timeout
 * of 0 or retries of -1 there keep the transport's default.
 *
 * Since: 0.3
 */
void
lers_transport_apply_connection (LersTransport *self, LersConnection *connection)
{
  guint timeout;
  gint retries;

  g_return_if_fail (LERS_IS_TRANSPORT (self));
  g_return_if_fail (LERS_IS_CONNECTION (connection));
  timeout = lers_connection_get_timeout (connection);
  if (timeout > 0)
    lers_transport_set_connect_timeout_ms (self, (guint) MIN ((guint64) timeout * 1000, G_MAXUINT));
  if (lers_connection_get_first_byte_timeout_ms (connection) > 0)
    lers_transport_set_first_byte_timeout_ms (
        self, lers_connection_get_first_byte_timeout_ms (connection));
  if (lers_connection_get_inter_byte_timeout_ms (connection) > 0)
    lers_transport_set_inter_byte_timeout_ms (
        self, lers_connection_get_inter_byte_timeout_ms (connection));
  if (lers_connection_get_answer_timeout_ms (connection) > 0)
    lers_transport_set_answer_timeout_ms (self, lers_connection_get_answer_timeout_ms (connection));
  retries = lers_connection_get_retries (connection);
  if (retries >= 0)
    lers_transport_set_retries (self, (guint) MIN (retries, 100));
}

/**
 * lers_transport_set_stream:
 * @self: a #LersTransport
 * @stream: (nullable): the connected stream the default I/O uses
 *
 * For subclasses: a transport with a stream is open, one without is closed.
 *
 * Since: 0.3
 */
void
lers_transport_set_stream (LersTransport *self, GIOStream *stream)
{
  g_return_if_fail (LERS_IS_TRANSPORT (self));
  g_set_object (&priv_of (self)->stream, stream);
  priv_of (self)->open = stream != NULL;
}

/**
 * lers_transport_get_stream:
 * @self: a #LersTransport
 *
 * Returns: (transfer none) (nullable): the stream under the link, if any
 *
 * Since: 0.3
 */
GIOStream *
lers_transport_get_stream (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), NULL);
  return priv_of (self)->stream;
}

/* ---- open and close, with the connect timeout and retries ---------------- */

typedef struct
{
  guint attempt;
  guint timer;
  gboolean timed_out;
  GCancellable *attempt_cancellable;
  gulong cancel_handler;
} OpenData;

static void
open_data_stop (LersTransport *self, OpenData *d, GCancellable *user)
{
  lers_clock_remove_timeout (lers_transport_get_clock (self), d->timer);
  d->timer = 0;
  if (d->cancel_handler != 0)
    g_cancellable_disconnect (user, d->cancel_handler);
  d->cancel_handler = 0;
  g_clear_object (&d->attempt_cancellable);
}

static void
open_data_free (OpenData *d)
{
  g_clear_object (&d->attempt_cancellable);
  g_free (d);
}

static void open_attempt (GTask *task);

static void
cancel_linked_cb (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
open_timeout_cb (gpointer user_data)
{
  OpenData *d = user_data;

  d->timer = 0;
  d->timed_out = TRUE;
  g_cancellable_cancel (d->attempt_cancellable);
}

static void
open_attempt_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTransport *self = LERS_TRANSPORT (source);
  LersTransportPrivate *priv = priv_of (self);
  OpenData *d = g_task_get_task_data (task);
  GCancellable *user = g_task_get_cancellable (task);
  GError *error = NULL;
  gboolean timed_out = d->timed_out;

  open_data_stop (self, d, user);
  if (LERS_TRANSPORT_GET_CLASS (self)->open_finish (self, result, &error))
    {
      priv->open = TRUE;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  lers_error_convert (&error);
  if (g_cancellable_is_cancelled (user))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CANCELLED,
                               _ ("Opening %s was cancelled"), priv->description);
      g_object_unref (task);
      return;
    }
  if (timed_out)
    {
      g_clear_error (&error);
      error = g_error_new (LERS_ERROR, LERS_ERROR_TIMED_OUT, _ ("%s did not open within %u ms"),
                           priv->description, priv->connect_timeout_ms);
    }
  if (d->attempt < priv->retries)
    {
      g_debug ("%s: %s; attempt %u of %u", priv->description, error->message, d->attempt + 2,
               priv->retries + 1);
      g_clear_error (&error);
      d->attempt++;
      open_attempt (task);
      return;
    }
  /* TRANSLATORS: the number of attempts made to open a link */
  g_prefix_error (&error,
                  g_dngettext (GETTEXT_PACKAGE, "%u attempt: ", "%u attempts: ", d->attempt + 1),
                  d->attempt + 1);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
open_attempt (GTask *task)
{
  LersTransport *self = g_task_get_source_object (task);
  LersTransportPrivate *priv = priv_of (self);
  OpenData *d = g_task_get_task_data (task);
  GCancellable *user = g_task_get_cancellable (task);

  d->timed_out = FALSE;
  d->attempt_cancellable = g_cancellable_new ();
  if (user != NULL)
    d->cancel_handler
        = g_cancellable_connect (user, G_CALLBACK (cancel_linked_cb), d->attempt_cancellable, NULL);
  if (priv->connect_timeout_ms > 0)
    d->timer = lers_clock_add_timeout (lers_transport_get_clock (self), priv->connect_timeout_ms,
                                       open_timeout_cb, d, NULL);
  LERS_TRANSPORT_GET_CLASS (self)->open_async (self, d->attempt_cancellable, open_attempt_cb, task);
}

/**
 * lers_transport_open_async:
 * @self: a #LersTransport
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the link is open or could not be opened
 * @user_data: data for @callback
 *
 * Opens the link, trying again up to #LersTransport:retries times; each
 * attempt is bounded by #LersTransport:connect-timeout-ms.
 *
 * Since: 0.3
 */
void
lers_transport_open_async (LersTransport *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_TRANSPORT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_transport_open_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_new0 (OpenData, 1), (GDestroyNotify) open_data_free);
  if (priv_of (self)->open)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  open_attempt (task);
}

/**
 * lers_transport_open_finish:
 * @self: a #LersTransport
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: whether the link is open
 *
 * Since: 0.3
 */
gboolean
lers_transport_open_finish (LersTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTransport *self = LERS_TRANSPORT (source);
  GError *error = NULL;

  if (!LERS_TRANSPORT_GET_CLASS (self)->close_finish (self, result, &error))
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * lers_transport_close_async:
 * @self: a #LersTransport
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when closed
 * @user_data: data for @callback
 *
 * Hangs up or closes the link. Closing a closed link does nothing.
 *
 * Since: 0.3
 */
void
lers_transport_close_async (LersTransport *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LERS_IS_TRANSPORT (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_transport_close_async);
  if (!priv_of (self)->open)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  priv_of (self)->open = FALSE;
  g_byte_array_set_size (priv_of (self)->leftover, 0);
  LERS_TRANSPORT_GET_CLASS (self)->close_async (self, cancellable, closed_cb,
                                                g_steal_pointer (&task));
}

/**
 * lers_transport_close_finish:
 * @self: a #LersTransport
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: whether the link closed cleanly
 *
 * Since: 0.3
 */
gboolean
lers_transport_close_finish (LersTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- raw I/O ------------------------------------------------------------- */

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTransport *self = LERS_TRANSPORT (source);
  GBytes *bytes = g_task_get_task_data (task);
  GError *error = NULL;

  if (!LERS_TRANSPORT_GET_CLASS (self)->write_finish (self, result, &error))
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  priv_of (self)->bytes_sent += g_bytes_get_size (bytes);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BYTES_SENT]);
  g_task_return_boolean (task, TRUE);
}

/**
 * lers_transport_write_async:
 * @self: an open #LersTransport
 * @bytes: what to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when all of @bytes went out
 * @user_data: data for @callback
 *
 * Since: 0.3
 */
void
lers_transport_write_async (LersTransport *self, GBytes *bytes, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_TRANSPORT (self));
  g_return_if_fail (bytes != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_transport_write_async);
  /* the link's own error (LERS_ERROR_CANCELLED), not GIO's, when cancelled */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  LERS_TRANSPORT_GET_CLASS (self)->write_async (self, bytes, cancellable, written_cb, task);
}

/**
 * lers_transport_write_finish:
 * @self: a #LersTransport
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: whether everything was sent
 *
 * Since: 0.3
 */
gboolean
lers_transport_write_finish (LersTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTransport *self = LERS_TRANSPORT (source);
  GError *error = NULL;
  GBytes *bytes = LERS_TRANSPORT_GET_CLASS (self)->read_finish (self, result, &error);

  if (bytes == NULL)
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  priv_of (self)->bytes_received += g_bytes_get_size (bytes);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BYTES_RECEIVED]);
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * lers_transport_read_async:
 * @self: an open #LersTransport
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when some bytes came
 * @user_data: data for @callback
 *
 * Waits, without a time limit, for whatever the line brings next. Drivers
 * use lers_transport_exchange_async(), which keeps the link's timeouts.
 *
 * Since: 0.3
 */
void
lers_transport_read_async (LersTransport *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  LersTransportPrivate *priv;
  GTask *task;

  g_return_if_fail (LERS_IS_TRANSPORT (self));
  priv = priv_of (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_transport_read_async);
  g_task_set_check_cancellable (task, FALSE);
  if (priv->leftover->len > 0)
    {
      GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&priv->leftover));

      priv->leftover = g_byte_array_new ();
      g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  LERS_TRANSPORT_GET_CLASS (self)->read_async (self, cancellable, read_cb, task);
}

/**
 * lers_transport_read_finish:
 * @self: a #LersTransport
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the bytes that came, never empty
 *
 * Since: 0.3
 */
GBytes *
lers_transport_read_finish (LersTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lers_transport_set_line:
 * @self: a #LersTransport
 * @baud_rate: bits per second
 * @data_bits: 5 to 8
 * @parity: the parity
 * @stop_bits: 1 or 2
 * @error: return location for a #GError
 *
 * Changes a serial line's speed and framing, also in the middle of a
 * session (IEC 62056-21 mode C). Other links answer
 * %LERS_ERROR_NOT_SUPPORTED.
 *
 * Returns: whether the line was set
 *
 * Since: 0.3
 */
gboolean
lers_transport_set_line (LersTransport *self, guint baud_rate, guint data_bits, LersParity parity,
                         guint stop_bits, GError **error)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), FALSE);
  if (!LERS_TRANSPORT_GET_CLASS (self)->set_line (self, baud_rate, data_bits, parity, stop_bits,
                                                  error))
    return FALSE;
  priv_of (self)->line_configured = TRUE;
  return TRUE;
}

/**
 * lers_transport_set_line_default:
 * @self: a #LersTransport
 * @baud_rate: the protocol's usual speed
 * @data_bits: its data bits
 * @parity: its parity
 * @stop_bits: its stop bits
 * @error: return location for a #GError
 *
 * For drivers: sets the protocol's usual line (M-Bus: 2400 8E1) unless the
 * link's own settings or an earlier lers_transport_set_line() chose one.
 * Links without a line speed accept this and do nothing.
 *
 * Returns: %FALSE if the line could not be set
 *
 * Since: 0.3
 */
gboolean
lers_transport_set_line_default (LersTransport *self, guint baud_rate, guint data_bits,
                                 LersParity parity, guint stop_bits, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (LERS_IS_TRANSPORT (self), FALSE);
  if (priv_of (self)->line_configured)
    return TRUE;
  if (lers_transport_set_line (self, baud_rate, data_bits, parity, stop_bits, &local_error))
    return TRUE;
  if (g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * lers_transport_get_line_configured:
 * @self: a #LersTransport
 *
 * Returns: whether the line's speed was chosen (by the link's settings or
 *   lers_transport_set_line()), so protocol defaults no longer apply
 *
 * Since: 0.3
 */
gboolean
lers_transport_get_line_configured (LersTransport *self)
{
  g_return_val_if_fail (LERS_IS_TRANSPORT (self), FALSE);
  return priv_of (self)->line_configured;
}

/**
 * lers_transport_discard_input:
 * @self: a #LersTransport
 *
 * Drops what was received and not read: a late answer to an earlier request.
 *
 * Since: 0.3
 */
void
lers_transport_discard_input (LersTransport *self)
{
  g_return_if_fail (LERS_IS_TRANSPORT (self));
  g_byte_array_set_size (priv_of (self)->leftover, 0);
  LERS_TRANSPORT_GET_CLASS (self)->discard_input (self);
}

/* ---- exchange: a request and its answer, under the link's timeouts ------- */

typedef enum
{
  TIMED_OUT_NOT,
  TIMED_OUT_FIRST_BYTE,
  TIMED_OUT_INTER_BYTE,
  TIMED_OUT_ANSWER,
} TimedOut;

typedef struct
{
  GBytes *request;
  LersFrameScanner scanner;
  gpointer scanner_data;
  GDestroyNotify scanner_destroy;
  GByteArray *rx;
  GCancellable *io_cancellable;
  gulong cancel_handler;
  guint first_byte_timer;
  guint inter_byte_timer;
  guint answer_timer;
  TimedOut timed_out;
} Exchange;

static void
exchange_free (Exchange *x)
{
  g_clear_pointer (&x->request, g_bytes_unref);
  if (x->scanner_destroy != NULL)
    x->scanner_destroy (x->scanner_data);
  g_byte_array_unref (x->rx);
  g_clear_object (&x->io_cancellable);
  g_free (x);
}

static void
exchange_stop_timers (LersTransport *self, Exchange *x)
{
  LersClock *clock = lers_transport_get_clock (self);

  lers_clock_remove_timeout (clock, x->first_byte_timer);
  lers_clock_remove_timeout (clock, x->inter_byte_timer);
  lers_clock_remove_timeout (clock, x->answer_timer);
  x->first_byte_timer = x->inter_byte_timer = x->answer_timer = 0;
}

static void
exchange_return (GTask *task, GBytes *answer, GError *error)
{
  LersTransport *self = g_task_get_source_object (task);
  Exchange *x = g_task_get_task_data (task);

  exchange_stop_timers (self, x);
  if (x->cancel_handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), x->cancel_handler);
  x->cancel_handler = 0;
  priv_of (self)->exchanging = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

static void
timer_fired (Exchange *x, TimedOut why, guint *timer)
{
  *timer = 0;
  if (x->timed_out == TIMED_OUT_NOT)
    x->timed_out = why;
  g_cancellable_cancel (x->io_cancellable);
}

static void
first_byte_timeout_cb (gpointer user_data)
{
  Exchange *x = user_data;
  timer_fired (x, TIMED_OUT_FIRST_BYTE, &x->first_byte_timer);
}

static void
inter_byte_timeout_cb (gpointer user_data)
{
  Exchange *x = user_data;
  timer_fired (x, TIMED_OUT_INTER_BYTE, &x->inter_byte_timer);
}

static void
answer_timeout_cb (gpointer user_data)
{
  Exchange *x = user_data;
  timer_fired (x, TIMED_OUT_ANSWER, &x->answer_timer);
}

static GError *
exchange_timeout_error (LersTransport *self, Exchange *x)
{
  LersTransportPrivate *priv = priv_of (self);

  switch (x->timed_out)
    {
    case TIMED_OUT_FIRST_BYTE:
      return g_error_new (LERS_ERROR, LERS_ERROR_TIMED_OUT, _ ("%s: no answer within %u ms"),
                          priv->description, priv->first_byte_timeout_ms);
    case TIMED_OUT_INTER_BYTE:
      return g_error_new (LERS_ERROR, LERS_ERROR_TIMED_OUT,
                          _ ("%s: the answer stopped after %u bytes (silent for %u ms)"),
                          priv->description, x->rx->len, priv->inter_byte_timeout_ms);
    case TIMED_OUT_ANSWER:
    case TIMED_OUT_NOT:
    default:
      return g_error_new (LERS_ERROR, LERS_ERROR_TIMED_OUT,
                          _ ("%s: the answer took longer than %u ms (%u bytes came)"),
                          priv->description, priv->answer_timeout_ms, x->rx->len);
    }
}

/* Returns whether the exchange was returned */
static gboolean
exchange_scan (GTask *task)
{
  LersTransport *self = g_task_get_source_object (task);
  LersTransportPrivate *priv = priv_of (self);
  Exchange *x = g_task_get_task_data (task);

  if (x->scanner == NULL)
    return FALSE;
  while (x->rx->len > 0)
    {
      gssize n = x->scanner (x->rx->data, x->rx->len, x->scanner_data);

      if (n == 0)
        return FALSE;
      if (n < 0)
        {
          gsize drop = MIN ((gsize) -n, x->rx->len);
          g_byte_array_remove_range (x->rx, 0, (guint) drop);
          continue;
        }
      if ((gsize) n > x->rx->len)
        {
          g_critical ("frame scanner claimed %" G_GSSIZE_FORMAT " of %u bytes", n, x->rx->len);
          return FALSE;
        }
      g_byte_array_append (priv->leftover, x->rx->data + n, x->rx->len - (guint) n);
      exchange_return (task, g_bytes_new (x->rx->data, (gsize) n), NULL);
      return TRUE;
    }
  return FALSE;
}

static void exchange_read (GTask *task);

static void
exchange_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTransport *self = LERS_TRANSPORT (source);
  LersTransportPrivate *priv = priv_of (self);
  Exchange *x = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (GBytes) bytes = lers_transport_read_finish (self, result, &error);

  if (bytes != NULL)
    g_byte_array_append (x->rx, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (x->timed_out != TIMED_OUT_NOT && error != NULL
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED))
    {
      /* the line failed (the peer hung up) as the timer fired: that is
       * what happened, not a timeout */
      exchange_return (task, NULL, error);
      return;
    }
  if (x->timed_out != TIMED_OUT_NOT)
    {
      g_clear_error (&error);
      if (x->scanner == NULL && x->timed_out == TIMED_OUT_INTER_BYTE && x->rx->len > 0)
        {
          /* no scanner: the silence after the answer ends it */
          exchange_return (task, g_bytes_new (x->rx->data, x->rx->len), NULL);
          return;
        }
      if (exchange_scan (task))
        return;
      /* what came stays for the driver to see if it listens again */
      g_byte_array_append (priv->leftover, x->rx->data, x->rx->len);
      exchange_return (task, NULL, exchange_timeout_error (self, x));
      return;
    }
  if (bytes == NULL)
    {
      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_clear_error (&error);
          error = g_error_new (LERS_ERROR, LERS_ERROR_CANCELLED, _ ("%s: cancelled"),
                               priv->description);
        }
      exchange_return (task, NULL, error);
      return;
    }
  lers_clock_remove_timeout (lers_transport_get_clock (self), x->first_byte_timer);
  x->first_byte_timer = 0;
  if (exchange_scan (task))
    return;
  lers_clock_remove_timeout (lers_transport_get_clock (self), x->inter_byte_timer);
  x->inter_byte_timer = 0;
  if (priv->inter_byte_timeout_ms > 0)
    x->inter_byte_timer
        = lers_clock_add_timeout (lers_transport_get_clock (self), priv->inter_byte_timeout_ms,
                                  inter_byte_timeout_cb, x, NULL);
  exchange_read (task);
}

static void
exchange_read (GTask *task)
{
  LersTransport *self = g_task_get_source_object (task);
  Exchange *x = g_task_get_task_data (task);

  lers_transport_read_async (self, x->io_cancellable, exchange_read_cb, task);
}

static void
exchange_listen (GTask *task)
{
  LersTransport *self = g_task_get_source_object (task);
  LersTransportPrivate *priv = priv_of (self);
  Exchange *x = g_task_get_task_data (task);
  LersClock *clock = lers_transport_get_clock (self);

  if (priv->first_byte_timeout_ms > 0)
    x->first_byte_timer = lers_clock_add_timeout (clock, priv->first_byte_timeout_ms,
                                                  first_byte_timeout_cb, x, NULL);
  if (priv->answer_timeout_ms > 0)
    x->answer_timer
        = lers_clock_add_timeout (clock, priv->answer_timeout_ms, answer_timeout_cb, x, NULL);
  exchange_read (task);
}

static void
exchange_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!lers_transport_write_finish (LERS_TRANSPORT (source), result, &error))
    {
      exchange_return (task, NULL, error);
      return;
    }
  exchange_listen (task);
}

/**
 * lers_transport_exchange_async:
 * @self: an open #LersTransport
 * @request: (nullable): what to send; %NULL to only wait for what the
 *   device sends next
 * @scanner: (nullable) (scope notified) (closure scanner_data)
 *   (destroy scanner_destroy): where the answer ends; %NULL to end it at
 *   the first silence of #LersTransport:inter-byte-timeout-ms
 * @scanner_data: data for @scanner
 * @scanner_destroy: (nullable): frees @scanner_data
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the answer
 * @user_data: data for @callback
 *
 * Sends @request and waits for one answer under the link's timeouts.
 * Before a request, anything left from an earlier answer is dropped; bytes
 * that come after the answer stay for the next exchange without a request.
 * One exchange at a time per link.
 *
 * Since: 0.3
 */
void
lers_transport_exchange_async (LersTransport *self, GBytes *request, LersFrameScanner scanner,
                               gpointer scanner_data, GDestroyNotify scanner_destroy,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  LersTransportPrivate *priv;
  GTask *task;
  Exchange *x;

  g_return_if_fail (LERS_IS_TRANSPORT (self));
  priv = priv_of (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_transport_exchange_async);
  /* a cancel is reported as LERS_ERROR_CANCELLED, not GIO's code */
  g_task_set_check_cancellable (task, FALSE);
  x = g_new0 (Exchange, 1);
  x->request = request != NULL ? g_bytes_ref (request) : NULL;
  x->scanner = scanner;
  x->scanner_data = scanner_data;
  x->scanner_destroy = scanner_destroy;
  x->rx = g_byte_array_new ();
  x->io_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, x, (GDestroyNotify) exchange_free);
  if (!priv->open)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s is not open"), priv->description);
      g_object_unref (task);
      return;
    }
  if (priv->exchanging)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_BUSY,
                               _ ("The link %s is busy with another exchange"), priv->description);
      g_object_unref (task);
      return;
    }
  priv->exchanging = TRUE;
  if (cancellable != NULL)
    x->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_linked_cb),
                                               g_object_ref (x->io_cancellable), g_object_unref);
  if (request == NULL)
    {
      /* listening: what is left over is the start of the answer */
      g_byte_array_append (x->rx, priv->leftover->data, priv->leftover->len);
      g_byte_array_set_size (priv->leftover, 0);
      if (exchange_scan (task))
        return;
      exchange_listen (task);
      return;
    }
  lers_transport_discard_input (self);
  lers_transport_write_async (self, request, x->io_cancellable, exchange_written_cb, task);
}

/**
 * lers_transport_exchange_finish:
 * @self: a #LersTransport
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the answer, one frame as the scanner cut it
 *
 * Since: 0.3
 */
GBytes *
lers_transport_exchange_finish (LersTransport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- blocking forms, for scripts ---------------------------------------- */

/**
 * lers_transport_open_sync:
 * @self: a #LersTransport
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of lers_transport_open_async(); it runs a private
 * main context.
 *
 * Returns: whether the link is open
 *
 * Since: 0.3
 */
gboolean
lers_transport_open_sync (LersTransport *self, GCancellable *cancellable, GError **error)
{
  LersSyncCall call;
  gboolean ok;

  lers_sync_call_begin (&call);
  lers_transport_open_async (self, cancellable, lers_sync_call_done, &call);
  ok = lers_transport_open_finish (self, lers_sync_call_wait (&call), error);
  lers_sync_call_end (&call);
  return ok;
}

/**
 * lers_transport_close_sync:
 * @self: a #LersTransport
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: whether the link closed cleanly
 *
 * Since: 0.3
 */
gboolean
lers_transport_close_sync (LersTransport *self, GCancellable *cancellable, GError **error)
{
  LersSyncCall call;
  gboolean ok;

  lers_sync_call_begin (&call);
  lers_transport_close_async (self, cancellable, lers_sync_call_done, &call);
  ok = lers_transport_close_finish (self, lers_sync_call_wait (&call), error);
  lers_sync_call_end (&call);
  return ok;
}

/**
 * lers_transport_exchange_sync:
 * @self: an open #LersTransport
 * @request: (nullable): what to send
 * @scanner: (nullable) (scope call) (closure scanner_data): where the answer ends
 * @scanner_data: data for @scanner
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the answer
 *
 * Since: 0.3
 */
GBytes *
lers_transport_exchange_sync (LersTransport *self, GBytes *request, LersFrameScanner scanner,
                              gpointer scanner_data, GCancellable *cancellable, GError **error)
{
  LersSyncCall call;
  GBytes *answer;

  lers_sync_call_begin (&call);
  lers_transport_exchange_async (self, request, scanner, scanner_data, NULL, cancellable,
                                 lers_sync_call_done, &call);
  answer = lers_transport_exchange_finish (self, lers_sync_call_wait (&call), error);
  lers_sync_call_end (&call);
  return answer;
}
