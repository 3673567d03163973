/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LersStoreOp:
 * @LERS_STORE_OP_EQ: the property equals the value
 * @LERS_STORE_OP_NE: the property differs from the value
 * @LERS_STORE_OP_LT: the property is less than the value
 * @LERS_STORE_OP_LE: the property is less than or equal to the value
 * @LERS_STORE_OP_GT: the property is greater than the value
 * @LERS_STORE_OP_GE: the property is greater than or equal to the value
 * @LERS_STORE_OP_IS_NULL: the property is not set (no value is given)
 * @LERS_STORE_OP_LIKE: the text property matches an SQL `LIKE` pattern
 *
 * How a filter of a [class@Lers.StoreQuery] compares a property.
 *
 * Since: 0.2
 */
typedef enum
{
  LERS_STORE_OP_EQ,
  LERS_STORE_OP_NE,
  LERS_STORE_OP_LT,
  LERS_STORE_OP_LE,
  LERS_STORE_OP_GT,
  LERS_STORE_OP_GE,
  LERS_STORE_OP_IS_NULL,
  LERS_STORE_OP_LIKE,
} LersStoreOp;

#define LERS_TYPE_STORE_QUERY (lers_store_query_get_type ())
G_DECLARE_FINAL_TYPE (LersStoreQuery, lers_store_query, LERS, STORE_QUERY, GObject)

LersStoreQuery *lers_store_query_new (void);
void lers_store_query_add_filter (LersStoreQuery *self, const gchar *property, LersStoreOp op,
                                  const GValue *value);
void lers_store_query_add_filter_int64 (LersStoreQuery *self, const gchar *property, LersStoreOp op,
                                        gint64 value);
void lers_store_query_add_filter_string (LersStoreQuery *self, const gchar *property,
                                         LersStoreOp op, const gchar *value);
void lers_store_query_add_filter_in_int64 (LersStoreQuery *self, const gchar *property,
                                           const gint64 *values, gsize n_values);
void lers_store_query_add_order (LersStoreQuery *self, const gchar *property, gboolean descending);
void lers_store_query_set_limit (LersStoreQuery *self, guint limit);
guint lers_store_query_get_limit (LersStoreQuery *self);
void lers_store_query_set_cursor (LersStoreQuery *self, const gchar *cursor);
const gchar *lers_store_query_get_cursor (LersStoreQuery *self);

G_END_DECLS
