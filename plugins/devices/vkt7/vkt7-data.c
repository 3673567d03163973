/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ВКТ-7 data elements (the enumeration of §5.2, "условный адрес" 0–82),
 * the "properties" (units and fraction digits), the active list and the
 * values of a data reply: value, quality byte, НС byte (§4.5).
 */
#include "vkt7-data.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#define A VKT7_MODE_ARCHIVE
#define C VKT7_MODE_CURRENT
#define T VKT7_MODE_TOTALS

/* clang-format off */
static const Vkt7Element elements[VKT7_N_ELEMENTS] = {
  { "t1_1Type", "t1 Тв1", 0, LERS_PARAMETER_T_IN, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "t2_1Type", "t2 Тв1", 0, LERS_PARAMETER_T_OUT, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "t3_1Type", "t3 Тв1", 0, 0, VKT7_SCALE_T, VKT7_UNIT_T, 0 },
  { "V1_1Type", "V1 Тв1", 0, LERS_PARAMETER_V_IN, VKT7_SCALE_V1, VKT7_UNIT_V, A | T },
  { "V2_1Type", "V2 Тв1", 0, LERS_PARAMETER_V_OUT, VKT7_SCALE_V1, VKT7_UNIT_V, A | T },
  { "V3_1Type", "V3 Тв1", 0, 0, VKT7_SCALE_V1, VKT7_UNIT_V, 0 },
  { "M1_1Type", "M1 Тв1", 0, LERS_PARAMETER_M_IN, VKT7_SCALE_M1, VKT7_UNIT_M, A | T },
  { "M2_1Type", "M2 Тв1", 0, LERS_PARAMETER_M_OUT, VKT7_SCALE_M1, VKT7_UNIT_M, A | T },
  { "M3_1Type", "M3 Тв1", 0, 0, VKT7_SCALE_M1, VKT7_UNIT_M, 0 },
  { "P1_1Type", "P1 Тв1", 0, LERS_PARAMETER_P_IN, VKT7_SCALE_P, VKT7_UNIT_P, A | C },
  { "P2_1Type", "P2 Тв1", 0, LERS_PARAMETER_P_OUT, VKT7_SCALE_P, VKT7_UNIT_P, A | C },
  { "Mg_1TypeP", "Mг Тв1", 0, LERS_PARAMETER_M_DELTA, VKT7_SCALE_M1, VKT7_UNIT_M, A | T },
  { "Qo_1TypeP", "Qо Тв1", 0, LERS_PARAMETER_Q_DELTA, VKT7_SCALE_Q1, VKT7_UNIT_Q, A | T },
  { "Qg_1TypeP", "Qг Тв1", 0, 0, VKT7_SCALE_Q1, VKT7_UNIT_Q, 0 },
  { "dt_1TypeP", "dt Тв1", 0, LERS_PARAMETER_T_DELTA, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "tswTypeP", "tх", 0, LERS_PARAMETER_T_CW, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "taTypeP", "ta", 0, LERS_PARAMETER_T_OUTDOOR, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "QntType_1HIP", "BНP Тв1", 0, LERS_PARAMETER_NORMAL_OPERATION_DURATION, VKT7_SCALE_NONE, VKT7_UNIT_HOURS, A | T },
  { "QntType_1P", "BOC Тв1", 0, LERS_PARAMETER_STOP_DURATION, VKT7_SCALE_NONE, VKT7_UNIT_HOURS, A | T },
  { "G1Type", "G1 Тв1", 0, LERS_PARAMETER_FLOW_V_IN, VKT7_SCALE_FLOAT, VKT7_UNIT_G, C },
  { "G2Type", "G2 Тв1", 0, LERS_PARAMETER_FLOW_V_OUT, VKT7_SCALE_FLOAT, VKT7_UNIT_G, C },
  { "G3Type", "G3 Тв1", 0, 0, VKT7_SCALE_FLOAT, VKT7_UNIT_G, 0 },
  { "t1_2Type", "t1 Тв2", 1, LERS_PARAMETER_T_IN, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "t2_2Type", "t2 Тв2", 1, LERS_PARAMETER_T_OUT, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "t3_2Type", "t3 Тв2", 1, 0, VKT7_SCALE_T, VKT7_UNIT_T, 0 },
  { "V1_2Type", "V1 Тв2", 1, LERS_PARAMETER_V_IN, VKT7_SCALE_V2, VKT7_UNIT_V, A | T },
  { "V2_2Type", "V2 Тв2", 1, LERS_PARAMETER_V_OUT, VKT7_SCALE_V2, VKT7_UNIT_V, A | T },
  { "V3_2Type", "V3 Тв2", 1, 0, VKT7_SCALE_V2, VKT7_UNIT_V, 0 },
  { "M1_2Type", "M1 Тв2", 1, LERS_PARAMETER_M_IN, VKT7_SCALE_M2, VKT7_UNIT_M, A | T },
  { "M2_2Type", "M2 Тв2", 1, LERS_PARAMETER_M_OUT, VKT7_SCALE_M2, VKT7_UNIT_M, A | T },
  { "M3_2Type", "M3 Тв2", 1, 0, VKT7_SCALE_M2, VKT7_UNIT_M, 0 },
  { "P1_2Type", "P1 Тв2", 1, LERS_PARAMETER_P_IN, VKT7_SCALE_P, VKT7_UNIT_P, A | C },
  { "P2_2Type", "P2 Тв2", 1, LERS_PARAMETER_P_OUT, VKT7_SCALE_P, VKT7_UNIT_P, A | C },
  { "Mg_2TypeP", "Mг Тв2", 1, LERS_PARAMETER_M_DELTA, VKT7_SCALE_M2, VKT7_UNIT_M, A | T },
  { "Qo_2TypeP", "Qо Тв2", 1, LERS_PARAMETER_Q_DELTA, VKT7_SCALE_Q2, VKT7_UNIT_Q, A | T },
  { "Qg_2TypeP", "Qг Тв2", 1, 0, VKT7_SCALE_Q2, VKT7_UNIT_Q, 0 },
  { "dt_2TypeP", "dt Тв2", 1, LERS_PARAMETER_T_DELTA, VKT7_SCALE_T, VKT7_UNIT_T, A | C },
  { "tsw_2TypeP", "резерв", -1, 0, VKT7_SCALE_T, VKT7_UNIT_T, 0 },
  { "ta_2TypeP", "резерв", -1, 0, VKT7_SCALE_T, VKT7_UNIT_T, 0 },
  { "Qnt_2TypeHIP", "BНP Тв2", 1, LERS_PARAMETER_NORMAL_OPERATION_DURATION, VKT7_SCALE_NONE, VKT7_UNIT_HOURS, A | T },
  { "Qnt_2TypeP", "BOC Тв2", 1, LERS_PARAMETER_STOP_DURATION, VKT7_SCALE_NONE, VKT7_UNIT_HOURS, A | T },
  { "G1_2Type", "G1 Тв2", 1, LERS_PARAMETER_FLOW_V_IN, VKT7_SCALE_FLOAT, VKT7_UNIT_G, C },
  { "G2_2Type", "G2 Тв2", 1, LERS_PARAMETER_FLOW_V_OUT, VKT7_SCALE_FLOAT, VKT7_UNIT_G, C },
  { "G3_2Type", "G3 Тв2", 1, 0, VKT7_SCALE_FLOAT, VKT7_UNIT_G, 0 },
  { "tTypeM", "units t", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "GTypeM", "units G", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "VTypeM", "units V", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "MTypeM", "units M", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "PTypeM", "units P", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "dtTypeM", "units dt", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "tswTypeM", "units tx", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "taTypeM", "units ta", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "MgTypeM", "units Mг", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "QoTypeM", "units Q", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "QgTypeM", "units Qг", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "QntTypeHIM", "units BНP", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "QntTypeM", "units BOC", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "tTypeFractDiNum", "digits t", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "GTypeFractDigNum1", "reserve", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "VTypeFractDigNum1", "digits V Тв1", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "MTypeFractDigNum1", "digits M Тв1", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "PTypeFractDigNum1", "digits P", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "dtTypeFractDigNum1", "digits dt", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "tswTypeFractDigNum1", "digits tx", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "taTypeFractDigNum1", "digits ta", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "MgTypeFractDigNum1", "digits Mг", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "QoTypeFractDigNum1", "digits Q Тв1", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "tTypeFractDigNum2", "reserve", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "GTypeFractDigNum2", "reserve", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "VTypeFractDigNum2", "digits V Тв2", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "MTypeFractDigNum2", "digits M Тв2", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "PTypeFractDigNum2", "digits P", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "dtTypeFractDigNum2", "digits dt", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "tswTypeFractDigNum2", "digits tx", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "taTypeFractDigNum2", "digits ta", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "MgTypeFractDigNum2", "digits Mг", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "QoTypeFractDigNum2", "digits Q Тв2", -1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, 0 },
  { "NSPrintTypeM_1", "НС Тв1", 0, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, A },
  { "NSPrintTypeM_2", "НС Тв2", 1, 0, VKT7_SCALE_NONE, VKT7_UNIT_NONE, A },
  { "QntNS_1", "QntNS Тв1", 0, 0, VKT7_SCALE_NONE, VKT7_UNIT_HOURS, A },
  { "QntNS_2", "QntNS Тв2", 1, 0, VKT7_SCALE_NONE, VKT7_UNIT_HOURS, A },
  { "DopInpImpP_Type", "DI", -1, 0, VKT7_SCALE_FLOAT, VKT7_UNIT_NONE, 0 },
  { "P3P_Type", "P3", -1, 0, VKT7_SCALE_P, VKT7_UNIT_P, 0 },
};
/* clang-format on */

