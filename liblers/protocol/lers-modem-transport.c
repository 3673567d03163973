/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "protocol/lers-at-answer.h"
#include "protocol/lers-modem-transport.h"

/**
 * LersModemTransport:
 *
 * A dial-up (CSD or PSTN) modem on a serial line. Opening it opens the
 * line, sends each command of #LersModemTransport:init-string and waits for
 * `OK`, dials with #LersModemTransport:dial-prefix and the phone number,
 * and waits, within #LersTransport:connect-timeout-ms, for `CONNECT`. A
 * busy number, no carrier, no answer, no dial tone or an `ERROR` fail with
 * %LERS_ERROR_CONNECTION and the modem's word in the message. Then the
 * bytes pass through to the meter.
 *
 * Closing hangs up: a guard time of silence, `+++`, another guard time,
 * `OK`, `ATH`, `OK`, and the line closes. A modem that already lost the
 * carrier (`NO CARRIER`) closes without error. Guard times run on
 * #LersTransport:clock.
 *
 * The speed of the line to the modem stays as it was opened: the modem
 * converts, so lers_transport_set_line() is not supported here.
 *
 * Between the init string and the dial, unless #LersModemTransport:query-info
 * is off, the modem is asked what it is (3GPP TS 27.007): `AT+CSQ` (signal
 * quality), `AT+CGMR` (firmware revision) and `AT+CCID` (the SIM's ICCID).
 * Each may answer `ERROR` or nothing within 2 seconds without failing the
 * open; what came is kept for lers_modem_transport_get_signal_level(),
 * lers_modem_transport_get_firmware() and lers_modem_transport_get_sim_id().
 *
 * Since: 0.3
 */

#define DEFAULT_INIT_STRING "ATZ;ATE0V1"
#define DEFAULT_DIAL_PREFIX "ATD"
#define DEFAULT_DIAL_TIMEOUT_MS 60000
#define DEFAULT_GUARD_MS 1000
/* how long an information query (AT+CSQ …) may take */
#define INFO_TIMEOUT_MS 2000

static const gchar *const info_commands[] = { "AT+CSQ", "AT+CGMR", "AT+CCID" };

struct _LersModemTransport
{
  LersTransport parent_instance;
  LersTransport *line;
  gchar *phone_number;
  gchar *init_string;
  gchar *dial_prefix;
  guint guard_ms;
  guint connect_speed;
  gboolean online; /* CONNECT seen, not hung up */
  gboolean query_info;
  gint signal_level; /* dBm; 0: unknown */
  gchar *firmware;
  gchar *sim_id;
};

G_DEFINE_FINAL_TYPE (LersModemTransport, lers_modem_transport, LERS_TYPE_TRANSPORT)

enum
{
  PROP_0,
  PROP_LINE,
  PROP_PHONE_NUMBER,
  PROP_INIT_STRING,
  PROP_DIAL_PREFIX,
  PROP_GUARD_MS,
  PROP_CONNECT_SPEED,
  PROP_QUERY_INFO,
  PROP_SIGNAL_LEVEL,
  PROP_FIRMWARE,
  PROP_SIM_ID,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

static gssize
at_scanner (const guint8 *data, gsize len, gpointer user_data)
{
  gsize end = 0;

  if (lers_at_answer_parse (data, len, &end, NULL) == LERS_AT_RESULT_NONE)
    return 0;
  return (gssize) end;
}

static GBytes *
command_bytes (const gchar *command)
{
  g_autofree gchar *text = g_strconcat (command, "\r", NULL);
  gsize len = strlen (text);

  return g_bytes_new_take (g_steal_pointer (&text), len);
}

/* ---- what the modem says about itself ----------------------------------- */

/* The information lines of an answer to @command: neither the echo of the
 * command, nor the final result, nor empty; the `+XXX:` prefix dropped. */
static GPtrArray *
info_lines (const gchar *command, GBytes *answer)
{
  g_autofree gchar *text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  g_auto (GStrv) lines = g_strsplit_set (text, "\r\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gchar *line = g_strstrip (lines[i]);
      const gchar *colon;

      if (line[0] == '\0' || g_ascii_strcasecmp (line, command) == 0
          || g_ascii_strcasecmp (line, "OK") == 0)
        continue;
      if (line[0] == '+' && (colon = strchr (line, ':')) != NULL)
        line = g_strstrip (line + (colon - line) + 1);
      if (line[0] != '\0')
        g_ptr_array_add (out, g_strdup (line));
    }
  return out;
}

/*
 * parse_csq:
 * @value: what follows `+CSQ:`, `<rssi>,<ber>`
 *
 * Returns: the signal level in dBm (3GPP TS 27.007 8.5: rssi 0 is −113 dBm
 *   or less, each step 2 dB, 31 is −51 dBm or more); 0 for 99 (not known
 *   or not detectable) or what is not such a line
 */
static gint
parse_csq (const gchar *value)
{
  g_auto (GStrv) parts = NULL;
  guint64 rssi;

  if (value == NULL)
    return 0;
  parts = g_strsplit (value, ",", 2);
  if (parts[0] == NULL
      || !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 0, 31, &rssi, NULL))
    return 0;
  return -113 + 2 * (gint) rssi;
}

