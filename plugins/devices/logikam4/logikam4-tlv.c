/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * M4 tagged elements (РАЖГ.00293-33 §2.3, §2.4): TAG, a BER-style length
 * (below 0x80 the length itself; else 0x80|N and N big-endian length bytes,
 * the document's example: 421 = 82 01 A5), then the value, little-endian.
 *
 * Archive answers (§3.5): ARCHDATE + SEQUENCE{items} pairs, closed by the
 * date of the next record with an empty SEQUENCE (or an empty ARCHDATE when
 * there is none). A compressed answer carries them inside an OCTET STRING
 * packed with FastLZ level 1, followed by the uncompressed rest.
 */
#include "logikam4-tlv.h"

#include <string.h>

#include <glib/gi18n-lib.h>

gboolean
m4_tlv_read (LersByteReader *reader, M4Tlv *tlv, GError **error)
{
  guint8 b;
  gsize len = 0;

  if (!lers_byte_reader_read_u8 (reader, &tlv->tag, error))
    return FALSE;
  if (!lers_byte_reader_read_u8 (reader, &b, error))
    return FALSE;
  if (b < 0x80)
    len = b;
  else
    {
      guint n = b & 0x7F;

      if (n == 0 || n > 4)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("M4 element 0x%02x: a length of %u length bytes"), tlv->tag, n);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          if (!lers_byte_reader_read_u8 (reader, &b, error))
            return FALSE;
          len = len << 8 | b;
        }
    }
  if (len > lers_byte_reader_get_remaining (reader))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("M4 element 0x%02x of %lu bytes, only %lu left"), tlv->tag, (gulong) len,
                   (gulong) lers_byte_reader_get_remaining (reader));
      return FALSE;
    }
  tlv->len = len;
  return lers_byte_reader_read_bytes (reader, len, &tlv->value, error);
}

static gfloat
float_le (const guint8 *p)
{
  guint32 u = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
  gfloat f;

  memcpy (&f, &u, sizeof f);
  return f;
}

static gdouble
double_le (const guint8 *p)
{
  guint64 u = 0;
  gdouble d;

  for (gint i = 7; i >= 0; i--)
    u = u << 8 | p[i];
  memcpy (&d, &u, sizeof d);
  return d;
}

/* IntU, IntS, IEEEFloat and MIXED as a number; anything else is an error */
gboolean
m4_tlv_get_number (const M4Tlv *tlv, gdouble *value, GError **error)
{
  switch (tlv->tag)
    {
    case M4_TAG_INTU:
    case M4_TAG_INTS:
      {
        guint64 u = 0;

        if (tlv->len < 1 || tlv->len > 8)
          break;
        for (gsize i = tlv->len; i > 0; i--)
          u = u << 8 | tlv->value[i - 1];
        if (tlv->tag == M4_TAG_INTS && tlv->len < 8 && (tlv->value[tlv->len - 1] & 0x80))
          u |= ~(guint64) 0 << (8 * tlv->len);
        *value = tlv->tag == M4_TAG_INTS ? (gdouble) (gint64) u : (gdouble) u;
        return TRUE;
      }
    case M4_TAG_FLOAT:
      if (tlv->len == 4)
        {
          *value = float_le (tlv->value);
          return TRUE;
        }
      if (tlv->len == 8)
        {
          *value = double_le (tlv->value);
          return TRUE;
        }
      break;
    case M4_TAG_MIXED:
      /* §2.4.2: a 32-bit integer part and an IEEE 754 fraction */
      if (tlv->len == 8 || tlv->len == 12)
        {
          gint32 i = (gint32) ((guint32) tlv->value[0] | (guint32) tlv->value[1] << 8
                               | (guint32) tlv->value[2] << 16 | (guint32) tlv->value[3] << 24);

          *value = (gdouble) i
                   + (tlv->len == 8 ? float_le (tlv->value + 4) : double_le (tlv->value + 4));
          return TRUE;
        }
      break;
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("M4 element 0x%02x is not a number"), tlv->tag);
      return FALSE;
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("M4 element 0x%02x with %lu bytes"),
               tlv->tag, (gulong) tlv->len);
  return FALSE;
}

