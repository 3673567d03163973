/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes how lersd reads a request target before any route runs: the path is
 * split and percent-decoded, the query parsed (lersd_parse_target()), and
 * every segment and query value tried as an id (lersd_parse_id()). The input
 * is PATH[?QUERY]; a NUL byte ends it.
 */
#include "lersd-server.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree gchar *target = size > 0 ? g_strndup ((const gchar *) data, size) : g_strdup ("");
  g_autoptr (GPtrArray) segments = NULL;
  g_autoptr (GHashTable) query = NULL;
  g_autoptr (GError) error = NULL;
  gchar *mark = strchr (target, '?');
  const gchar *raw_query = NULL;

  if (mark != NULL)
    {
      *mark = '\0';
      raw_query = mark + 1;
    }
  if (!lersd_parse_target (target, raw_query, &segments, &query, &error))
    {
      g_assert (error != NULL && error->domain == LERS_ERROR);
      return 0;
    }
  for (guint i = 0; i < segments->len; i++)
    {
      g_autoptr (GError) id_error = NULL;
      gint64 id = 0;

      if (lersd_parse_id (g_ptr_array_index (segments, i), &id, &id_error))
        g_assert (id >= 1 && id <= G_MAXINT32);
      else
        g_assert (id_error != NULL);
    }
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          gint64 id = 0;
          lersd_parse_id (value, &id, NULL);
        }
    }
  return 0;
}
