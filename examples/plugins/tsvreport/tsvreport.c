/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An example C plugin built outside the LERS tree, against the installed
 * headers and lers-1.pc: a report backend that writes archive records as
 * tab-separated values, one column a parameter ("T_in, degC"), timestamps
 * in ISO 8601 UTC. See the Makefile for building and installing it. */
#include <libpeas/peas.h>
#include <lers.h>

#define TSV_TYPE_REPORT (tsv_report_get_type ())
G_DECLARE_FINAL_TYPE (TsvReport, tsv_report, TSV, REPORT, GObject)

struct _TsvReport
{
  GObject parent_instance;
};

static void tsv_report_iface_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (TsvReport, tsv_report, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               tsv_report_iface_init))

static const gchar *
tsv_report_get_format (LersReportBackend *backend)
{
  return "tsvreport";
}

static const gchar *
tsv_report_get_content_type (LersReportBackend *backend)
{
  return "text/tab-separated-values";
}

static gboolean
tsv_report_render_records (LersReportBackend *backend, GPtrArray *records, GOutputStream *stream,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) columns = g_array_new (FALSE, FALSE, sizeof (LersParameter));
  g_autoptr (GString) text = g_string_new ("timestamp");

  /* the columns: every parameter any record has, in order of appearance */
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      for (guint j = 0; j < lers_record_get_n_values (record); j++)
        {
          LersParameter parameter;
          gboolean seen = FALSE;

          lers_record_get_value_at (record, j, &parameter, NULL, NULL);
          for (guint k = 0; k < columns->len && !seen; k++)
            seen = g_array_index (columns, LersParameter, k) == parameter;
          if (!seen)
            g_array_append_val (columns, parameter);
        }
    }
  for (guint k = 0; k < columns->len; k++)
    {
      LersParameter parameter = g_array_index (columns, LersParameter, k);
      g_string_append_printf (text, "\t%s, %s", lers_parameter_get_name (parameter),
                              lers_unit_get_code (lers_parameter_get_unit (parameter)));
    }
  g_string_append_c (text, '\n');

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      g_autofree gchar *when = g_date_time_format_iso8601 (lers_record_get_timestamp (record));

      g_string_append (text, when);
      for (guint k = 0; k < columns->len; k++)
        {
          gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
          gdouble value;

          g_string_append_c (text, '\t');
          if (lers_record_get_value (record, g_array_index (columns, LersParameter, k), &value,
                                     NULL))
            g_string_append (text, g_ascii_dtostr (buf, sizeof buf, value));
        }
      g_string_append_c (text, '\n');
    }
  return g_output_stream_write_all (stream, text->str, text->len, NULL, cancellable, error);
}

static void
tsv_report_iface_init (LersReportBackendInterface *iface)
{
  iface->get_format = tsv_report_get_format;
  iface->get_content_type = tsv_report_get_content_type;
  iface->render_records = tsv_report_render_records;
}

static void
tsv_report_class_init (TsvReportClass *klass)
{
}

static void
tsv_report_class_finalize (TsvReportClass *klass)
{
}

static void
tsv_report_init (TsvReport *self)
{
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/* libpeas calls this once it has loaded the module */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  tsv_report_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_REPORT_BACKEND, TSV_TYPE_REPORT);
}
