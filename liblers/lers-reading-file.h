/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-device.h"
#include "model/lers-meter-event.h"
#include "model/lers-record.h"

G_BEGIN_DECLS

/**
 * LERS_READING_FILE_VERSION:
 *
 * The newest version of the reading file format this library reads and
 * the version it writes.
 *
 * Since: 0.3
 */
#define LERS_READING_FILE_VERSION 1

#define LERS_TYPE_READING_FILE (lers_reading_file_get_type ())
G_DECLARE_FINAL_TYPE (LersReadingFile, lers_reading_file, LERS, READING_FILE, GObject)

LersReadingFile *lers_reading_file_new (void);

gboolean lers_reading_file_load_from_data (LersReadingFile *self, const gchar *data, gssize length,
                                           GError **error);
gboolean lers_reading_file_load_from_file (LersReadingFile *self, const gchar *filename,
                                           GError **error);
gchar *lers_reading_file_to_data (LersReadingFile *self, gsize *length);
gboolean lers_reading_file_save_to_file (LersReadingFile *self, const gchar *filename,
                                         GError **error);

const gchar *lers_reading_file_get_program (LersReadingFile *self);
void lers_reading_file_set_program (LersReadingFile *self, const gchar *program);
GDateTime *lers_reading_file_get_read_at (LersReadingFile *self);
void lers_reading_file_set_read_at (LersReadingFile *self, GDateTime *read_at);
LersDevice *lers_reading_file_get_device (LersReadingFile *self);
void lers_reading_file_set_device (LersReadingFile *self, LersDevice *device);
const gchar *lers_reading_file_get_zone (LersReadingFile *self);
void lers_reading_file_set_zone (LersReadingFile *self, const gchar *zone);
GDateTime *lers_reading_file_get_device_clock (LersReadingFile *self);
gint64 lers_reading_file_get_clock_offset (LersReadingFile *self);
void lers_reading_file_set_device_clock (LersReadingFile *self, GDateTime *device_clock,
                                         gint64 offset_seconds);

void lers_reading_file_add_records (LersReadingFile *self, GPtrArray *records);
GPtrArray *lers_reading_file_get_records (LersReadingFile *self);

void lers_reading_file_add_events (LersReadingFile *self, GPtrArray *events);
GPtrArray *lers_reading_file_get_events (LersReadingFile *self);

void lers_reading_file_add_not_supported (LersReadingFile *self, const gchar *what);
const gchar *const *lers_reading_file_get_not_supported (LersReadingFile *self);

G_END_DECLS
