/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The КМ-5 event (НС) codes 51..127: description, LERS code, severity. */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

typedef struct
{
  guint code;
  const gchar *text; /* English msgid; translate with _() */
  const gchar *lers_code;
  LersMeterEventSeverity severity;
} Km5Code;

const Km5Code *km5_code_lookup (guint code);
const gchar *km5_code_get_text (guint code);

G_END_DECLS