/*
 * parse_iccid:
 * @value: the answer to AT+CCID (`89701…`, maybe quoted, maybe with a
 *   trailing `F` filler)
 *
 * Returns: (nullable): the ICCID's digits; %NULL when it has too few
 *   (an ICCID has 18 to 22)
 */
static gchar *
parse_iccid (const gchar *value)
{
  GString *digits = g_string_new (NULL);

  for (const gchar *p = value; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (*p != '"' && *p != 'F' && *p != 'f' && *p != ' ')
      break; /* not an ICCID */
  if (digits->len < 18 || digits->len > 22)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  return g_string_free (digits, FALSE);
}

static void
set_info_string (LersModemTransport *self, gchar **field, gchar *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

static void
set_signal_level (LersModemTransport *self, gint level)
{
  if (self->signal_level == level)
    return;
  self->signal_level = level;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGNAL_LEVEL]);
}

static void
take_info (LersModemTransport *self, const gchar *command, GBytes *answer)
{
  g_autoptr (GPtrArray) lines = info_lines (command, answer);
  const gchar *first = lines->len > 0 ? g_ptr_array_index (lines, 0) : NULL;

  if (first == NULL)
    return;
  if (g_str_equal (command, "AT+CSQ"))
    set_signal_level (self, parse_csq (first));
  else if (g_str_equal (command, "AT+CGMR"))
    {
      g_autofree gchar *firmware = g_strdup (first);
      /* some quote it */
      if (g_str_has_prefix (firmware, "\"") && g_str_has_suffix (firmware, "\"")
          && strlen (firmware) >= 2)
        {
          firmware[strlen (firmware) - 1] = '\0';
          memmove (firmware, firmware + 1, strlen (firmware));
        }
      if (firmware[0] != '\0' && g_utf8_validate (firmware, -1, NULL))
        set_info_string (self, &self->firmware, g_steal_pointer (&firmware), PROP_FIRMWARE);
    }
  else if (g_str_equal (command, "AT+CCID"))
    {
      gchar *iccid = parse_iccid (first);
      if (iccid != NULL)
        set_info_string (self, &self->sim_id, iccid, PROP_SIM_ID);
    }
}

/* ---- open: init, dial, CONNECT ------------------------------------------- */

typedef struct
{
  GPtrArray *commands; /* the init commands, the information queries, the dial command */
  guint next;
  guint info_first; /* the queries' indices in commands: [info_first, info_end) */
  guint info_end;
  guint saved_first_byte_ms;
  guint saved_answer_ms;
  guint saved_inter_byte_ms;
  gboolean timeouts_saved;
  GError *error; /* reported once the line is closed */
} OpenOp;

static void
open_op_free (OpenOp *op)
{
  g_ptr_array_unref (op->commands);
  g_clear_error (&op->error);
  g_free (op);
}

static void
failed_line_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OpenOp *op = g_task_get_task_data (task);

  lers_transport_close_finish (LERS_TRANSPORT (source), result, NULL);
  g_task_return_error (task, g_steal_pointer (&op->error));
}

static void
open_fail (GTask *task, GError *error)
{
  LersModemTransport *self = g_task_get_source_object (task);
  OpenOp *op = g_task_get_task_data (task);

  op->error = error;
  lers_transport_close_async (self->line, NULL, failed_line_closed_cb, task);
}

