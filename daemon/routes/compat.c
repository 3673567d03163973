/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The REST API v1 of ЛЭРС УЧЁТ, for integrations written for it
 * (lersd_routes_compat): the table, their error shape, their enums.
 *
 * Shapes and names were read from the vendor's published REST v1 client
 * (github.com/lers-uchet/ImportTemperature, ImportTemperature/Lers.RestApi.cs,
 * generated from their swagger.json); docs/api-compat.md has the list.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "compat.h"

const LersdRoute lersd_routes_compat[] = {
  { "POST", "Login", LERSD_ACCESS_PUBLIC, lersd_route_compat_login },
  { "GET", "ServerInfo", LERSD_ACCESS_PUBLIC, lersd_route_compat_server_info },
  { "GET", "Core/Nodes", LERSD_ACCESS_READ, lersd_route_compat_nodes },
  { "GET", "Core/Nodes/*", LERSD_ACCESS_READ, lersd_route_compat_node },
  { "GET", "Core/Nodes/*/MeasurePoints", LERSD_ACCESS_READ, lersd_route_compat_node_points },
  { "GET", "Core/MeasurePoints", LERSD_ACCESS_READ, lersd_route_compat_points },
  { "GET", "Core/MeasurePoints/*", LERSD_ACCESS_READ, lersd_route_compat_point },
  { "GET", "Core/Equipment", LERSD_ACCESS_READ, lersd_route_compat_equipment_list },
  { "GET", "Core/Equipment/*", LERSD_ACCESS_READ, lersd_route_compat_equipment },
  { "GET", "Data/MeasurePoints/*/Consumption/Last", LERSD_ACCESS_READ,
    lersd_route_compat_consumption_last },
  { "GET", "Data/MeasurePoints/*/Totals/Last", LERSD_ACCESS_READ, lersd_route_compat_totals_last },
  { "GET", "Data/MeasurePoints/*/Consumption/*/*", LERSD_ACCESS_READ,
    lersd_route_compat_consumption },
  { "GET", "Data/MeasurePoints/*/Totals/*/*", LERSD_ACCESS_READ, lersd_route_compat_totals },
  { "PUT", "Data/MeasurePoints/*", LERSD_ACCESS_OPERATE, lersd_route_compat_save_data },
  { "GET", "Incidents", LERSD_ACCESS_READ, lersd_route_compat_incidents },
  { NULL },
};

/* ---- running a route, their error shape ------------------------------- */

typedef struct
{
  LersdCompatFunc func;
} LersdCompatCall;

static GBytes *
lersd_compat_thread (LersdRequest *req, gpointer data, GCancellable *cancellable, guint *status,
                     const gchar **content_type, GError **error)
{
  LersdCompatCall *call = data;
  g_autoptr (GError) local = NULL;
  GBytes *body;
  guint http;

  body = call->func (req, cancellable, status, &local);
  if (body != NULL)
    return body;

  /* 5xx, and a client that went away (499), keep lersd's own answer: the
   * message is not for the client then */
  http = lers_error_to_http_status (local);
  if (http >= 500 || http == 499 || http < 400)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  *status = http;
  return lersd_compat_error_bytes (http, local);
}

/**
 * lersd_compat_error_bytes:
 * @status: the HTTP status
 * @error: the error
 *
 * Returns: (transfer full): their ResponseParameters for @error:
 *   `{"errorMessage", "errorCode": @status, "data": {"code": "<ours>"}}`
 *
 * Since: 0.5
 */
GBytes *
lersd_compat_error_bytes (guint status, const GError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "errorMessage");
  json_builder_add_string_value (b, error->message);
  json_builder_set_member_name (b, "errorCode");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, status == 401   ? "unauthorized"
                                    : status == 429 ? "too-many-requests"
                                                    : lers_error_code_to_string (error));
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return lersd_compat_json_bytes (root);
}

/**
 * lersd_compat_run:
 * @req: the request
 * @func: the route's blocking work
 *
 * Runs @func on a worker thread and answers with its body, or its error in
 * the vendor's shape (4xx) or ours (5xx).
 *
 * Since: 0.5
 */
void
lersd_compat_run (LersdRequest *req, LersdCompatFunc func)
{
  LersdCompatCall *call = g_new0 (LersdCompatCall, 1);

  call->func = func;
  /* read on the main thread: the message is the main thread's */
  (void) lersd_request_get_address (req);
  lersd_request_run_in_thread (req, lersd_compat_thread, call, g_free);
}