/* FLAGS: bit 0 of the first byte is flag 0 (§2.4.5) */
gboolean
m4_tlv_flag_is_set (const M4Tlv *tlv, guint bit)
{
  if (tlv->tag != M4_TAG_FLAGS || bit / 8 >= tlv->len)
    return FALSE;
  return (tlv->value[bit / 8] >> (bit % 8)) & 1;
}

/* an ASCIIString (Windows-1251) as UTF-8 */
gchar *
m4_tlv_get_text (const M4Tlv *tlv)
{
  g_autofree gchar *text = g_convert ((const gchar *) tlv->value, (gssize) tlv->len, "UTF-8",
                                      "CP1251", NULL, NULL, NULL);

  if (text == NULL)
    return g_utf8_make_valid ((const gchar *) tlv->value, (gssize) tlv->len);
  return g_steal_pointer (&text);
}

const gchar *
m4_tag_name (guint8 tag)
{
  switch (tag)
    {
    case M4_TAG_OCTET_STRING:
      return "OCTET STRING";
    case M4_TAG_NULL:
      return "NULL";
    case M4_TAG_ASCII:
      return "ASCIIString";
    case M4_TAG_SEQUENCE:
      return "SEQUENCE";
    case M4_TAG_INTU:
      return "IntU";
    case M4_TAG_INTS:
      return "IntS";
    case M4_TAG_FLOAT:
      return "IEEEFloat";
    case M4_TAG_MIXED:
      return "MIXED";
    case M4_TAG_OPERATIVE:
      return "Operative";
    case M4_TAG_ACK:
      return "ACK";
    case M4_TAG_TIME:
      return "TIME";
    case M4_TAG_DATE:
      return "DATE";
    case M4_TAG_ARCHDATE:
      return "ARCHDATE";
    case M4_TAG_PNUM:
      return "PNUM";
    case M4_TAG_FLAGS:
      return "FLAGS";
    case M4_TAG_ERR:
      return "ERR";
    default:
      return "unknown";
    }
}

/* ARCHDATE YY MM DD hh mm ss ms_lo ms_hi (truncated from the end), TIME
 * ss/256 ss mm hh, DATE dd mm yy dw (§2.4.4, §3.5) */
gboolean
m4_archdate_parse (const M4Tlv *tlv, M4Date *date, GError **error)
{
  const guint8 *v = tlv->value;

  memset (date, 0, sizeof *date);
  date->year = 2000;
  date->month = 1;
  date->day = 1;
  switch (tlv->tag)
    {
    case M4_TAG_ARCHDATE:
      if (tlv->len > 8)
        break;
      date->n_fields = (guint) tlv->len;
      if (tlv->len > 0)
        date->year = 2000 + v[0];
      if (tlv->len > 1)
        date->month = v[1];
      if (tlv->len > 2)
        date->day = v[2];
      if (tlv->len > 3)
        date->hour = v[3];
      if (tlv->len > 4)
        date->minute = v[4];
      if (tlv->len > 5)
        date->second = v[5];
      if (tlv->len > 7)
        date->ms = v[6] | v[7] << 8;
      goto check;
    case M4_TAG_TIME:
      if (tlv->len != 4)
        break;
      date->second = v[1];
      date->minute = v[2];
      date->hour = v[3];
      date->ms = v[0] * 1000 / 256;
      date->n_fields = 8;
      goto check;
    case M4_TAG_DATE:
      if (tlv->len != 4)
        break;
      date->day = v[0];
      date->month = v[1];
      date->year = 2000 + v[2];
      date->n_fields = 3;
      goto check;
    default:
      break;
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               _ ("M4 element 0x%02x with %lu bytes is not a date"), tlv->tag, (gulong) tlv->len);
  return FALSE;

check:
  if (date->month < 1 || date->month > 12 || date->day < 1
      || date->day > g_date_get_days_in_month ((GDateMonth) date->month, (GDateYear) date->year)
      || date->hour > 23 || date->minute > 59 || date->second > 59 || date->ms > 999)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("invalid M4 date %04d-%02d-%02d %02d:%02d:%02d"), date->year, date->month,
                   date->day, date->hour, date->minute, date->second);
      return FALSE;
    }
  return TRUE;
}

