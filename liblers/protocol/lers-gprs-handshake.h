/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LERS_GPRS_HANDSHAKE_MAX_BYTES:
 *
 * How many bytes a modem may send before it has identified itself; more
 * and the handshake fails.
 *
 * Since: 0.3
 */
#define LERS_GPRS_HANDSHAKE_MAX_BYTES 256

#define LERS_TYPE_GPRS_HANDSHAKE (lers_gprs_handshake_get_type ())

typedef struct _LersGprsHandshake LersGprsHandshake;

GType lers_gprs_handshake_get_type (void) G_GNUC_CONST;

LersGprsHandshake *lers_gprs_handshake_new_from_string (const gchar *text, GError **error);
LersGprsHandshake *lers_gprs_handshake_ref (LersGprsHandshake *self);
void lers_gprs_handshake_unref (LersGprsHandshake *self);
gchar *lers_gprs_handshake_to_string (LersGprsHandshake *self);
GBytes *lers_gprs_handshake_get_request (LersGprsHandshake *self);
gssize lers_gprs_handshake_match (LersGprsHandshake *self, const guint8 *data, gsize len,
                                  gchar **identity, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersGprsHandshake, lers_gprs_handshake_unref)

G_END_DECLS
