/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mbus-data.h"

G_BEGIN_DECLS

JsonNode *mbus_json_build (const MbusData *data);
gchar *mbus_json_render (const MbusData *data, gboolean pretty);

G_END_DECLS