const Vkt7Element *
vkt7_element (guint id)
{
  return id < VKT7_N_ELEMENTS ? &elements[id] : NULL;
}

/* The properties list of §5.2 (p. 26–27), in the document's order: eight
 * units of 7 bytes, eight fraction-digit counts of 1 byte */
static const struct
{
  guint8 id;
  guint8 size;
  gint unit;  /* Vkt7UnitKind or -1 */
  gint scale; /* Vkt7Scale or -1 */
} property_list[] = {
  { 44, 7, VKT7_UNIT_T, -1 },     { 45, 7, VKT7_UNIT_G, -1 },
  { 46, 7, VKT7_UNIT_V, -1 },     { 47, 7, VKT7_UNIT_M, -1 },
  { 48, 7, VKT7_UNIT_P, -1 },     { 53, 7, VKT7_UNIT_Q, -1 },
  { 55, 7, VKT7_UNIT_HOURS, -1 }, { 56, 7, -1, -1 },
  { 57, 1, -1, VKT7_SCALE_T },    { 59, 1, -1, VKT7_SCALE_V1 },
  { 60, 1, -1, VKT7_SCALE_M1 },   { 61, 1, -1, VKT7_SCALE_P },
  { 66, 1, -1, VKT7_SCALE_Q1 },   { 70, 1, -1, VKT7_SCALE_M2 },
  { 69, 1, -1, VKT7_SCALE_V2 },   { 76, 1, -1, VKT7_SCALE_Q2 },
};