static GError *
dial_error (LersModemTransport *self, LersAtResult result)
{
  const gchar *link = lers_transport_get_description (LERS_TRANSPORT (self));

  switch (result)
    {
    case LERS_AT_RESULT_BUSY:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION, _ ("%s: %s is busy (BUSY)"), link,
                          self->phone_number);
    case LERS_AT_RESULT_NO_CARRIER:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION,
                          _ ("%s: no connection with %s (NO CARRIER)"), link, self->phone_number);
    case LERS_AT_RESULT_NO_ANSWER:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION,
                          _ ("%s: %s does not answer (NO ANSWER)"), link, self->phone_number);
    case LERS_AT_RESULT_NO_DIALTONE:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION,
                          _ ("%s: no dial tone on the telephone line (NO DIALTONE)"), link);
    case LERS_AT_RESULT_ERROR:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION,
                          _ ("%s: the modem refused to dial %s (ERROR)"), link, self->phone_number);
    default:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION,
                          _ ("%s: the modem answered %s instead of CONNECT"), link,
                          lers_at_result_to_string (result));
    }
}

static void send_next (GTask *task);

static void
command_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  OpenOp *op = g_task_get_task_data (task);
  const gchar *command = g_ptr_array_index (op->commands, op->next);
  gboolean dial = op->next + 1 == op->commands->len;
  gboolean info = op->next >= op->info_first && op->next < op->info_end;
  GError *error = NULL;
  g_autoptr (GBytes) answer = lers_transport_exchange_finish (self->line, result, &error);
  LersAtResult at;
  guint speed = 0;

  if (op->timeouts_saved)
    {
      lers_transport_set_first_byte_timeout_ms (self->line, op->saved_first_byte_ms);
      lers_transport_set_answer_timeout_ms (self->line, op->saved_answer_ms);
      lers_transport_set_inter_byte_timeout_ms (self->line, op->saved_inter_byte_ms);
      op->timeouts_saved = FALSE;
    }
  if (info && answer == NULL)
    {
      /* a modem that does not know the query, or is slow to say: the call
       * goes on without it; only a cancellation or a dead line ends it */
      if (error != NULL
          && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
              || g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
              || g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION)))
        {
          g_prefix_error (&error, _ ("modem command %s: "), command);
          open_fail (task, error);
          return;
        }
      g_debug ("%s: %s: %s", lers_transport_get_description (LERS_TRANSPORT (self)), command,
               error != NULL ? error->message : "no answer");
      g_clear_error (&error);
      op->next++;
      send_next (task);
      return;
    }
  if (answer == NULL)
    {
      g_prefix_error (&error, _ ("modem command %s: "), command);
      open_fail (task, error);
      return;
    }
  at = lers_at_answer_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL,
                             &speed);
  if (info)
    {
      if (at == LERS_AT_RESULT_OK)
        take_info (self, command, answer);
      else
        g_debug ("%s: %s: %s", lers_transport_get_description (LERS_TRANSPORT (self)), command,
                 lers_at_result_to_string (at));
      op->next++;
      send_next (task);
      return;
    }
  if (!dial)
    {
      if (at != LERS_AT_RESULT_OK)
        {
          open_fail (task, g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION,
                                        _ ("%s: the modem answered %s to %s"),
                                        lers_transport_get_description (LERS_TRANSPORT (self)),
                                        lers_at_result_to_string (at), command));
          return;
        }
      op->next++;
      send_next (task);
      return;
    }
  if (at != LERS_AT_RESULT_CONNECT)
    {
      open_fail (task, dial_error (self, at));
      return;
    }
  g_debug ("%s: CONNECT %u", lers_transport_get_description (LERS_TRANSPORT (self)), speed);
  self->online = TRUE;
  if (self->connect_speed != speed)
    {
      self->connect_speed = speed;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECT_SPEED]);
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
send_next (GTask *task)
{
  LersModemTransport *self = g_task_get_source_object (task);
  OpenOp *op = g_task_get_task_data (task);
  const gchar *command = g_ptr_array_index (op->commands, op->next);
  g_autoptr (GBytes) request = command_bytes (command);

  if (op->next >= op->info_first && op->next < op->info_end)
    {
      /* a query answers at once or not at all */
      op->saved_first_byte_ms = lers_transport_get_first_byte_timeout_ms (self->line);
      op->saved_answer_ms = lers_transport_get_answer_timeout_ms (self->line);
      op->saved_inter_byte_ms = lers_transport_get_inter_byte_timeout_ms (self->line);
      op->timeouts_saved = TRUE;
      lers_transport_set_first_byte_timeout_ms (self->line, INFO_TIMEOUT_MS);
      lers_transport_set_answer_timeout_ms (self->line, INFO_TIMEOUT_MS);
    }
  else if (op->next + 1 == op->commands->len)
    {
      /* the call may take longer than an answer: the modem's connect
       * timeout bounds it (the base class cancels the attempt) */
      op->saved_first_byte_ms = lers_transport_get_first_byte_timeout_ms (self->line);
      op->saved_answer_ms = lers_transport_get_answer_timeout_ms (self->line);
      op->saved_inter_byte_ms = lers_transport_get_inter_byte_timeout_ms (self->line);
      op->timeouts_saved = TRUE;
      lers_transport_set_first_byte_timeout_ms (self->line, 0);
      lers_transport_set_answer_timeout_ms (self->line, 0);
      /* an echoing modem (E1) repeats ATD… at once, then is silent until
       * CONNECT: that silence is not the end of an answer */
      lers_transport_set_inter_byte_timeout_ms (self->line, 0);
    }
  lers_transport_exchange_async (self->line, request, at_scanner, NULL, NULL,
                                 g_task_get_cancellable (task), command_done_cb, task);
}

