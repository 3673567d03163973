/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The error log (archive 4) holds one line per event code and hour [I: the
 * layout is km-5-pult's cmdReadLineNumberDBErr; that a code persisting
 * over several hours gives a line each hour is our reading, not a
 * documented fact]. Lines of the same code in consecutive hours make one
 * event from the first hour's start to the last hour's end.
 */
#include "km5-events.h"

#include "km5-codes.h"

void
km5_event_entry_clear (Km5EventEntry *entry)
{
  g_clear_pointer (&entry->hour, g_date_time_unref);
}

static gint
entry_compare (gconstpointer a, gconstpointer b)
{
  const Km5EventEntry *x = a, *y = b;
  gint c = g_date_time_compare (x->hour, y->hour);
  return c != 0 ? c : (gint) x->code - (gint) y->code;
}

/* one event per run of hours with the same code (hour after hour) */
GPtrArray *
km5_events_merge (GArray *entries)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean *used = g_new0 (gboolean, entries->len + 1);

  g_array_sort (entries, entry_compare);
  for (guint i = 0; i < entries->len; i++)
    {
      Km5EventEntry *e = &g_array_index (entries, Km5EventEntry, i);
      const Km5Code *c = km5_code_lookup (e->code);
      g_autoptr (GDateTime) end = g_date_time_add_hours (e->hour, 1);
      LersMeterEvent *ev;

      if (used[i])
        continue;
      for (guint k = i + 1; k < entries->len; k++)
        {
          Km5EventEntry *n = &g_array_index (entries, Km5EventEntry, k);
          gint cmp = g_date_time_compare (n->hour, end);
          if (cmp > 0)
            break;
          if (n->code == e->code && !used[k])
            {
              used[k] = TRUE;
              if (cmp == 0)
                {
                  g_date_time_unref (end);
                  end = g_date_time_add_hours (n->hour, 1);
                }
            }
        }
      ev = lers_meter_event_new (c != NULL ? c->lers_code : "other", e->hour);
      lers_meter_event_set_end (ev, end);
      lers_meter_event_set_channel (ev, 0);
      lers_meter_event_set_device_code (ev, (gint) e->code);
      lers_meter_event_set_text (ev, km5_code_get_text (e->code));
      lers_meter_event_set_severity (ev,
                                     c != NULL ? c->severity : LERS_METER_EVENT_SEVERITY_WARNING);
      g_ptr_array_add (events, ev);
    }
  g_free (used);
  return events;
}
