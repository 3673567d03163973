/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One ВКТ-7 frame as JSON, for `lers decode vkt7 FILE`. */
#include "vkt7-json.h"

#include "vkt7-frame.h"

static void
append_hex (GString *out, const guint8 *p, gsize n)
{
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%s%02X", i > 0 ? " " : "", p[i]);
}

/* one frame as JSON: a reply if it parses as one, else a request; two FF
 * wake-up bytes in front are skipped */
gchar *
vkt7_decode_json (const guint8 *buf, gsize len, GError **error)
{
  g_autoptr (GString) out = g_string_new ("{\n");
  g_autoptr (GError) reply_error = NULL;
  Vkt7Frame f;
  gsize ff = 0;

  while (ff < len && buf[ff] == 0xFF)
    ff++;
  buf += ff, len -= ff;
  g_string_append_printf (out, "  \"wake_up_bytes\" : %" G_GSIZE_FORMAT ",\n", ff);
  if (vkt7_parse_reply (buf, len, &f, &reply_error))
    {
      g_string_append_printf (out, "  \"frame\" : \"reply\",\n  \"address\" : %u,\n", f.address);
      g_string_append_printf (out, "  \"function\" : %u,\n", f.function);
      if (f.exception)
        g_string_append_printf (out, "  \"exception\" : %u,\n  \"meaning\" : \"%s\"\n}", f.code,
                                vkt7_exception_text (f.code));
      else if (f.function == VKT7_FN_READ)
        {
          g_string_append_printf (out, "  \"length\" : %" G_GSIZE_FORMAT ",\n  \"data\" : \"",
                                  f.data_len);
          append_hex (out, f.data, f.data_len);
          g_string_append (out, "\"\n}");
        }
      else
        g_string_append_printf (out, "  \"register\" : %u,\n  \"count\" : %u\n}", f.reg, f.count);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  if (vkt7_parse_request (buf, len, &f, NULL))
    {
      g_string_append_printf (out, "  \"frame\" : \"request\",\n  \"address\" : %u,\n", f.address);
      g_string_append_printf (out, "  \"function\" : %u,\n  \"register\" : %u,\n", f.function,
                              f.reg);
      g_string_append_printf (out, "  \"count\" : %u,\n  \"data\" : \"", f.count);
      append_hex (out, f.data, f.data_len);
      g_string_append (out, "\"\n}");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_propagate_error (error, g_steal_pointer (&reply_error));
  return NULL;
}