static void
line_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  OpenOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_auto (GStrv) commands = NULL;

  if (!lers_transport_open_finish (self->line, result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  commands = g_strsplit_set (self->init_string != NULL ? self->init_string : "", ";\r\n", -1);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_strstrip (commands[i]);
      if (commands[i][0] != '\0')
        g_ptr_array_add (op->commands, g_strdup (commands[i]));
    }
  op->info_first = op->info_end = op->commands->len;
  if (self->query_info)
    for (guint i = 0; i < G_N_ELEMENTS (info_commands); i++)
      g_ptr_array_add (op->commands, g_strdup (info_commands[i]));
  op->info_end = op->commands->len;
  g_ptr_array_add (op->commands, g_strconcat (self->dial_prefix != NULL ? self->dial_prefix : "",
                                              self->phone_number, NULL));
  send_next (task);
}

static void
lers_modem_transport_open_async (LersTransport *transport, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  OpenOp *op = g_new0 (OpenOp, 1);

  g_task_set_source_tag (task, lers_modem_transport_open_async);
  op->commands = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, op, (GDestroyNotify) open_op_free);
  self->online = FALSE;
  /* what the last call learnt is not this one's */
  set_signal_level (self, 0);
  set_info_string (self, &self->firmware, NULL, PROP_FIRMWARE);
  set_info_string (self, &self->sim_id, NULL, PROP_SIM_ID);
  /* one time for the modem and its line (a manual clock in tests) */
  lers_transport_set_clock (self->line, lers_transport_get_clock (transport));
  lers_transport_open_async (self->line, cancellable, line_opened_cb, task);
}

static gboolean
task_finish_boolean (LersTransport *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- close: +++, ATH ----------------------------------------------------- */

typedef struct
{
  guint timer;
  GError *error; /* reported once the line is closed */
} CloseOp;

static void
close_op_free (CloseOp *op)
{
  g_clear_error (&op->error);
  g_free (op);
}

static void
line_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CloseOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lers_transport_close_finish (LERS_TRANSPORT (source), result, &error) && op->error == NULL)
    op->error = error;
  else
    g_clear_error (&error);
  if (op->error != NULL)
    g_task_return_error (task, g_steal_pointer (&op->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* closes the line (which drops DTR) and reports @error, if any */
static void
close_line (GTask *task, GError *error)
{
  LersModemTransport *self = g_task_get_source_object (task);
  CloseOp *op = g_task_get_task_data (task);

  self->online = FALSE;
  op->error = error;
  lers_transport_close_async (self->line, NULL, line_closed_cb, task);
}

static GError *
hangup_error (LersModemTransport *self, const gchar *why)
{
  return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION, _ ("%s: the modem did not hang up: %s"),
                      lers_transport_get_description (LERS_TRANSPORT (self)), why);
}

static void
hangup_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = lers_transport_exchange_finish (self->line, result, &error);
  LersAtResult at;

  if (answer == NULL)
    {
      close_line (task, hangup_error (self, error->message));
      return;
    }
  at = lers_at_answer_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL,
                             NULL);
  if (at == LERS_AT_RESULT_OK || at == LERS_AT_RESULT_NO_CARRIER)
    close_line (task, NULL);
  else
    close_line (task, hangup_error (self, lers_at_result_to_string (at)));
}

