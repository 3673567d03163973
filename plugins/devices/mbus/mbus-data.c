/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * M-Bus application layer (EN 13757-3): the variable data structure (CI 72,
 * 7A, 78), the fixed data structure (CI 73) and application error replies
 * (CI 70). Values are normalised: the decimal exponent of the VIF is applied
 * and the unit is the plain SI unit of the quantity.
 */
#include "mbus-data.h"

#include <glib/gi18n-lib.h>
#include <math.h>

/**
 * mbus_data_free:
 * @self: (transfer full): a #MbusData
 *
 * Since: 0.1
 */
void
mbus_data_free (MbusData *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_free (self);
}

/**
 * mbus_data_get_medium_name:
 * @medium: the medium field
 *
 * Returns: its name (EN 13757-3, table 3)
 *
 * Since: 0.1
 */
const gchar *
mbus_data_get_medium_name (guint8 medium)
{
  switch (medium)
    {
    case 0x00:
      return "Other";
    case 0x01:
      return "Oil";
    case 0x02:
      return "Electricity";
    case 0x03:
      return "Gas";
    case 0x04:
      return "Heat: Outlet";
    case 0x05:
      return "Steam";
    case 0x06:
      return "Warm water (30-90°C)";
    case 0x07:
      return "Water";
    case 0x08:
      return "Heat Cost Allocator";
    case 0x09:
      return "Compressed Air";
    case 0x0A:
      return "Cooling load meter: Outlet";
    case 0x0B:
      return "Cooling load meter: Inlet";
    case 0x0C:
      return "Heat: Inlet";
    case 0x0D:
      return "Heat / Cooling load meter";
    case 0x0E:
      return "Bus/System";
    case 0x0F:
      return "Unknown Medium";
    case 0x15:
      return "Hot water (>=90°C)";
    case 0x16:
      return "Cold water";
    case 0x17:
      return "Hot/Cold water";
    case 0x18:
      return "Pressure";
    case 0x19:
      return "A/D Converter";
    case 0x1A:
      return "Smoke detector";
    case 0x1B:
      return "Room sensor";
    case 0x1C:
      return "Gas detector";
    case 0x20:
      return "Breaker";
    case 0x21:
      return "Valve";
    case 0x25:
      return "Customer unit";
    case 0x28:
      return "Waste water";
    case 0x29:
      return "Garbage";
    case 0x2A:
      return "Carbon dioxide";
    case 0x31:
      return "Communication controller";
    case 0x32:
      return "Unidirectional repeater";
    case 0x33:
      return "Bidirectional repeater";
    case 0x36:
      return "Radio converter (system side)";
    case 0x37:
      return "Radio converter (meter side)";
    default:
      return "Reserved";
    }
}

/**
 * mbus_decode_bcd:
 * @bytes: (array length=n_bytes): BCD, least significant byte first
 * @n_bytes: 1 to 9
 * @value: (out): the number
 *
 * A top nibble of F makes the number negative (EN 13757-3, annex A). Other
 * nibbles above 9 are not digits: meters send them in place of a value
 * during an error state (annex B), and the caller shows them as text.
 *
 * Returns: %FALSE if @n_bytes is out of range or a nibble is not a digit
 *
 * Since: 0.1
 */
gboolean
mbus_decode_bcd (const guint8 *bytes, gsize n_bytes, gint64 *value)
{
  gint64 v = 0;
  gboolean negative = FALSE;

  if (n_bytes == 0 || n_bytes > 9)
    return FALSE;
  for (gsize i = n_bytes; i > 0; i--)
    {
      guint hi = bytes[i - 1] >> 4;
      guint lo = bytes[i - 1] & 0x0F;
      if (i == n_bytes && hi == 0x0F)
        {
          negative = TRUE;
          hi = 0;
        }
      if (hi > 9 || lo > 9)
        return FALSE;
      v = v * 10 + hi;
      v = v * 10 + lo;
    }
  *value = negative ? -v : v;
  return TRUE;
}

/* What a VIF (or the true VIF behind FB/FD) means */
typedef struct
{
  MbusQuantity quantity_id;
  const gchar *quantity;
  const gchar *unit;
  gdouble scale;
} MbusVifInfo;

static gdouble
pow10i (gint e)
{
  return pow (10.0, (gdouble) e);
}

static const gdouble time_scale[] = { 1.0, 60.0, 3600.0, 86400.0 };

