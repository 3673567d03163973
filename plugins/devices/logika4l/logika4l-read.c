/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The plans of a 4L session's reads and what they make of the answers
 * (see lers-logika4l-session.c for the list of requests).
 */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "logika4l-read.h"
#include "logika4l-events.h"

GBytes *
l4l_session_request (L4lDevice *self, guint8 channel)
{
  return l4l_build_session (self->nt, channel, TRUE);
}

/* the heat inputs this model has, as channels */
guint
l4l_model_channels (L4lDevice *self, guint *out)
{
  if (self->model == L4L_MODEL_943)
    {
      memcpy (out, self->channels, sizeof self->channels);
      return self->n_channels;
    }
  out[0] = 0;
  return 1;
}

/* the clock: RAM F3 (943, 941.10), RAM 64 (old СПТ941, prot941 table 3.6) */
GBytes *
l4l_clock_request (L4lDevice *self)
{
  return l4l_build_request (self->nt, L4L_FNC_RAM, self->model == L4L_MODEL_941 ? 0x64 : 0xF3, 0, 6,
                            0);
}

void
l4l_read_data_free (ReadData *d)
{
  g_clear_pointer (&d->starts, g_ptr_array_unref);
  g_clear_pointer (&d->records, g_ptr_array_unref);
  g_clear_pointer (&d->masks, g_array_unref);
  g_clear_pointer (&d->clock, g_date_time_unref);
  g_clear_pointer (&d->headers, g_byte_array_unref);
  g_clear_pointer (&d->slots, g_array_unref);
  g_clear_pointer (&d->log, g_byte_array_unref);
  g_clear_pointer (&d->events, g_ptr_array_unref);
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_free (d);
}

GDateTime *
l4l_decode_clock (L4lDevice *self, const guint8 *b, GError **error)
{
  guint year = b[0] < 100 ? 2000u + b[0] : 1900u + b[0];
  GDateTime *t = NULL;

  if (b[1] >= 1 && b[1] <= 12 && b[2] >= 1 && b[2] <= 31 && b[3] < 24 && b[4] < 60 && b[5] < 60)
    t = g_date_time_new (self->zone, (gint) year, b[1], b[2], b[3], b[4], b[5]);
  if (t == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                 _ ("Logika clock reads %02u-%02u-%02u %02u:%02u:%02u, not a date"), b[2], b[1],
                 b[0], b[3], b[4], b[5]);
  return t;
}

/* the old СПТ941: the header table is read; find each wanted period's
 * header and read its data page */
static gboolean
find_headers (L4lPlan *plan, ReadData *d, GError **error)
{
  L4lDevice *self = d->self;
  guint first, count, base;

  l4l_941_table (d->kind, &first, &count);
  base = first - (first / L4L_PAGE) * L4L_PAGE;
  if (d->headers->len < base + 4 * count)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika СПТ941 header table is short: %u bytes"), d->headers->len);
      return FALSE;
    }
  for (guint i = 0; i < d->starts->len; i++)
    {
      guint8 stamp[4];

      l4l_stamp_for_period (self->model, d->kind, g_ptr_array_index (d->starts, i), stamp);
      for (guint n = 0; n < count; n++)
        {
          const guint8 *h = d->headers->data + base + 4 * n;
          guint page, offset;

          if (memcmp (h, stamp, 4) != 0)
            continue;
          l4l_941_data_page (d->kind, n, &page, &offset);
          g_array_index (d->slots, guint, i) = n;
          l4l_plan_add (plan,
                        l4l_build_request (self->nt, L4L_FNC_FLASH, page & 0xFF, page >> 8, 1, 0),
                        L4L_FNC_FLASH, L4L_PAGE, FALSE, TAG_DATA | i);
          break;
        }
    }
  return TRUE;
}

static void add_interval_steps (L4lPlan *plan, L4lDevice *self, ReadData *d, LersArchiveKind kind,
                                guint ch);