static void
escape_answer_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = lers_transport_exchange_finish (self->line, result, &error);
  g_autoptr (GBytes) ath = NULL;
  LersAtResult at;

  if (answer == NULL)
    {
      close_line (task, hangup_error (self, error->message));
      return;
    }
  at = lers_at_answer_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL,
                             NULL);
  if (at == LERS_AT_RESULT_NO_CARRIER)
    {
      /* the far end hung up already */
      close_line (task, NULL);
      return;
    }
  if (at != LERS_AT_RESULT_OK)
    {
      close_line (task, hangup_error (self, lers_at_result_to_string (at)));
      return;
    }
  ath = command_bytes ("ATH");
  lers_transport_exchange_async (self->line, ath, at_scanner, NULL, NULL, NULL, hangup_done_cb,
                                 task);
}

static void
second_guard_cb (gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  CloseOp *op = g_task_get_task_data (task);

  op->timer = 0;
  /* listen: the modem's OK, or the NO CARRIER that came earlier */
  lers_transport_exchange_async (self->line, NULL, at_scanner, NULL, NULL, NULL, escape_answer_cb,
                                 task);
}

static void
escape_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  CloseOp *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!lers_transport_write_finish (self->line, result, &error))
    {
      close_line (task, hangup_error (self, error->message));
      return;
    }
  op->timer = lers_clock_add_timeout (lers_transport_get_clock (LERS_TRANSPORT (self)),
                                      self->guard_ms, second_guard_cb, task, NULL);
}

static void
first_guard_cb (gpointer user_data)
{
  GTask *task = user_data;
  LersModemTransport *self = g_task_get_source_object (task);
  CloseOp *op = g_task_get_task_data (task);
  g_autoptr (GBytes) escape = g_bytes_new_static ("+++", 3);

  op->timer = 0;
  lers_transport_write_async (self->line, escape, NULL, escape_written_cb, task);
}

static void
lers_modem_transport_close_async (LersTransport *transport, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CloseOp *op = g_new0 (CloseOp, 1);

  g_task_set_source_tag (task, lers_modem_transport_close_async);
  g_task_set_task_data (task, op, (GDestroyNotify) close_op_free);
  if (!self->online)
    {
      close_line (task, NULL);
      return;
    }
  /* silence, +++, silence: the modem leaves data mode */
  op->timer = lers_clock_add_timeout (lers_transport_get_clock (transport), self->guard_ms,
                                      first_guard_cb, task, NULL);
}

/* ---- data: straight to the line ------------------------------------------ */

