/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two steps of reading a template, inside liblers:
 * lers-report-template-xml.c turns the XML into a tree of nodes that keep
 * where each element, attribute value and text starts in the file;
 * lers-report-template-build.c checks that tree and builds the parsed
 * template of lers-report-template-private.h from it. Children of <report>
 * may come in any order, so styles, strings and groups are known before
 * any expression is read. */
#pragma once

#include "lers-report-template-private.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *name;
  gchar *value;       /* with entities decoded */
  gsize name_offset;  /* byte offsets in the document */
  gsize value_offset; /* the first byte after the opening quote */
} LersTplAttr;

typedef struct _LersTplNode LersTplNode;
struct _LersTplNode
{
  gchar *name;
  gsize offset;        /* the "<" of the start tag */
  GPtrArray *attrs;    /* of LersTplAttr* */
  GString *text;       /* text content, entities decoded */
  gsize text_offset;   /* where the text starts; G_MAXSIZE: no text */
  GPtrArray *children; /* of LersTplNode* */
};

G_GNUC_INTERNAL void lers_tpl_node_free (LersTplNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersTplNode, lers_tpl_node_free)

/* Reads @doc (NUL-terminated, @length bytes) into a tree. Errors are
 * LERS_ERROR_INVALID_DATA, "line L, column C: …". */
G_GNUC_INTERNAL LersTplNode *lers_tpl_read (const gchar *doc, gsize length, GError **error);
/* the line and column (1-based, in characters) of byte @offset of @doc */
G_GNUC_INTERNAL void lers_tpl_position (const gchar *doc, gsize offset, guint *line, guint *column);
/* sets @error to "line L, column C: MESSAGE" for byte @offset of @doc */
G_GNUC_INTERNAL void lers_tpl_set_error (GError **error, const gchar *doc, gsize offset,
                                         const gchar *message);

/* Everything a parsed template owns. */
typedef struct
{
  gchar *id;
  gchar *title_ru;
  gchar *title_en;
  LersReportSource source;
  GArray *kinds; /* of LersArchiveKind */
  LersArchiveKind default_kind;
  gchar *period;
  LersReportPageSetup page;
  LersReportBand *report_header; /* NULL: absent */
  LersReportBand *page_header;
  LersReportBand *body; /* never NULL */
  LersReportBand *summary;
  LersReportBand *page_footer;
  LersReportStyle *default_style;
  GPtrArray *styles;      /* of LersReportStyle*: every style the parts point to */
  GHashTable *strings_ru; /* id → text */
  GHashTable *strings_en;
  guint rows_used;
} LersTplParts;

G_GNUC_INTERNAL void lers_tpl_parts_free (LersTplParts *parts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersTplParts, lers_tpl_parts_free)

/* Checks the tree read from @doc and builds the template's parts. */
G_GNUC_INTERNAL LersTplParts *lers_tpl_build (const gchar *doc, LersTplNode *root, GError **error);

typedef struct _LersTplStyle LersTplStyle; /* a <style> as written */

/* What checking the tree needs, shared by lers-report-template-build.c
 * and lers-report-template-table.c. */
typedef struct
{
  const gchar *doc;
  LersTplParts *parts;
  GHashTable *styles;       /* id → LersTplStyle*: the named styles as written */
  GHashTable *tr_ids;       /* the ids tr() may name */
  LersReportRows body_rows; /* rows that aggregates outside tables run over */
  GError **error;
} LersTplBuilder;

G_GNUC_INTERNAL void lers_tpl_error (LersTplBuilder *b, gsize offset, const gchar *format, ...)
    G_GNUC_PRINTF (3, 4);
G_GNUC_INTERNAL LersTplAttr *lers_tpl_attr (LersTplNode *node, const gchar *name);
/* FALSE (and the error) when @node has an attribute not in @allowed
 * (NULL-terminated) or text where it takes none */
G_GNUC_INTERNAL gboolean lers_tpl_check_node (LersTplBuilder *b, LersTplNode *node,
                                              const gchar *const *allowed, gboolean takes_text);
G_GNUC_INTERNAL LersTplAttr *lers_tpl_require (LersTplBuilder *b, LersTplNode *node,
                                               const gchar *name);
G_GNUC_INTERNAL void lers_tpl_unexpected (LersTplBuilder *b, LersTplNode *parent,
                                          LersTplNode *child);
G_GNUC_INTERNAL LersReportExpr *lers_tpl_expr (LersTplBuilder *b, const gchar *text, gsize offset,
                                               LersReportRows rows, gboolean is_text);
G_GNUC_INTERNAL gboolean lers_tpl_length (LersTplBuilder *b, LersTplAttr *attr, gdouble *points);
G_GNUC_INTERNAL gboolean lers_tpl_rows (LersTplBuilder *b, LersTplAttr *attr, LersReportRows *rows);
/* @base with @node's style= (or @style_attr) and align= laid over it */
G_GNUC_INTERNAL gboolean lers_tpl_style (LersTplBuilder *b, LersTplNode *node,
                                         const gchar *style_attr, const LersReportStyle *base,
                                         const LersReportStyle **style);
G_GNUC_INTERNAL gboolean lers_tpl_format (LersTplBuilder *b, LersTplAttr *attr);
G_GNUC_INTERNAL gboolean lers_tpl_parse_length (const gchar *text, gdouble *points);
/* @attr's value as the index of one of @names (NULL-terminated) */
G_GNUC_INTERNAL gboolean lers_tpl_enum (LersTplBuilder *b, LersTplAttr *attr,
                                        const gchar *const *names, guint *index);
G_GNUC_INTERNAL LersTplStyle *lers_tpl_read_style (LersTplBuilder *b, LersTplNode *node);
G_GNUC_INTERNAL void lers_tpl_style_free (LersTplStyle *style);
G_GNUC_INTERNAL LersReportBand *lers_tpl_band_new (const LersReportStyle *style);
G_GNUC_INTERNAL void lers_tpl_band_free (LersReportBand *band);
/* a band element (report-header, summary …) and its content */
G_GNUC_INTERNAL LersReportBand *lers_tpl_read_band (LersTplBuilder *b, LersTplNode *node);
/* one element of a band's content or of the body */
G_GNUC_INTERNAL LersReportElement *lers_tpl_read_element (LersTplBuilder *b, LersTplNode *parent,
                                                          LersTplNode *node,
                                                          const LersReportStyle *base);
G_GNUC_INTERNAL LersReportTable *lers_tpl_build_table (LersTplBuilder *b, LersTplNode *node,
                                                       const LersReportStyle *base);
G_GNUC_INTERNAL void lers_tpl_table_free (LersReportTable *table);

G_END_DECLS
