/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Generated once from a table; edit by hand from now on, keeping the .c table in step. */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LersUnit:
 * @LERS_UNIT_NONE: no unit (dimensionless)
 * @LERS_UNIT_DEG_C: °C (temperature)
 * @LERS_UNIT_KELVIN: K (temperature-difference)
 * @LERS_UNIT_TONNE: t (mass)
 * @LERS_UNIT_CUBIC_METRE: m³ (volume)
 * @LERS_UNIT_GCAL: Gcal (heat-energy)
 * @LERS_UNIT_MPA: MPa (pressure)
 * @LERS_UNIT_KPA: kPa (pressure)
 * @LERS_UNIT_KWH: kWh (active-energy)
 * @LERS_UNIT_KVARH: kvar·h (reactive-energy)
 * @LERS_UNIT_KW: kW (active-power)
 * @LERS_UNIT_KVAR: kvar (reactive-power)
 * @LERS_UNIT_KVA: kV·A (apparent-power)
 * @LERS_UNIT_VOLT: V (voltage)
 * @LERS_UNIT_AMPERE: A (current)
 * @LERS_UNIT_HERTZ: Hz (frequency)
 * @LERS_UNIT_DEGREE: ° (angle)
 * @LERS_UNIT_HOUR: h (duration)
 * @LERS_UNIT_PERCENT: % (ratio)
 * @LERS_UNIT_METRE: m (length)
 * @LERS_UNIT_GCAL_PER_HOUR: Gcal/h (heat-power)
 * @LERS_UNIT_CUBIC_METRE_PER_HOUR: m³/h (volume-flow)
 * @LERS_UNIT_TONNE_PER_HOUR: t/h (mass-flow)
 * @LERS_UNIT_MJ_PER_CUBIC_METRE: MJ/m³ (calorific-value)
 * @LERS_UNIT_KG_PER_CUBIC_METRE: kg/m³ (density)
 * @LERS_UNIT_COEFFICIENT: no unit (coefficient)
 *
 * Units values are stored and shown in. The nick is the stable code used in
 * the API; lers_unit_get_symbol() gives the symbol people read.
 *
 * Since: 0.1
 */
/* clang-format off: glib-mkenums reads each nick from its line */
typedef enum
{
  LERS_UNIT_NONE = 0,                  /*< nick=none >*/
  LERS_UNIT_DEG_C = 1,                 /*< nick=degC >*/
  LERS_UNIT_KELVIN = 2,                /*< nick=K >*/
  LERS_UNIT_TONNE = 3,                 /*< nick=t >*/
  LERS_UNIT_CUBIC_METRE = 4,           /*< nick=m3 >*/
  LERS_UNIT_GCAL = 5,                  /*< nick=Gcal >*/
  LERS_UNIT_MPA = 6,                   /*< nick=MPa >*/
  LERS_UNIT_KPA = 7,                   /*< nick=kPa >*/
  LERS_UNIT_KWH = 8,                   /*< nick=kWh >*/
  LERS_UNIT_KVARH = 9,                 /*< nick=kvarh >*/
  LERS_UNIT_KW = 10,                   /*< nick=kW >*/
  LERS_UNIT_KVAR = 11,                 /*< nick=kvar >*/
  LERS_UNIT_KVA = 12,                  /*< nick=kVA >*/
  LERS_UNIT_VOLT = 13,                 /*< nick=V >*/
  LERS_UNIT_AMPERE = 14,               /*< nick=A >*/
  LERS_UNIT_HERTZ = 15,                /*< nick=Hz >*/
  LERS_UNIT_DEGREE = 16,               /*< nick=deg >*/
  LERS_UNIT_HOUR = 17,                 /*< nick=h >*/
  LERS_UNIT_PERCENT = 18,              /*< nick=percent >*/
  LERS_UNIT_METRE = 19,                /*< nick=m >*/
  LERS_UNIT_GCAL_PER_HOUR = 20,        /*< nick=Gcal-per-h >*/
  LERS_UNIT_CUBIC_METRE_PER_HOUR = 21, /*< nick=m3-per-h >*/
  LERS_UNIT_TONNE_PER_HOUR = 22,       /*< nick=t-per-h >*/
  LERS_UNIT_MJ_PER_CUBIC_METRE = 23,   /*< nick=MJ-per-m3 >*/
  LERS_UNIT_KG_PER_CUBIC_METRE = 24,   /*< nick=kg-per-m3 >*/
  LERS_UNIT_COEFFICIENT = 25,          /*< nick=coeff >*/
} LersUnit;
/* clang-format on */

