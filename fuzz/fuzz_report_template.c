/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the report template parser (LersReportTemplate): the XML reader and
 * its position scanner, every element's checks, styles, groups and the
 * expressions inside. A template either parses whole, and then every part
 * the layout walks is there, or gives the one error with a position.
 */
#define LersReportTable LersReportTableSpec
#include "report/lers-report-template-private.h"
#undef LersReportTable

#include <lers.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
walk_band (const LersReportBand *band)
{
  if (band == NULL)
    return;
  g_assert (band->style != NULL && band->style->font != NULL);
  for (guint i = 0; i < band->elements->len; i++)
    {
      const LersReportElement *element = g_ptr_array_index (band->elements, i);

      g_assert (element->style != NULL);
      g_assert (element->line >= 1 && element->column >= 1);
      if (element->kind == LERS_REPORT_ELEMENT_TEXT)
        g_assert (element->text != NULL);
      if (element->kind == LERS_REPORT_ELEMENT_TABLE)
        {
          g_assert (element->table->columns->len > 0);
          for (const LersReportGroup *g = element->table->group; g != NULL; g = g->parent)
            g_assert (g->by != NULL);
        }
      if (element->kind == LERS_REPORT_ELEMENT_CHART)
        g_assert (element->chart->y->len == element->chart->y_names->len);
      if (element->kind == LERS_REPORT_ELEMENT_IMAGE)
        g_assert (g_bytes_get_size (element->image) >= 8);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (LersReportTemplate) tpl = NULL;
  g_autoptr (GError) error = NULL;

  tpl = lers_report_template_new_from_data ((const gchar *) data, (gssize) size, &error);
  if (tpl != NULL)
    {
      g_assert_no_error (error);
      g_assert (lers_report_template_get_id (tpl) != NULL);
      g_assert (lers_report_template_get_title (tpl, "ru") != NULL);
      g_assert (g_hash_table_size (lers_report_template_get_strings (tpl, "en")) > 0);
      g_assert (lers_report_template_get_page (tpl)->width > 0);
      walk_band (lers_report_template_get_report_header (tpl));
      walk_band (lers_report_template_get_page_header (tpl));
      walk_band (lers_report_template_get_body (tpl));
      walk_band (lers_report_template_get_summary (tpl));
      walk_band (lers_report_template_get_page_footer (tpl));
    }
  else
    {
      /* a bad template is the one error, "line L, column C: …" */
      g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      g_assert (g_str_has_prefix (error->message, "line "));
      g_assert (strstr (error->message, ", column ") != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
