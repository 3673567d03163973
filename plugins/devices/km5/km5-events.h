/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The КМ-5 error log's lines → LERS meter events. */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

typedef struct
{
  GDateTime *hour; /* the start of the hour the line was written in */
  guint code;      /* the vendor's event code */
} Km5EventEntry;

void km5_event_entry_clear (Km5EventEntry *entry);
GPtrArray *km5_events_merge (GArray *entries);

G_END_DECLS