/**
 * LersParameter:
 * @LERS_PARAMETER_T_IN: Supply temperature (`T_in`)
 * @LERS_PARAMETER_T_OUT: Return temperature (`T_out`)
 * @LERS_PARAMETER_T_CW: Cold water temperature (`T_cw`)
 * @LERS_PARAMETER_T_OUTDOOR: Outdoor air temperature (`T_outdoor`)
 * @LERS_PARAMETER_T_INDOOR: Indoor air temperature (`T_indoor`)
 * @LERS_PARAMETER_T_DELTA: Supply and return temperature difference (`T_delta`)
 * @LERS_PARAMETER_M_IN: Supply mass (`M_in`)
 * @LERS_PARAMETER_M_OUT: Return mass (`M_out`)
 * @LERS_PARAMETER_M_DELTA: Mass difference (consumption) (`M_delta`)
 * @LERS_PARAMETER_M: Mass (`M`)
 * @LERS_PARAMETER_M_BALANCE: Mass balance (`M_balance`)
 * @LERS_PARAMETER_V_IN: Supply volume (`V_in`)
 * @LERS_PARAMETER_V_OUT: Return volume (`V_out`)
 * @LERS_PARAMETER_V_DELTA: Volume difference (`V_delta`)
 * @LERS_PARAMETER_Q_IN: Heat in supply (`Q_in`)
 * @LERS_PARAMETER_Q_OUT: Heat in return (`Q_out`)
 * @LERS_PARAMETER_Q_DELTA: Heat consumed (`Q_delta`)
 * @LERS_PARAMETER_P_IN: Supply pressure (`P_in`)
 * @LERS_PARAMETER_P_OUT: Return pressure (`P_out`)
 * @LERS_PARAMETER_P_CW: Cold water pressure (`P_cw`)
 * @LERS_PARAMETER_P_DELTA: Pressure difference (`P_delta`)
 * @LERS_PARAMETER_HEAT_POWER: Heat power (`HeatPower`)
 * @LERS_PARAMETER_FLOW_V_IN: Supply volume flow (`VolumeFlow_in`)
 * @LERS_PARAMETER_FLOW_V_OUT: Return volume flow (`VolumeFlow_out`)
 * @LERS_PARAMETER_FLOW_M_IN: Supply mass flow (`MassFlow_in`)
 * @LERS_PARAMETER_FLOW_M_OUT: Return mass flow (`MassFlow_out`)
 * @LERS_PARAMETER_T: Gas temperature (`T`)
 * @LERS_PARAMETER_P: Gas pressure (`P`)
 * @LERS_PARAMETER_V: Gas volume at working conditions (`V`)
 * @LERS_PARAMETER_V_STD: Gas volume at standard conditions (`V_std`)
 * @LERS_PARAMETER_V_NO_COUNT: Gas volume counted during faults (`V_NoCount`)
 * @LERS_PARAMETER_CORRECTION_COEFF: Correction coefficient (`CorrectionCoeff`)
 * @LERS_PARAMETER_CALORIFIC_VALUE: Calorific value (`CalorificValue`)
 * @LERS_PARAMETER_DENSITY_STD: Density at standard conditions (`DensityStd`)
 * @LERS_PARAMETER_CARBON_DIOXIDE_CONTENT: Carbon dioxide content (`CarbonDioxideContent`)
 * @LERS_PARAMETER_NITROGEN_CONTENT: Nitrogen content (`NitrogenContent`)
 * @LERS_PARAMETER_AP: Active energy, import (`Ap`)
 * @LERS_PARAMETER_AP1: Active energy, import, tariff 1 (`Ap1`)
 * @LERS_PARAMETER_AP2: Active energy, import, tariff 2 (`Ap2`)
 * @LERS_PARAMETER_AP3: Active energy, import, tariff 3 (`Ap3`)
 * @LERS_PARAMETER_AP4: Active energy, import, tariff 4 (`Ap4`)
 * @LERS_PARAMETER_AN: Active energy, export (`An`)
 * @LERS_PARAMETER_AN1: Active energy, export, tariff 1 (`An1`)
 * @LERS_PARAMETER_AN2: Active energy, export, tariff 2 (`An2`)
 * @LERS_PARAMETER_AN3: Active energy, export, tariff 3 (`An3`)
 * @LERS_PARAMETER_AN4: Active energy, export, tariff 4 (`An4`)
 * @LERS_PARAMETER_RP: Reactive energy, import (`Rp`)
 * @LERS_PARAMETER_RP1: Reactive energy, import, tariff 1 (`Rp1`)
 * @LERS_PARAMETER_RP2: Reactive energy, import, tariff 2 (`Rp2`)
 * @LERS_PARAMETER_RP3: Reactive energy, import, tariff 3 (`Rp3`)
 * @LERS_PARAMETER_RP4: Reactive energy, import, tariff 4 (`Rp4`)
 * @LERS_PARAMETER_RN: Reactive energy, export (`Rn`)
 * @LERS_PARAMETER_RN1: Reactive energy, export, tariff 1 (`Rn1`)
 * @LERS_PARAMETER_RN2: Reactive energy, export, tariff 2 (`Rn2`)
 * @LERS_PARAMETER_RN3: Reactive energy, export, tariff 3 (`Rn3`)
 * @LERS_PARAMETER_RN4: Reactive energy, export, tariff 4 (`Rn4`)
 * @LERS_PARAMETER_PP: Active power, import (`Pp`)
 * @LERS_PARAMETER_PN: Active power, export (`Pn`)
 * @LERS_PARAMETER_QP: Reactive power, import (`Qp`)
 * @LERS_PARAMETER_QN: Reactive power, export (`Qn`)
 * @LERS_PARAMETER_POWER_P: Active power (`PowerP`)
 * @LERS_PARAMETER_POWER_Q: Reactive power (`PowerQ`)
 * @LERS_PARAMETER_POWER_S: Apparent power (`PowerS`)
 * @LERS_PARAMETER_POWER_P_A: Active power, phase A (`PowerP_A`)
 * @LERS_PARAMETER_POWER_Q_A: Reactive power, phase A (`PowerQ_A`)
 * @LERS_PARAMETER_POWER_S_A: Apparent power, phase A (`PowerS_A`)
 * @LERS_PARAMETER_POWER_P_B: Active power, phase B (`PowerP_B`)
 * @LERS_PARAMETER_POWER_Q_B: Reactive power, phase B (`PowerQ_B`)
 * @LERS_PARAMETER_POWER_S_B: Apparent power, phase B (`PowerS_B`)
 * @LERS_PARAMETER_POWER_P_C: Active power, phase C (`PowerP_C`)
 * @LERS_PARAMETER_POWER_Q_C: Reactive power, phase C (`PowerQ_C`)
 * @LERS_PARAMETER_POWER_S_C: Apparent power, phase C (`PowerS_C`)
 * @LERS_PARAMETER_U: Voltage (`U`)
 * @LERS_PARAMETER_I: Current (`I`)
 * @LERS_PARAMETER_UA: Voltage, phase A (`UA`)
 * @LERS_PARAMETER_UB: Voltage, phase B (`UB`)
 * @LERS_PARAMETER_UC: Voltage, phase C (`UC`)
 * @LERS_PARAMETER_IA: Current, phase A (`IA`)
 * @LERS_PARAMETER_IB: Current, phase B (`IB`)
 * @LERS_PARAMETER_IC: Current, phase C (`IC`)
 * @LERS_PARAMETER_ANGLE_AB: Phase angle between A and B (`Angle_AB`)
 * @LERS_PARAMETER_ANGLE_BC: Phase angle between B and C (`Angle_BC`)
 * @LERS_PARAMETER_ANGLE_CA: Phase angle between C and A (`Angle_CA`)
 * @LERS_PARAMETER_COS_PHI: Power factor (`CosPhi`)
 * @LERS_PARAMETER_COS_PHI_A: Power factor, phase A (`CosPhiA`)
 * @LERS_PARAMETER_COS_PHI_B: Power factor, phase B (`CosPhiB`)
 * @LERS_PARAMETER_COS_PHI_C: Power factor, phase C (`CosPhiC`)
 * @LERS_PARAMETER_FREQUENCY: Frequency (`Frequency`)
 * @LERS_PARAMETER_POWER_PROFILE_PP: Power profile, Pp (`PowerProfile_Pp`)
 * @LERS_PARAMETER_POWER_PROFILE_PN: Power profile, Pn (`PowerProfile_Pn`)
 * @LERS_PARAMETER_POWER_PROFILE_QP: Power profile, Qp (`PowerProfile_Qp`)
 * @LERS_PARAMETER_POWER_PROFILE_QN: Power profile, Qn (`PowerProfile_Qn`)
 * @LERS_PARAMETER_NORMAL_OPERATION_DURATION: Normal operation time (`NormalOperationDuration`)
 * @LERS_PARAMETER_STOP_DURATION: Stop time (`StopDuration`)
 * @LERS_PARAMETER_FLOW_UNDERRUN_DURATION: Time with flow below minimum (`FlowUnderrunDuration`)
 * @LERS_PARAMETER_FLOW_OVERRUN_DURATION: Time with flow above maximum (`FlowOverrunDuration`)
 * @LERS_PARAMETER_TEMP_DIFF_LOW_DURATION: Time with temperature difference too low
 * (`TempDiffLowDuration`)
 * @LERS_PARAMETER_NO_POWER_DURATION: Time without power (`NoPowerDuration`)
 * @LERS_PARAMETER_INCIDENT_DURATION: Time with incidents (`IncidentDuration`)
 * @LERS_PARAMETER_SATURATED_STEAM_DURATION: Time with saturated steam (`SaturatedSteamDuration`)
 * @LERS_PARAMETER_TEMP_OVERRUN_DURATION: Time with temperature above maximum
 * (`TempOverrunDuration`)
 * @LERS_PARAMETER_TEMP_UNDERRUN_DURATION: Time with temperature below minimum
 * (`TempUnderrunDuration`)
 * @LERS_PARAMETER_PRESSURE_OVERRUN_DURATION: Time with pressure above maximum
 * (`PressureOverrunDuration`)
 * @LERS_PARAMETER_PRESSURE_UNDERRUN_DURATION: Time with pressure below minimum
 * (`PressureUnderrunDuration`)
 * @LERS_PARAMETER_UNACCEPTABLE_PHYSICAL_STATE_DURATION: Time in an unacceptable physical state
 * (`UnacceptablePhysicalStateDuration`)
 * @LERS_PARAMETER_H: Level (`H`)
 * @LERS_PARAMETER_T_INTERNAL: Internal temperature (`T_internal`)
 * @LERS_PARAMETER_T_CONTROL: Control temperature (`T_control`)
 * @LERS_PARAMETER_T_BASE: Base temperature (`T_base`)
 * @LERS_PARAMETER_VALVE_PERCENT: Valve position (`ValvePercent`)
 * @LERS_PARAMETER_HUMIDITY: Humidity (`Humidity`)
 * @LERS_PARAMETER_ATMOSPHERE_PRESSURE: Atmospheric pressure (`AtmospherePressure`)
 *
 * Measured parameters, named as ЛЭРС УЧЁТ names them (the nick, such as
 * `T_in`, is that name). Values are not renumbered: they are stored in the
 * database.
 *
 * Since: 0.1
 */
