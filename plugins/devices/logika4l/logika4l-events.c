/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "logika4l-events.h"

static LersMeterEvent *
make_event (L4lModel model, guint nn, guint channel, GDateTime *start)
{
  LersMeterEvent *ev = lers_meter_event_new (l4l_ns_code (model, nn), start);

  lers_meter_event_set_channel (ev, channel);
  lers_meter_event_set_device_code (ev, (gint) nn);
  lers_meter_event_set_text (ev, l4l_ns_text (model, nn));
  lers_meter_event_set_severity (ev, l4l_ns_severity (model, nn));
  return ev;
}

/* a run of hours with the same bit on one heat input is one event */
void
l4l_events_from_masks (L4lModel model, GPtrArray *records, GArray *masks, guint common_channel,
                       GPtrArray *events)
{
  for (guint bit = 0; bit < 24; bit++)
    {
      LersMeterEvent *open_ev = NULL;
      GDateTime *open_end = NULL;
      guint open_ch = 0;

      for (guint i = 0; i < records->len; i++)
        {
          LersRecord *r = g_ptr_array_index (records, i);
          guint32 mask = g_array_index (masks, guint32, i);
          guint ch = lers_record_get_channel (r);
          GDateTime *start = lers_record_get_timestamp (r);
          gboolean set = (mask >> bit) & 1u;

          if (bit < 8 && ch != common_channel)
            set = FALSE;
          if (l4l_ns_text (model, bit) == NULL)
            set = FALSE;
          if (open_ev != NULL
              && (!set || ch != open_ch || g_date_time_compare (start, open_end) != 0))
            {
              lers_meter_event_set_end (open_ev, open_end);
              g_ptr_array_add (events, open_ev);
              open_ev = NULL;
              g_clear_pointer (&open_end, g_date_time_unref);
            }
          if (set)
            {
              if (open_ev == NULL)
                {
                  open_ev = make_event (model, bit, ch, start);
                  open_ch = ch;
                }
              g_clear_pointer (&open_end, g_date_time_unref);
              open_end = g_date_time_add_hours (start, 1);
            }
        }
      if (open_ev != NULL)
        {
          lers_meter_event_set_end (open_ev, open_end);
          g_ptr_array_add (events, open_ev);
        }
      g_clear_pointer (&open_end, g_date_time_unref);
    }
}

typedef struct
{
  gint64 t;
  guint index;
  guint nn;
  gboolean set;
} Entry;

static int
entry_compare (const void *a, const void *b)
{
  const Entry *x = a, *y = b;

  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static void
emit (L4lModel model, GTimeZone *zone, guint channel, guint nn, gint64 start, gint64 end,
      gint64 from, gint64 to, GPtrArray *events)
{
  g_autoptr (GDateTime) s = NULL;
  LersMeterEvent *ev;

  if (start >= to || (end >= 0 && end <= from))
    return;
  s = g_date_time_new_from_unix_utc (start);
  ev = make_event (model, nn, channel, s);
  if (end >= 0)
    {
      g_autoptr (GDateTime) e = g_date_time_new_from_unix_utc (end);
      lers_meter_event_set_end (ev, e);
    }
  g_ptr_array_add (events, ev);
}

/*
 * prot943 appendix 2 table 5: prefix 10 (written), yy mm dd hh mm, the НС
 * number, flag bit 0 (1 set, 0 cleared). A set and the next clear of the
 * same number make one event; one still set has no end.
 */
gboolean
l4l_events_from_log (L4lModel model, GTimeZone *zone, guint channel, gboolean common,
                     const guint8 *log, gsize len, GDateTime *from, GDateTime *to,
                     GPtrArray *events)
{
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gint64 open_at[24];
  gint64 f = g_date_time_to_unix (from), t = g_date_time_to_unix (to);
  guint n = (guint) MIN (len / 8, L4L_943_NS_LOG_RECORDS);
  guint written = 0;

  for (guint i = 0; i < n; i++)
    {
      const guint8 *b = log + 8 * i;
      guint year;
      g_autoptr (GDateTime) when = NULL;
      Entry e;

      if (b[0] != 0x10)
        continue;
      written++;
      year = b[1] < 100 ? 2000u + b[1] : 1900u + b[1];
      if (b[2] < 1 || b[2] > 12 || b[3] < 1 || b[3] > 31 || b[4] > 23 || b[5] > 59)
        continue;
      when = g_date_time_new (zone, (gint) year, b[2], b[3], b[4], b[5], 0);
      if (when == NULL)
        continue;
      e.t = g_date_time_to_unix (when);
      e.index = i;
      e.nn = b[6];
      e.set = b[7] & 1;
      g_array_append_val (entries, e);
    }
  qsort (entries->data, entries->len, sizeof (Entry), entry_compare);
  if (written == n && n > 0 && (entries->len == 0 || g_array_index (entries, Entry, 0).t > f))
    return FALSE;
  for (guint i = 0; i < 24; i++)
    open_at[i] = -1;
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);

      if (e->nn >= 24 || l4l_ns_text (model, e->nn) == NULL || (!common && e->nn < 8))
        continue;
      if (e->set)
        {
          if (open_at[e->nn] < 0)
            open_at[e->nn] = e->t;
        }
      else if (open_at[e->nn] >= 0)
        {
          emit (model, zone, channel, e->nn, open_at[e->nn], e->t, f, t, events);
          open_at[e->nn] = -1;
        }
    }
  for (guint nn = 0; nn < 24; nn++)
    if (open_at[nn] >= 0)
      emit (model, zone, channel, nn, open_at[nn], -1, f, t, events);
  return TRUE;
}