void
vkt7_properties_init (Vkt7Properties *p)
{
  memset (p, 0, sizeof *p);
  p->server_version = 1;
  for (guint i = 0; i < G_N_ELEMENTS (p->digits); i++)
    p->digits[i] = -1;
}

void
vkt7_properties_clear (Vkt7Properties *p)
{
  for (guint i = 0; i < VKT7_N_UNITS; i++)
    g_clear_pointer (&p->units[i], g_free);
}

GBytes *
vkt7_properties_list (void)
{
  Vkt7Item items[G_N_ELEMENTS (property_list)];

  for (guint i = 0; i < G_N_ELEMENTS (property_list); i++)
    {
      items[i].id = property_list[i].id;
      items[i].size = property_list[i].size;
    }
  return vkt7_list_encode (items, G_N_ELEMENTS (items));
}

static gchar *
oem_to_utf8 (const guint8 *s, gsize n)
{
  gchar *u = g_convert ((const gchar *) s, (gssize) n, "UTF-8", "CP866", NULL, NULL, NULL);

  if (u == NULL)
    u = g_strdup ("?");
  return g_strstrip (u);
}

static gboolean
short_reply (GError **error, const gchar *what)
{
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("ВКТ-7 reply too short for %s"),
               what);
  return FALSE;
}