/* clang-format off */
typedef enum {
  LERS_PARAMETER_T_IN = 1, /*< nick=T_in >*/
  LERS_PARAMETER_T_OUT = 2, /*< nick=T_out >*/
  LERS_PARAMETER_T_CW = 3, /*< nick=T_cw >*/
  LERS_PARAMETER_T_OUTDOOR = 4, /*< nick=T_outdoor >*/
  LERS_PARAMETER_T_INDOOR = 5, /*< nick=T_indoor >*/
  LERS_PARAMETER_T_DELTA = 6, /*< nick=T_delta >*/
  LERS_PARAMETER_M_IN = 7, /*< nick=M_in >*/
  LERS_PARAMETER_M_OUT = 8, /*< nick=M_out >*/
  LERS_PARAMETER_M_DELTA = 9, /*< nick=M_delta >*/
  LERS_PARAMETER_M = 10, /*< nick=M >*/
  LERS_PARAMETER_M_BALANCE = 11, /*< nick=M_balance >*/
  LERS_PARAMETER_V_IN = 12, /*< nick=V_in >*/
  LERS_PARAMETER_V_OUT = 13, /*< nick=V_out >*/
  LERS_PARAMETER_V_DELTA = 14, /*< nick=V_delta >*/
  LERS_PARAMETER_Q_IN = 15, /*< nick=Q_in >*/
  LERS_PARAMETER_Q_OUT = 16, /*< nick=Q_out >*/
  LERS_PARAMETER_Q_DELTA = 17, /*< nick=Q_delta >*/
  LERS_PARAMETER_P_IN = 18, /*< nick=P_in >*/
  LERS_PARAMETER_P_OUT = 19, /*< nick=P_out >*/
  LERS_PARAMETER_P_CW = 20, /*< nick=P_cw >*/
  LERS_PARAMETER_P_DELTA = 21, /*< nick=P_delta >*/
  LERS_PARAMETER_HEAT_POWER = 22, /*< nick=HeatPower >*/
  LERS_PARAMETER_FLOW_V_IN = 23, /*< nick=VolumeFlow_in >*/
  LERS_PARAMETER_FLOW_V_OUT = 24, /*< nick=VolumeFlow_out >*/
  LERS_PARAMETER_FLOW_M_IN = 25, /*< nick=MassFlow_in >*/
  LERS_PARAMETER_FLOW_M_OUT = 26, /*< nick=MassFlow_out >*/
  LERS_PARAMETER_T = 27, /*< nick=T >*/
  LERS_PARAMETER_P = 28, /*< nick=P >*/
  LERS_PARAMETER_V = 29, /*< nick=V >*/
  LERS_PARAMETER_V_STD = 30, /*< nick=V_std >*/
  LERS_PARAMETER_V_NO_COUNT = 31, /*< nick=V_NoCount >*/
  LERS_PARAMETER_CORRECTION_COEFF = 32, /*< nick=CorrectionCoeff >*/
  LERS_PARAMETER_CALORIFIC_VALUE = 33, /*< nick=CalorificValue >*/
  LERS_PARAMETER_DENSITY_STD = 34, /*< nick=DensityStd >*/
  LERS_PARAMETER_CARBON_DIOXIDE_CONTENT = 35, /*< nick=CarbonDioxideContent >*/
  LERS_PARAMETER_NITROGEN_CONTENT = 36, /*< nick=NitrogenContent >*/
  LERS_PARAMETER_AP = 37, /*< nick=Ap >*/
  LERS_PARAMETER_AP1 = 38, /*< nick=Ap1 >*/
  LERS_PARAMETER_AP2 = 39, /*< nick=Ap2 >*/
  LERS_PARAMETER_AP3 = 40, /*< nick=Ap3 >*/
  LERS_PARAMETER_AP4 = 41, /*< nick=Ap4 >*/
  LERS_PARAMETER_AN = 42, /*< nick=An >*/
  LERS_PARAMETER_AN1 = 43, /*< nick=An1 >*/
  LERS_PARAMETER_AN2 = 44, /*< nick=An2 >*/
  LERS_PARAMETER_AN3 = 45, /*< nick=An3 >*/
  LERS_PARAMETER_AN4 = 46, /*< nick=An4 >*/
  LERS_PARAMETER_RP = 47, /*< nick=Rp >*/
  LERS_PARAMETER_RP1 = 48, /*< nick=Rp1 >*/
  LERS_PARAMETER_RP2 = 49, /*< nick=Rp2 >*/
  LERS_PARAMETER_RP3 = 50, /*< nick=Rp3 >*/
  LERS_PARAMETER_RP4 = 51, /*< nick=Rp4 >*/
  LERS_PARAMETER_RN = 52, /*< nick=Rn >*/
  LERS_PARAMETER_RN1 = 53, /*< nick=Rn1 >*/
  LERS_PARAMETER_RN2 = 54, /*< nick=Rn2 >*/
  LERS_PARAMETER_RN3 = 55, /*< nick=Rn3 >*/
  LERS_PARAMETER_RN4 = 56, /*< nick=Rn4 >*/
  LERS_PARAMETER_PP = 57, /*< nick=Pp >*/
  LERS_PARAMETER_PN = 58, /*< nick=Pn >*/
  LERS_PARAMETER_QP = 59, /*< nick=Qp >*/
  LERS_PARAMETER_QN = 60, /*< nick=Qn >*/
  LERS_PARAMETER_POWER_P = 61, /*< nick=PowerP >*/
  LERS_PARAMETER_POWER_Q = 62, /*< nick=PowerQ >*/
  LERS_PARAMETER_POWER_S = 63, /*< nick=PowerS >*/
  LERS_PARAMETER_POWER_P_A = 64, /*< nick=PowerP_A >*/
  LERS_PARAMETER_POWER_Q_A = 65, /*< nick=PowerQ_A >*/
  LERS_PARAMETER_POWER_S_A = 66, /*< nick=PowerS_A >*/
  LERS_PARAMETER_POWER_P_B = 67, /*< nick=PowerP_B >*/
  LERS_PARAMETER_POWER_Q_B = 68, /*< nick=PowerQ_B >*/
  LERS_PARAMETER_POWER_S_B = 69, /*< nick=PowerS_B >*/
  LERS_PARAMETER_POWER_P_C = 70, /*< nick=PowerP_C >*/
  LERS_PARAMETER_POWER_Q_C = 71, /*< nick=PowerQ_C >*/
  LERS_PARAMETER_POWER_S_C = 72, /*< nick=PowerS_C >*/
  LERS_PARAMETER_U = 73, /*< nick=U >*/
  LERS_PARAMETER_I = 74, /*< nick=I >*/
  LERS_PARAMETER_UA = 75, /*< nick=UA >*/
  LERS_PARAMETER_UB = 76, /*< nick=UB >*/
  LERS_PARAMETER_UC = 77, /*< nick=UC >*/
  LERS_PARAMETER_IA = 78, /*< nick=IA >*/
  LERS_PARAMETER_IB = 79, /*< nick=IB >*/
  LERS_PARAMETER_IC = 80, /*< nick=IC >*/
  LERS_PARAMETER_ANGLE_AB = 81, /*< nick=Angle_AB >*/
  LERS_PARAMETER_ANGLE_BC = 82, /*< nick=Angle_BC >*/
  LERS_PARAMETER_ANGLE_CA = 83, /*< nick=Angle_CA >*/
  LERS_PARAMETER_COS_PHI = 84, /*< nick=CosPhi >*/
  LERS_PARAMETER_COS_PHI_A = 85, /*< nick=CosPhiA >*/
  LERS_PARAMETER_COS_PHI_B = 86, /*< nick=CosPhiB >*/
  LERS_PARAMETER_COS_PHI_C = 87, /*< nick=CosPhiC >*/
  LERS_PARAMETER_FREQUENCY = 88, /*< nick=Frequency >*/
  LERS_PARAMETER_POWER_PROFILE_PP = 89, /*< nick=PowerProfile_Pp >*/
  LERS_PARAMETER_POWER_PROFILE_PN = 90, /*< nick=PowerProfile_Pn >*/
  LERS_PARAMETER_POWER_PROFILE_QP = 91, /*< nick=PowerProfile_Qp >*/
  LERS_PARAMETER_POWER_PROFILE_QN = 92, /*< nick=PowerProfile_Qn >*/
  LERS_PARAMETER_NORMAL_OPERATION_DURATION = 93, /*< nick=NormalOperationDuration >*/
  LERS_PARAMETER_STOP_DURATION = 94, /*< nick=StopDuration >*/
  LERS_PARAMETER_FLOW_UNDERRUN_DURATION = 95, /*< nick=FlowUnderrunDuration >*/
  LERS_PARAMETER_FLOW_OVERRUN_DURATION = 96, /*< nick=FlowOverrunDuration >*/
  LERS_PARAMETER_TEMP_DIFF_LOW_DURATION = 97, /*< nick=TempDiffLowDuration >*/
  LERS_PARAMETER_NO_POWER_DURATION = 98, /*< nick=NoPowerDuration >*/
  LERS_PARAMETER_INCIDENT_DURATION = 99, /*< nick=IncidentDuration >*/
  LERS_PARAMETER_SATURATED_STEAM_DURATION = 100, /*< nick=SaturatedSteamDuration >*/
  LERS_PARAMETER_TEMP_OVERRUN_DURATION = 101, /*< nick=TempOverrunDuration >*/
  LERS_PARAMETER_TEMP_UNDERRUN_DURATION = 102, /*< nick=TempUnderrunDuration >*/
  LERS_PARAMETER_PRESSURE_OVERRUN_DURATION = 103, /*< nick=PressureOverrunDuration >*/
  LERS_PARAMETER_PRESSURE_UNDERRUN_DURATION = 104, /*< nick=PressureUnderrunDuration >*/
  LERS_PARAMETER_UNACCEPTABLE_PHYSICAL_STATE_DURATION = 105, /*< nick=UnacceptablePhysicalStateDuration >*/
  LERS_PARAMETER_H = 106, /*< nick=H >*/
  LERS_PARAMETER_T_INTERNAL = 107, /*< nick=T_internal >*/
  LERS_PARAMETER_T_CONTROL = 108, /*< nick=T_control >*/
  LERS_PARAMETER_T_BASE = 109, /*< nick=T_base >*/
  LERS_PARAMETER_VALVE_PERCENT = 110, /*< nick=ValvePercent >*/
  LERS_PARAMETER_HUMIDITY = 111, /*< nick=Humidity >*/
  LERS_PARAMETER_ATMOSPHERE_PRESSURE = 112, /*< nick=AtmospherePressure >*/
} LersParameter;
/* clang-format on */

#define LERS_PARAMETER_LAST LERS_PARAMETER_ATMOSPHERE_PRESSURE

const gchar *lers_parameter_get_name (LersParameter parameter);
gboolean lers_parameter_from_name (const gchar *name, LersParameter *parameter);
const gchar *lers_parameter_get_description (LersParameter parameter);
LersUnit lers_parameter_get_unit (LersParameter parameter);
const gchar *lers_unit_get_code (LersUnit unit);
const gchar *lers_unit_get_symbol (LersUnit unit);
const gchar *lers_unit_get_category (LersUnit unit);

G_END_DECLS
