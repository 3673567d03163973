/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

void mbus_test_register_types (void);
GBytes *mbus_test_load_hex (const gchar *path);

G_END_DECLS
