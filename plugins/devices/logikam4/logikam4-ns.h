/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* what one НС bit means on a model */
typedef struct
{
  const gchar *code; /* LERS's normalised code */
  gint channel;      /* the channel it belongs to; -1: the flags' channel */
  LersMeterEventSeverity severity;
  gchar *text; /* the vendor's description, translated */
} M4NsInfo;

void m4_ns_describe (const gchar *table, guint bit, M4NsInfo *info);

G_END_DECLS