static void
mbus_vif_primary (guint8 vif, MbusVifInfo *info)
{
  guint8 v = vif & 0x7F;
  guint n3 = v & 0x07, n2 = v & 0x03;

  info->quantity_id = MBUS_QUANTITY_OTHER;
  info->scale = 1.0;
  if (v <= 0x07)
    *info = (MbusVifInfo){ MBUS_QUANTITY_ENERGY, "Energy", "Wh", pow10i ((gint) n3 - 3) };
  else if (v <= 0x0F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_ENERGY, "Energy", "J", pow10i ((gint) n3) };
  else if (v <= 0x17)
    *info = (MbusVifInfo){ MBUS_QUANTITY_VOLUME, "Volume", "m^3", pow10i ((gint) n3 - 6) };
  else if (v <= 0x1F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_MASS, "Mass", "kg", pow10i ((gint) n3 - 3) };
  else if (v <= 0x23)
    *info = (MbusVifInfo){ MBUS_QUANTITY_ON_TIME, "On time", "s", time_scale[n2] };
  else if (v <= 0x27)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OPERATING_TIME, "Operating time", "s", time_scale[n2] };
  else if (v <= 0x2F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_POWER, "Power", "W", pow10i ((gint) n3 - 3) };
  else if (v <= 0x37)
    *info = (MbusVifInfo){ MBUS_QUANTITY_POWER, "Power", "J/h", pow10i ((gint) n3) };
  else if (v <= 0x3F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_VOLUME_FLOW, "Volume flow", "m^3/h",
                           pow10i ((gint) n3 - 6) };
  else if (v <= 0x47)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Volume flow", "m^3/min", pow10i ((gint) n3 - 7) };
  else if (v <= 0x4F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Volume flow", "m^3/s", pow10i ((gint) n3 - 9) };
  else if (v <= 0x57)
    *info = (MbusVifInfo){ MBUS_QUANTITY_MASS_FLOW, "Mass flow", "kg/h", pow10i ((gint) n3 - 3) };
  else if (v <= 0x5B)
    *info = (MbusVifInfo){ MBUS_QUANTITY_FLOW_TEMPERATURE, "Flow temperature", "°C",
                           pow10i ((gint) n2 - 3) };
  else if (v <= 0x5F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_RETURN_TEMPERATURE, "Return temperature", "°C",
                           pow10i ((gint) n2 - 3) };
  else if (v <= 0x63)
    *info = (MbusVifInfo){ MBUS_QUANTITY_TEMPERATURE_DIFFERENCE, "Temperature difference", "K",
                           pow10i ((gint) n2 - 3) };
  else if (v <= 0x67)
    *info = (MbusVifInfo){ MBUS_QUANTITY_EXTERNAL_TEMPERATURE, "External temperature", "°C",
                           pow10i ((gint) n2 - 3) };
  else if (v <= 0x6B)
    *info = (MbusVifInfo){ MBUS_QUANTITY_PRESSURE, "Pressure", "bar", pow10i ((gint) n2 - 3) };
  else if (v == 0x6C)
    *info = (MbusVifInfo){ MBUS_QUANTITY_DATE, "Time point (date)", "-", 1.0 };
  else if (v == 0x6D)
    *info = (MbusVifInfo){ MBUS_QUANTITY_DATE_TIME, "Time point (date & time)", "-", 1.0 };
  else if (v == 0x6E)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "H.C.A.", "Units for H.C.A.", 1.0 };
  else if (v == 0x6F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Reserved", "Reserved", 1.0 };
  else if (v <= 0x73)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Averaging Duration", "s", time_scale[n2] };
  else if (v <= 0x77)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Actuality Duration", "s", time_scale[n2] };
  else if (v == 0x78)
    *info = (MbusVifInfo){ MBUS_QUANTITY_FABRICATION_NUMBER, "Fabrication No", "", 1.0 };
  else if (v == 0x79)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "(Enhanced) Identification", "", 1.0 };
  else if (v == 0x7A)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Bus Address", "", 1.0 };
  else if (v == 0x7E)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Any VIF", "", 1.0 };
  else if (v == 0x7F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Manufacturer specific", "", 1.0 };
  else /* 0x7B, 0x7D without an extension byte */
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "", "", 1.0 };
}

