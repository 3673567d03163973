/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-reading-file.h"
#include "poll/lers-poll-spool-private.h"

/*
 * LersPollSpool:
 *
 * Where a polling service keeps what it read while the database is
 * unreachable, so that nothing read is lost; drained into the database
 * once it answers again.
 *
 * The spool is a directory (mode 0700) with one file per write, named
 * `<microseconds since 1970, 20 digits>-<sequence, 10 digits>.json`, so
 * that the names sort oldest first. A file is written to a temporary
 * `<name>.XXXXXX` and renamed into place (mode 0600, synced:
 * g_file_set_contents_full()), so a crash leaves either the whole file or
 * a temporary one that the next start removes. Its content:
 *
 *   {"lers_spool": 1, "point_id": 42, "reading": READING}
 *
 * where READING is a reading file (docs/reading-file.md, written and read
 * by #LersReadingFile) holding the point's records and meter events; its
 * "device" member is a placeholder (protocol `lers-spool`, the point id as
 * serial number), the point is `point_id`.
 *
 * The spool is bounded by the total size of its files: an add that would
 * pass the bound fails with %LERS_ERROR_BUSY and writes nothing. A drain
 * writes the files oldest first and deletes each only after its rows are
 * committed (archive writes are upserts and meter events are unique, so a
 * file written twice stores nothing twice); it stops at the first error
 * of the database (the rest stay). A file the database refuses for good
 * (its point was deleted, the file is damaged) is renamed `<name>.bad`,
 * logged and kept for an operator, and the drain goes on.
 *
 * Adds and drains may come from different threads.
 */
struct _LersPollSpool
{
  GObject parent_instance;
  gchar *dir;
  guint64 max_bytes;
  GMutex lock;  /* n_files, n_bytes, sequence */
  GMutex drain; /* one drain at a time */
  guint n_files;
  guint64 n_bytes;
  guint sequence;
};

G_DEFINE_FINAL_TYPE (LersPollSpool, lers_poll_spool, G_TYPE_OBJECT)

#define LERS_POLL_SPOOL_VERSION 1
#define LERS_POLL_SPOOL_SUFFIX ".json"

static void
lers_poll_spool_finalize (GObject *object)
{
  LersPollSpool *self = LERS_POLL_SPOOL (object);

  g_free (self->dir);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->drain);
  G_OBJECT_CLASS (lers_poll_spool_parent_class)->finalize (object);
}

static void
lers_poll_spool_class_init (LersPollSpoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_poll_spool_finalize;
}

static void
lers_poll_spool_init (LersPollSpool *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->drain);
}

static gboolean
lers_poll_spool_is_entry (const gchar *name)
{
  return g_str_has_suffix (name, LERS_POLL_SPOOL_SUFFIX) && name[0] != '.';
}

static gint
lers_poll_spool_compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* The spool's files, oldest first. */
static GPtrArray *
lers_poll_spool_list (LersPollSpool *self, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (self->dir, 0, error);
  g_autoptr (GPtrArray) names = NULL;
  const gchar *name;

  if (dir == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (lers_poll_spool_is_entry (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, lers_poll_spool_compare_names);
  return g_steal_pointer (&names);
}

static guint64
lers_poll_spool_file_size (const gchar *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return (guint64) st.st_size;
}

/**
 * lers_poll_spool_new:
 * @dir: (type filename): the spool directory; made (mode 0700) when missing
 * @max_bytes: the bound on the total size of the spooled files
 * @error: return location for a #GError
 *
 * Opens the spool in @dir; files left there by an earlier run are kept
 * (and counted), half-written ones removed.
 *
 * Returns: (transfer full) (nullable): the spool, or %NULL with a
 *   %G_FILE_ERROR when @dir cannot be made or read
 */
LersPollSpool *
lers_poll_spool_new (const gchar *dir, guint64 max_bytes, GError **error)
{
  g_autoptr (LersPollSpool) self = NULL;
  g_autoptr (GDir) d = NULL;
  const gchar *name;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot make the spool directory %s: %s"), dir, g_strerror (saved));
      return NULL;
    }
  self = g_object_new (LERS_TYPE_POLL_SPOOL, NULL);
  self->dir = g_strdup (dir);
  self->max_bytes = max_bytes;
  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);

      if (strstr (name, LERS_POLL_SPOOL_SUFFIX ".") != NULL && !g_str_has_suffix (name, ".bad"))
        g_unlink (path); /* a write that a crash cut short */
      else if (lers_poll_spool_is_entry (name))
        {
          self->n_files++;
          self->n_bytes += lers_poll_spool_file_size (path);
        }
    }
  if (self->n_files > 0)
    g_message (g_dngettext (GETTEXT_PACKAGE, "The spool %s holds %u file of an earlier run",
                            "The spool %s holds %u files of an earlier run", self->n_files),
               dir, self->n_files);
  return g_steal_pointer (&self);
}

