/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * LERS_ERROR:
 *
 * The error domain of liblers.
 *
 * Since: 0.1
 */
#define LERS_ERROR (lers_error_quark ())

/**
 * LersError:
 * @LERS_ERROR_FAILED: a failure with no better code
 * @LERS_ERROR_INVALID_ARGUMENT: the caller passed a value that is out of range or malformed
 * @LERS_ERROR_NOT_FOUND: the object asked for does not exist
 * @LERS_ERROR_NOT_SUPPORTED: the plugin or device does not implement this
 * @LERS_ERROR_INVALID_DATA: bytes from a device or file could not be decoded
 * @LERS_ERROR_CHECKSUM: a frame's checksum or CRC did not match
 * @LERS_ERROR_TIMED_OUT: a device or server did not answer in time
 * @LERS_ERROR_CONNECTION: a device or server could not be reached
 * @LERS_ERROR_DATABASE: the database refused or failed a statement
 * @LERS_ERROR_PERMISSION_DENIED: the caller lacks the rights
 * @LERS_ERROR_CANCELLED: the operation was cancelled
 * @LERS_ERROR_BUSY: the database did not get to the work within its bound
 *   (a lock held too long, a statement too slow); try again later. Since: 0.2
 *
 * Stable error codes; each maps to one HTTP status (see lers_error_to_http_status()).
 *
 * Since: 0.1
 */
typedef enum
{
  LERS_ERROR_FAILED,
  LERS_ERROR_INVALID_ARGUMENT,
  LERS_ERROR_NOT_FOUND,
  LERS_ERROR_NOT_SUPPORTED,
  LERS_ERROR_INVALID_DATA,
  LERS_ERROR_CHECKSUM,
  LERS_ERROR_TIMED_OUT,
  LERS_ERROR_CONNECTION,
  LERS_ERROR_DATABASE,
  LERS_ERROR_PERMISSION_DENIED,
  LERS_ERROR_CANCELLED,
  LERS_ERROR_BUSY,
} LersError;

GQuark lers_error_quark (void);
const gchar *lers_error_code_to_string (const GError *error);
guint lers_error_to_http_status (const GError *error);
void lers_error_convert (GError **error);

G_END_DECLS