/* table FD (EN 13757-3, 6.4.3, "main VIFE-code extension table") */
static void
mbus_vif_fd (guint8 vife, MbusVifInfo *info)
{
  static const struct
  {
    guint8 code;
    const gchar *name;
  } plain[] = {
    { 0x08, "Access Number (transmission count)" },
    { 0x09, "Medium" },
    { 0x0A, "Manufacturer" },
    { 0x0B, "Parameter set identification" },
    { 0x0C, "Model / Version" },
    { 0x0D, "Hardware version" },
    { 0x0E, "Firmware version" },
    { 0x0F, "Software version" },
    { 0x10, "Customer location" },
    { 0x11, "Customer" },
    { 0x12, "Access Code User" },
    { 0x13, "Access Code Operator" },
    { 0x14, "Access Code System Operator" },
    { 0x15, "Access Code Developer" },
    { 0x16, "Password" },
    { 0x17, "Error flags" },
    { 0x18, "Error mask" },
    { 0x1A, "Digital Output" },
    { 0x1B, "Digital Input" },
    { 0x1C, "Baudrate" },
    { 0x1D, "Response delay time" },
    { 0x1E, "Retry" },
    { 0x20, "First storage # for cyclic storage" },
    { 0x21, "Last storage # for cyclic storage" },
    { 0x22, "Size of storage block" },
    { 0x3A, "Dimensionless" },
    { 0x60, "Reset counter" },
    { 0x61, "Cumulation counter" },
    { 0x62, "Control signal" },
    { 0x63, "Day of week" },
    { 0x64, "Week number" },
    { 0x65, "Time point of day change" },
    { 0x66, "State of parameter activation" },
    { 0x67, "Special supplier information" },
  };
  guint8 v = vife & 0x7F;

  *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Reserved", "Reserved", 1.0 };
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (plain[i].code == v)
      {
        *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, plain[i].name, "", 1.0 };
        return;
      }
  if (v <= 0x03)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Credit", "currency units",
                           pow10i ((gint) (v & 0x03) - 3) };
  else if (v <= 0x07)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Debit", "currency units",
                           pow10i ((gint) (v & 0x03) - 3) };
  else if (v >= 0x24 && v <= 0x27)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Storage interval", "s", time_scale[v & 0x03] };
  else if (v >= 0x2C && v <= 0x2F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Duration since last readout", "s",
                           time_scale[v & 0x03] };
  else if (v >= 0x31 && v <= 0x33)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Duration of tariff", "s", time_scale[v & 0x03] };
  else if (v >= 0x34 && v <= 0x37)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Period of tariff", "s", time_scale[v & 0x03] };
  else if (v >= 0x40 && v <= 0x4F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Voltage", "V", pow10i ((gint) (v & 0x0F) - 9) };
  else if (v >= 0x50 && v <= 0x5F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Current", "A", pow10i ((gint) (v & 0x0F) - 12) };
  else if (v >= 0x68 && v <= 0x6F)
    {
      /* nn: hours, days (as seconds), months, years (as they are: their
       * length in seconds varies) */
      static const gchar *const units[] = { "s", "s", "month", "year" };
      static const gdouble scales[] = { 3600.0, 86400.0, 1.0, 1.0 };
      *info
          = (MbusVifInfo){ MBUS_QUANTITY_OTHER,
                           v <= 0x6B ? "Duration since last cumulation" : "Operating time battery",
                           units[v & 0x03], scales[v & 0x03] };
    }
  else if (v == 0x70)
    *info = (MbusVifInfo){ MBUS_QUANTITY_DATE_TIME, "Date and time of battery change", "-", 1.0 };
}

/* table FB (EN 13757-3, 6.4.4, "alternate extended VIF-code table") */
static void
mbus_vif_fb (guint8 vife, MbusVifInfo *info)
{
  guint8 v = vife & 0x7F;
  gint n1 = v & 0x01;

  *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Reserved", "Reserved", 1.0 };
  if (v <= 0x01)
    *info = (MbusVifInfo){ MBUS_QUANTITY_ENERGY, "Energy", "Wh", pow10i (n1 - 1 + 6) };
  else if (v >= 0x08 && v <= 0x09)
    *info = (MbusVifInfo){ MBUS_QUANTITY_ENERGY, "Energy", "J", pow10i (n1 - 1 + 9) };
  else if (v >= 0x10 && v <= 0x11)
    *info = (MbusVifInfo){ MBUS_QUANTITY_VOLUME, "Volume", "m^3", pow10i (n1 + 2) };
  else if (v >= 0x18 && v <= 0x19)
    *info = (MbusVifInfo){ MBUS_QUANTITY_MASS, "Mass", "kg", pow10i (n1 + 2 + 3) };
  else if (v >= 0x28 && v <= 0x29)
    *info = (MbusVifInfo){ MBUS_QUANTITY_POWER, "Power", "W", pow10i (n1 - 1 + 6) };
  else if (v >= 0x30 && v <= 0x31)
    *info = (MbusVifInfo){ MBUS_QUANTITY_POWER, "Power", "J/h", pow10i (n1 - 1 + 9) };
  else if (v >= 0x58 && v <= 0x5B)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Flow temperature", "°F", pow10i ((v & 3) - 3) };
  else if (v >= 0x5C && v <= 0x5F)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Return temperature", "°F", pow10i ((v & 3) - 3) };
  else if (v >= 0x60 && v <= 0x63)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Temperature difference", "°F",
                           pow10i ((v & 3) - 3) };
  else if (v >= 0x64 && v <= 0x67)
    *info
        = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "External temperature", "°F", pow10i ((v & 3) - 3) };
  else if (v >= 0x70 && v <= 0x73)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Cold / Warm Temperature Limit", "°F",
                           pow10i ((v & 3) - 3) };
  else if (v >= 0x74 && v <= 0x77)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Cold / Warm Temperature Limit", "°C",
                           pow10i ((v & 3) - 3) };
  else if (v >= 0x78)
    *info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, "Cumulative count max power", "W",
                           pow10i ((v & 7) - 3) };
}

