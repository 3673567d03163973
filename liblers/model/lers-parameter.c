/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "model/lers-parameter.h"

typedef struct
{
  LersParameter parameter;
  const gchar *name;
  LersUnit unit;
  const gchar *description;
} LersParameterInfo;

static const LersParameterInfo parameters[] = {
  { LERS_PARAMETER_T_IN, "T_in", LERS_UNIT_DEG_C, N_ ("Supply temperature") },
  { LERS_PARAMETER_T_OUT, "T_out", LERS_UNIT_DEG_C, N_ ("Return temperature") },
  { LERS_PARAMETER_T_CW, "T_cw", LERS_UNIT_DEG_C, N_ ("Cold water temperature") },
  { LERS_PARAMETER_T_OUTDOOR, "T_outdoor", LERS_UNIT_DEG_C, N_ ("Outdoor air temperature") },
  { LERS_PARAMETER_T_INDOOR, "T_indoor", LERS_UNIT_DEG_C, N_ ("Indoor air temperature") },
  { LERS_PARAMETER_T_DELTA, "T_delta", LERS_UNIT_KELVIN,
    N_ ("Supply and return temperature difference") },
  { LERS_PARAMETER_M_IN, "M_in", LERS_UNIT_TONNE, N_ ("Supply mass") },
  { LERS_PARAMETER_M_OUT, "M_out", LERS_UNIT_TONNE, N_ ("Return mass") },
  { LERS_PARAMETER_M_DELTA, "M_delta", LERS_UNIT_TONNE, N_ ("Mass difference (consumption)") },
  { LERS_PARAMETER_M, "M", LERS_UNIT_TONNE, N_ ("Mass") },
  { LERS_PARAMETER_M_BALANCE, "M_balance", LERS_UNIT_TONNE, N_ ("Mass balance") },
  { LERS_PARAMETER_V_IN, "V_in", LERS_UNIT_CUBIC_METRE, N_ ("Supply volume") },
  { LERS_PARAMETER_V_OUT, "V_out", LERS_UNIT_CUBIC_METRE, N_ ("Return volume") },
  { LERS_PARAMETER_V_DELTA, "V_delta", LERS_UNIT_CUBIC_METRE, N_ ("Volume difference") },
  { LERS_PARAMETER_Q_IN, "Q_in", LERS_UNIT_GCAL, N_ ("Heat in supply") },
  { LERS_PARAMETER_Q_OUT, "Q_out", LERS_UNIT_GCAL, N_ ("Heat in return") },
  { LERS_PARAMETER_Q_DELTA, "Q_delta", LERS_UNIT_GCAL, N_ ("Heat consumed") },
  { LERS_PARAMETER_P_IN, "P_in", LERS_UNIT_MPA, N_ ("Supply pressure") },
  { LERS_PARAMETER_P_OUT, "P_out", LERS_UNIT_MPA, N_ ("Return pressure") },
  { LERS_PARAMETER_P_CW, "P_cw", LERS_UNIT_MPA, N_ ("Cold water pressure") },
  { LERS_PARAMETER_P_DELTA, "P_delta", LERS_UNIT_MPA, N_ ("Pressure difference") },
  { LERS_PARAMETER_HEAT_POWER, "HeatPower", LERS_UNIT_GCAL_PER_HOUR, N_ ("Heat power") },
  { LERS_PARAMETER_FLOW_V_IN, "VolumeFlow_in", LERS_UNIT_CUBIC_METRE_PER_HOUR,
    N_ ("Supply volume flow") },
  { LERS_PARAMETER_FLOW_V_OUT, "VolumeFlow_out", LERS_UNIT_CUBIC_METRE_PER_HOUR,
    N_ ("Return volume flow") },
  { LERS_PARAMETER_FLOW_M_IN, "MassFlow_in", LERS_UNIT_TONNE_PER_HOUR, N_ ("Supply mass flow") },
  { LERS_PARAMETER_FLOW_M_OUT, "MassFlow_out", LERS_UNIT_TONNE_PER_HOUR, N_ ("Return mass flow") },
  { LERS_PARAMETER_T, "T", LERS_UNIT_DEG_C, N_ ("Gas temperature") },
  { LERS_PARAMETER_P, "P", LERS_UNIT_MPA, N_ ("Gas pressure") },
  { LERS_PARAMETER_V, "V", LERS_UNIT_CUBIC_METRE, N_ ("Gas volume at working conditions") },
  { LERS_PARAMETER_V_STD, "V_std", LERS_UNIT_CUBIC_METRE,
    N_ ("Gas volume at standard conditions") },
  { LERS_PARAMETER_V_NO_COUNT, "V_NoCount", LERS_UNIT_CUBIC_METRE,
    N_ ("Gas volume counted during faults") },
  { LERS_PARAMETER_CORRECTION_COEFF, "CorrectionCoeff", LERS_UNIT_COEFFICIENT,
    N_ ("Correction coefficient") },
  { LERS_PARAMETER_CALORIFIC_VALUE, "CalorificValue", LERS_UNIT_MJ_PER_CUBIC_METRE,
    N_ ("Calorific value") },
  { LERS_PARAMETER_DENSITY_STD, "DensityStd", LERS_UNIT_KG_PER_CUBIC_METRE,
    N_ ("Density at standard conditions") },
  { LERS_PARAMETER_CARBON_DIOXIDE_CONTENT, "CarbonDioxideContent", LERS_UNIT_PERCENT,
    N_ ("Carbon dioxide content") },
  { LERS_PARAMETER_NITROGEN_CONTENT, "NitrogenContent", LERS_UNIT_PERCENT,
    N_ ("Nitrogen content") },
  { LERS_PARAMETER_AP, "Ap", LERS_UNIT_KWH, N_ ("Active energy, import") },
  { LERS_PARAMETER_AP1, "Ap1", LERS_UNIT_KWH, N_ ("Active energy, import, tariff 1") },
  { LERS_PARAMETER_AP2, "Ap2", LERS_UNIT_KWH, N_ ("Active energy, import, tariff 2") },
  { LERS_PARAMETER_AP3, "Ap3", LERS_UNIT_KWH, N_ ("Active energy, import, tariff 3") },
  { LERS_PARAMETER_AP4, "Ap4", LERS_UNIT_KWH, N_ ("Active energy, import, tariff 4") },
  { LERS_PARAMETER_AN, "An", LERS_UNIT_KWH, N_ ("Active energy, export") },
  { LERS_PARAMETER_AN1, "An1", LERS_UNIT_KWH, N_ ("Active energy, export, tariff 1") },
  { LERS_PARAMETER_AN2, "An2", LERS_UNIT_KWH, N_ ("Active energy, export, tariff 2") },
  { LERS_PARAMETER_AN3, "An3", LERS_UNIT_KWH, N_ ("Active energy, export, tariff 3") },
  { LERS_PARAMETER_AN4, "An4", LERS_UNIT_KWH, N_ ("Active energy, export, tariff 4") },
  { LERS_PARAMETER_RP, "Rp", LERS_UNIT_KVARH, N_ ("Reactive energy, import") },
  { LERS_PARAMETER_RP1, "Rp1", LERS_UNIT_KVARH, N_ ("Reactive energy, import, tariff 1") },
  { LERS_PARAMETER_RP2, "Rp2", LERS_UNIT_KVARH, N_ ("Reactive energy, import, tariff 2") },
  { LERS_PARAMETER_RP3, "Rp3", LERS_UNIT_KVARH, N_ ("Reactive energy, import, tariff 3") },
  { LERS_PARAMETER_RP4, "Rp4", LERS_UNIT_KVARH, N_ ("Reactive energy, import, tariff 4") },
  { LERS_PARAMETER_RN, "Rn", LERS_UNIT_KVARH, N_ ("Reactive energy, export") },
  { LERS_PARAMETER_RN1, "Rn1", LERS_UNIT_KVARH, N_ ("Reactive energy, export, tariff 1") },
  { LERS_PARAMETER_RN2, "Rn2", LERS_UNIT_KVARH, N_ ("Reactive energy, export, tariff 2") },
  { LERS_PARAMETER_RN3, "Rn3", LERS_UNIT_KVARH, N_ ("Reactive energy, export, tariff 3") },
  { LERS_PARAMETER_RN4, "Rn4", LERS_UNIT_KVARH, N_ ("Reactive energy, export, tariff 4") },
  { LERS_PARAMETER_PP, "Pp", LERS_UNIT_KW, N_ ("Active power, import") },
  { LERS_PARAMETER_PN, "Pn", LERS_UNIT_KW, N_ ("Active power, export") },
  { LERS_PARAMETER_QP, "Qp", LERS_UNIT_KVAR, N_ ("Reactive power, import") },
  { LERS_PARAMETER_QN, "Qn", LERS_UNIT_KVAR, N_ ("Reactive power, export") },
  { LERS_PARAMETER_POWER_P, "PowerP", LERS_UNIT_KW, N_ ("Active power") },
  { LERS_PARAMETER_POWER_Q, "PowerQ", LERS_UNIT_KVAR, N_ ("Reactive power") },
  { LERS_PARAMETER_POWER_S, "PowerS", LERS_UNIT_KVA, N_ ("Apparent power") },
  { LERS_PARAMETER_POWER_P_A, "PowerP_A", LERS_UNIT_KW, N_ ("Active power, phase A") },
  { LERS_PARAMETER_POWER_Q_A, "PowerQ_A", LERS_UNIT_KVAR, N_ ("Reactive power, phase A") },
  { LERS_PARAMETER_POWER_S_A, "PowerS_A", LERS_UNIT_KVA, N_ ("Apparent power, phase A") },
  { LERS_PARAMETER_POWER_P_B, "PowerP_B", LERS_UNIT_KW, N_ ("Active power, phase B") },
  { LERS_PARAMETER_POWER_Q_B, "PowerQ_B", LERS_UNIT_KVAR, N_ ("Reactive power, phase B") },
  { LERS_PARAMETER_POWER_S_B, "PowerS_B", LERS_UNIT_KVA, N_ ("Apparent power, phase B") },
  { LERS_PARAMETER_POWER_P_C, "PowerP_C", LERS_UNIT_KW, N_ ("Active power, phase C") },
  { LERS_PARAMETER_POWER_Q_C, "PowerQ_C", LERS_UNIT_KVAR, N_ ("Reactive power, phase C") },
  { LERS_PARAMETER_POWER_S_C, "PowerS_C", LERS_UNIT_KVA, N_ ("Apparent power, phase C") },
  { LERS_PARAMETER_U, "U", LERS_UNIT_VOLT, N_ ("Voltage") },
  { LERS_PARAMETER_I, "I", LERS_UNIT_AMPERE, N_ ("Current") },
  { LERS_PARAMETER_UA, "UA", LERS_UNIT_VOLT, N_ ("Voltage, phase A") },
  { LERS_PARAMETER_UB, "UB", LERS_UNIT_VOLT, N_ ("Voltage, phase B") },
  { LERS_PARAMETER_UC, "UC", LERS_UNIT_VOLT, N_ ("Voltage, phase C") },
  { LERS_PARAMETER_IA, "IA", LERS_UNIT_AMPERE, N_ ("Current, phase A") },
  { LERS_PARAMETER_IB, "IB", LERS_UNIT_AMPERE, N_ ("Current, phase B") },
  { LERS_PARAMETER_IC, "IC", LERS_UNIT_AMPERE, N_ ("Current, phase C") },
  { LERS_PARAMETER_ANGLE_AB, "Angle_AB", LERS_UNIT_DEGREE, N_ ("Phase angle between A and B") },
  { LERS_PARAMETER_ANGLE_BC, "Angle_BC", LERS_UNIT_DEGREE, N_ ("Phase angle between B and C") },
  { LERS_PARAMETER_ANGLE_CA, "Angle_CA", LERS_UNIT_DEGREE, N_ ("Phase angle between C and A") },
  { LERS_PARAMETER_COS_PHI, "CosPhi", LERS_UNIT_COEFFICIENT, N_ ("Power factor") },
  { LERS_PARAMETER_COS_PHI_A, "CosPhiA", LERS_UNIT_COEFFICIENT, N_ ("Power factor, phase A") },
  { LERS_PARAMETER_COS_PHI_B, "CosPhiB", LERS_UNIT_COEFFICIENT, N_ ("Power factor, phase B") },
  { LERS_PARAMETER_COS_PHI_C, "CosPhiC", LERS_UNIT_COEFFICIENT, N_ ("Power factor, phase C") },
  { LERS_PARAMETER_FREQUENCY, "Frequency", LERS_UNIT_HERTZ, N_ ("Frequency") },
  { LERS_PARAMETER_POWER_PROFILE_PP, "PowerProfile_Pp", LERS_UNIT_KW, N_ ("Power profile, Pp") },
  { LERS_PARAMETER_POWER_PROFILE_PN, "PowerProfile_Pn", LERS_UNIT_KW, N_ ("Power profile, Pn") },
  { LERS_PARAMETER_POWER_PROFILE_QP, "PowerProfile_Qp", LERS_UNIT_KVAR, N_ ("Power profile, Qp") },
  { LERS_PARAMETER_POWER_PROFILE_QN, "PowerProfile_Qn", LERS_UNIT_KVAR, N_ ("Power profile, Qn") },
  { LERS_PARAMETER_NORMAL_OPERATION_DURATION, "NormalOperationDuration", LERS_UNIT_HOUR,
    N_ ("Normal operation time") },
  { LERS_PARAMETER_STOP_DURATION, "StopDuration", LERS_UNIT_HOUR, N_ ("Stop time") },
  { LERS_PARAMETER_FLOW_UNDERRUN_DURATION, "FlowUnderrunDuration", LERS_UNIT_HOUR,
    N_ ("Time with flow below minimum") },
  { LERS_PARAMETER_FLOW_OVERRUN_DURATION, "FlowOverrunDuration", LERS_UNIT_HOUR,
    N_ ("Time with flow above maximum") },
  { LERS_PARAMETER_TEMP_DIFF_LOW_DURATION, "TempDiffLowDuration", LERS_UNIT_HOUR,
    N_ ("Time with temperature difference too low") },
  { LERS_PARAMETER_NO_POWER_DURATION, "NoPowerDuration", LERS_UNIT_HOUR,
    N_ ("Time without power") },
  { LERS_PARAMETER_INCIDENT_DURATION, "IncidentDuration", LERS_UNIT_HOUR,
    N_ ("Time with incidents") },
  { LERS_PARAMETER_SATURATED_STEAM_DURATION, "SaturatedSteamDuration", LERS_UNIT_HOUR,
    N_ ("Time with saturated steam") },
  { LERS_PARAMETER_TEMP_OVERRUN_DURATION, "TempOverrunDuration", LERS_UNIT_HOUR,
    N_ ("Time with temperature above maximum") },
  { LERS_PARAMETER_TEMP_UNDERRUN_DURATION, "TempUnderrunDuration", LERS_UNIT_HOUR,
    N_ ("Time with temperature below minimum") },
  { LERS_PARAMETER_PRESSURE_OVERRUN_DURATION, "PressureOverrunDuration", LERS_UNIT_HOUR,
    N_ ("Time with pressure above maximum") },
  { LERS_PARAMETER_PRESSURE_UNDERRUN_DURATION, "PressureUnderrunDuration", LERS_UNIT_HOUR,
    N_ ("Time with pressure below minimum") },
  { LERS_PARAMETER_UNACCEPTABLE_PHYSICAL_STATE_DURATION, "UnacceptablePhysicalStateDuration",
    LERS_UNIT_HOUR, N_ ("Time in an unacceptable physical state") },
  { LERS_PARAMETER_H, "H", LERS_UNIT_METRE, N_ ("Level") },
  { LERS_PARAMETER_T_INTERNAL, "T_internal", LERS_UNIT_DEG_C, N_ ("Internal temperature") },
  { LERS_PARAMETER_T_CONTROL, "T_control", LERS_UNIT_DEG_C, N_ ("Control temperature") },
  { LERS_PARAMETER_T_BASE, "T_base", LERS_UNIT_DEG_C, N_ ("Base temperature") },
  { LERS_PARAMETER_VALVE_PERCENT, "ValvePercent", LERS_UNIT_PERCENT, N_ ("Valve position") },
  { LERS_PARAMETER_HUMIDITY, "Humidity", LERS_UNIT_PERCENT, N_ ("Humidity") },
  { LERS_PARAMETER_ATMOSPHERE_PRESSURE, "AtmospherePressure", LERS_UNIT_KPA,
    N_ ("Atmospheric pressure") },
};

