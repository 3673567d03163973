/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_SVG (lers_report_svg_get_type ())
G_DECLARE_FINAL_TYPE (LersReportSvg, lers_report_svg, LERS, REPORT_SVG, GObject)

void lers_report_svg_register (GTypeModule *module);

G_END_DECLS