static gchar *
mbus_hex_string (const guint8 *bytes, gsize n, gboolean reversed)
{
  GString *s = g_string_sized_new (n * 3);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, i == 0 ? "%02X" : " %02X", bytes[reversed ? n - 1 - i : i]);
  return g_string_free (s, FALSE);
}

/* BCD that is not a number: its digits, most significant first */
static gchar *
mbus_hex_digits (const guint8 *bytes, gsize n)
{
  GString *s = g_string_sized_new (n * 2);

  for (gsize i = n; i > 0; i--)
    g_string_append_printf (s, "%02X", bytes[i - 1]);
  return g_string_free (s, FALSE);
}

/* text fields are sent last character first */
static gchar *
mbus_text_string (const guint8 *bytes, gsize n)
{
  GString *s = g_string_sized_new (n);

  for (gsize i = n; i > 0; i--)
    {
      guint8 ch = bytes[i - 1];
      g_string_append_c (s, ch >= 0x20 && ch < 0x7F ? (gchar) ch : '?');
    }
  return g_string_free (s, FALSE);
}

static gint
mbus_year (guint y, guint hundred)
{
  /* the hundred-year bits are EN 13757-3:2013; older meters leave them 0
   * and mean 1981–2080 */
  if (hundred != 0)
    return 1900 + 100 * (gint) hundred + (gint) y;
  return y <= 80 ? 2000 + (gint) y : 1900 + (gint) y;
}

static void
mbus_record_set_date (MbusRecord *rec, const guint8 *b, gsize n)
{
  if (n == 2)
    {
      /* type G */
      rec->day = b[0] & 0x1F;
      rec->month = b[1] & 0x0F;
      rec->year = mbus_year (((b[0] & 0xE0) >> 5) | ((b[1] & 0xF0) >> 1), 0);
      rec->quantity_id = MBUS_QUANTITY_DATE;
      rec->text = g_strdup_printf ("%04d-%02d-%02d", rec->year, rec->month, rec->day);
    }
  else if (n == 4)
    {
      /* type F */
      rec->minute = b[0] & 0x3F;
      rec->time_invalid = (b[0] & 0x80) != 0;
      rec->hour = b[1] & 0x1F;
      rec->summer_time = (b[1] & 0x80) != 0;
      rec->day = b[2] & 0x1F;
      rec->month = b[3] & 0x0F;
      rec->year = mbus_year (((b[2] & 0xE0) >> 5) | ((b[3] & 0xF0) >> 1), (b[1] & 0x60) >> 5);
      rec->quantity_id = MBUS_QUANTITY_DATE_TIME;
      rec->text = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:00Z", rec->year, rec->month, rec->day,
                                   rec->hour, rec->minute);
    }
  else
    {
      /* type I */
      rec->second = b[0] & 0x3F;
      rec->minute = b[1] & 0x3F;
      rec->time_invalid = (b[1] & 0x80) != 0;
      rec->hour = b[2] & 0x1F;
      rec->day = b[3] & 0x1F;
      rec->month = b[4] & 0x0F;
      rec->year = mbus_year (((b[3] & 0xE0) >> 5) | ((b[4] & 0xF0) >> 1), (b[5] & 0xC0) >> 6);
      rec->quantity_id = MBUS_QUANTITY_DATE_TIME;
      rec->text = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", rec->year, rec->month,
                                   rec->day, rec->hour, rec->minute, rec->second);
    }
}

static const gint data_length[16] = { 0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, -1 };

/* raw × scale, dividing for decimal fractions so that 5437 × 0.01 gives the
 * double nearest 54.37 rather than 54.370000000000005 */
static gdouble
mbus_apply_scale (gdouble raw, gdouble scale)
{
  if (scale > 0 && scale < 1)
    return raw / round (1.0 / scale);
  return raw * scale;
}