GArray *
m4_tlv_parse_all (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (M4Tlv));
  LersByteReader reader;

  lers_byte_reader_init (&reader, data, len);
  while (lers_byte_reader_get_remaining (&reader) > 0)
    {
      M4Tlv tlv;

      if (!m4_tlv_read (&reader, &tlv, error))
        return NULL;
      g_array_append_val (items, tlv);
    }
  return g_steal_pointer (&items);
}

static void
m4_archive_record_free (M4ArchiveRecord *record)
{
  g_clear_pointer (&record->items, g_array_unref);
  g_free (record);
}

void
m4_archive_reply_free (M4ArchiveReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->records, g_ptr_array_unref);
  g_clear_pointer (&reply->data, g_bytes_unref);
  g_free (reply);
}

/* @data: the body after FNC 61 */
M4ArchiveReply *
m4_archive_reply_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (M4ArchiveReply) reply = g_new0 (M4ArchiveReply, 1);
  LersByteReader reader;
  const guint8 *p;
  gsize n;

  reply->records = g_ptr_array_new_with_free_func ((GDestroyNotify) m4_archive_record_free);
  if (len > 0 && data[0] == M4_TAG_OCTET_STRING)
    {
      M4Tlv packed;
      g_autoptr (GBytes) plain = NULL;
      g_autoptr (GByteArray) joined = g_byte_array_new ();
      gsize plain_len = 0;
      const guint8 *plain_data;

      lers_byte_reader_init (&reader, data, len);
      if (!m4_tlv_read (&reader, &packed, error))
        return NULL;
      plain = m4_flz_decompress (packed.value, packed.len, error);
      if (plain == NULL)
        {
          g_prefix_error (error, _ ("compressed archive answer: "));
          return NULL;
        }
      plain_data = g_bytes_get_data (plain, &plain_len);
      g_byte_array_append (joined, plain_data, (guint) plain_len);
      g_byte_array_append (joined, data + reader.pos, (guint) (len - reader.pos));
      reply->data = g_byte_array_free_to_bytes (g_steal_pointer (&joined));
      reply->compressed = TRUE;
    }
  else
    reply->data = g_bytes_new (data, len);

  p = g_bytes_get_data (reply->data, &n);
  lers_byte_reader_init (&reader, p, n);
  for (;;)
    {
      M4Tlv date, seq;
      M4Date when;

      if (lers_byte_reader_get_remaining (&reader) == 0)
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("archive answer without the closing date"));
          return NULL;
        }
      if (!m4_tlv_read (&reader, &date, error) || !m4_tlv_read (&reader, &seq, error))
        return NULL;
      if (date.tag != M4_TAG_ARCHDATE || seq.tag == M4_TAG_ARCHDATE)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("archive answer: expected ARCHDATE and SEQUENCE, got 0x%02x and 0x%02x"),
                       date.tag, seq.tag);
          return NULL;
        }
      if (seq.tag != M4_TAG_SEQUENCE)
        {
          /* an asynchronous archive's record (settings changes, events):
           * ARCHDATE and one element, an ASCIIString (the recorded
           * СПТ943.3's settings archive) */
          M4ArchiveRecord *record = g_new0 (M4ArchiveRecord, 1);

          g_ptr_array_add (reply->records, record);
          record->items = g_array_new (FALSE, FALSE, sizeof (M4Tlv));
          g_array_append_val (record->items, seq);
          if (!m4_archdate_parse (&date, &record->date, error))
            return NULL;
          continue;
        }
      if (seq.len == 0)
        {
          /* Date(+1): where the next record is, or nothing */
          if (date.len > 0)
            {
              if (!m4_archdate_parse (&date, &reply->next, error))
                return NULL;
              reply->has_next = TRUE;
            }
          break;
        }
      if (!m4_archdate_parse (&date, &when, error))
        return NULL;
      {
        M4ArchiveRecord *record = g_new0 (M4ArchiveRecord, 1);

        record->date = when;
        g_ptr_array_add (reply->records, record);
        record->items = m4_tlv_parse_all (seq.value, seq.len, error);
        if (record->items == NULL)
          return NULL;
      }
    }
  if (lers_byte_reader_get_remaining (&reader) > 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("%lu bytes after the end of an archive answer"),
                   (gulong) lers_byte_reader_get_remaining (&reader));
      return NULL;
    }
  return g_steal_pointer (&reply);
}

