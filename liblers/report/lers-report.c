/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A report over points and a period: its documents one by one. Each
 * document loads its data, lays it out and frees the data before the next,
 * so a batch of a thousand points keeps the memory of one. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-enum-types.h"
#include "lers-error.h"
#include "lers-report-layout-private.h" /* first: it renames the parsed table */
#include "lers-report-data.h"
#include "lers-report.h"

/**
 * LersReport:
 *
 * A report: a #LersReportTemplate over chosen measure points and a period,
 * made into laid-out documents one at a time (one a point for a template
 * with `source="point"`, one over all the points for `source="points"`),
 * ready for a #LersReportBackend to write as PDF, XLSX or another format.
 *
 * Since: 0.6
 */
struct _LersReport
{
  GObject parent_instance;

  LersReportTemplate *template_;
  LersStore *store;
  GArray *points; /* of gint64 */
  GDateTime *from;
  GDateTime *to;
  LersArchiveKind kind;
  gchar *language;
};

G_DEFINE_FINAL_TYPE (LersReport, lers_report, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TEMPLATE,
  PROP_STORE,
  PROP_FROM,
  PROP_TO,
  PROP_KIND,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* "en" when the process speaks English, else "ru" (lers_i18n_init() makes
 * Russian the default) */
static const gchar *
lers_report_default_language (void)
{
  const gchar *const *names = g_get_language_names ();

  if (names != NULL && names[0] != NULL && g_str_has_prefix (names[0], "en"))
    return "en";
  return "ru";
}

static void
lers_report_finalize (GObject *object)
{
  LersReport *self = LERS_REPORT (object);

  g_clear_object (&self->template_);
  g_clear_object (&self->store);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_free (self->language);
  G_OBJECT_CLASS (lers_report_parent_class)->finalize (object);
}

static void
lers_report_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersReport *self = LERS_REPORT (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      g_value_set_object (value, self->template_);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FROM:
      g_value_set_boxed (value, self->from);
      break;
    case PROP_TO:
      g_value_set_boxed (value, self->to);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_report_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersReport *self = LERS_REPORT (object);

  switch (prop_id)
    {
    case PROP_TEMPLATE:
      self->template_ = g_value_dup_object (value);
      if (self->template_ != NULL)
        self->kind = lers_report_template_get_default_kind (self->template_);
      break;
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FROM:
      g_clear_pointer (&self->from, g_date_time_unref);
      self->from = g_value_dup_boxed (value);
      break;
    case PROP_TO:
      g_clear_pointer (&self->to, g_date_time_unref);
      self->to = g_value_dup_boxed (value);
      break;
    case PROP_KIND:
      lers_report_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_LANGUAGE:
      lers_report_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_report_class_init (LersReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_report_finalize;
  object_class->get_property = lers_report_get_property;
  object_class->set_property = lers_report_set_property;

  /**
   * LersReport:template:
   *
   * The template the documents are laid out by.
   *
   * Since: 0.6
   */
  props[PROP_TEMPLATE]
      = g_param_spec_object ("template", NULL, NULL, LERS_TYPE_REPORT_TEMPLATE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersReport:store:
   *
   * The store the data comes from.
   *
   * Since: 0.6
   */
  props[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, LERS_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersReport:from:
   *
   * The start of the period (included).
   *
   * Since: 0.6
   */
  props[PROP_FROM] = g_param_spec_boxed ("from", NULL, NULL, G_TYPE_DATE_TIME,
                                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersReport:to:
   *
   * The end of the period (excluded).
   *
   * Since: 0.6
   */
  props[PROP_TO] = g_param_spec_boxed ("to", NULL, NULL, G_TYPE_DATE_TIME,
                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersReport:kind:
   *
   * The archive the rows come from; the template's default kind until set.
   *
   * Since: 0.6
   */
  props[PROP_KIND]
      = g_param_spec_enum ("kind", NULL, NULL, LERS_TYPE_ARCHIVE_KIND, LERS_ARCHIVE_KIND_DAY,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * LersReport:language:
   *
   * The language of the documents: "ru" or "en" (anything else reads as
   * "en"); %NULL sets the process's language (Russian unless the process
   * speaks English).
   *
   * Since: 0.6
   */
  props[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_report_init (LersReport *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->kind = LERS_ARCHIVE_KIND_DAY;
  self->language = g_strdup (lers_report_default_language ());
}

/**
 * lers_report_new:
 * @template_: the template
 * @store: the store the data comes from
 *
 * A report by @template_ over data in @store. Choose the points and the
 * period next (lers_report_set_points(), lers_report_set_period()).
 *
 * Returns: (transfer full): a new #LersReport
 *
 * Since: 0.6
 */
LersReport *
lers_report_new (LersReportTemplate *template_, LersStore *store)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (template_), NULL);
  g_return_val_if_fail (LERS_IS_STORE (store), NULL);

  return g_object_new (LERS_TYPE_REPORT, "template", template_, "store", store, NULL);
}

/**
 * lers_report_get_template:
 * @self: a #LersReport
 *
 * Returns: (transfer none): the template
 *
 * Since: 0.6
 */
LersReportTemplate *
lers_report_get_template (LersReport *self)
{
  g_return_val_if_fail (LERS_IS_REPORT (self), NULL);

  return self->template_;
}

/**
 * lers_report_set_points:
 * @self: a #LersReport
 * @point_ids: (array length=n_point_ids): the measure points' ids
 * @n_point_ids: how many
 *
 * Chooses the measure points: one document each for a template with
 * `source="point"`, one document over all of them for `source="points"`.
 *
 * Since: 0.6
 */
void
lers_report_set_points (LersReport *self, const gint64 *point_ids, guint n_point_ids)
{
  g_return_if_fail (LERS_IS_REPORT (self));
  g_return_if_fail (point_ids != NULL || n_point_ids == 0);

  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, point_ids, n_point_ids);
}

/**
 * lers_report_get_points:
 * @self: a #LersReport
 * @n_point_ids: (out): how many
 *
 * Returns: (array length=n_point_ids) (transfer none): the measure points' ids
 *
 * Since: 0.6
 */
const gint64 *
lers_report_get_points (LersReport *self, guint *n_point_ids)
{
  g_return_val_if_fail (LERS_IS_REPORT (self), NULL);
  g_return_val_if_fail (n_point_ids != NULL, NULL);

  *n_point_ids = self->points->len;
  return (const gint64 *) self->points->data;
}

/**
 * lers_report_set_period:
 * @self: a #LersReport
 * @from: the start (included)
 * @to: the end (excluded)
 *
 * Chooses the period `[from, to)`.
 *
 * Since: 0.6
 */
void
lers_report_set_period (LersReport *self, GDateTime *from, GDateTime *to)
{
  g_return_if_fail (LERS_IS_REPORT (self));
  g_return_if_fail (from != NULL && to != NULL);

  g_object_set (self, "from", from, "to", to, NULL);
}

/**
 * lers_report_set_kind:
 * @self: a #LersReport
 * @kind: the archive (hour, day, month)
 *
 * Since: 0.6
 */
void
lers_report_set_kind (LersReport *self, LersArchiveKind kind)
{
  g_return_if_fail (LERS_IS_REPORT (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_KIND]);
}

/**
 * lers_report_get_kind:
 * @self: a #LersReport
 *
 * Returns: the archive the rows come from
 *
 * Since: 0.6
 */
LersArchiveKind
lers_report_get_kind (LersReport *self)
{
  g_return_val_if_fail (LERS_IS_REPORT (self), LERS_ARCHIVE_KIND_DAY);

  return self->kind;
}

/**
 * lers_report_set_language:
 * @self: a #LersReport
 * @language: (nullable): "ru" or "en"; %NULL: the process's language
 *
 * Since: 0.6
 */
void
lers_report_set_language (LersReport *self, const gchar *language)
{
  const gchar *chosen;

  g_return_if_fail (LERS_IS_REPORT (self));

  if (language == NULL)
    chosen = lers_report_default_language ();
  else
    chosen = g_strcmp0 (language, "ru") == 0 ? "ru" : "en";
  if (g_strcmp0 (self->language, chosen) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (chosen);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LANGUAGE]);
}

/**
 * lers_report_get_language:
 * @self: a #LersReport
 *
 * Returns: "ru" or "en"
 *
 * Since: 0.6
 */
const gchar *
lers_report_get_language (LersReport *self)
{
  g_return_val_if_fail (LERS_IS_REPORT (self), NULL);

  return self->language;
}

/**
 * lers_report_get_n_documents:
 * @self: a #LersReport
 *
 * Returns: how many documents the report makes: one a point for a template
 *   with `source="point"`, one for `source="points"` (none without points)
 *
 * Since: 0.6
 */
guint
lers_report_get_n_documents (LersReport *self)
{
  g_return_val_if_fail (LERS_IS_REPORT (self), 0);

  if (self->points->len == 0)
    return 0;
  if (lers_report_template_get_source (self->template_) == LERS_REPORT_SOURCE_POINTS)
    return 1;
  return self->points->len;
}

/* what one build needs, copied so a thread can run it */
typedef struct
{
  LersReportTemplate *template_;
  LersStore *store;
  GArray *points;
  GDateTime *from;
  GDateTime *to;
  LersArchiveKind kind;
  gchar *language;
  gchar *name; /* the result's */
} LersReportBuild;

static void
lers_report_build_free (LersReportBuild *build)
{
  g_clear_object (&build->template_);
  g_clear_object (&build->store);
  g_clear_pointer (&build->points, g_array_unref);
  g_clear_pointer (&build->from, g_date_time_unref);
  g_clear_pointer (&build->to, g_date_time_unref);
  g_free (build->language);
  g_free (build->name);
  g_free (build);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersReportBuild, lers_report_build_free)

static LersReportBuild *
lers_report_build_new (LersReport *self, guint index, GError **error)
{
  g_autoptr (LersReportBuild) build = g_new0 (LersReportBuild, 1);
  guint n_documents = lers_report_get_n_documents (self);

  if (index >= n_documents)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The report has no document %u (it has %u)"), index, n_documents);
      return NULL;
    }
  if (self->from == NULL || self->to == NULL || g_date_time_compare (self->from, self->to) >= 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The report's period is not set or ends before it starts"));
      return NULL;
    }
  build->template_ = g_object_ref (self->template_);
  build->store = g_object_ref (self->store);
  build->points = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (lers_report_template_get_source (self->template_) == LERS_REPORT_SOURCE_POINTS)
    g_array_append_vals (build->points, self->points->data, self->points->len);
  else
    g_array_append_val (build->points, g_array_index (self->points, gint64, index));
  build->from = g_date_time_ref (self->from);
  build->to = g_date_time_ref (self->to);
  build->kind = self->kind;
  build->language = g_strdup (self->language);
  return g_steal_pointer (&build);
}

static LersReportDocument *
lers_report_build_run (LersReportBuild *build, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersReportData) data = NULL;
  LersReportBinding binding = { 0 };
  LersReportDocument *document;

  data = lers_report_data_load (build->store, (const gint64 *) build->points->data,
                                build->points->len, build->kind, build->from, build->to,
                                lers_report_template_get_rows_used (build->template_), cancellable,
                                error);
  if (data == NULL)
    return NULL;
  lers_report_data_init_binding (data, &binding);
  document
      = lers_report_layout_run (build->template_, &binding, build->language, cancellable, error);
  if (document == NULL)
    return NULL;
  if (lers_report_template_get_source (build->template_) == LERS_REPORT_SOURCE_POINTS)
    build->name = g_strdup (lers_report_template_get_id (build->template_));
  else
    build->name = lers_report_data_dup_name (data);
  return document;
}

/**
 * lers_report_build_document_sync:
 * @self: a #LersReport
 * @index: which document, below lers_report_get_n_documents()
 * @name: (out) (optional) (transfer full): a short name for the document,
 *   for file names ("12-Building 3" for a point, the template's id for a
 *   report over all points)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Loads the data of document @index from the store, lays it out and frees
 * the data. Blocks: call it from a thread, or use
 * lers_report_build_document_async().
 *
 * Returns: (transfer full): the laid-out document, or %NULL with @error set
 *
 * Since: 0.6
 */
LersReportDocument *
lers_report_build_document_sync (LersReport *self, guint index, gchar **name,
                                 GCancellable *cancellable, GError **error)
{
  g_autoptr (LersReportBuild) build = NULL;
  LersReportDocument *document;

  g_return_val_if_fail (LERS_IS_REPORT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  build = lers_report_build_new (self, index, error);
  if (build == NULL)
    return NULL;
  document = lers_report_build_run (build, cancellable, error);
  if (document != NULL && name != NULL)
    *name = g_steal_pointer (&build->name);
  return document;
}

static void
lers_report_build_thread (GTask *task, gpointer source_object, gpointer task_data,
                          GCancellable *cancellable)
{
  LersReportBuild *build = task_data;
  GError *error = NULL;
  LersReportDocument *document = lers_report_build_run (build, cancellable, &error);

  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

/**
 * lers_report_build_document_async:
 * @self: a #LersReport
 * @index: which document, below lers_report_get_n_documents()
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the document is ready
 * @user_data: data for @callback
 *
 * Builds document @index in a worker thread, as
 * lers_report_build_document_sync() does.
 *
 * Since: 0.6
 */
void
lers_report_build_document_async (LersReport *self, guint index, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  LersReportBuild *build;

  g_return_if_fail (LERS_IS_REPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_report_build_document_async);
  build = lers_report_build_new (self, index, &error);
  if (build == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, build, (GDestroyNotify) lers_report_build_free);
  g_task_run_in_thread (task, lers_report_build_thread);
}

/**
 * lers_report_build_document_finish:
 * @self: a #LersReport
 * @result: the #GAsyncResult
 * @name: (out) (optional) (transfer full): the document's short name
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the laid-out document, or %NULL with @error set
 *
 * Since: 0.6
 */
LersReportDocument *
lers_report_build_document_finish (LersReport *self, GAsyncResult *result, gchar **name,
                                   GError **error)
{
  LersReportDocument *document;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lers_report_build_document_async,
                        NULL);

  document = g_task_propagate_pointer (G_TASK (result), error);
  if (document != NULL && name != NULL)
    {
      LersReportBuild *build = g_task_get_task_data (G_TASK (result));

      *name = g_strdup (build->name);
    }
  return document;
}