static void
line_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!lers_transport_write_finish (LERS_TRANSPORT (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_modem_transport_write_async (LersTransport *transport, GBytes *bytes,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_modem_transport_write_async);
  g_task_set_check_cancellable (task, FALSE);
  lers_transport_write_async (self->line, bytes, cancellable, line_written_cb, task);
}

static void
line_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes = lers_transport_read_finish (LERS_TRANSPORT (source), result, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
lers_modem_transport_read_async (LersTransport *transport, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_modem_transport_read_async);
  g_task_set_check_cancellable (task, FALSE);
  lers_transport_read_async (self->line, cancellable, line_read_cb, task);
}

static GBytes *
task_finish_bytes (LersTransport *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_modem_transport_discard_input (LersTransport *transport)
{
  lers_transport_discard_input (LERS_MODEM_TRANSPORT (transport)->line);
}

/* ---- GObject ------------------------------------------------------------- */

static void
lers_modem_transport_finalize (GObject *object)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (object);

  g_clear_object (&self->line);
  g_free (self->phone_number);
  g_free (self->init_string);
  g_free (self->dial_prefix);
  g_free (self->firmware);
  g_free (self->sim_id);
  G_OBJECT_CLASS (lers_modem_transport_parent_class)->finalize (object);
}

static void
lers_modem_transport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_LINE:
      g_value_set_object (value, self->line);
      break;
    case PROP_PHONE_NUMBER:
      g_value_set_string (value, self->phone_number);
      break;
    case PROP_INIT_STRING:
      g_value_set_string (value, self->init_string);
      break;
    case PROP_DIAL_PREFIX:
      g_value_set_string (value, self->dial_prefix);
      break;
    case PROP_GUARD_MS:
      g_value_set_uint (value, self->guard_ms);
      break;
    case PROP_CONNECT_SPEED:
      g_value_set_uint (value, self->connect_speed);
      break;
    case PROP_QUERY_INFO:
      g_value_set_boolean (value, self->query_info);
      break;
    case PROP_SIGNAL_LEVEL:
      g_value_set_int (value, self->signal_level);
      break;
    case PROP_FIRMWARE:
      g_value_set_string (value, self->firmware);
      break;
    case PROP_SIM_ID:
      g_value_set_string (value, self->sim_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_modem_transport_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  LersModemTransport *self = LERS_MODEM_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_LINE:
      g_set_object (&self->line, g_value_get_object (value));
      break;
    case PROP_PHONE_NUMBER:
      g_free (self->phone_number);
      self->phone_number = g_value_dup_string (value);
      break;
    case PROP_INIT_STRING:
      lers_modem_transport_set_init_string (self, g_value_get_string (value));
      break;
    case PROP_DIAL_PREFIX:
      lers_modem_transport_set_dial_prefix (self, g_value_get_string (value));
      break;
    case PROP_GUARD_MS:
      lers_modem_transport_set_guard_ms (self, g_value_get_uint (value));
      break;
    case PROP_QUERY_INFO:
      lers_modem_transport_set_query_info (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_modem_transport_class_init (LersModemTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersTransportClass *transport_class = LERS_TRANSPORT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lers_modem_transport_finalize;
  object_class->get_property = lers_modem_transport_get_property;
  object_class->set_property = lers_modem_transport_set_property;
  transport_class->open_async = lers_modem_transport_open_async;
  transport_class->open_finish = task_finish_boolean;
  transport_class->close_async = lers_modem_transport_close_async;
  transport_class->close_finish = task_finish_boolean;
  transport_class->write_async = lers_modem_transport_write_async;
  transport_class->write_finish = task_finish_boolean;
  transport_class->read_async = lers_modem_transport_read_async;
  transport_class->read_finish = task_finish_bytes;
  transport_class->discard_input = lers_modem_transport_discard_input;

  /**
   * LersModemTransport:line:
   *
   * The serial line the modem is on.
   *
   * Since: 0.3
   */
  props[PROP_LINE] = g_param_spec_object ("line", NULL, NULL, LERS_TYPE_TRANSPORT, construct);
  /**
   * LersModemTransport:phone-number:
   *
   * The number dialled, as the modem takes it (`84951234567`, `W`, `,`).
   *
   * Since: 0.3
   */
  props[PROP_PHONE_NUMBER] = g_param_spec_string ("phone-number", NULL, NULL, NULL, construct);
  /**
   * LersModemTransport:init-string:
   *
   * The commands sent before dialling, each waiting for `OK`, separated
   * by `;` or new lines; `ATZ;ATE0V1` unless set.
   *
   * Since: 0.3
   */
  props[PROP_INIT_STRING]
      = g_param_spec_string ("init-string", NULL, NULL, DEFAULT_INIT_STRING, rw);
  /**
   * LersModemTransport:dial-prefix:
   *
   * What goes before the number: `ATD`, `ATDT` (tone), `ATDP` (pulse).
   *
   * Since: 0.3
   */
  props[PROP_DIAL_PREFIX]
      = g_param_spec_string ("dial-prefix", NULL, NULL, DEFAULT_DIAL_PREFIX, rw);
  /**
   * LersModemTransport:guard-ms:
   *
   * The silence before and after the `+++` escape (the modem's S12).
   *
   * Since: 0.3
   */
  props[PROP_GUARD_MS] = g_param_spec_uint ("guard-ms", NULL, NULL, 0, 60000, DEFAULT_GUARD_MS, rw);
  /**
   * LersModemTransport:connect-speed:
   *
   * The speed the modem named in `CONNECT`, 0 when it named none.
   *
   * Since: 0.3
   */
  props[PROP_CONNECT_SPEED] = g_param_spec_uint ("connect-speed", NULL, NULL, 0, G_MAXUINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LersModemTransport:query-info:
   *
   * Whether opening asks the modem for its signal level, firmware and
   * SIM id (`AT+CSQ`, `AT+CGMR`, `AT+CCID`) before dialling.
   *
   * Since: 0.4
   */
  props[PROP_QUERY_INFO] = g_param_spec_boolean ("query-info", NULL, NULL, TRUE, rw);
  /**
   * LersModemTransport:signal-level:
   *
   * The signal level the modem reported when last opened, in dBm
   * (−113 … −51); 0 when it did not say or does not know.
   *
   * Since: 0.4
   */
  props[PROP_SIGNAL_LEVEL] = g_param_spec_int ("signal-level", NULL, NULL, -113, 0, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LersModemTransport:firmware:
   *
   * The modem's firmware revision (`AT+CGMR`) when last opened; %NULL when
   * it did not say.
   *
   * Since: 0.4
   */
  props[PROP_FIRMWARE] = g_param_spec_string ("firmware", NULL, NULL, NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LersModemTransport:sim-id:
   *
   * The ICCID of the modem's SIM card (`AT+CCID`, digits only) when last
   * opened; %NULL when it did not say.
   *
   * Since: 0.4
   */
  props[PROP_SIM_ID]
      = g_param_spec_string ("sim-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_modem_transport_init (LersModemTransport *self)
{
  self->init_string = g_strdup (DEFAULT_INIT_STRING);
  self->query_info = TRUE;
  self->dial_prefix = g_strdup (DEFAULT_DIAL_PREFIX);
  self->guard_ms = DEFAULT_GUARD_MS;
  /* a CSD or PSTN call takes 15–40 s to CONNECT; the link's 10 s default
   * would hang up on a call that was about to connect */
  lers_transport_set_connect_timeout_ms (LERS_TRANSPORT (self), DEFAULT_DIAL_TIMEOUT_MS);
}

/* ---- public -------------------------------------------------------------- */

static gboolean
replace_string (gchar **field, const gchar *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * lers_modem_transport_new:
 * @line: the serial line the modem is on (usually a #LersSerialTransport)
 * @phone_number: the number to dial
 *
 * Returns: (transfer full): a modem link, not dialled yet; open it with
 *   lers_transport_open_async()
 *
 * Since: 0.3
 */
LersTransport *
lers_modem_transport_new (LersTransport *line, const gchar *phone_number)
{
  g_autofree gchar *description = NULL;

  g_return_val_if_fail (LERS_IS_TRANSPORT (line), NULL);
  g_return_val_if_fail (phone_number != NULL, NULL);
  description
      = g_strdup_printf ("modem:%s?phone=%s", lers_transport_get_description (line), phone_number);
  return g_object_new (LERS_TYPE_MODEM_TRANSPORT, "description", description, "line", line,
                       "phone-number", phone_number, NULL);
}

/**
 * lers_modem_transport_get_line:
 * @self: a #LersModemTransport
 *
 * Returns: (transfer none): the serial line
 *
 * Since: 0.3
 */
LersTransport *
lers_modem_transport_get_line (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), NULL);
  return self->line;
}

/**
 * lers_modem_transport_get_phone_number:
 * @self: a #LersModemTransport
 *
 * Returns: the number dialled
 *
 * Since: 0.3
 */
const gchar *
lers_modem_transport_get_phone_number (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), NULL);
  return self->phone_number;
}

/**
 * lers_modem_transport_get_init_string:
 * @self: a #LersModemTransport
 *
 * Returns: (nullable): #LersModemTransport:init-string
 *
 * Since: 0.3
 */
const gchar *
lers_modem_transport_get_init_string (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), NULL);
  return self->init_string;
}

/**
 * lers_modem_transport_set_init_string:
 * @self: a #LersModemTransport
 * @init_string: (nullable): commands separated by `;` or new lines; %NULL
 *   or empty for none
 *
 * Since: 0.3
 */
void
lers_modem_transport_set_init_string (LersModemTransport *self, const gchar *init_string)
{
  g_return_if_fail (LERS_IS_MODEM_TRANSPORT (self));
  if (replace_string (&self->init_string, init_string))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INIT_STRING]);
}

/**
 * lers_modem_transport_get_dial_prefix:
 * @self: a #LersModemTransport
 *
 * Returns: (nullable): #LersModemTransport:dial-prefix
 *
 * Since: 0.3
 */
const gchar *
lers_modem_transport_get_dial_prefix (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), NULL);
  return self->dial_prefix;
}