static gboolean
mbus_read_value (LersByteReader *reader, MbusRecord *rec, gboolean is_date, gdouble scale,
                 GError **error)
{
  guint coding = rec->dif & 0x0F;
  const guint8 *b = NULL;
  gint n = data_length[coding];

  if (coding == 0x0D)
    {
      guint8 lvar = 0;
      if (!lers_byte_reader_read_u8 (reader, &lvar, error))
        return FALSE;
      if (lvar <= 0xBF)
        {
          if (!lers_byte_reader_read_bytes (reader, lvar, &b, error))
            return FALSE;
          rec->text = mbus_text_string (b, lvar);
          return TRUE;
        }
      if (lvar >= 0xC0 && lvar <= 0xC9)
        n = lvar - 0xC0;
      else if (lvar >= 0xD0 && lvar <= 0xD9)
        n = lvar - 0xD0;
      else if (lvar >= 0xE0 && lvar <= 0xEF)
        n = lvar - 0xE0;
      else if (lvar >= 0xF0 && lvar <= 0xF4)
        n = 4 * (lvar - 0xEC);
      else if (lvar == 0xF5)
        n = 48;
      else if (lvar == 0xF6)
        n = 64;
      else
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("reserved variable length 0x%02x"), lvar);
          return FALSE;
        }
      if (!lers_byte_reader_read_bytes (reader, (gsize) n, &b, error))
        return FALSE;
      if (lvar <= 0xD9 && n > 0)
        {
          gint64 v = 0;
          if (!mbus_decode_bcd (b, (gsize) n, &v))
            {
              rec->text = mbus_hex_digits (b, (gsize) n);
              return TRUE;
            }
          rec->is_number = TRUE;
          rec->number = mbus_apply_scale ((gdouble) (lvar >= 0xD0 ? -v : v), scale);
          return TRUE;
        }
      rec->text = mbus_hex_string (b, (gsize) n, TRUE);
      return TRUE;
    }

  if (n == 0)
    {
      rec->text = g_strdup ("");
      return TRUE;
    }
  if (!lers_byte_reader_read_bytes (reader, (gsize) n, &b, error))
    return FALSE;
  if (is_date && (coding == 0x02 || coding == 0x04 || coding == 0x06))
    {
      mbus_record_set_date (rec, b, (gsize) n);
      return TRUE;
    }
  switch (coding)
    {
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x06:
    case 0x07:
      {
        LersByteReader r;
        guint64 u = 0;
        gint64 s;
        lers_byte_reader_init (&r, b, (gsize) n);
        if (!lers_byte_reader_read_uint_le (&r, (guint) n, &u, error))
          return FALSE;
        /* two's complement of n bytes */
        if (n < 8 && (u & (G_GUINT64_CONSTANT (1) << (8 * n - 1))) != 0)
          s = (gint64) (u | ~((G_GUINT64_CONSTANT (1) << (8 * n)) - 1));
        else
          s = (gint64) u;
        rec->is_number = TRUE;
        rec->number = mbus_apply_scale ((gdouble) s, scale);
        return TRUE;
      }
    case 0x05:
      {
        LersByteReader r;
        guint32 u = 0;
        union
        {
          guint32 u;
          gfloat f;
        } bits;
        lers_byte_reader_init (&r, b, 4);
        if (!lers_byte_reader_read_u32_le (&r, &u, error))
          return FALSE;
        bits.u = u;
        rec->is_number = TRUE;
        rec->number = mbus_apply_scale ((gdouble) bits.f, scale);
        return TRUE;
      }
    default:
      {
        gint64 v = 0;
        if (!mbus_decode_bcd (b, (gsize) n, &v))
          {
            /* hex nibbles stand for an error state: keep them as sent */
            rec->text = mbus_hex_digits (b, (gsize) n);
            return TRUE;
          }
        rec->is_number = TRUE;
        rec->number = mbus_apply_scale ((gdouble) v, scale);
        return TRUE;
      }
    }
}

