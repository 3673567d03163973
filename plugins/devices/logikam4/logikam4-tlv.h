/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* structure tags (РАЖГ.00293-33 table 1) */
#define M4_TAG_OCTET_STRING 0x04
#define M4_TAG_NULL 0x05
#define M4_TAG_ASCII 0x16
#define M4_TAG_SEQUENCE 0x30
#define M4_TAG_INTU 0x41
#define M4_TAG_INTS 0x42
#define M4_TAG_FLOAT 0x43
#define M4_TAG_MIXED 0x44
#define M4_TAG_OPERATIVE 0x45
#define M4_TAG_ACK 0x46
#define M4_TAG_TIME 0x47
#define M4_TAG_DATE 0x48
#define M4_TAG_ARCHDATE 0x49
#define M4_TAG_PNUM 0x4A
#define M4_TAG_FLAGS 0x4B
#define M4_TAG_ERR 0x55

/* FastLZ output limit: a 720-byte message never expands beyond this */
#define M4_FLZ_MAX_OUTPUT 32768

/**
 * M4Tlv:
 * @tag: the structure tag
 * @value: the value bytes (not owned: they point into the message)
 * @len: how many
 *
 * One tagged element.
 */
typedef struct
{
  guint8 tag;
  const guint8 *value;
  gsize len;
} M4Tlv;

gboolean m4_tlv_read (LersByteReader *reader, M4Tlv *tlv, GError **error);
gboolean m4_tlv_get_number (const M4Tlv *tlv, gdouble *value, GError **error);
gboolean m4_tlv_flag_is_set (const M4Tlv *tlv, guint bit);
gchar *m4_tlv_get_text (const M4Tlv *tlv);
const gchar *m4_tag_name (guint8 tag);

/* an ARCHDATE, TIME or DATE as calendar fields; absent ones are 0 (day and
 * month 1) */
typedef struct
{
  gint year;
  gint month;
  gint day;
  gint hour;
  gint minute;
  gint second;
  gint ms;
  guint n_fields; /* how many ARCHDATE fields were sent (0…8) */
} M4Date;

gboolean m4_archdate_parse (const M4Tlv *tlv, M4Date *date, GError **error);

/* one decoded archive answer (function 61) */
typedef struct
{
  M4Date date;
  GArray *items; /* of M4Tlv */
} M4ArchiveRecord;

typedef struct
{
  GBytes *data; /* the bytes the records point into (decompressed) */
  gboolean compressed;
  GPtrArray *records; /* of M4ArchiveRecord */
  gboolean has_next;
  M4Date next;
} M4ArchiveReply;

void m4_archive_reply_free (M4ArchiveReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (M4ArchiveReply, m4_archive_reply_free)
M4ArchiveReply *m4_archive_reply_parse (const guint8 *data, gsize len, GError **error);

GArray *m4_tlv_parse_all (const guint8 *data, gsize len, GError **error);

GBytes *m4_flz_decompress (const guint8 *data, gsize len, GError **error);
GBytes *m4_flz_compress (const guint8 *data, gsize len);

/* encoders (requests and the simulator's answers) */
void m4_tlv_append (GByteArray *out, guint8 tag, const guint8 *value, gsize len);
void m4_tlv_append_intu (GByteArray *out, guint32 value);
void m4_tlv_append_float (GByteArray *out, gfloat value);
void m4_tlv_append_mixed (GByteArray *out, gint32 int_part, gfloat frac_part);
void m4_tlv_append_pnum (GByteArray *out, guint8 channel, guint16 number);
void m4_tlv_append_archdate (GByteArray *out, const M4Date *date, guint n_fields);
void m4_tlv_append_flags (GByteArray *out, const guint8 *bits, gsize n_bytes);

G_END_DECLS
