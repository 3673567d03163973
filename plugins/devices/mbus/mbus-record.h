/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define MBUS_RECORD_MAX_DIFE 10
#define MBUS_RECORD_MAX_VIFE 10

/**
 * MbusFunction:
 * @MBUS_FUNCTION_INSTANTANEOUS: instantaneous value
 * @MBUS_FUNCTION_MAXIMUM: maximum value
 * @MBUS_FUNCTION_MINIMUM: minimum value
 * @MBUS_FUNCTION_ERROR_STATE: value during error state
 * @MBUS_FUNCTION_MANUFACTURER: manufacturer-specific data (DIF 0F)
 * @MBUS_FUNCTION_MORE_FOLLOWS: manufacturer data, more records follow (DIF 1F)
 * @MBUS_FUNCTION_ACTUAL: a counter of a fixed-structure telegram
 * @MBUS_FUNCTION_HISTORIC: a historic counter of a fixed-structure telegram
 *
 * What a data record's value stands for (DIF bits 4–5, or a special DIF).
 *
 * Since: 0.1
 */
typedef enum
{
  MBUS_FUNCTION_INSTANTANEOUS,
  MBUS_FUNCTION_MAXIMUM,
  MBUS_FUNCTION_MINIMUM,
  MBUS_FUNCTION_ERROR_STATE,
  MBUS_FUNCTION_MANUFACTURER,
  MBUS_FUNCTION_MORE_FOLLOWS,
  MBUS_FUNCTION_ACTUAL,
  MBUS_FUNCTION_HISTORIC,
} MbusFunction;

/**
 * MbusQuantity:
 * @MBUS_QUANTITY_OTHER: anything the driver does not map
 * @MBUS_QUANTITY_ENERGY: energy; unit Wh or J
 * @MBUS_QUANTITY_VOLUME: volume; m³
 * @MBUS_QUANTITY_MASS: mass; kg
 * @MBUS_QUANTITY_ON_TIME: on time; s
 * @MBUS_QUANTITY_OPERATING_TIME: operating time; s
 * @MBUS_QUANTITY_POWER: power; W or J/h
 * @MBUS_QUANTITY_VOLUME_FLOW: volume flow; m³/h
 * @MBUS_QUANTITY_MASS_FLOW: mass flow; kg/h
 * @MBUS_QUANTITY_FLOW_TEMPERATURE: flow (supply) temperature; °C
 * @MBUS_QUANTITY_RETURN_TEMPERATURE: return temperature; °C
 * @MBUS_QUANTITY_TEMPERATURE_DIFFERENCE: temperature difference; K
 * @MBUS_QUANTITY_EXTERNAL_TEMPERATURE: external temperature; °C
 * @MBUS_QUANTITY_PRESSURE: pressure; bar
 * @MBUS_QUANTITY_DATE: a time point, date only (type G)
 * @MBUS_QUANTITY_DATE_TIME: a time point, date and time (type F or I)
 * @MBUS_QUANTITY_FABRICATION_NUMBER: fabrication number
 *
 * The quantities the driver maps to #LersParameter, with the unit the
 * decoder normalises them to.
 *
 * Since: 0.1
 */
typedef enum
{
  MBUS_QUANTITY_OTHER,
  MBUS_QUANTITY_ENERGY,
  MBUS_QUANTITY_VOLUME,
  MBUS_QUANTITY_MASS,
  MBUS_QUANTITY_ON_TIME,
  MBUS_QUANTITY_OPERATING_TIME,
  MBUS_QUANTITY_POWER,
  MBUS_QUANTITY_VOLUME_FLOW,
  MBUS_QUANTITY_MASS_FLOW,
  MBUS_QUANTITY_FLOW_TEMPERATURE,
  MBUS_QUANTITY_RETURN_TEMPERATURE,
  MBUS_QUANTITY_TEMPERATURE_DIFFERENCE,
  MBUS_QUANTITY_EXTERNAL_TEMPERATURE,
  MBUS_QUANTITY_PRESSURE,
  MBUS_QUANTITY_DATE,
  MBUS_QUANTITY_DATE_TIME,
  MBUS_QUANTITY_FABRICATION_NUMBER,
} MbusQuantity;

/**
 * MbusRecord:
 * @dif: the data information field
 * @n_dife: how many DIFEs followed it
 * @vif: the value information field (0 when none)
 * @n_vife: how many VIFEs followed it
 * @vife: the VIFEs
 * @storage_number: storage number from the DIF and DIFEs
 * @tariff: tariff from the DIFEs
 * @subunit: subunit (device) from the DIFEs
 * @function: what the value stands for
 * @quantity_id: the quantity, for mapping
 * @quantity: (nullable): the quantity's name (as the reference names it)
 * @unit: (nullable): the normalised unit (`Wh`, `m^3`, `°C`, …)
 * @is_number: whether the value is @number, else @text
 * @number: the value in @unit, decimal exponent applied
 * @text: (nullable): the value as text (dates, strings, hex bytes)
 * @year: for dates: the year
 * @month: for dates: the month, 1–12 (0 if unset)
 * @day: for dates: the day
 * @hour: for date-times: the hour
 * @minute: for date-times: the minute
 * @second: for date-times: the second
 * @time_invalid: for dates: the device flagged the time point invalid
 * @summer_time: for type F date-times: the device flagged summer time (SU)
 *
 * One decoded data record (EN 13757-3, clause 6).
 *
 * Since: 0.1
 */
typedef struct
{
  guint8 dif;
  guint n_dife;
  guint8 vif;
  guint n_vife;
  guint8 vife[MBUS_RECORD_MAX_VIFE];
  guint64 storage_number;
  guint32 tariff;
  guint32 subunit;
  MbusFunction function;
  MbusQuantity quantity_id;
  gchar *quantity;
  gchar *unit;
  gboolean is_number;
  gdouble number;
  gchar *text;
  gint year, month, day, hour, minute, second;
  gboolean time_invalid;
  gboolean summer_time;
} MbusRecord;

MbusRecord *mbus_record_new (void);
void mbus_record_free (MbusRecord *self);
const gchar *mbus_record_get_function_name (const MbusRecord *self);
GDateTime *mbus_record_dup_time_point (const MbusRecord *self);
GDateTime *mbus_record_dup_local_time_point (const MbusRecord *self, GTimeZone *zone);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MbusRecord, mbus_record_free)

G_END_DECLS
