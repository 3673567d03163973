/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "vkt7-data.h"

G_BEGIN_DECLS

/* what a session knows of its meter and link */
typedef struct
{
  guint8 address;
  gboolean wake_up;
  guint retries;
  GTimeZone *zone;
  Vkt7Properties props;
  guint firmware;   /* 0x27 = 2.7 */
  guint report_day; /* ДО from the service information, 0: not told */
  gboolean report_day_warned;
  gchar *model;
} Vkt7Link;

void vkt7_job_open (LersDeviceSession *session, Vkt7Link *link, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data);
void vkt7_job_archive (LersDeviceSession *session, Vkt7Link *link, LersArchiveKind kind,
                       gboolean events, GDateTime *from, GDateTime *to, LersProgress *progress,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
void vkt7_job_clock (LersDeviceSession *session, Vkt7Link *link, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data);
gboolean vkt7_job_finish (GAsyncResult *result, GError **error);
GPtrArray *vkt7_job_get_records (GAsyncResult *result);
GArray *vkt7_job_get_ns_hours (GAsyncResult *result);
GDateTime *vkt7_job_get_clock (GAsyncResult *result);

G_END_DECLS