/*
 * FastLZ level 1, written from the format description (ariya/FastLZ,
 * "Block format"): the first byte's top 3 bits are the level (0 = level 1);
 * then instructions, each opened by a control byte:
 *   000nnnnn                  a literal run of n+1 bytes that follow
 *   LLLooooo [l] oooooooo     a match: length L+2 (L = 7: 9 + the extra
 *                             byte l), from offset (o + 1) bytes back
 */
GBytes *
m4_flz_decompress (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gsize ip = 0;
  guint ctrl;

  if (len == 0)
    return g_bytes_new (NULL, 0);
  if ((data[0] >> 5) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("FastLZ level %u is not supported"), (data[0] >> 5) + 1u);
      return NULL;
    }
  ctrl = data[ip++] & 31;
  for (;;)
    {
      if (ctrl >= 32)
        {
          gsize n = (ctrl >> 5) - 1;
          gsize ofs = (ctrl & 31) << 8;
          gssize ref;

          if (n == 6)
            {
              if (ip >= len)
                goto truncated;
              n += data[ip++];
            }
          if (ip >= len)
            goto truncated;
          ref = (gssize) out->len - (gssize) ofs - data[ip++] - 1;
          n += 3;
          if (ref < 0)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("FastLZ match before the start of the output"));
              return NULL;
            }
          if (out->len + n > M4_FLZ_MAX_OUTPUT)
            goto too_long;
          for (gsize i = 0; i < n; i++)
            {
              guint8 b = out->data[ref + (gssize) i];
              g_byte_array_append (out, &b, 1);
            }
        }
      else
        {
          gsize n = ctrl + 1;

          if (ip + n > len)
            goto truncated;
          if (out->len + n > M4_FLZ_MAX_OUTPUT)
            goto too_long;
          g_byte_array_append (out, data + ip, (guint) n);
          ip += n;
        }
      if (ip >= len)
        break;
      ctrl = data[ip++];
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

truncated:
  g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("truncated FastLZ data"));
  return NULL;
too_long:
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               _ ("FastLZ data expands beyond %u bytes"), M4_FLZ_MAX_OUTPUT);
  return NULL;
}

static void
flz_flush_literals (GByteArray *out, const guint8 *data, gsize from, gsize to)
{
  while (from < to)
    {
      gsize n = MIN (to - from, 32);
      guint8 ctrl = (guint8) (n - 1);

      g_byte_array_append (out, &ctrl, 1);
      g_byte_array_append (out, data + from, (guint) n);
      from += n;
    }
}

/* A plain greedy FastLZ level 1 packer (the simulator's answers): the
 * longest earlier match of 3..264 bytes within 8192 bytes, else literals. */
