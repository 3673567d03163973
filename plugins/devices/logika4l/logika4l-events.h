/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* НС as LersMeterEvents: from the hour records' masks, and from the
 * СПТ943's own НС log in FLASH. */
#pragma once

#include <lers.h>

#include "logika4l-archive.h"

G_BEGIN_DECLS

/* prot943 appendix 2 table 3: the НС log areas, 100 records of 8 bytes */
#define L4L_943_NS_LOG_TV1 0x643C
#define L4L_943_NS_LOG_TV2 0x896D
#define L4L_943_NS_LOG_RECORDS 100
#define L4L_943_NS_LOG_SIZE (8 * L4L_943_NS_LOG_RECORDS)

/* @records (LersRecord, channel by channel in time order) and their НС
 * @masks; common НС (0..7) only on @common_channel */
void l4l_events_from_masks (L4lModel model, GPtrArray *records, GArray *masks, guint common_channel,
                            GPtrArray *events);

/* the НС log of one heat input: FALSE (and no events) when it does not
 * reach back to @from (all its records written, the oldest after @from) */
gboolean l4l_events_from_log (L4lModel model, GTimeZone *zone, guint channel, gboolean common,
                              const guint8 *log, gsize len, GDateTime *from, GDateTime *to,
                              GPtrArray *events);

G_END_DECLS
