/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin module: registers the XLSX report backend with libpeas. */
#include <libpeas/peas.h>
#include <lers.h>

#include "lers-report-xlsx.h"

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/**
 * peas_register_types:
 * @module: the module libpeas loaded
 *
 * Registers #LersReportXlsx as a #LersReportBackend.
 *
 * Since: 0.6
 */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  lers_report_xlsx_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_REPORT_BACKEND,
                                              LERS_TYPE_REPORT_XLSX);
}
