/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the ВКТ-7 decoders: the reply and request scanners and parsers,
 * the JSON of `lers decode`, and the data section read as properties (both
 * server versions), as an active list, and as values of a read-list taken
 * from the input's first bytes.
 */
#include "vkt7-data.h"
#include "vkt7-frame.h"
#include "vkt7-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
fuzz_data (const guint8 *data, gsize size)
{
  Vkt7Properties props;
  g_autoptr (GArray) active = NULL;
  gsize n_items;

  vkt7_properties_init (&props);
  props.server_version = 0;
  vkt7_properties_parse (&props, data, size, NULL);
  props.server_version = 1;
  vkt7_properties_parse (&props, data, size, NULL);
  active = vkt7_active_parse (data, size - size % 6, NULL);
  (void) active;
  /* the first byte: how many list entries (6 bytes each) follow */
  n_items = size > 0 ? MIN ((gsize) data[0] % 16, (size - 1) / 6) : 0;
  if (n_items > 0)
    {
      g_autoptr (GArray) items = vkt7_active_parse (data + 1, n_items * 6, NULL);
      if (items != NULL)
        {
          gsize off = 1 + n_items * 6;
          g_autoptr (GArray) values = vkt7_values_parse (&props, (Vkt7Item *) items->data,
                                                         items->len, data + off, size - off, NULL);
          (void) values;
        }
    }
  vkt7_properties_clear (&props);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  Vkt7Frame f;
  gssize n;
  g_autofree gchar *json = NULL;

  n = vkt7_scan_reply (data, size);
  if (n > 0 && (gsize) n <= size && vkt7_parse_reply (data, (gsize) n, &f, NULL) && !f.exception
      && f.data != NULL)
    fuzz_data (f.data, f.data_len);
  n = vkt7_scan_request (data, size);
  if (n > 0 && (gsize) n <= size)
    vkt7_parse_request (data, (gsize) n, &f, NULL);
  json = vkt7_decode_json (data, size, NULL);
  fuzz_data (data, size);
  return 0;
}