/**
 * lers_modem_transport_set_dial_prefix:
 * @self: a #LersModemTransport
 * @dial_prefix: (nullable): `ATD`, `ATDT`, `ATDP`
 *
 * Since: 0.3
 */
void
lers_modem_transport_set_dial_prefix (LersModemTransport *self, const gchar *dial_prefix)
{
  g_return_if_fail (LERS_IS_MODEM_TRANSPORT (self));
  if (replace_string (&self->dial_prefix, dial_prefix))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DIAL_PREFIX]);
}

/**
 * lers_modem_transport_get_guard_ms:
 * @self: a #LersModemTransport
 *
 * Returns: #LersModemTransport:guard-ms
 *
 * Since: 0.3
 */
guint
lers_modem_transport_get_guard_ms (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), 0);
  return self->guard_ms;
}

/**
 * lers_modem_transport_set_guard_ms:
 * @self: a #LersModemTransport
 * @guard_ms: milliseconds of silence around `+++`
 *
 * Since: 0.3
 */
void
lers_modem_transport_set_guard_ms (LersModemTransport *self, guint guard_ms)
{
  g_return_if_fail (LERS_IS_MODEM_TRANSPORT (self));
  if (self->guard_ms == guard_ms)
    return;
  self->guard_ms = guard_ms;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GUARD_MS]);
}

