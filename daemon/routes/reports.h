/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What routes/reports.c (templates, fields, one rendered document) and
 * routes/reports-jobs.c (batches) share. */

#include "accounts-common.h"
#include "lers-report-files.h"
#include "lersd-auth.h"
#include "lersd-routes.h"

G_BEGIN_DECLS

/* The answer of a step: JSON or a file, and headers; steps run off the
 * main loop through lersd_accounts_run() (accounts-common.h) */
typedef LersdAccountsReply LersdReportsReply;

/* FALSE, with 400 sent, when the request has a body that is not a JSON
 * object (routes that take none accept {} and nothing else) */
gboolean lersd_reports_check_no_body (LersdRequest *req);

/* A template error as 422 {"error": {code, message, line, column}, line,
 * column} in @reply */
void lersd_reports_reply_template_error (LersdReportsReply *reply, const GError *error);

/* What a render or a job asks for, read from a body and checked: the
 * template (by "template" id or its "body"), kind, format, language, and
 * the backend. FALSE with @error, or TRUE with reply set (422). */
typedef struct
{
  LersReportTemplate *template_;
  LersReportBackend *backend;
  gchar *format;
  gchar *language;
  LersArchiveKind kind;
} LersdReportsRequest;

void lersd_reports_request_clear (LersdReportsRequest *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersdReportsRequest, lersd_reports_request_clear)

gboolean lersd_reports_read_request (LersdRequest *req, JsonObject *body, LersdReportsRequest *r,
                                     LersdReportsReply *reply, GCancellable *cancellable,
                                     GError **error);
/* The template @id: a system one (*@system TRUE) or stored; NOT_FOUND */
LersReportTemplate *lersd_reports_find_template (LersdRequest *req, const gchar *id,
                                                 gboolean *system, GCancellable *cancellable,
                                                 GError **error);
/* The period from the body's from and to, read in @zone */
gboolean lersd_reports_read_period (JsonObject *body, GTimeZone *zone, GDateTime **from,
                                    GDateTime **to, GError **error);

/* routes/reports-jobs.c */
void lersd_route_reports_jobs_post (LersdRequest *req);
void lersd_route_reports_job_get (LersdRequest *req);
void lersd_route_reports_job_result (LersdRequest *req);
void lersd_route_reports_job_cancel (LersdRequest *req);

G_END_DECLS