static gboolean
mbus_read_record (LersByteReader *reader, guint8 dif, MbusRecord *rec, GError **error)
{
  MbusVifInfo info = { MBUS_QUANTITY_OTHER, "", "", 1.0 };
  guint8 last = dif;
  gboolean manufacturer = FALSE;
  gboolean plain_text = FALSE;
  gboolean extended = FALSE;
  guint first_combinable = 0;
  g_autofree gchar *text_unit = NULL;
  gdouble scale;

  rec->dif = dif;
  rec->function = (MbusFunction) ((dif >> 4) & 0x03);
  rec->storage_number = (dif >> 6) & 0x01;
  while (last & 0x80)
    {
      guint8 dife = 0;
      if (rec->n_dife == MBUS_RECORD_MAX_DIFE)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("more than %d DIFEs"),
                       MBUS_RECORD_MAX_DIFE);
          return FALSE;
        }
      if (!lers_byte_reader_read_u8 (reader, &dife, error))
        {
          g_prefix_error (error, _ ("premature end of DIFE: "));
          return FALSE;
        }
      rec->storage_number |= (guint64) (dife & 0x0F) << (1 + 4 * rec->n_dife);
      rec->tariff |= (guint32) ((dife >> 4) & 0x03) << (2 * rec->n_dife);
      rec->subunit |= (guint32) ((dife >> 6) & 0x01) << rec->n_dife;
      rec->n_dife++;
      last = dife;
    }

  if (!lers_byte_reader_read_u8 (reader, &rec->vif, error))
    {
      g_prefix_error (error, _ ("premature end of VIF: "));
      return FALSE;
    }
  last = rec->vif;
  if ((rec->vif & 0x7F) == 0x7C)
    {
      /* plain-text VIF: length and text come straight after it */
      guint8 n = 0;
      const guint8 *b = NULL;
      if (!lers_byte_reader_read_u8 (reader, &n, error)
          || !lers_byte_reader_read_bytes (reader, n, &b, error))
        {
          g_prefix_error (error, _ ("premature end of plain-text VIF: "));
          return FALSE;
        }
      text_unit = mbus_text_string (b, n);
      plain_text = TRUE;
    }
  while (last & 0x80)
    {
      guint8 vife = 0;
      if (rec->n_vife == MBUS_RECORD_MAX_VIFE)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("more than %d VIFEs"),
                       MBUS_RECORD_MAX_VIFE);
          return FALSE;
        }
      if (!lers_byte_reader_read_u8 (reader, &vife, error))
        {
          g_prefix_error (error, _ ("premature end of VIFE: "));
          return FALSE;
        }
      rec->vife[rec->n_vife++] = vife;
      last = vife;
    }

  switch (rec->vif)
    {
    case 0xFB:
    case 0xFD:
      extended = TRUE;
      first_combinable = 1;
      if (rec->vif == 0xFB)
        mbus_vif_fb (rec->vife[0], &info);
      else
        mbus_vif_fd (rec->vife[0], &info);
      break;
    case 0x7F:
    case 0xFF:
      manufacturer = TRUE;
      mbus_vif_primary (rec->vif, &info);
      break;
    default:
      if (plain_text)
        info = (MbusVifInfo){ MBUS_QUANTITY_OTHER, text_unit, "-", 1.0 };
      else
        mbus_vif_primary (rec->vif, &info);
      break;
    }

  /* combinable VIFEs: only the correction factors change the value */
  scale = info.scale;
  if (!manufacturer)
    for (guint i = first_combinable; i < rec->n_vife; i++)
      {
        guint8 v = rec->vife[i] & 0x7F;
        if (rec->vife[i] == 0xFF || (i > 0 && rec->vife[i - 1] == 0xFF))
          break; /* manufacturer-specific VIFE and whatever it governs */
        if (v >= 0x70 && v <= 0x77)
          scale *= pow10i ((gint) (v & 0x07) - 6);
        else if (v == 0x7D)
          scale *= 1000.0;
      }
  (void) extended;

  rec->quantity_id = info.quantity_id;
  rec->quantity = g_strdup (info.quantity);
  rec->unit = g_strdup (info.unit);
  if (!mbus_read_value (reader, rec,
                        info.quantity_id == MBUS_QUANTITY_DATE
                            || info.quantity_id == MBUS_QUANTITY_DATE_TIME,
                        scale, error))
    {
      g_prefix_error (error, _ ("premature end of record data: "));
      return FALSE;
    }
  if (rec->text == NULL
      && (info.quantity_id == MBUS_QUANTITY_DATE || info.quantity_id == MBUS_QUANTITY_DATE_TIME))
    rec->quantity_id = MBUS_QUANTITY_OTHER;
  return TRUE;
}

static gboolean
mbus_decode_variable (MbusData *self, LersByteReader *reader, GError **error)
{
  while (lers_byte_reader_get_remaining (reader) > 0)
    {
      g_autoptr (MbusRecord) rec = NULL;
      guint8 dif = 0;

      if (!lers_byte_reader_read_u8 (reader, &dif, error))
        return FALSE;
      if (dif == 0x2F)
        continue; /* idle filler */
      if (dif == 0x0F || dif == 0x1F)
        {
          gsize n = lers_byte_reader_get_remaining (reader);
          const guint8 *b = NULL;
          if (!lers_byte_reader_read_bytes (reader, n, &b, error))
            return FALSE;
          rec = mbus_record_new ();
          rec->dif = dif;
          rec->function = dif == 0x0F ? MBUS_FUNCTION_MANUFACTURER : MBUS_FUNCTION_MORE_FOLLOWS;
          rec->quantity = g_strdup ("");
          rec->unit = g_strdup ("");
          rec->text = mbus_hex_string (b, n, FALSE);
          self->more_follows = dif == 0x1F;
          g_ptr_array_add (self->records, g_steal_pointer (&rec));
          break;
        }
      if (dif == 0x7F)
        continue; /* global readout request: no VIF, no data */
      if ((dif & 0x0F) == 0x0F)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("reserved special DIF 0x%02x"), dif);
          return FALSE;
        }
      rec = mbus_record_new ();
      if (!mbus_read_record (reader, dif, rec, error))
        {
          g_prefix_error (error, _ ("record %u: "), self->records->len);
          return FALSE;
        }
      g_ptr_array_add (self->records, g_steal_pointer (&rec));
    }
  return TRUE;
}