gboolean
l4l_read_reply (L4lPlan *plan, guint tag, const L4lFrame *f, gpointer data, GError **error)
{
  ReadData *d = data;
  L4lDevice *self = d->self;

  switch (TAG_WHAT (tag))
    {
    case TAG_SESSION:
      d->channel = TAG_CH (tag);
      return TRUE;
    case TAG_CLOCK:
      d->clock = l4l_decode_clock (self, f->data, error);
      return d->clock != NULL;
    case TAG_RAM:
      memcpy (d->ram, f->data, MIN (f->len, sizeof d->ram));
      if (d->kind == LERS_ARCHIVE_KIND_TOTALS && (tag & TAG_LAST))
        {
          static const LersParameter p941[8] = { LERS_PARAMETER_V_IN,
                                                 LERS_PARAMETER_V_OUT,
                                                 0,
                                                 LERS_PARAMETER_M_IN,
                                                 LERS_PARAMETER_M_OUT,
                                                 0,
                                                 LERS_PARAMETER_Q_DELTA,
                                                 LERS_PARAMETER_NORMAL_OPERATION_DURATION };
          g_autoptr (LersRecord) r = lers_record_new (d->clock, LERS_ARCHIVE_KIND_TOTALS);

          for (guint i = 0; i < 8; i++)
            {
              const guint8 *b = f->data + 4 * i;
              LersValueFlags flags
                  = l4l_float_is_valid (b) ? LERS_VALUE_FLAG_NONE : LERS_VALUE_FLAG_BAD;
              gdouble v = flags ? 0.0 : l4l_float (b);

              if (i == 2 || i == 5)
                continue;
              if (p941[i] == LERS_PARAMETER_Q_DELTA)
                v = l4l_heat_to_gcal (self->units, v);
              lers_record_set_value (r, p941[i], v, flags);
            }
          g_ptr_array_add (d->records, g_steal_pointer (&r));
          return TRUE;
        }
      if (d->kind == LERS_ARCHIVE_KIND_CURRENT)
        {
          LersRecord *r = NULL;
          if (!l4l_decode_current (self->model, self->units, f->data, f->len, d->clock,
                                   TAG_CH (tag), &r, error))
            return FALSE;
          g_ptr_array_add (d->records, r);
        }
      d->n_flash = 0;
      return TRUE;
    case TAG_FLASH:
      if (d->n_flash < 3)
        memcpy (d->flash + L4L_PAGE * d->n_flash++, f->data, L4L_PAGE);
      if (TAG_INDEX (tag) == 1)
        {
          /* the last page of this heat input: 9 totals of 8 bytes from
           * the offset in the first page, plus the RAM increments */
          static const LersParameter params[9]
              = { LERS_PARAMETER_V_IN,    LERS_PARAMETER_V_OUT,
                  LERS_PARAMETER_V_DELTA, LERS_PARAMETER_M_IN,
                  LERS_PARAMETER_M_OUT,   LERS_PARAMETER_M_DELTA,
                  LERS_PARAMETER_Q_DELTA, LERS_PARAMETER_NORMAL_OPERATION_DURATION,
                  LERS_PARAMETER_Q_OUT };
          guint offset = TAG_CH (tag) == 0 ? 0x424A % L4L_PAGE : 0x677B % L4L_PAGE;
          g_autoptr (LersRecord) r = lers_record_new (d->clock, LERS_ARCHIVE_KIND_TOTALS);

          lers_record_set_channel (r, TAG_CH (tag));
          for (guint i = 0; i < (self->model == L4L_MODEL_941_10 ? 8u : 9u); i++)
            {
              const guint8 *p = d->flash + offset + 8 * i;
              const guint8 *inc = d->ram + 4 * i;
              guint32 whole
                  = p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
              LersValueFlags flags = l4l_float_is_valid (p + 4) && l4l_float_is_valid (inc)
                                         ? LERS_VALUE_FLAG_NONE
                                         : LERS_VALUE_FLAG_BAD;
              gdouble v = flags ? 0.0 : whole + l4l_float (p + 4) + l4l_float (inc);

              /* V3, M3 and Qг have no LERS parameter of their own here */
              if (i == 2 || i == 5 || i == 8)
                continue;
              if (params[i] == LERS_PARAMETER_Q_DELTA)
                v = l4l_heat_to_gcal (self->units, v);
              lers_record_set_value (r, params[i], v, flags);
            }
          g_ptr_array_add (d->records, g_steal_pointer (&r));
        }
      return TRUE;
    case TAG_LOG:
      {
        guint ch = TAG_CH (tag);
        guint area = ch == 0 ? L4L_943_NS_LOG_TV1 : L4L_943_NS_LOG_TV2;
        guint offset = area - (area / L4L_PAGE) * L4L_PAGE;

        if (TAG_INDEX (tag) == 0)
          g_byte_array_set_size (d->log, 0);
        g_byte_array_append (d->log, f->data, (guint) f->len);
        if (!(tag & TAG_LAST))
          return TRUE;
        if (d->log->len < offset + L4L_943_NS_LOG_SIZE
            || !l4l_events_from_log (self->model, self->zone, ch, ch == d->common_channel,
                                     d->log->data + offset, L4L_943_NS_LOG_SIZE, d->from, d->to,
                                     d->events))
          add_interval_steps (plan, self, d, LERS_ARCHIVE_KIND_HOUR, ch);
        return TRUE;
      }
    case TAG_HEADER:
      g_byte_array_append (d->headers, f->data, (guint) f->len);
      if (tag & TAG_LAST)
        return find_headers (plan, d, error);
      return TRUE;
    case TAG_DATA:
      {
        guint slot = g_array_index (d->slots, guint, TAG_INDEX (tag));
        guint page, offset;
        LersRecord *r = NULL;
        guint32 mask = 0;

        l4l_941_data_page (d->kind, slot, &page, &offset);
        if (!l4l_decode_record (self->model, self->units, d->kind, f->data + offset,
                                f->len - offset, g_ptr_array_index (d->starts, TAG_INDEX (tag)), 0,
                                &mask, &r, error))
          return FALSE;
        g_ptr_array_add (d->records, r);
        g_array_append_val (d->masks, mask);
        return TRUE;
      }
    case TAG_RECORD:
      {
        LersRecord *r = NULL;
        guint32 mask = 0;
        GDateTime *start = g_ptr_array_index (d->starts, TAG_INDEX (tag));

        if (f == NULL)
          return TRUE; /* no record for that period */
        if (!l4l_decode_record (self->model, self->units, d->kind, f->data, f->len, start,
                                TAG_CH (tag), &mask, &r, error))
          return FALSE;
        g_ptr_array_add (d->records, r);
        g_array_append_val (d->masks, mask);
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static guint8
archive_fnc (LersArchiveKind kind)
{
  return kind == LERS_ARCHIVE_KIND_HOUR  ? L4L_FNC_HOUR
         : kind == LERS_ARCHIVE_KIND_DAY ? L4L_FNC_DAY
                                         : L4L_FNC_MONTH;
}

/* the periods of [from, to), in the device's zone: its stamps are its
 * wall clock */
gboolean
l4l_compute_starts (L4lDevice *self, ReadData *d, LersArchiveKind kind, GDateTime *from,
                    GDateTime *to, GError **error)
{
  g_autoptr (GDateTime) t = lers_time_get_period_start (kind, from, self->zone,
                                                        self->reporting_hour, self->reporting_day);

  while (t != NULL && g_date_time_compare (t, to) < 0)
    {
      GDateTime *next;

      if (d->starts->len >= L4L_MAX_PERIODS)
        {
          /* one request per period: the poller reads long ranges in
           * chunks, a silent truncation would lose data */
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("A Logika archive read covers at most %u periods; read a shorter "
                          "range"),
                       (guint) L4L_MAX_PERIODS);
          return FALSE;
        }
      next = lers_time_get_period_end (kind, t, self->zone, self->reporting_hour,
                                       self->reporting_day);
      g_ptr_array_add (d->starts, g_date_time_to_timezone (t, self->zone));
      g_date_time_unref (t);
      t = next;
    }
  return TRUE;
}

/* the session for heat input @ch, then the archive search per period, or
 * the old СПТ941's header table */
static void
add_interval_steps (L4lPlan *plan, L4lDevice *self, ReadData *d, LersArchiveKind kind, guint ch)
{
  guint chtag = ch << 28;

  l4l_plan_add (plan, l4l_session_request (self, self->model == L4L_MODEL_943 ? ch + 1 : 0),
                L4L_FNC_SESSION, 3, FALSE, TAG_SESSION | chtag);
  if (self->model == L4L_MODEL_941 && self->version == 0)
    {
      /* no archive search: read the header table from FLASH */
      guint first, count, p0, p1;

      l4l_941_table (kind, &first, &count);
      p0 = first / L4L_PAGE;
      p1 = (first + 4 * count - 1) / L4L_PAGE;
      d->headers = g_byte_array_new ();
      d->slots = g_array_new (FALSE, TRUE, sizeof (guint));
      g_array_set_size (d->slots, d->starts->len);
      for (guint p = p0; p <= p1; p++)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, p & 0xFF, p >> 8, 1, 0),
                      L4L_FNC_FLASH, L4L_PAGE, FALSE,
                      TAG_HEADER | (p == p1 ? TAG_LAST : 0u) | (p - p0));
      return;
    }
  for (guint i = 0; i < d->starts->len; i++)
    {
      guint8 stamp[4];
      l4l_stamp_for_period (self->model, kind, g_ptr_array_index (d->starts, i), stamp);
      l4l_plan_add (
          plan,
          l4l_build_request (self->nt, archive_fnc (kind), stamp[0], stamp[1], stamp[2], stamp[3]),
          archive_fnc (kind), l4l_block_size (self->model, kind), TRUE, TAG_RECORD | chtag | i);
    }
}

