/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The error log (archive 4) holds one line per occurrence, stamped to the
 * second (km-5-pult's report xreport4-032006-033115.xls: "122 29.03.2005
 * 16:53:39 Сбой питания", "99 17.11.2005 20:12:17 Было выполнено изменение
 * даты…"). Each line is one event starting at the line's time; the log has
 * no end times, so the events have none.
 */
#include "km5-events.h"

#include "km5-codes.h"

void
km5_event_entry_clear (Km5EventEntry *entry)
{
  g_clear_pointer (&entry->time, g_date_time_unref);
}

static gint
entry_compare (gconstpointer a, gconstpointer b)
{
  const Km5EventEntry *x = a, *y = b;
  gint c = g_date_time_compare (x->time, y->time);
  return c != 0 ? c : (gint) x->code - (gint) y->code;
}

/* one event per line, oldest first */
GPtrArray *
km5_events_from_entries (GArray *entries)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  g_array_sort (entries, entry_compare);
  for (guint i = 0; i < entries->len; i++)
    {
      Km5EventEntry *e = &g_array_index (entries, Km5EventEntry, i);
      const Km5Code *c = km5_code_lookup (e->code);
      LersMeterEvent *ev = lers_meter_event_new (c != NULL ? c->lers_code : "other", e->time);

      lers_meter_event_set_channel (ev, 0);
      lers_meter_event_set_device_code (ev, (gint) e->code);
      lers_meter_event_set_text (ev, km5_code_get_text (e->code));
      lers_meter_event_set_severity (ev,
                                     c != NULL ? c->severity : LERS_METER_EVENT_SEVERITY_WARNING);
      g_ptr_array_add (events, ev);
    }
  return events;
}
