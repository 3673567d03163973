/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_PNG (lers_report_png_get_type ())
G_DECLARE_FINAL_TYPE (LersReportPng, lers_report_png, LERS, REPORT_PNG, GObject)

void lers_report_png_register (GTypeModule *module);

G_END_DECLS
