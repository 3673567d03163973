/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The КМ-5 event codes and their texts [S: stowage/km-5-pult UCS/codes.txt
 * and DataReport.java, the same table twice; translated to English here,
 * the vendor's Russian wording is in po/ru.po]. Which codes are a power
 * failure, dt below minimum, flow above / below range and a functional
 * failure [S: lers-uchet/ReportTemplates КМ-5.lersreport: codes_U {122},
 * codes_D {96}, codes_G {82, 85}, codes_g {84, 87}, codes_E {61, 64–69, 71,
 * 73, 74, 76, 79, 81, 88, 90, 91, 93, 94, 106, 114, 119–121}]; functional
 * failures are alarms, the rest warnings.
 */
#include "km5-codes.h"

#include <glib/gi18n-lib.h>

#define W LERS_METER_EVENT_SEVERITY_WARNING
#define A LERS_METER_EVENT_SEVERITY_ALARM

static const Km5Code codes[] = {
  { 51, NC_ ("km5 event", "t4 above its maximum t4max"), "other", W },
  { 52, NC_ ("km5 event", "t4 below its minimum t4min"), "other", W },
  { 54, NC_ ("km5 event", "Gv4 above its maximum Gv4max"), "flow-out-of-range", W },
  { 55, NC_ ("km5 event", "Gv3 above its maximum Gv3max"), "flow-out-of-range", W },
  { 56, NC_ ("km5 event", "Mode “Main (winter)”"), "other", W },
  { 57, NC_ ("km5 event", "Mode “Summer 1”"), "other", W },
  { 58, NC_ ("km5 event", "Mode “Summer 2”"), "other", W },
  { 59, NC_ ("km5 event", "Mode “Summer 3”"), "other", W },
  { 60, NC_ ("km5 event", "Mode “No flow”"), "other", W },
  { 61, NC_ ("km5 event", "Mode “ABNORMAL”"), "other", A },
  { 64, NC_ ("km5 event", "Voltage of the flow channel of the ППС above the allowed maximum"),
    "sensor-fault", A },
  { 65, NC_ ("km5 event", "Coil current of the ППС above the allowed maximum"), "sensor-fault", A },
  { 66, NC_ ("km5 event", "Coil current of the ППС below the allowed minimum"), "sensor-fault", A },
  { 67, NC_ ("km5 event", "Voltage of the flow channel of the КМ-5 above the allowed maximum"),
    "sensor-fault", A },
  { 68, NC_ ("km5 event", "Coil current of the КМ-5 above the allowed maximum"), "sensor-fault",
    A },
  { 69, NC_ ("km5 event", "Coil current of the КМ-5 below the allowed minimum"), "sensor-fault",
    A },
  { 70, NC_ ("km5 event", "Gv2 above 1.04·Gv2 (КМ-5-5 only)"), "flow-out-of-range", W },
  { 71, NC_ ("km5 event", "Cold-water temperature (ППС) above its maximum"), "other", A },
  { 73, NC_ ("km5 event", "Cold-water temperature (ППС) below its minimum"), "other", A },
  { 74, NC_ ("km5 event", "t2 (ППС) above its maximum"), "other", A },
  { 76, NC_ ("km5 event", "t2 (ППС) below its minimum"), "other", A },
  { 77, NC_ ("km5 event", "ta above tamax (+60 °C by default)"), "other", W },
  { 78, NC_ ("km5 event", "ta below tamin (−60 °C by default)"), "other", W },
  { 79, NC_ ("km5 event", "Cold-water temperature (КМ-5) above its maximum"), "other", A },
  { 81, NC_ ("km5 event", "Cold-water temperature (КМ-5) below its minimum"), "other", A },
  { 82, NC_ ("km5 event", "Gv2 above its maximum Gv2max"), "flow-out-of-range", W },
  { 84, NC_ ("km5 event", "Gv2 below its minimum Gv2min"), "flow-out-of-range", W },
  { 85, NC_ ("km5 event", "Gv1 above its maximum Gv1max"), "flow-out-of-range", W },
  { 87, NC_ ("km5 event", "Gv1 below its minimum Gv1min"), "flow-out-of-range", W },
  { 88, NC_ ("km5 event", "t2 (КМ-5) above its maximum"), "other", A },
  { 90, NC_ ("km5 event", "t2 (КМ-5) below its minimum"), "other", A },
  { 91, NC_ ("km5 event", "t1 (КМ-5) above its maximum"), "other", A },
  { 93, NC_ ("km5 event", "t1 (КМ-5) below its minimum"), "other", A },
  { 94, NC_ ("km5 event", "t1 − t2 above its maximum dtmax"), "other", A },
  { 96, NC_ ("km5 event", "t1 − t2 below its minimum dtmin"), "other", W },
  { 97, NC_ ("km5 event", "Pressure Px below Pxmin"), "other", W },
  { 98, NC_ ("km5 event", "A reset or watchdog restart happened"), "other", W },
  { 99, NC_ ("km5 event", "The date or time of the meter's clock was changed"), "clock-set", W },
  { 100, NC_ ("km5 event", "Pressure Px above Pxmax"), "other", W },
  { 101, NC_ ("km5 event", "Pressure P2 below P2min"), "other", W },
  { 102, NC_ ("km5 event", "Integrators cleared for the hour"), "other", W },
  { 103, NC_ ("km5 event", "More errors in a day than the maximum"), "other", W },
  { 104, NC_ ("km5 event", "Pressure P2 above P2max"), "other", W },
  { 105, NC_ ("km5 event", "Pressure P1 below P1min"), "other", W },
  { 106, NC_ ("km5 event", "Heat power W below zero"), "other", A },
  { 108, NC_ ("km5 event", "Pressure P1 above P1max"), "other", W },
  { 114, NC_ ("km5 event", "Exchange error with the ППС"), "sensor-fault", A },
  { 115, NC_ ("km5 event", "Open circuit of the Px sensor"), "sensor-fault", W },
  { 116, NC_ ("km5 event", "Open circuit of the P2 sensor of the ППС"), "sensor-fault", W },
  { 117, NC_ ("km5 event", "Open circuit of the P2 sensor of the КМ-5"), "sensor-fault", W },
  { 118, NC_ ("km5 event", "Open circuit of the P1 sensor"), "sensor-fault", W },
  { 119, NC_ ("km5 event", "Fault in the temperature sensor circuit of the ППС"), "sensor-fault",
    A },
  { 120, NC_ ("km5 event", "Fault in the temperature sensor circuit of the КМ-5"), "sensor-fault",
    A },
  { 121, NC_ ("km5 event", "Counting stopped"), "other", A },
  { 122, NC_ ("km5 event", "Power failure"), "power-off", A },
  { 124, NC_ ("km5 event", "Clock (RTC) read error"), "other", W },
  { 125, NC_ ("km5 event", "Clock (RTC) write error"), "other", W },
  { 126, NC_ ("km5 event", "EEPROM read error"), "other", W },
  { 127, NC_ ("km5 event", "EEPROM write error"), "other", W },
};

const Km5Code *
km5_code_lookup (guint code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    if (codes[i].code == code)
      return &codes[i];
  return NULL;
}

/* the description in the user's language; "Unknown КМ-5 event" when the
 * code is reserved or unknown */
const gchar *
km5_code_get_text (guint code)
{
  const Km5Code *c = km5_code_lookup (code);
  return c != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, "km5 event", c->text)
                   : _ ("Unknown КМ-5 event");
}