typedef struct
{
  LersUnit unit;
  const gchar *code;
  const gchar *symbol;
  const gchar *category;
} LersUnitInfo;

static const LersUnitInfo units[] = {
  { LERS_UNIT_NONE, "none", "", "" },
  { LERS_UNIT_DEG_C, "degC", N_ ("°C"), "temperature" },
  { LERS_UNIT_KELVIN, "K", N_ ("K"), "temperature-difference" },
  { LERS_UNIT_TONNE, "t", N_ ("t"), "mass" },
  { LERS_UNIT_CUBIC_METRE, "m3", N_ ("m³"), "volume" },
  { LERS_UNIT_GCAL, "Gcal", N_ ("Gcal"), "heat-energy" },
  { LERS_UNIT_MPA, "MPa", N_ ("MPa"), "pressure" },
  { LERS_UNIT_KPA, "kPa", N_ ("kPa"), "pressure" },
  { LERS_UNIT_KWH, "kWh", N_ ("kWh"), "active-energy" },
  { LERS_UNIT_KVARH, "kvarh", N_ ("kvar·h"), "reactive-energy" },
  { LERS_UNIT_KW, "kW", N_ ("kW"), "active-power" },
  { LERS_UNIT_KVAR, "kvar", N_ ("kvar"), "reactive-power" },
  { LERS_UNIT_KVA, "kVA", N_ ("kV·A"), "apparent-power" },
  { LERS_UNIT_VOLT, "V", N_ ("V"), "voltage" },
  { LERS_UNIT_AMPERE, "A", N_ ("A"), "current" },
  { LERS_UNIT_HERTZ, "Hz", N_ ("Hz"), "frequency" },
  { LERS_UNIT_DEGREE, "deg", N_ ("°"), "angle" },
  { LERS_UNIT_HOUR, "h", N_ ("h"), "duration" },
  { LERS_UNIT_PERCENT, "percent", N_ ("%"), "ratio" },
  { LERS_UNIT_METRE, "m", N_ ("m"), "length" },
  { LERS_UNIT_GCAL_PER_HOUR, "Gcal/h", N_ ("Gcal/h"), "heat-power" },
  { LERS_UNIT_CUBIC_METRE_PER_HOUR, "m3/h", N_ ("m³/h"), "volume-flow" },
  { LERS_UNIT_TONNE_PER_HOUR, "t/h", N_ ("t/h"), "mass-flow" },
  { LERS_UNIT_MJ_PER_CUBIC_METRE, "MJ/m3", N_ ("MJ/m³"), "calorific-value" },
  { LERS_UNIT_KG_PER_CUBIC_METRE, "kg/m3", N_ ("kg/m³"), "density" },
  { LERS_UNIT_COEFFICIENT, "coeff", "", "coefficient" },
};