gboolean
vkt7_properties_parse (Vkt7Properties *p, const guint8 *data, gsize len, GError **error)
{
  gsize pos = 0;

  for (guint i = 0; i < G_N_ELEMENTS (property_list); i++)
    {
      if (property_list[i].size == 7)
        {
          gsize n = 7;

          if (p->server_version >= 1)
            {
              if (pos + 2 > len)
                return short_reply (error, _ ("the properties"));
              n = data[pos] | (data[pos + 1] << 8);
              pos += 2;
            }
          if (n > 32 || pos + n + 2 > len)
            return short_reply (error, _ ("the properties"));
          if (property_list[i].unit >= 0)
            {
              g_free (p->units[property_list[i].unit]);
              p->units[property_list[i].unit] = oem_to_utf8 (data + pos, n);
            }
          pos += n + 2;
        }
      else
        {
          if (pos + 3 > len)
            return short_reply (error, _ ("the properties"));
          if (data[pos] > 9)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("ВКТ-7 property %u says %u fraction digits"), property_list[i].id,
                           data[pos]);
              return FALSE;
            }
          p->digits[property_list[i].scale] = data[pos];
          pos += 3;
        }
    }
  return TRUE;
}

GArray *
vkt7_active_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (Vkt7Item));

  if (len % 6 != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("ВКТ-7 active list of %u bytes, not a multiple of 6"), (guint) len);
      return NULL;
    }
  for (gsize i = 0; i < len; i += 6)
    {
      Vkt7Item it;

      it.id = (guint32) data[i] | (guint32) data[i + 1] << 8 | (guint32) data[i + 2] << 16
              | (guint32) data[i + 3] << 24;
      it.id &= ~0x40000000u;
      it.size = (guint16) (data[i + 4] | data[i + 5] << 8);
      if (it.id >= VKT7_N_ELEMENTS || it.size == 0 || it.size > 32)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("ВКТ-7 active list names element %u of size %u"), it.id, it.size);
          return NULL;
        }
      g_array_append_val (items, it);
    }
  return g_steal_pointer (&items);
}

/* the read-list of §4.2: each address ORed with 0x40000000 */
GBytes *
vkt7_list_encode (const Vkt7Item *items, guint n)
{
  GByteArray *out = g_byte_array_new ();

  for (guint i = 0; i < n; i++)
    {
      guint32 a = items[i].id | 0x40000000u;
      guint8 b[6] = { a & 0xFF, (a >> 8) & 0xFF,      (a >> 16) & 0xFF,
                      a >> 24,  items[i].size & 0xFF, items[i].size >> 8 };
      g_byte_array_append (out, b, 6);
    }
  return g_byte_array_free_to_bytes (out);
}