/**
 * lersd_compat_json_bytes:
 * @root: a JSON value
 *
 * Returns: (transfer full): @root as compact JSON text
 *
 * Since: 0.5
 */
GBytes *
lersd_compat_json_bytes (JsonNode *root)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  gchar *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

/**
 * lersd_compat_get_bool:
 * @req: the request
 * @name: the query parameter
 * @def: the value when it is absent
 * @value: (out): the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
gboolean
lersd_compat_get_bool (LersdRequest *req, const gchar *name, gboolean def, gboolean *value,
                       GError **error)
{
  const gchar *str = lersd_request_get_query (req, name);

  *value = def;
  if (str == NULL || *str == '\0')
    return TRUE;
  /* .NET's bool.ToString() is "True"/"False" */
  if (g_ascii_strcasecmp (str, "true") == 0)
    *value = TRUE;
  else if (g_ascii_strcasecmp (str, "false") == 0)
    *value = FALSE;
  else
    {
      g_autofree gchar *quoted = lersd_quote_input (str);
      /* TRANSLATORS: the first %s is a query parameter such as getEquipment */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s “%s” must be true or false"), name, quoted);
      return FALSE;
    }
  return TRUE;
}

/**
 * lersd_compat_parse_body:
 * @req: the request
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the body as a JSON object, or %NULL with
 *   %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
JsonObject *
lersd_compat_parse_body (LersdRequest *req, GError **error)
{
  g_autoptr (GBytes) body = lersd_request_get_body (req);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  gsize len = 0;
  const gchar *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request has no body; send a JSON object"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body is not valid JSON: %s"), local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

gboolean
lersd_compat_node_visible (GArray *visible, gboolean all, gint64 node_id)
{
  if (all)
    return TRUE;
  for (guint i = 0; visible != NULL && i < visible->len; i++)
    if (g_array_index (visible, gint64, i) == node_id)
      return TRUE;
  return FALSE;
}

/* ---- their enums ------------------------------------------------------ */

const gchar *
lersd_compat_system_type (LersResource resource)
{
  switch (resource)
    {
    case LERS_RESOURCE_HEAT:
      return "Heat";
    case LERS_RESOURCE_HOT_WATER:
      return "HotWater";
    case LERS_RESOURCE_COLD_WATER:
      return "ColdWater";
    case LERS_RESOURCE_GAS:
      return "Gas";
    case LERS_RESOURCE_ELECTRICITY:
      return "Electricity";
    case LERS_RESOURCE_STEAM:
      return "Steam";
    default:
      return "None";
    }
}

const gchar *
lersd_compat_resource_kind (LersResource resource)
{
  switch (resource)
    {
    case LERS_RESOURCE_HEAT:
    case LERS_RESOURCE_HOT_WATER:
    case LERS_RESOURCE_COLD_WATER:
    case LERS_RESOURCE_STEAM:
      return "Water";
    case LERS_RESOURCE_GAS:
      return "Gas";
    case LERS_RESOURCE_ELECTRICITY:
      return "Electricity";
    default:
      return "None";
    }
}

static const struct
{
  LersNodeType type;
  const gchar *name;
} lersd_compat_node_types[] = {
  { LERS_NODE_TYPE_NODE, "Node" },
  { LERS_NODE_TYPE_HOUSE, "House" },
  { LERS_NODE_TYPE_POWER_SOURCE, "PowerSource" },
};

const gchar *
lersd_compat_node_type (LersNodeType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_node_types); i++)
    if (lersd_compat_node_types[i].type == type)
      return lersd_compat_node_types[i].name;
  return "None";
}

gboolean
lersd_compat_node_type_from_string (const gchar *str, LersNodeType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_node_types); i++)
    if (g_strcmp0 (lersd_compat_node_types[i].name, str) == 0)
      {
        *type = lersd_compat_node_types[i].type;
        return TRUE;
      }
  return FALSE;
}

