/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"

/* clang-format would space out the macro argument (`lers - error - quark`),
 * and that text is the domain name every GError of ours carries. */
// clang-format off
G_DEFINE_QUARK (lers-error-quark, lers_error)
// clang-format on

/**
 * lers_error_code_to_string:
 * @error: a #GError
 *
 * Names @error's code as the HTTP API and the poll job's `error_code` do:
 * `invalid-argument`, `not-found`, `timed-out`, `connection`,
 * `invalid-data`, … An error of another domain is `failed`.
 *
 * Returns: the code's name
 *
 * Since: 0.4
 */
const gchar *
lers_error_code_to_string (const GError *error)
{
  static const gchar *const codes[] = {
    [LERS_ERROR_FAILED] = "failed",
    [LERS_ERROR_INVALID_ARGUMENT] = "invalid-argument",
    [LERS_ERROR_NOT_FOUND] = "not-found",
    [LERS_ERROR_NOT_SUPPORTED] = "not-supported",
    [LERS_ERROR_INVALID_DATA] = "invalid-data",
    [LERS_ERROR_CHECKSUM] = "checksum",
    [LERS_ERROR_TIMED_OUT] = "timed-out",
    [LERS_ERROR_CONNECTION] = "connection",
    [LERS_ERROR_DATABASE] = "database",
    [LERS_ERROR_PERMISSION_DENIED] = "permission-denied",
    [LERS_ERROR_CANCELLED] = "cancelled",
    [LERS_ERROR_BUSY] = "busy",
  };

  g_return_val_if_fail (error != NULL, "failed");
  if (error->domain != LERS_ERROR || error->code < 0 || (gsize) error->code >= G_N_ELEMENTS (codes)
      || codes[error->code] == NULL)
    return "failed";
  return codes[error->code];
}

/**
 * lers_error_to_http_status:
 * @error: a #GError
 *
 * Maps an error to the HTTP status the API answers with.
 *
 * Returns: an HTTP status code
 *
 * Since: 0.1
 */
guint
lers_error_to_http_status (const GError *error)
{
  static const struct
  {
    LersError code;
    guint status;
  } map[] = {
    { LERS_ERROR_INVALID_ARGUMENT, 400 },
    { LERS_ERROR_INVALID_DATA, 400 },
    { LERS_ERROR_CHECKSUM, 400 },
    { LERS_ERROR_NOT_FOUND, 404 },
    { LERS_ERROR_PERMISSION_DENIED, 403 },
    { LERS_ERROR_NOT_SUPPORTED, 501 },
    { LERS_ERROR_TIMED_OUT, 504 },
    { LERS_ERROR_CONNECTION, 502 },
    { LERS_ERROR_DATABASE, 503 },
    { LERS_ERROR_CANCELLED, 499 },
    { LERS_ERROR_BUSY, 503 },
  };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return 499;
  if (error == NULL || error->domain != LERS_ERROR)
    return 500;
  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (map[i].code == (LersError) error->code)
      return map[i].status;
  return 500;
}

/**
 * lers_error_convert:
 * @error: (inout) (optional) (nullable): a #GError, converted in place
 *
 * Converts a GIO error into the #LERS_ERROR domain, keeping its message, so
 * that callers see few domains with stable codes.
 *
 * Since: 0.1
 */
void
lers_error_convert (GError **error)
{
  static const struct
  {
    GIOErrorEnum io;
    LersError lers;
  } map[] = {
    { G_IO_ERROR_NOT_FOUND, LERS_ERROR_NOT_FOUND },
    { G_IO_ERROR_TIMED_OUT, LERS_ERROR_TIMED_OUT },
    { G_IO_ERROR_CANCELLED, LERS_ERROR_CANCELLED },
    { G_IO_ERROR_CONNECTION_REFUSED, LERS_ERROR_CONNECTION },
    { G_IO_ERROR_HOST_UNREACHABLE, LERS_ERROR_CONNECTION },
    { G_IO_ERROR_NETWORK_UNREACHABLE, LERS_ERROR_CONNECTION },
    { G_IO_ERROR_BROKEN_PIPE, LERS_ERROR_CONNECTION },
    { G_IO_ERROR_CONNECTION_CLOSED, LERS_ERROR_CONNECTION },
    { G_IO_ERROR_PERMISSION_DENIED, LERS_ERROR_PERMISSION_DENIED },
    { G_IO_ERROR_NOT_SUPPORTED, LERS_ERROR_NOT_SUPPORTED },
    { G_IO_ERROR_INVALID_ARGUMENT, LERS_ERROR_INVALID_ARGUMENT },
    { G_IO_ERROR_INVALID_DATA, LERS_ERROR_INVALID_DATA },
    { G_IO_ERROR_PARTIAL_INPUT, LERS_ERROR_INVALID_DATA },
  };

  if (error == NULL || *error == NULL || (*error)->domain == LERS_ERROR)
    return;
  if ((*error)->domain == G_IO_ERROR)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
        if (map[i].io == (GIOErrorEnum) (*error)->code)
          {
            (*error)->domain = LERS_ERROR;
            (*error)->code = map[i].lers;
            return;
          }
    }
  (*error)->domain = LERS_ERROR;
  (*error)->code = LERS_ERROR_FAILED;
}