GBytes *
m4_flz_compress (const guint8 *data, gsize len)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  gsize ip = 0, anchor = 0;

  while (ip < len)
    {
      gsize best_len = 0, best_dist = 0;

      /* the first instruction must be a literal run */
      for (gsize d = 1; ip > 0 && d <= ip && d <= 8192; d++)
        {
          gsize l = 0;

          while (ip + l < len && l < 264 && data[ip + l - d] == data[ip + l])
            l++;
          if (l > best_len)
            {
              best_len = l;
              best_dist = d;
            }
        }
      if (best_len >= 3)
        {
          gsize ofs = best_dist - 1;
          gsize l = best_len - 2;
          guint8 b[3];
          guint nb = 0;

          flz_flush_literals (out, data, anchor, ip);
          if (l < 7)
            b[nb++] = (guint8) ((l << 5) | (ofs >> 8));
          else
            {
              b[nb++] = (guint8) ((7 << 5) | (ofs >> 8));
              b[nb++] = (guint8) (l - 7);
            }
          b[nb++] = (guint8) (ofs & 0xFF);
          g_byte_array_append (out, b, nb);
          ip += best_len;
          anchor = ip;
        }
      else
        ip++;
    }
  flz_flush_literals (out, data, anchor, len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
append_length (GByteArray *out, gsize len)
{
  guint8 b[5];
  guint n = 0;

  if (len < 0x80)
    {
      b[0] = (guint8) len;
      g_byte_array_append (out, b, 1);
      return;
    }
  b[0] = len > 0xFFFF ? 0x83 : len > 0xFF ? 0x82 : 0x81;
  n = b[0] & 0x7F;
  for (guint i = 0; i < n; i++)
    b[1 + i] = (guint8) (len >> (8 * (n - 1 - i)));
  g_byte_array_append (out, b, n + 1);
}

void
m4_tlv_append (GByteArray *out, guint8 tag, const guint8 *value, gsize len)
{
  g_byte_array_append (out, &tag, 1);
  append_length (out, len);
  if (len > 0)
    g_byte_array_append (out, value, (guint) len);
}

void
m4_tlv_append_intu (GByteArray *out, guint32 value)
{
  guint8 v[4] = { value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF, value >> 24 };

  m4_tlv_append (out, M4_TAG_INTU, v, 4);
}

static void
put_float (guint8 *p, gfloat value)
{
  guint32 u;

  memcpy (&u, &value, sizeof u);
  p[0] = u & 0xFF;
  p[1] = (u >> 8) & 0xFF;
  p[2] = (u >> 16) & 0xFF;
  p[3] = u >> 24;
}

void
m4_tlv_append_float (GByteArray *out, gfloat value)
{
  guint8 v[4];

  put_float (v, value);
  m4_tlv_append (out, M4_TAG_FLOAT, v, 4);
}

void
m4_tlv_append_mixed (GByteArray *out, gint32 int_part, gfloat frac_part)
{
  guint8 v[8];
  guint32 u = (guint32) int_part;

  v[0] = u & 0xFF;
  v[1] = (u >> 8) & 0xFF;
  v[2] = (u >> 16) & 0xFF;
  v[3] = u >> 24;
  put_float (v + 4, frac_part);
  m4_tlv_append (out, M4_TAG_MIXED, v, 8);
}

void
m4_tlv_append_pnum (GByteArray *out, guint8 channel, guint16 number)
{
  guint8 v[3] = { channel, number & 0xFF, number >> 8 };

  m4_tlv_append (out, M4_TAG_PNUM, v, 3);
}

void
m4_tlv_append_archdate (GByteArray *out, const M4Date *date, guint n_fields)
{
  guint8 v[8] = { (guint8) (date->year - 2000), (guint8) date->month,    (guint8) date->day,
                  (guint8) date->hour,          (guint8) date->minute,   (guint8) date->second,
                  (guint8) (date->ms & 0xFF),   (guint8) (date->ms >> 8) };

  m4_tlv_append (out, M4_TAG_ARCHDATE, v, MIN (n_fields, 8));
}

void
m4_tlv_append_flags (GByteArray *out, const guint8 *bits, gsize n_bytes)
{
  m4_tlv_append (out, M4_TAG_FLAGS, bits, n_bytes);
}
