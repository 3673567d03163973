/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lersd-server.h"

G_BEGIN_DECLS

gboolean lersd_web_serve (LersdRequest *req, GPtrArray *segments, const gchar *web_root);

G_END_DECLS