static void
mbus_decode_manufacturer (guint16 m, gchar out[4])
{
  out[0] = (gchar) (((m >> 10) & 0x1F) + 64);
  out[1] = (gchar) (((m >> 5) & 0x1F) + 64);
  out[2] = (gchar) ((m & 0x1F) + 64);
  out[3] = '\0';
  for (guint i = 0; i < 3; i++)
    if (out[i] < 'A' || out[i] > 'Z')
      out[i] = '?';
}

static gboolean
mbus_read_id (LersByteReader *reader, guint32 *id, GError **error)
{
  const guint8 *b = NULL;
  gint64 v = 0;

  if (!lers_byte_reader_read_bytes (reader, 4, &b, error))
    return FALSE;
  if (!mbus_decode_bcd (b, 4, &v))
    {
      g_debug ("identification number %02X%02X%02X%02X is not BCD", b[3], b[2], b[1], b[0]);
      v = 0;
    }
  *id = (guint32) ABS (v);
  return TRUE;
}

/* EN 1434-3 fixed structure: units of the two counters */
static const gchar *fixed_units[64] = {
  "h,min,s",
  "D,M,Y",
  "Wh",
  "10 Wh",
  "100 Wh",
  "kWh",
  "10 kWh",
  "100 kWh",
  "MWh",
  "10 MWh",
  "100 MWh",
  "kJ",
  "10 kJ",
  "100 kJ",
  "MJ",
  "10 MJ",
  "100 MJ",
  "GJ",
  "10 GJ",
  "100 GJ",
  "W",
  "10 W",
  "100 W",
  "kW",
  "10 kW",
  "100 kW",
  "MW",
  "10 MW",
  "100 MW",
  "kJ/h",
  "10 kJ/h",
  "100 kJ/h",
  "MJ/h",
  "10 MJ/h",
  "100 MJ/h",
  "GJ/h",
  "10 GJ/h",
  "100 GJ/h",
  "ml",
  "10 ml",
  "100 ml",
  "l",
  "10 l",
  "100 l",
  "m^3",
  "10 m^3",
  "100 m^3",
  "ml/h",
  "10 ml/h",
  "100 ml/h",
  "l/h",
  "10 l/h",
  "100 l/h",
  "m^3/h",
  "10 m^3/h",
  "100 m^3/h",
  "1e-3 °C",
  "Units for H.C.A.",
  "Reserved",
  "Reserved",
  "Reserved",
  "Reserved",
  "same but historic",
  "without units",
};

static gboolean
mbus_decode_fixed (MbusData *self, LersByteReader *reader, GError **error)
{
  guint8 u1 = 0, u2 = 0;
  gboolean binary;

  if (!mbus_read_id (reader, &self->id, error)
      || !lers_byte_reader_read_u8 (reader, &self->access_number, error)
      || !lers_byte_reader_read_u8 (reader, &self->status, error)
      || !lers_byte_reader_read_u8 (reader, &u1, error)
      || !lers_byte_reader_read_u8 (reader, &u2, error))
    {
      g_prefix_error (error, _ ("fixed data header: "));
      return FALSE;
    }
  self->has_id = TRUE;
  self->has_status = TRUE;
  self->medium = (guint8) (((u2 >> 6) << 2) | (u1 >> 6));
  g_strlcpy (self->manufacturer, "", sizeof self->manufacturer);
  binary = (self->status & 0x80) != 0;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (MbusRecord) rec = mbus_record_new ();
      const guint8 *b = NULL;
      guint code = (i == 0 ? u1 : u2) & 0x3F;
      gint64 v = 0;

      if (!lers_byte_reader_read_bytes (reader, 4, &b, error))
        {
          g_prefix_error (error, _ ("fixed data counter %u: "), i + 1);
          return FALSE;
        }
      rec->function = MBUS_FUNCTION_ACTUAL;
      if (i == 1 && code == 0x3E)
        {
          /* same unit as counter 1, historic value */
          code = u1 & 0x3F;
          rec->function = MBUS_FUNCTION_HISTORIC;
        }
      if (binary)
        {
          LersByteReader r;
          guint64 u = 0;
          lers_byte_reader_init (&r, b, 4);
          if (!lers_byte_reader_read_uint_le (&r, 4, &u, error))
            return FALSE;
          v = (gint64) u;
        }
      else if (!mbus_decode_bcd (b, 4, &v))
        {
          rec->unit = g_strdup (fixed_units[code]);
          rec->quantity = g_strdup ("");
          rec->text = mbus_hex_digits (b, 4);
          g_ptr_array_add (self->records, g_steal_pointer (&rec));
          continue;
        }
      rec->unit = g_strdup (fixed_units[code]);
      rec->quantity = g_strdup ("");
      rec->is_number = TRUE;
      rec->number = (gdouble) v;
      g_ptr_array_add (self->records, g_steal_pointer (&rec));
    }
  if (lers_byte_reader_get_remaining (reader) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("%zu bytes after the fixed data structure"),
                   lers_byte_reader_get_remaining (reader));
      return FALSE;
    }
  return TRUE;
}

