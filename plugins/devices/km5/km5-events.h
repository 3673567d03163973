/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The КМ-5 error log's lines → LERS meter events. */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

typedef struct
{
  GDateTime *time; /* the line's date and time (to the second) */
  guint code;      /* the vendor's event code */
} Km5EventEntry;

void km5_event_entry_clear (Km5EventEntry *entry);
GPtrArray *km5_events_from_entries (GArray *entries);

G_END_DECLS