static gchar *
lers_poll_spool_serialize (gint64 point_id, GPtrArray *records, GPtrArray *events)
{
  g_autoptr (LersReadingFile) reading = lers_reading_file_new ();
  g_autoptr (LersDevice) placeholder = lers_device_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *serial = g_strdup_printf ("%" PRId64, point_id);
  g_autofree gchar *data = NULL;

  lers_device_set_protocol (placeholder, "lers-spool");
  lers_device_set_serial_number (placeholder, serial);
  lers_reading_file_set_program (reading, "lers-poll-spool");
  lers_reading_file_set_read_at (reading, now);
  lers_reading_file_set_device (reading, placeholder);
  if (records != NULL)
    lers_reading_file_add_records (reading, records);
  if (events != NULL)
    lers_reading_file_add_events (reading, events);
  data = lers_reading_file_to_data (reading, NULL);
  return g_strdup_printf ("{\"lers_spool\": %d, \"point_id\": %" PRId64 ", \"reading\":\n%s}\n",
                          LERS_POLL_SPOOL_VERSION, point_id, data);
}

/**
 * lers_poll_spool_add:
 * @self: a #LersPollSpool
 * @point_id: the measure point the rows belong to
 * @records: (nullable) (element-type LersRecord): archive records
 * @events: (nullable) (element-type LersMeterEvent): meter events
 * @error: return location for a #GError
 *
 * Keeps the rows in one new file of the spool.
 *
 * Returns: %TRUE when the file is written; %LERS_ERROR_BUSY when the
 *   spool would grow past its bound, a %G_FILE_ERROR when writing fails
 *   (nothing is kept then)
 */
