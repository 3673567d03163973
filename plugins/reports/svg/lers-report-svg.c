/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SVG: the document's first page only (an SVG picture has one page; the
 * web preview and a chart embedded elsewhere want the first), sized in
 * points, text drawn as glyph outlines (Cairo's SVG surface). */
#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n-lib.h>

#include "lers-report-stream.h"
#include "lers-report-svg.h"

struct _LersReportSvg
{
  GObject parent_instance;
};

static void lers_report_svg_backend_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersReportSvg, lers_report_svg, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               lers_report_svg_backend_init))

static const gchar *
lers_report_svg_get_format (LersReportBackend *backend)
{
  return "svg";
}

static const gchar *
lers_report_svg_get_content_type (LersReportBackend *backend)
{
  return "image/svg+xml";
}

static gboolean
lers_report_svg_render_document (LersReportBackend *backend, LersReportDocument *document,
                                 GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  LersReportStream sink = { stream, cancellable, NULL, FALSE };
  cairo_surface_t *surface;
  cairo_t *cr;
  gdouble width, height;
  gboolean ok;

  lers_report_document_get_page_size (document, &width, &height);
  surface = cairo_svg_surface_create_for_stream (lers_report_stream_write, &sink, width, height);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
  cr = cairo_create (surface);
  /* a document with no pages is a blank page */
  if (lers_report_document_get_n_pages (document) > 0)
    lers_report_document_draw_page (document, 0, cr, &local);
  cairo_destroy (cr);
  if (local == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &local);
  sink.stop = local != NULL || sink.error != NULL;
  cairo_surface_finish (surface);
  ok = lers_report_stream_finish (&sink, surface, local, error);
  cairo_surface_destroy (surface);
  return ok;
}

static void
lers_report_svg_backend_init (LersReportBackendInterface *iface)
{
  iface->get_format = lers_report_svg_get_format;
  iface->get_content_type = lers_report_svg_get_content_type;
  iface->render_document = lers_report_svg_render_document;
}

static void
lers_report_svg_class_init (LersReportSvgClass *klass)
{
}

static void
lers_report_svg_class_finalize (LersReportSvgClass *klass)
{
}

static void
lers_report_svg_init (LersReportSvg *self)
{
}

/**
 * lers_report_svg_register:
 * @module: the module the type lives in
 *
 * Registers #LersReportSvg with the type system.
 */
void
lers_report_svg_register (GTypeModule *module)
{
  lers_report_svg_register_type (module);
}