/**
 * lers_modem_transport_get_connect_speed:
 * @self: a #LersModemTransport
 *
 * Returns: #LersModemTransport:connect-speed
 *
 * Since: 0.3
 */
guint
lers_modem_transport_get_connect_speed (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), 0);
  return self->connect_speed;
}

/**
 * lers_modem_transport_get_query_info:
 * @self: a #LersModemTransport
 *
 * Returns: #LersModemTransport:query-info
 *
 * Since: 0.4
 */
gboolean
lers_modem_transport_get_query_info (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), FALSE);
  return self->query_info;
}

/**
 * lers_modem_transport_set_query_info:
 * @self: a #LersModemTransport
 * @query_info: whether to ask the modem for its signal level, firmware and SIM id
 *
 * Sets #LersModemTransport:query-info; it takes effect at the next open.
 *
 * Since: 0.4
 */
void
lers_modem_transport_set_query_info (LersModemTransport *self, gboolean query_info)
{
  g_return_if_fail (LERS_IS_MODEM_TRANSPORT (self));
  query_info = !!query_info;
  if (self->query_info == query_info)
    return;
  self->query_info = query_info;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_QUERY_INFO]);
}

/**
 * lers_modem_transport_get_signal_level:
 * @self: a #LersModemTransport
 *
 * Returns: the signal level in dBm the modem reported when last opened
 *   (`+CSQ: 17,99` is −79 dBm); 0 when not known
 *
 * Since: 0.4
 */
gint
lers_modem_transport_get_signal_level (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), 0);
  return self->signal_level;
}

/**
 * lers_modem_transport_get_firmware:
 * @self: a #LersModemTransport
 *
 * Returns: (nullable): the modem's firmware revision, when it reported one
 *
 * Since: 0.4
 */
const gchar *
lers_modem_transport_get_firmware (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), NULL);
  return self->firmware;
}

/**
 * lers_modem_transport_get_sim_id:
 * @self: a #LersModemTransport
 *
 * Returns: (nullable): the ICCID of the modem's SIM card, digits only,
 *   when it reported one
 *
 * Since: 0.4
 */
const gchar *
lers_modem_transport_get_sim_id (LersModemTransport *self)
{
  g_return_val_if_fail (LERS_IS_MODEM_TRANSPORT (self), NULL);
  return self->sim_id;
}