static const LersParameterInfo *
lers_parameter_lookup (LersParameter parameter)
{
  if (parameter < 1 || parameter > G_N_ELEMENTS (parameters))
    return NULL;
  return &parameters[parameter - 1];
}

/**
 * lers_parameter_get_name:
 * @parameter: a #LersParameter
 *
 * Returns: (nullable): the parameter's name as ЛЭРС УЧЁТ writes it (`T_in`), or %NULL if unknown
 *
 * Since: 0.1
 */
const gchar *
lers_parameter_get_name (LersParameter parameter)
{
  const LersParameterInfo *info = lers_parameter_lookup (parameter);
  return info != NULL ? info->name : NULL;
}

/**
 * lers_parameter_from_name:
 * @name: a name such as `T_in`
 * @parameter: (out): the parameter
 *
 * Returns: %TRUE if @name is a known parameter
 *
 * Since: 0.1
 */
gboolean
lers_parameter_from_name (const gchar *name, LersParameter *parameter)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (parameters); i++)
    if (g_strcmp0 (parameters[i].name, name) == 0)
      {
        *parameter = parameters[i].parameter;
        return TRUE;
      }
  return FALSE;
}

/**
 * lers_parameter_get_description:
 * @parameter: a #LersParameter
 *
 * Returns: (nullable): what the parameter is, translated
 *
 * Since: 0.1
 */