/* Their DataParameter names (the enum of their REST API v1). */
static const gchar *const lersd_compat_parameters[] = {
  "T_in",
  "T_out",
  "T_cw",
  "T_outdoor",
  "M_in",
  "M_out",
  "V_in",
  "V_out",
  "Q_in",
  "Q_out",
  "Q_delta",
  "P_in",
  "P_out",
  "P_cw",
  "NormalOperationDuration",
  "T",
  "P",
  "V",
  "V_std",
  "Ap1",
  "An1",
  "Rp1",
  "Rn1",
  "Ap2",
  "An2",
  "Rp2",
  "Rn2",
  "Ap3",
  "An3",
  "Rp3",
  "Rn3",
  "Ap4",
  "An4",
  "Rp4",
  "Rn4",
  "Ap",
  "An",
  "Rp",
  "Rn",
  "StopDuration",
  "FlowUnderrunDuration",
  "FlowOverrunDuration",
  "TempDiffLowDuration",
  "NoPowerDuration",
  "IncidentDuration",
  "SaturatedSteamDuration",
  "T_delta",
  "P_delta",
  "V_delta",
  "M_delta",
  "M",
  "T_indoor",
  "PowerProfile_Pp",
  "PowerProfile_Pn",
  "PowerProfile_Qp",
  "PowerProfile_Qn",
  "S",
  "SA",
  "SB",
  "SC",
  "ElectricCurrent_P",
  "Pp",
  "Pn",
  "PA",
  "PB",
  "PC",
  "Q",
  "Qp",
  "Qn",
  "QA",
  "QB",
  "QC",
  "U",
  "UA",
  "UB",
  "UC",
  "I",
  "IA",
  "IB",
  "IC",
  "PhiUAB",
  "PhiUAC",
  "PhiUBC",
  "PhiUIA",
  "PhiUIB",
  "PhiUIC",
  "Frequency",
  "CosPhi",
  "CosPhiA",
  "CosPhiB",
  "CosPhiC",
  "M_balance",
  "H",
  "T_internal",
  "T_control",
  "T_base",
  "ValvePercent",
  "CorrectionCoeff",
  "CalorificValue",
  "Humidity",
  "AtmospherePressure",
  "CarbonDioxideContent",
  "NitrogenContent",
  "V_NoCount",
  "DensityStd",
  "TempOverrunDuration",
  "TempUnderrunDuration",
  "PressOverrunDuration",
  "PressUnderrunDuration",
  "FlowUnderrunThresholdDuration",
  "UnacceptablePhysicalStateDuration",
};

/* Ours whose name differs from theirs; the rest have the same name. */
static const struct
{
  LersParameter ours;
  const gchar *theirs;
} lersd_compat_renamed[] = {
  { LERS_PARAMETER_POWER_P, "ElectricCurrent_P" },
  { LERS_PARAMETER_POWER_Q, "Q" },
  { LERS_PARAMETER_POWER_S, "S" },
  { LERS_PARAMETER_POWER_P_A, "PA" },
  { LERS_PARAMETER_POWER_P_B, "PB" },
  { LERS_PARAMETER_POWER_P_C, "PC" },
  { LERS_PARAMETER_POWER_Q_A, "QA" },
  { LERS_PARAMETER_POWER_Q_B, "QB" },
  { LERS_PARAMETER_POWER_Q_C, "QC" },
  { LERS_PARAMETER_POWER_S_A, "SA" },
  { LERS_PARAMETER_POWER_S_B, "SB" },
  { LERS_PARAMETER_POWER_S_C, "SC" },
  { LERS_PARAMETER_ANGLE_AB, "PhiUAB" },
  { LERS_PARAMETER_ANGLE_BC, "PhiUBC" },
  { LERS_PARAMETER_PRESSURE_OVERRUN_DURATION, "PressOverrunDuration" },
  { LERS_PARAMETER_PRESSURE_UNDERRUN_DURATION, "PressUnderrunDuration" },
};

static gboolean
lersd_compat_is_their_parameter (const gchar *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_parameters); i++)
    if (g_strcmp0 (lersd_compat_parameters[i], name) == 0)
      return TRUE;
  return FALSE;
}

const gchar *
lersd_compat_parameter_name (LersParameter parameter)
{
  const gchar *name;

  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_renamed); i++)
    if (lersd_compat_renamed[i].ours == parameter)
      return lersd_compat_renamed[i].theirs;
  name = lers_parameter_get_name (parameter);
  /* renamed ones' own names (Q, S…) mean something else there */
  if (name == NULL || !lersd_compat_is_their_parameter (name))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_renamed); i++)
    if (g_strcmp0 (lersd_compat_renamed[i].theirs, name) == 0)
      return NULL;
  return name;
}