gboolean
lers_poll_spool_add (LersPollSpool *self, gint64 point_id, GPtrArray *records, GPtrArray *events,
                     GError **error)
{
  g_autofree gchar *data = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *path = NULL;
  gsize size;
  guint sequence;

  g_return_val_if_fail (LERS_IS_POLL_SPOOL (self), FALSE);
  g_return_val_if_fail (point_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = lers_poll_spool_serialize (point_id, records, events);
  size = strlen (data);
  g_mutex_lock (&self->lock);
  if (self->n_bytes + size > self->max_bytes)
    {
      guint64 held = self->n_bytes;
      g_mutex_unlock (&self->lock);
      g_set_error (error, LERS_ERROR, LERS_ERROR_BUSY,
                   _ ("The spool %s is full (%" PRIu64 " of %" PRIu64
                      " bytes): the rows of point %" PRId64 " are not kept"),
                   self->dir, (uint64_t) held, (uint64_t) self->max_bytes, point_id);
      return FALSE;
    }
  /* reserve the room before writing, so that two adds cannot both pass */
  self->n_bytes += size;
  sequence = self->sequence++;
  g_mutex_unlock (&self->lock);

  name = g_strdup_printf ("%020" G_GINT64_FORMAT "-%010u" LERS_POLL_SPOOL_SUFFIX,
                          g_get_real_time (), sequence);
  path = g_build_filename (self->dir, name, NULL);
  if (!g_file_set_contents_full (path, data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 error))
    {
      g_mutex_lock (&self->lock);
      self->n_bytes -= size;
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  self->n_files++;
  g_mutex_unlock (&self->lock);
  g_debug ("spool: point %" PRId64 ": %u records, %u events in %s", point_id,
           records != NULL ? records->len : 0, events != NULL ? events->len : 0, name);
  return TRUE;
}

/**
 * lers_poll_spool_get_n_files:
 * @self: a #LersPollSpool
 *
 * Returns: how many writes wait in the spool
 */
guint
lers_poll_spool_get_n_files (LersPollSpool *self)
{
  guint n;

  g_return_val_if_fail (LERS_IS_POLL_SPOOL (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_files;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * lers_poll_spool_get_n_bytes:
 * @self: a #LersPollSpool
 *
 * Returns: the total size of the spooled files
 */
guint64
lers_poll_spool_get_n_bytes (LersPollSpool *self)
{
  guint64 n;

  g_return_val_if_fail (LERS_IS_POLL_SPOOL (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_bytes;
  g_mutex_unlock (&self->lock);
  return n;
}

/* Loads a spool file: its point, records and events. */
static gboolean
lers_poll_spool_load (const gchar *path, gint64 *point_id, LersReadingFile **reading,
                      GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autofree gchar *text = NULL;
  JsonObject *root;
  JsonNode *node;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    return FALSE;
  node = json_parser_get_root (parser);
  root = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (root == NULL || !json_object_has_member (root, "point_id")
      || json_object_get_int_member_with_default (root, "lers_spool", 0) != LERS_POLL_SPOOL_VERSION
      || (node = json_object_get_member (root, "reading")) == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("%s is not a spool file"), path);
      return FALSE;
    }
  *point_id = json_object_get_int_member_with_default (root, "point_id", 0);
  if (*point_id <= 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("%s names no point"), path);
      return FALSE;
    }
  text = json_to_string (node, FALSE);
  if (!lers_reading_file_load_from_data (file, text, -1, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  *reading = g_steal_pointer (&file);
  return TRUE;
}

/* An error after which the next files would fail too: the database is
 * away or busy. */
static gboolean
lers_poll_spool_is_database_error (const GError *error)
{
  return g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION)
         || g_error_matches (error, LERS_ERROR, LERS_ERROR_BUSY)
         || g_error_matches (error, LERS_ERROR, LERS_ERROR_DATABASE)
         || g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT)
         || g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* One file's rows, committed. */
static gboolean
lers_poll_spool_write (LersStore *store, gint64 point_id, LersReadingFile *reading,
                       GCancellable *cancellable, GError **error)
{
  GPtrArray *records = lers_reading_file_get_records (reading);
  GPtrArray *events = lers_reading_file_get_events (reading);

  if (records->len > 0
      && !lers_store_write_records_sync (store, point_id, records, cancellable, error))
    return FALSE;
  return events->len == 0
         || lers_store_write_meter_events_sync (store, point_id, events, cancellable, error) >= 0;
}

static void
lers_poll_spool_forget (LersPollSpool *self, guint64 size)
{
  g_mutex_lock (&self->lock);
  self->n_files--;
  self->n_bytes -= MIN (size, self->n_bytes);
  g_mutex_unlock (&self->lock);
}

/**
 * lers_poll_spool_drain_sync:
 * @self: a #LersPollSpool
 * @store: where the rows go
 * @n_records: (out) (optional): how many records were written
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the spooled files to @store, oldest first, deleting each once its
 * rows are committed. Blocks.
 *
 * Returns: %TRUE when the spool is empty (bar files the database refused
 *   for good, kept as `.bad`); %FALSE with the database's error when it
 *   stopped at one (the rest stay)
 */
gboolean
lers_poll_spool_drain_sync (LersPollSpool *self, LersStore *store, guint *n_records,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) names = NULL;
  guint written = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (LERS_IS_POLL_SPOOL (self), FALSE);
  g_return_val_if_fail (LERS_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->drain);
  names = lers_poll_spool_list (self, error);
  ok = names != NULL;
  for (guint i = 0; ok && i < names->len; i++)
    {
      const gchar *name = g_ptr_array_index (names, i);
      g_autofree gchar *path = g_build_filename (self->dir, name, NULL);
      guint64 size = lers_poll_spool_file_size (path);
      g_autoptr (LersReadingFile) reading = NULL;
      g_autoptr (GError) local = NULL;
      gint64 point_id = 0;

      if (lers_poll_spool_load (path, &point_id, &reading, &local)
          && lers_poll_spool_write (store, point_id, reading, cancellable, &local))
        {
          written += lers_reading_file_get_records (reading)->len;
          if (g_unlink (path) != 0)
            g_warning (_ ("Cannot remove the spool file %s: %s"), path, g_strerror (errno));
          lers_poll_spool_forget (self, size);
          continue;
        }
      if (lers_poll_spool_is_database_error (local))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), _ ("Storing the spool: "));
          ok = FALSE;
          break;
        }
      /* refused for good: kept aside for an operator, never dropped */
      {
        g_autofree gchar *bad = g_strconcat (path, ".bad", NULL);
        g_warning (_ ("The spool file %s cannot be stored (%s); it is kept as %s"), path,
                   local->message, bad);
        if (g_rename (path, bad) == 0)
          lers_poll_spool_forget (self, size);
      }
    }
  g_mutex_unlock (&self->drain);
  if (n_records != NULL)
    *n_records = written;
  return ok;
}