/* builds the plan of a read; NULL with @error when the model cannot */
L4lPlan *
l4l_read_plan (L4lDevice *self, LersArchiveKind kind, GDateTime *from, GDateTime *to, ReadData *d,
               GError **error)
{
  guint channels[2];
  guint n_channels = l4l_model_channels (self, channels);
  g_autoptr (L4lPlan) plan = NULL;
  gboolean interval = kind == LERS_ARCHIVE_KIND_HOUR || kind == LERS_ARCHIVE_KIND_DAY
                      || kind == LERS_ARCHIVE_KIND_MONTH;

  if (self->model == L4L_MODEL_UNKNOWN || self->model == L4L_MODEL_942)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Reading archives of the %s is not supported"), "СПТ942");
      return NULL;
    }
  if (!interval && kind != LERS_ARCHIVE_KIND_TOTALS && kind != LERS_ARCHIVE_KIND_CURRENT)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Logika 4L devices have no such archive"));
      return NULL;
    }
  if (interval && (from == NULL || to == NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("An archive read needs a time range"));
      return NULL;
    }
  plan = l4l_plan_new (self->transport, self->nt, l4l_read_reply, d, NULL);
  l4l_plan_set_wake_pause (plan, self->wake_pause_ms);
  if (interval && !l4l_compute_starts (self, d, kind, from, to, error))
    return NULL;
  for (guint c = 0; c < n_channels; c++)
    {
      guint ch = channels[c];
      guint chtag = ch << 28;

      if (interval)
        {
          add_interval_steps (plan, self, d, kind, ch);
          continue;
        }
      l4l_plan_add (plan, l4l_session_request (self, self->model == L4L_MODEL_943 ? ch + 1 : 0),
                    L4L_FNC_SESSION, 3, FALSE, TAG_SESSION | chtag);
      if (c == 0)
        l4l_plan_add (plan, l4l_clock_request (self), L4L_FNC_RAM, 6, FALSE, TAG_CLOCK);
      if (kind == LERS_ARCHIVE_KIND_CURRENT)
        {
          guint addr = self->model == L4L_MODEL_943   ? (ch == 0 ? 0x204 : 0x234)
                       : self->model == L4L_MODEL_941 ? 0xE8
                                                      : 0x200;
          gsize n = l4l_current_size (self->model);
          l4l_plan_add (
              plan,
              l4l_build_request (self->nt, L4L_FNC_RAM, addr & 0xFF, addr >> 8, (guint8) n, 0),
              L4L_FNC_RAM, n, FALSE, TAG_RAM | chtag);
        }
      else if (self->model == L4L_MODEL_941)
        {
          /* prot941 table 3.6: V1 V2 V3 M1 M2 M3 Q Tw totals in RAM C3 */
          l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_RAM, 0xC3, 0, 32, 0),
                        L4L_FNC_RAM, 32, FALSE, TAG_RAM | TAG_LAST);
        }
      else
        {
          /* prot943 appendix 4: RAM increments and FLASH main parts; the
           * 941.10/11 keeps 8 of them (no Qг) where the 943 keeps ТВ1's
           * (prot941_10-11 appendix 4 table 1) */
          guint ram = ch == 0 ? 0x520 : 0x568;
          guint flash = ch == 0 ? 0x424A : 0x677B;
          guint n_tot = self->model == L4L_MODEL_941_10 ? 8 : 9;
          guint first = flash / L4L_PAGE, last = (flash + 8 * n_tot - 1) / L4L_PAGE;

          l4l_plan_add (plan,
                        l4l_build_request (self->nt, L4L_FNC_RAM, ram & 0xFF, ram >> 8,
                                           (guint8) (4 * n_tot), 0),
                        L4L_FNC_RAM, 4 * n_tot, FALSE, TAG_RAM | chtag);
          for (guint p = first; p <= last; p++)
            l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, p & 0xFF, p >> 8, 1, 0),
                          L4L_FNC_FLASH, L4L_PAGE, FALSE,
                          TAG_FLASH | chtag | (p == last ? 1u : 0u));
        }
    }
  return g_steal_pointer (&plan);
}

