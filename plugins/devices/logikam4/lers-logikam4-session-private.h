/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside the session: lers-logikam4-session.c (requests, open, clock) and
 * logikam4-session-read.c (archives, current values, totals, events). */
#pragma once

#include "lers-logikam4-session.h"
#include "logikam4-convert.h"
#include "logikam4-model.h"
#include "logikam4-tlv.h"

G_BEGIN_DECLS

struct _LersLogikam4Session
{
  LersDeviceSession parent_instance;

  guint8 nt;
  guint8 next_id;
  guint retries;
  guint wake_up_ms;
  const M4Model *model;
  M4Context ctx;
  GTimeZone *zone;
  gboolean set_clock;
  gboolean setup_pressure, setup_energy, setup_hour;
  guint saved_first_byte_timeout_ms;
  gboolean restore_timeout;
};

void m4_session_request_async (LersLogikam4Session *self, GByteArray *body,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
GBytes *m4_session_request_finish (GAsyncResult *result, GError **error);
GArray *m4_session_answer_items (GBytes *body, GError **error);
GByteArray *m4_session_read_request (const M4ParamRef *refs, guint n);
GByteArray *m4_session_clock_request (void);
GDateTime *m4_session_clock_from_items (LersLogikam4Session *self, GArray *values, guint at,
                                        GError **error);

void lers_logikam4_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                               GDateTime *from, GDateTime *to,
                                               LersProgress *progress, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_logikam4_session_read_archive_finish (LersDeviceSession *session,
                                                      GAsyncResult *result, GError **error);
void lers_logikam4_session_read_events_async (LersDeviceSession *session, GDateTime *from,
                                              GDateTime *to, LersProgress *progress,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_logikam4_session_read_events_finish (LersDeviceSession *session,
                                                     GAsyncResult *result, GError **error);

G_END_DECLS
