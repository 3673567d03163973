/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `lers decode tv7 FILE`: one frame as JSON. A reply carries no address of
 * its block, so it is read by its length: 6 bytes the clock, 284 an
 * archive record, 274 the block at 0x1E88 or 0x1D88 (both readings given).
 */
#include <math.h>

#include "tv7-json.h"

#include "tv7-data.h"
#include "tv7-frame.h"

static void
num (GString *out, const gchar *key, gdouble v)
{
  if (isfinite (v))
    g_string_append_printf (out, ",\n  \"%s\" : %.6g", key, v);
  else
    g_string_append_printf (out, ",\n  \"%s\" : null", key);
}

static void
put_current (GString *out, const guint8 *data, gsize n)
{
  Tv7Current cur;
  static const gchar *const tv[2] = { "tv1", "tv2" };

  if (!tv7_current_decode (data, n, &cur, NULL))
    return;
  g_string_append_printf (out, ",\n  \"current_clock\" : \"20%02u-%02u-%02u %02u:%02u:%02u\"",
                          cur.clock.year % 100, cur.clock.month % 100, cur.clock.day % 100,
                          cur.clock.hour % 100, cur.clock.minute % 100, cur.clock.second % 100);
  for (guint c = 0; c < 2; c++)
    for (guint i = 0; i < 3; i++)
      {
        g_autofree gchar *t = g_strdup_printf ("current_%s_t%u", tv[c], i + 1);
        g_autofree gchar *p = g_strdup_printf ("current_%s_p%u", tv[c], i + 1);
        g_autofree gchar *gv = g_strdup_printf ("current_%s_gv%u", tv[c], i + 1);
        g_autofree gchar *gm = g_strdup_printf ("current_%s_gm%u", tv[c], i + 1);
        num (out, t, cur.t[c][i]);
        num (out, p, cur.p[c][i]);
        num (out, gv, cur.gv[c][i]);
        num (out, gm, cur.gm[c][i]);
      }
}

static void
put_totals (GString *out, const guint8 *data, gsize n)
{
  Tv7Totals tot;
  static const gchar *const tv[2] = { "tv1", "tv2" };

  if (!tv7_totals_decode (data, n, &tot, NULL))
    return;
  for (guint c = 0; c < 2; c++)
    {
      g_autofree gchar *q = g_strdup_printf ("totals_%s_q", tv[c]);
      g_autofree gchar *vnr = g_strdup_printf ("totals_%s_vnr_h", tv[c]);
      g_autofree gchar *vos = g_strdup_printf ("totals_%s_vos_h", tv[c]);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree gchar *v = g_strdup_printf ("totals_%s_v%u", tv[c], i + 1);
          g_autofree gchar *m = g_strdup_printf ("totals_%s_m%u", tv[c], i + 1);
          num (out, v, tot.v[c][i]);
          num (out, m, tot.m[c][i]);
        }
      num (out, q, tot.q_tv[c]);
      num (out, vnr, tot.counters[c][TV7_COUNTER_VNR]);
      num (out, vos, tot.counters[c][TV7_COUNTER_VOS]);
    }
}

static void
put_archive (GString *out, const guint8 *data, gsize n)
{
  Tv7Archive a;
  g_autoptr (GError) error = NULL;
  static const gchar *const tv[2] = { "tv1", "tv2" };

  if (!tv7_archive_decode (data, n, &a, &error))
    {
      g_autofree gchar *msg = g_strescape (error->message, NULL);
      g_string_append_printf (out, ",\n  \"archive_error\" : \"%s\"", msg);
      return;
    }
  g_string_append_printf (out, ",\n  \"archive_stamp\" : \"20%02u-%02u-%02u %02u\"", a.year,
                          a.month, a.day, a.hour);
  for (guint c = 0; c < 2; c++)
    {
      for (guint i = 0; i < 3; i++)
        {
          g_autofree gchar *t = g_strdup_printf ("%s_t%u", tv[c], i + 1);
          g_autofree gchar *p = g_strdup_printf ("%s_p%u", tv[c], i + 1);
          g_autofree gchar *v = g_strdup_printf ("%s_v%u", tv[c], i + 1);
          g_autofree gchar *m = g_strdup_printf ("%s_m%u", tv[c], i + 1);
          num (out, t, a.t[c][i]);
          num (out, p, a.p[c][i]);
          num (out, v, a.v[c][i]);
          num (out, m, a.m[c][i]);
        }
      {
        g_autofree gchar *dt = g_strdup_printf ("%s_dt", tv[c]);
        g_autofree gchar *q = g_strdup_printf ("%s_q", tv[c]);
        g_autofree gchar *vnr = g_strdup_printf ("%s_vnr_min", tv[c]);
        g_autofree gchar *vos = g_strdup_printf ("%s_vos_min", tv[c]);
        num (out, dt, a.dt[c]);
        num (out, q, a.q_tv[c]);
        num (out, vnr, a.vnr[c]);
        num (out, vos, a.vos[c]);
      }
    }
}