ReadData *
l4l_read_data_new (L4lDevice *self, LersArchiveKind kind)
{
  ReadData *d = g_new0 (ReadData, 1);

  d->self = self;
  d->kind = kind;
  d->starts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  d->records = g_ptr_array_new_with_free_func (g_object_unref);
  d->masks = g_array_new (FALSE, TRUE, sizeof (guint32));
  d->events = g_ptr_array_new_with_free_func (g_object_unref);
  return d;
}

/* the СПТ943: its НС log per heat input first; the hour archive only for
 * an input whose log does not reach back to @from */
L4lPlan *
l4l_events_log_plan (L4lDevice *self, GDateTime *from, GDateTime *to, ReadData *d, GError **error)
{
  guint channels[2];
  guint n_channels = l4l_model_channels (self, channels);
  L4lPlan *plan = l4l_plan_new (self->transport, self->nt, l4l_read_reply, d, NULL);

  l4l_plan_set_wake_pause (plan, self->wake_pause_ms);

  d->from = g_date_time_ref (from);
  d->to = g_date_time_ref (to);
  d->log = g_byte_array_new ();
  if (!l4l_compute_starts (self, d, LERS_ARCHIVE_KIND_HOUR, from, to, error))
    {
      l4l_plan_free (plan);
      return NULL;
    }
  for (guint c = 0; c < n_channels; c++)
    {
      guint ch = channels[c];
      guint area = ch == 0 ? L4L_943_NS_LOG_TV1 : L4L_943_NS_LOG_TV2;
      guint p0 = area / L4L_PAGE, p1 = (area + L4L_943_NS_LOG_SIZE - 1) / L4L_PAGE;

      for (guint p = p0; p <= p1; p++)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, p & 0xFF, p >> 8, 1, 0),
                      L4L_FNC_FLASH, L4L_PAGE, FALSE,
                      TAG_LOG | (ch << 28) | (p == p1 ? TAG_LAST : 0u) | (p - p0));
    }
  return plan;
}