gboolean
lersd_compat_parameter_from_name (const gchar *name, LersParameter *parameter)
{
  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_renamed); i++)
    if (g_strcmp0 (lersd_compat_renamed[i].theirs, name) == 0)
      {
        *parameter = lersd_compat_renamed[i].ours;
        return TRUE;
      }
  if (!lersd_compat_is_their_parameter (name) || !lers_parameter_from_name (name, parameter))
    return FALSE;
  return lersd_compat_parameter_name (*parameter) != NULL;
}

const gchar *
lersd_compat_parameter_category (LersParameter parameter)
{
  static const struct
  {
    const gchar *ours;
    const gchar *theirs;
  } map[] = {
    { "temperature", "Temperature" },
    { "temperature-difference", "Temperature" },
    { "mass", "Mass" },
    { "volume", "Volume" },
    { "heat-energy", "Heat" },
    { "pressure", "Pressure" },
    { "active-energy", "ActiveElectricalEnergy" },
    { "reactive-energy", "ReactiveElectricalEnergy" },
    { "active-power", "ActiveElectricPower" },
    { "reactive-power", "ReactiveElectricPower" },
    { "apparent-power", "ApparentElectricPower" },
    { "voltage", "Voltage" },
    { "current", "ElectricCurrent" },
    { "frequency", "Frequency" },
    { "angle", "PhaseAngle" },
    { "duration", "Time" },
    { "length", "WaterLevel" },
    { "calorific-value", "CalorificValue" },
    { "density", "Density" },
    { "coefficient", "Coefficient" },
  };
  const gchar *category;

  switch (parameter)
    {
    case LERS_PARAMETER_P_DELTA:
      return "PressureDrop";
    case LERS_PARAMETER_COS_PHI:
    case LERS_PARAMETER_COS_PHI_A:
    case LERS_PARAMETER_COS_PHI_B:
    case LERS_PARAMETER_COS_PHI_C:
      return "PowerFactor";
    case LERS_PARAMETER_CARBON_DIOXIDE_CONTENT:
      return "CarbonDioxideContent";
    case LERS_PARAMETER_NITROGEN_CONTENT:
      return "NitrogenContent";
    default:
      break;
    }

  category = lers_unit_get_category (lers_parameter_get_unit (parameter));
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (map[i].ours, category) == 0)
      return map[i].theirs;
  return "None";
}

const gchar *
lersd_compat_unit (LersUnit unit)
{
  switch (unit)
    {
    case LERS_UNIT_DEG_C:
    /* a temperature difference: 1 K is 1 °C, and theirs gives one unit a
     * category (Temperature) */
    case LERS_UNIT_KELVIN:
      return "CelsiusDegree";
    case LERS_UNIT_TONNE:
      return "Ton";
    case LERS_UNIT_CUBIC_METRE:
      return "CubicMeter";
    case LERS_UNIT_GCAL:
      return "GigaCalorie";
    case LERS_UNIT_MPA:
      return "MegaPascal";
    case LERS_UNIT_KPA:
      return "KiloPascal";
    case LERS_UNIT_KWH:
      return "KilowattHour";
    case LERS_UNIT_KVARH:
      return "KilovarHour";
    case LERS_UNIT_KW:
      return "Kilowatt";
    case LERS_UNIT_KVAR:
      return "Kilovar";
    case LERS_UNIT_KVA:
      return "KiloVoltAmper";
    case LERS_UNIT_VOLT:
      return "Volt";
    case LERS_UNIT_AMPERE:
      return "Amper";
    case LERS_UNIT_HERTZ:
      return "Herz";
    case LERS_UNIT_DEGREE:
      return "Degree";
    case LERS_UNIT_HOUR:
      return "Hour";
    case LERS_UNIT_PERCENT:
      return "Percent";
    case LERS_UNIT_METRE:
      return "Meter";
    case LERS_UNIT_KG_PER_CUBIC_METRE:
      return "KilogramPerCubicMeter";
    case LERS_UNIT_MJ_PER_CUBIC_METRE:
      return "MegaJoule";
    default:
      return "None";
    }
}
