/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "logika4l-plan.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  GBytes *request;
  guint8 fnc;
  gsize expected;
  gboolean optional;
  guint tag;
} Step;

struct _L4lPlan
{
  LersTransport *transport;
  guint8 nt;
  GArray *steps;
  guint next;
  guint attempt;
  L4lPlanReply reply;
  gpointer data;
  GDestroyNotify destroy;
  LersProgress *progress;
  guint wake_pause_ms;
};

static void
step_clear (Step *s)
{
  g_clear_pointer (&s->request, g_bytes_unref);
}

L4lPlan *
l4l_plan_new (LersTransport *transport, guint8 nt, L4lPlanReply reply, gpointer data,
              GDestroyNotify destroy)
{
  L4lPlan *plan = g_new0 (L4lPlan, 1);

  plan->transport = g_object_ref (transport);
  plan->nt = nt;
  plan->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (plan->steps, (GDestroyNotify) step_clear);
  plan->reply = reply;
  plan->data = data;
  plan->destroy = destroy;
  return plan;
}

void
l4l_plan_free (L4lPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_object (&plan->transport);
  g_clear_object (&plan->progress);
  g_array_unref (plan->steps);
  if (plan->destroy != NULL && plan->data != NULL)
    plan->destroy (plan->data);
  g_free (plan);
}

void
l4l_plan_add (L4lPlan *plan, GBytes *request, guint8 fnc, gsize expected, gboolean optional,
              guint tag)
{
  Step s = { request, fnc, expected, optional, tag };

  g_array_append_val (plan->steps, s);
}

void
l4l_plan_set_progress (L4lPlan *plan, LersProgress *progress)
{
  g_set_object (&plan->progress, progress);
}

void
l4l_plan_set_wake_pause (L4lPlan *plan, guint ms)
{
  plan->wake_pause_ms = ms;
}

gpointer
l4l_plan_get_data (L4lPlan *plan)
{
  return plan->data;
}

static gssize
plan_scan (const guint8 *data, gsize len, gpointer user_data)
{
  return l4l_scan (data, len, GPOINTER_TO_SIZE (user_data));
}

static void plan_send (GTask *task);

static gboolean
plan_is_retryable (const GError *error)
{
  return g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT)
         || g_error_matches (error, LERS_ERROR, LERS_ERROR_CHECKSUM)
         || g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
}

static void
plan_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  L4lPlan *plan = g_task_get_task_data (task);
  Step *s = &g_array_index (plan->steps, Step, plan->next);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  L4lFrame frame = { 0 };
  gboolean ok = FALSE;
  gboolean device_error = FALSE;

  if (answer != NULL)
    {
      gsize n = 0;
      const guint8 *b = g_bytes_get_data (answer, &n);
      ok = l4l_parse_answer (b, n, plan->nt, s->fnc, s->expected, &frame, &error);
      /* the device's own error reply (prot943 §2.5.1): resending the
       * same request gets the same answer, or after a lost answer only
       * error 0, so it fails at once with the device's message */
      device_error = !ok && frame.nt == plan->nt && frame.fnc == L4L_FNC_ERROR;
    }
  if (!ok)
    {
      if (s->optional && g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          if (!plan->reply (plan, s->tag, NULL, plan->data, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          plan->next++;
          plan->attempt = 0;
          plan_send (g_steal_pointer (&task));
          return;
        }
      /* a cancelled exchange fails with G_IO_ERROR_CANCELLED: return that
       * (g_task_had_error is already TRUE once the cancellable fired, so
       * it cannot guard the return) */
      if (g_task_return_error_if_cancelled (task))
        return;
      if (!device_error && plan_is_retryable (error)
          && plan->attempt < lers_transport_get_retries (plan->transport))
        {
          g_debug ("resending after: %s", error->message);
          plan->attempt++;
          lers_transport_discard_input (plan->transport);
          plan_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!plan->reply (plan, s->tag, &frame, plan->data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  plan->next++;
  plan->attempt = 0;
  plan_send (g_steal_pointer (&task));
}

static void
plan_exchange (GTask *task, GBytes *request)
{
  L4lPlan *plan = g_task_get_task_data (task);
  Step *s = &g_array_index (plan->steps, Step, plan->next);

  lers_transport_exchange_async (plan->transport, request, plan_scan,
                                 GSIZE_TO_POINTER (s->expected), NULL,
                                 g_task_get_cancellable (task), plan_answered_cb, task);
}

/* the number of leading 0xFF bytes of @request (a session request's
 * start sequence), 0 when it is all FF or has none */
static gsize
plan_wake_length (GBytes *request)
{
  gsize n = 0, i = 0;
  const guint8 *b = g_bytes_get_data (request, &n);

  while (i < n && b[i] == 0xFF)
    i++;
  return i < n ? i : 0;
}

static gboolean
plan_paused_cb (gpointer user_data)
{
  GTask *task = user_data;
  L4lPlan *plan = g_task_get_task_data (task);
  Step *s = &g_array_index (plan->steps, Step, plan->next);
  gsize wake = plan_wake_length (s->request);
  g_autoptr (GBytes) rest
      = g_bytes_new_from_bytes (s->request, wake, g_bytes_get_size (s->request) - wake);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  plan_exchange (task, rest);
  return G_SOURCE_REMOVE;
}

static void
plan_woken_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  L4lPlan *plan = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (GSource) timeout = NULL;

  if (!lers_transport_write_finish (LERS_TRANSPORT (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* prot943 §2.6, table 2.3: t2 ≥ 1000 ms between the start sequence and
   * the session request */
  timeout = g_timeout_source_new (plan->wake_pause_ms);
  g_source_set_callback (timeout, plan_paused_cb, task, NULL);
  g_source_attach (timeout, g_task_get_context (task));
}

static void
plan_send (GTask *task)
{
  L4lPlan *plan = g_task_get_task_data (task);
  Step *s;

  if (plan->progress != NULL && plan->steps->len > 0)
    lers_progress_set_fraction (plan->progress, (gdouble) plan->next / plan->steps->len);
  if (plan->next >= plan->steps->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  s = &g_array_index (plan->steps, Step, plan->next);
  if (plan->wake_pause_ms > 0 && plan_wake_length (s->request) > 0)
    {
      /* the 0xFF start sequence alone, then the pause, then the request */
      gsize n = plan_wake_length (s->request);
      g_autoptr (GBytes) wake = g_bytes_new_from_bytes (s->request, 0, n);

      lers_transport_write_async (plan->transport, wake, g_task_get_cancellable (task),
                                  plan_woken_cb, task);
      return;
    }
  plan_exchange (task, s->request);
}

void
l4l_plan_run_async (L4lPlan *plan, gpointer source, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, l4l_plan_run_async);
  g_task_set_task_data (task, plan, (GDestroyNotify) l4l_plan_free);
  plan_send (task);
}

/* @data: (out) (optional): the plan's data, still owned by the task */
gboolean
l4l_plan_run_finish (GAsyncResult *result, gpointer *data, GError **error)
{
  L4lPlan *plan = g_task_get_task_data (G_TASK (result));

  if (data != NULL)
    *data = plan->data;
  return g_task_propagate_boolean (G_TASK (result), error);
}