static const gchar *
mbus_application_error_name (guint code)
{
  switch (code)
    {
    case 0:
      return _ ("unspecified error");
    case 1:
      return _ ("unimplemented CI field");
    case 2:
      return _ ("buffer too long, truncated");
    case 3:
      return _ ("too many records");
    case 4:
      return _ ("premature end of record");
    case 5:
      return _ ("more than 10 DIFEs");
    case 6:
      return _ ("more than 10 VIFEs");
    case 7:
      return _ ("reserved");
    case 8:
      return _ ("application busy");
    case 9:
      return _ ("too many readouts");
    default:
      return _ ("reserved");
    }
}

/**
 * mbus_data_decode_frame:
 * @frame: a long frame from a slave
 * @error: return location for a #GError
 *
 * Decodes the application layer of @frame. An application error reply
 * (CI 70) gives %LERS_ERROR_FAILED naming the error; a CI this decoder does
 * not know gives %LERS_ERROR_NOT_SUPPORTED; malformed data gives
 * %LERS_ERROR_INVALID_DATA.
 *
 * Returns: (transfer full): the telegram, or %NULL
 *
 * Since: 0.1
 */
MbusData *
mbus_data_decode_frame (const MbusFrame *frame, GError **error)
{
  g_autoptr (MbusData) self = g_new0 (MbusData, 1);
  LersByteReader reader;
  gsize n = 0;
  const guint8 *data = NULL;

  if (frame->kind != MBUS_FRAME_KIND_LONG && frame->kind != MBUS_FRAME_KIND_CONTROL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("not a long frame: it carries no application data"));
      return NULL;
    }
  self->c = frame->c;
  self->a = frame->a;
  self->ci = frame->ci;
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) mbus_record_free);
  data = g_bytes_get_data (frame->data, &n);
  lers_byte_reader_init (&reader, data, n);

  switch (frame->ci)
    {
    case MBUS_CI_ERROR:
      {
        guint8 code = 0;
        /* an error reply may carry no code at all */
        if (!lers_byte_reader_read_u8 (&reader, &code, NULL))
          code = 0;
        g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("application error %u: %s"), code,
                     mbus_application_error_name (code));
        return NULL;
      }
    case MBUS_CI_RESPONSE_LONG:
      {
        guint16 m = 0;
        if (!mbus_read_id (&reader, &self->id, error)
            || !lers_byte_reader_read_u16_le (&reader, &m, error)
            || !lers_byte_reader_read_u8 (&reader, &self->version, error)
            || !lers_byte_reader_read_u8 (&reader, &self->medium, error)
            || !lers_byte_reader_read_u8 (&reader, &self->access_number, error)
            || !lers_byte_reader_read_u8 (&reader, &self->status, error)
            || !lers_byte_reader_read_u16_le (&reader, &self->signature, error))
          {
            g_prefix_error (error, _ ("long data header: "));
            return NULL;
          }
        mbus_decode_manufacturer (m, self->manufacturer);
        self->has_id = TRUE;
        self->has_status = TRUE;
        break;
      }
    case MBUS_CI_RESPONSE_SHORT:
      if (!lers_byte_reader_read_u8 (&reader, &self->access_number, error)
          || !lers_byte_reader_read_u8 (&reader, &self->status, error)
          || !lers_byte_reader_read_u16_le (&reader, &self->signature, error))
        {
          g_prefix_error (error, _ ("short data header: "));
          return NULL;
        }
      self->has_status = TRUE;
      break;
    case MBUS_CI_RESPONSE_NONE:
      break;
    case MBUS_CI_RESPONSE_FIXED:
      self->is_fixed = TRUE;
      if (!mbus_decode_fixed (self, &reader, error))
        return NULL;
      return g_steal_pointer (&self);
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("CI field 0x%02x is not a response this decoder reads"), frame->ci);
      return NULL;
    }
  if (!mbus_decode_variable (self, &reader, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * mbus_data_decode:
 * @buf: (array length=len): one link-layer frame
 * @len: its length
 * @error: return location for a #GError
 *
 * Parses the frame with mbus_frame_parse() and decodes it.
 *
 * Returns: (transfer full): the telegram, or %NULL
 *
 * Since: 0.1
 */
MbusData *
mbus_data_decode (const guint8 *buf, gsize len, GError **error)
{
  g_autoptr (MbusFrame) frame = mbus_frame_parse (buf, len, error);

  if (frame == NULL)
    return NULL;
  return mbus_data_decode_frame (frame, error);
}
