/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define VKT7_N_ELEMENTS 83
#define VKT7_EL_NS1 77    /* NSPrintTypeM_1: "*" when ТВ1 has an НС */
#define VKT7_EL_NS2 78    /* NSPrintTypeM_2 */
#define VKT7_EL_QNTNS1 79 /* QntNS_1: 5 × u16 НС durations of ТВ1 */
#define VKT7_EL_QNTNS2 80 /* QntNS_2 */
#define VKT7_N_NS_KINDS 5

/* quality byte values (appendix Б) */
#define VKT7_Q_GOOD 0xC0
#define VKT7_Q_OUT_OF_RANGE 0x0C /* BAD | DEVICE_FAILURE */
#define VKT7_Q_NS 0x50           /* UNCERTAIN | SENSOR_CAL */
#define VKT7_Q_ABSENT 0x04       /* BAD | CONFIG_ERROR */

/* value types written to 3FFD (§4.3) */
typedef enum
{
  VKT7_TYPE_HOUR = 0,
  VKT7_TYPE_DAY = 1,
  VKT7_TYPE_MONTH = 2,
  VKT7_TYPE_TOTALS_ARCHIVE = 3,
  VKT7_TYPE_CURRENT = 4,
  VKT7_TYPE_TOTALS = 5,
  VKT7_TYPE_PROPERTIES = 6,
} Vkt7Type;

/* which "fraction digits" property scales an element */
typedef enum
{
  VKT7_SCALE_NONE,  /* a plain integer */
  VKT7_SCALE_FLOAT, /* IEEE 754 single */
  VKT7_SCALE_T,
  VKT7_SCALE_V1,
  VKT7_SCALE_M1,
  VKT7_SCALE_P,
  VKT7_SCALE_Q1,
  VKT7_SCALE_V2,
  VKT7_SCALE_M2,
  VKT7_SCALE_Q2,
} Vkt7Scale;

/* the unit a value is converted from */
typedef enum
{
  VKT7_UNIT_T,
  VKT7_UNIT_G,
  VKT7_UNIT_V,
  VKT7_UNIT_M,
  VKT7_UNIT_P,
  VKT7_UNIT_Q,
  VKT7_UNIT_HOURS,
  VKT7_UNIT_NONE,
  VKT7_N_UNITS = VKT7_UNIT_NONE,
} Vkt7UnitKind;

typedef struct
{
  const gchar *name;       /* the enumeration's name (§5.2 table) */
  const gchar *label;      /* its text name, "t1 Тв1" */
  gint channel;            /* 0 ТВ1, 1 ТВ2, -1 none */
  LersParameter parameter; /* 0: not mapped */
  Vkt7Scale scale;
  Vkt7UnitKind unit;
  guint8 modes; /* VKT7_MODE_* where the value means something */
} Vkt7Element;

#define VKT7_MODE_ARCHIVE 1 /* hour, day, month */
#define VKT7_MODE_CURRENT 2
#define VKT7_MODE_TOTALS 4

const Vkt7Element *vkt7_element (guint id);

/* the "properties" of §5.2 */
typedef struct
{
  guint server_version;       /* 0: units as 7 OEM chars; 1: u16 length + chars */
  gchar *units[VKT7_N_UNITS]; /* UTF-8, "°C", "кг/см2" … or NULL */
  gint digits[10];            /* by Vkt7Scale; -1 unknown */
} Vkt7Properties;

void vkt7_properties_init (Vkt7Properties *p);
void vkt7_properties_clear (Vkt7Properties *p);
GBytes *vkt7_properties_list (void);
gboolean vkt7_properties_parse (Vkt7Properties *p, const guint8 *data, gsize len, GError **error);

/* one entry of the active list (§4.1) */
typedef struct
{
  guint32 id;
  guint16 size;
} Vkt7Item;

GArray *vkt7_active_parse (const guint8 *data, gsize len, GError **error);
GBytes *vkt7_list_encode (const Vkt7Item *items, guint n);

/* one decoded value of a data reply (§4.5) */
typedef struct
{
  guint32 id;
  gdouble value; /* in LERS units; NAN when it has none */
  guint8 quality;
  guint8 ns;
  guint16 ns_durations[VKT7_N_NS_KINDS]; /* QntNS */
  gboolean ns_flag;                      /* NSPrint: "*" */
} Vkt7Value;

GArray *vkt7_values_parse (const Vkt7Properties *props, const Vkt7Item *items, guint n,
                           const guint8 *data, gsize len, GError **error);
gboolean vkt7_unit_factor (Vkt7UnitKind kind, const gchar *unit, gdouble *factor);

G_END_DECLS
