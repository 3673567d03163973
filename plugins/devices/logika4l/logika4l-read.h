/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a 4L session knows of its device, and the plans of its reads:
 * archives, current values, totals, the clock, the НС log. */
#pragma once

#include <lers.h>

#include "logika4l-archive.h"
#include "logika4l-frame.h"
#include "logika4l-plan.h"

G_BEGIN_DECLS

#define L4L_MAX_PERIODS (24 * 400)

typedef struct
{
  LersTransport *transport; /* borrowed from the session */
  guint8 nt;
  L4lModel model;
  guint8 version;
  L4lUnits units;
  GTimeZone *zone;
  guint channels[2];
  guint n_channels;
  guint reporting_hour; /* ЧР, 0..23 */
  guint reporting_day;  /* СР, 1..28 */
  guint wake_pause_ms;  /* option wake-pause-ms */
} L4lDevice;

typedef struct
{
  L4lDevice *self;
  LersArchiveKind kind;
  GPtrArray *starts;  /* GDateTime, per step tag % n */
  GPtrArray *records; /* LersRecord */
  GArray *masks;      /* guint32 per record */
  GDateTime *clock;
  guint8 ram[72];
  guint8 flash[3 * L4L_PAGE];
  guint n_flash;
  guint channel;
  GByteArray *headers; /* the old СПТ941's header table pages */
  GArray *slots;       /* guint: the header number of each start */
  GByteArray *log;     /* the СПТ943's НС log pages of one heat input */
  GPtrArray *events;   /* LersMeterEvent from the НС logs */
  GDateTime *from, *to;
  guint common_channel; /* the heat input that reports common НС 0..7 */
} ReadData;

/* tags: bits 0..23 the index, bits 24..27 what, bit 28 the channel */
#define TAG_SESSION (1u << 24)
#define TAG_RECORD (2u << 24)
#define TAG_CLOCK (3u << 24)
#define TAG_RAM (4u << 24)
#define TAG_FLASH (5u << 24)
#define TAG_HEADER (6u << 24)
#define TAG_DATA (7u << 24)
#define TAG_LOG (8u << 24)
#define TAG_LAST (1u << 23)
#define TAG_WHAT(t) ((t) & (0xFu << 24))
#define TAG_CH(t) (((t) >> 28) & 1u)
#define TAG_INDEX(t) ((t) &0x7FFFFFu)

GBytes *l4l_session_request (L4lDevice *self, guint8 channel);
guint l4l_model_channels (L4lDevice *self, guint *out);
GBytes *l4l_clock_request (L4lDevice *self);
GDateTime *l4l_decode_clock (L4lDevice *self, const guint8 *b, GError **error);

ReadData *l4l_read_data_new (L4lDevice *self, LersArchiveKind kind);
void l4l_read_data_free (ReadData *d);
gboolean l4l_compute_starts (L4lDevice *self, ReadData *d, LersArchiveKind kind, GDateTime *from,
                             GDateTime *to, GError **error);
gboolean l4l_read_reply (L4lPlan *plan, guint tag, const L4lFrame *f, gpointer data,
                         GError **error);
L4lPlan *l4l_read_plan (L4lDevice *self, LersArchiveKind kind, GDateTime *from, GDateTime *to,
                        ReadData *d, GError **error);
L4lPlan *l4l_events_log_plan (L4lDevice *self, GDateTime *from, GDateTime *to, ReadData *d,
                              GError **error);

G_END_DECLS