/* the factor from the device's unit name to the LERS unit of the kind */
gboolean
vkt7_unit_factor (Vkt7UnitKind kind, const gchar *unit, gdouble *factor)
{
  g_autoptr (GString) u = g_string_new (NULL);
  static const struct
  {
    Vkt7UnitKind kind;
    const gchar *name;
    gdouble factor;
  } table[] = {
    { VKT7_UNIT_T, "°C", 1 },
    { VKT7_UNIT_T, "C", 1 },
    { VKT7_UNIT_G, "м3/ч", 1 },
    { VKT7_UNIT_G, "т/ч", 1 },
    { VKT7_UNIT_V, "м3", 1 },
    { VKT7_UNIT_V, "л", 0.001 },
    { VKT7_UNIT_M, "т", 1 },
    { VKT7_UNIT_M, "кг", 0.001 },
    { VKT7_UNIT_P, "кг/см2", 0.0980665 },
    { VKT7_UNIT_P, "кгс/см2", 0.0980665 },
    { VKT7_UNIT_P, "МПа", 1 },
    { VKT7_UNIT_P, "кПа", 0.001 },
    { VKT7_UNIT_P, "бар", 0.1 },
    { VKT7_UNIT_Q, "Гкал", 1 },
    { VKT7_UNIT_Q, "Мкал", 0.001 },
    { VKT7_UNIT_Q, "ГДж", 1 / 4.1868 },
    { VKT7_UNIT_Q, "МВтч", 1 / 1.163 },
    { VKT7_UNIT_Q, "кВтч", 1 / 1163.0 },
    { VKT7_UNIT_HOURS, "ч", 1 },
    { VKT7_UNIT_HOURS, "мин", 1 / 60.0 },
    { VKT7_UNIT_HOURS, "с", 1 / 3600.0 },
  };

  if (kind == VKT7_UNIT_NONE)
    {
      *factor = 1;
      return TRUE;
    }
  if (unit == NULL)
    return FALSE;
  /* "МВт*ч", "МВт·ч", " т": spaces and product signs dropped */
  for (const gchar *p = unit; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == ' ' || c == '*' || c == 0xB7 || c == 0x2219 || c == '.')
        continue;
      g_string_append_unichar (u, c);
    }
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].kind == kind && g_strcmp0 (table[i].name, u->str) == 0)
      {
        *factor = table[i].factor;
        return TRUE;
      }
  return FALSE;
}

static gint
scale_digits (const Vkt7Properties *props, Vkt7Scale scale)
{
  gint d = props->digits[scale];
  return d < 0 ? 0 : d;
}

GArray *
vkt7_values_parse (const Vkt7Properties *props, const Vkt7Item *items, guint n, const guint8 *data,
                   gsize len, GError **error)
{
  g_autoptr (GArray) out = g_array_new (FALSE, TRUE, sizeof (Vkt7Value));
  gsize pos = 0;

  for (guint i = 0; i < n; i++)
    {
      const Vkt7Element *el = vkt7_element (items[i].id);
      const guint8 *p = data + pos;
      guint size = items[i].size;
      Vkt7Value v = { 0 };
      gdouble raw = NAN, factor = 1;

      if (pos + size + 2 > len)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("ВКТ-7 data reply of %u bytes ends inside element %u (offset %u)"),
                       (guint) len, items[i].id, (guint) pos);
          return NULL;
        }
      v.id = items[i].id;
      v.quality = p[size];
      v.ns = p[size + 1];
      if (items[i].id == VKT7_EL_NS1 || items[i].id == VKT7_EL_NS2)
        v.ns_flag = size >= 1 && p[0] == '*';
      else if ((items[i].id == VKT7_EL_QNTNS1 || items[i].id == VKT7_EL_QNTNS2) && size >= 10)
        {
          for (guint k = 0; k < VKT7_N_NS_KINDS; k++)
            v.ns_durations[k] = (guint16) (p[2 * k] | p[2 * k + 1] << 8);
        }
      else if (el != NULL && el->scale == VKT7_SCALE_FLOAT && size == 4)
        {
          guint32 u
              = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
          gfloat f;
          memcpy (&f, &u, 4);
          raw = f;
        }
      else if (size == 1)
        raw = p[0];
      else if (size == 2)
        raw = (gint16) (p[0] | p[1] << 8);
      else if (size == 4)
        raw = (gint32) ((guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16
                        | (guint32) p[3] << 24);
      if (!isnan (raw) && el != NULL)
        {
          if (el->scale != VKT7_SCALE_NONE && el->scale != VKT7_SCALE_FLOAT)
            raw /= pow (10, scale_digits (props, el->scale));
          if (!vkt7_unit_factor (el->unit, props->units[el->unit < VKT7_N_UNITS ? el->unit : 0],
                                 &factor))
            raw = NAN;
          else
            raw *= factor;
        }
      v.value = raw;
      g_array_append_val (out, v);
      pos += size + 2;
    }
  return g_steal_pointer (&out);
}