gchar *
tv7_json_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GBytes) decoded = NULL;
  g_autoptr (Tv7Frame) frame = NULL;
  g_autoptr (GString) out = g_string_new ("{");
  const guint8 *d;
  gsize n = 0;

  if (tv7_looks_like_hex (data, len))
    {
      g_autofree gchar *text = g_strndup ((const gchar *) data, len);
      decoded = tv7_hex_to_bytes (text, error);
      if (decoded == NULL)
        return NULL;
      data = g_bytes_get_data (decoded, &len);
    }
  /* a request is told from a reply by its length: 14 + BC + 2 */
  if (len >= 16 && len >= 12 && data[1] == TV7_FN_BLOCK
      && (gsize) (TV7_REQUEST_HEADER + (data[10] << 8 | data[11]) + 2) == len
      && (frame = tv7_request_parse (data, len, NULL)) != NULL)
    {
      d = g_bytes_get_data (frame->data, &n);
      g_string_append_printf (out,
                              "\n  \"frame\" : \"request\",\n  \"address\" : %u,\n"
                              "  \"read_start\" : \"0x%04X\",\n  \"read_words\" : %u,\n"
                              "  \"write_start\" : \"0x%04X\",\n  \"write_words\" : %u,\n"
                              "  \"request_id\" : %u",
                              frame->address, frame->read_start, frame->read_words,
                              frame->write_start, frame->write_words, frame->request_id);
      if (n == 12)
        g_string_append_printf (out,
                                ",\n  \"archive_month\" : %u,\n  \"archive_day\" : %u,\n"
                                "  \"archive_hour\" : %u,\n  \"archive_year\" : %u,\n"
                                "  \"archive_type\" : %u",
                                d[0], d[1], d[2], d[3], d[7]);
      g_string_append (out, "\n}");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  frame = tv7_reply_parse (data, len, error);
  if (frame == NULL)
    return NULL;
  d = g_bytes_get_data (frame->data, &n);
  g_string_append_printf (out, "\n  \"frame\" : \"%s\",\n  \"address\" : %u",
                          frame->function == TV7_FN_BLOCK ? "reply" : "error", frame->address);
  if (frame->function != TV7_FN_BLOCK)
    {
      g_string_append_printf (out, ",\n  \"function\" : %u,\n  \"code\" : %u", frame->function,
                              frame->error_code);
      g_string_append (out, "\n}");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_string_append_printf (out, ",\n  \"request_id\" : %u,\n  \"bytes\" : %" G_GSIZE_FORMAT,
                          frame->request_id, n);
  if (n == TV7_CLOCK_SIZE)
    {
      Tv7Clock c;
      if (tv7_clock_decode (d, n, &c, NULL))
        g_string_append_printf (out, ",\n  \"clock\" : \"20%02u-%02u-%02u %02u:%02u:%02u\"", c.year,
                                c.month, c.day, c.hour, c.minute, c.second);
    }
  else if (n == TV7_ARCHIVE_SIZE)
    put_archive (out, d, n);
  else if (n == TV7_CURRENT_SIZE)
    {
      put_current (out, d, n);
      put_totals (out, d, n);
    }
  g_string_append (out, "\n}");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