const gchar *
lers_parameter_get_description (LersParameter parameter)
{
  const LersParameterInfo *info = lers_parameter_lookup (parameter);
  return info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->description) : NULL;
}

/**
 * lers_parameter_get_unit:
 * @parameter: a #LersParameter
 *
 * Returns: the unit values of @parameter are stored in
 *
 * Since: 0.1
 */
LersUnit
lers_parameter_get_unit (LersParameter parameter)
{
  const LersParameterInfo *info = lers_parameter_lookup (parameter);
  return info != NULL ? info->unit : LERS_UNIT_NONE;
}

static const LersUnitInfo *
lers_unit_lookup (LersUnit unit)
{
  if ((guint) unit >= G_N_ELEMENTS (units))
    return &units[0];
  return &units[unit];
}

/**
 * lers_unit_get_code:
 * @unit: a #LersUnit
 *
 * Returns: the stable code of @unit (`degC`, `Gcal`, `m3/h`)
 *
 * Since: 0.1
 */
const gchar *
lers_unit_get_code (LersUnit unit)
{
  return lers_unit_lookup (unit)->code;
}

/**
 * lers_unit_get_symbol:
 * @unit: a #LersUnit
 *
 * Returns: the symbol people read (`°C`, `Гкал`), translated
 *
 * Since: 0.1
 */
const gchar *
lers_unit_get_symbol (LersUnit unit)
{
  const gchar *symbol = lers_unit_lookup (unit)->symbol;
  return symbol[0] != '\0' ? g_dgettext (GETTEXT_PACKAGE, symbol) : symbol;
}

/**
 * lers_unit_get_category:
 * @unit: a #LersUnit
 *
 * Returns: the quantity @unit measures (`temperature`, `heat-energy`), or an empty string
 *
 * Since: 0.1
 */
const gchar *
lers_unit_get_category (LersUnit unit)
{
  return lers_unit_lookup (unit)->category;
}
