/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"

/* The table descriptions: how each model type maps to its table. */

/* ---- models ------------------------------------------------------------ */

static const LersStoreColumn lers_store_node_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "address", "address", LERS_STORE_COLUMN_TEXT },
  { "number", "number", LERS_STORE_COLUMN_TEXT },
  { "node_type", "node-type", LERS_STORE_COLUMN_ENUM },
  { "latitude", "latitude", LERS_STORE_COLUMN_DOUBLE },
  { "longitude", "longitude", LERS_STORE_COLUMN_DOUBLE },
  { "customer", "customer", LERS_STORE_COLUMN_TEXT },
  { "contract", "contract", LERS_STORE_COLUMN_TEXT },
  { "temperature_schedule", "temperature-schedule", LERS_STORE_COLUMN_TEXT },
  { "comment", "comment", LERS_STORE_COLUMN_TEXT },
  { "groups", "groups", LERS_STORE_COLUMN_STRV },
  { "territory_id", "territory-id", LERS_STORE_COLUMN_REF },
};

static const LersStoreColumn lers_store_measure_point_columns[] = {
  { "node_id", "node-id", LERS_STORE_COLUMN_REF },
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "resource", "resource", LERS_STORE_COLUMN_ENUM },
  { "device_id", "device-id", LERS_STORE_COLUMN_REF },
  { "channel", "channel", LERS_STORE_COLUMN_UINT },
  { "poll_interval", "poll-interval", LERS_STORE_COLUMN_UINT },
  { "poll_offset", "poll-offset", LERS_STORE_COLUMN_UINT },
  { "reporting_hour", "reporting-hour", LERS_STORE_COLUMN_UINT },
  { "reporting_day", "reporting-day", LERS_STORE_COLUMN_UINT },
};

static const LersStoreColumn lers_store_device_columns[] = {
  { "protocol", "protocol", LERS_STORE_COLUMN_TEXT },
  { "model", "model", LERS_STORE_COLUMN_TEXT },
  { "serial_number", "serial-number", LERS_STORE_COLUMN_TEXT },
  { "network_address", "network-address", LERS_STORE_COLUMN_TEXT },
  { "password", "password", LERS_STORE_COLUMN_TEXT },
  { "calibration_date", "calibration-date", LERS_STORE_COLUMN_DATETIME },
  { "calibration_interval", "calibration-interval", LERS_STORE_COLUMN_UINT },
  { "connection_id", "connection-id", LERS_STORE_COLUMN_REF },
  { "clock_zone", "clock-zone", LERS_STORE_COLUMN_TIME_ZONE },
};

static const LersStoreColumn lers_store_territory_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "parent_id", "parent-id", LERS_STORE_COLUMN_REF },
  { "timezone", "time-zone", LERS_STORE_COLUMN_TIME_ZONE },
};

static const LersStoreColumn lers_store_connection_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },     { "kind", "kind", LERS_STORE_COLUMN_ENUM },
  { "host", "host", LERS_STORE_COLUMN_TEXT },       { "port", "port", LERS_STORE_COLUMN_UINT },
  { "timeout", "timeout", LERS_STORE_COLUMN_UINT },
};

const LersStoreModel lers_store_model_node = {
  "nodes",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("node"),
  lers_node_get_type,
  lers_store_node_columns,
  G_N_ELEMENTS (lers_store_node_columns),
  NULL,
};
const LersStoreModel lers_store_model_measure_point = {
  "measure_points",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("measure point"),
  lers_measure_point_get_type,
  lers_store_measure_point_columns,
  G_N_ELEMENTS (lers_store_measure_point_columns),
  "node_id",
};
const LersStoreModel lers_store_model_device = {
  "devices",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("device"),
  lers_device_get_type,
  lers_store_device_columns,
  G_N_ELEMENTS (lers_store_device_columns),
  NULL,
};
const LersStoreModel lers_store_model_connection = {
  "connections",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("connection"),
  lers_connection_get_type,
  lers_store_connection_columns,
  G_N_ELEMENTS (lers_store_connection_columns),
  NULL,
};
const LersStoreModel lers_store_model_territory = {
  "territories",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("territory"),
  lers_territory_get_type,
  lers_store_territory_columns,
  G_N_ELEMENTS (lers_store_territory_columns),
  "parent_id",
};
