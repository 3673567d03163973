/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The 4L frame parsers, the extended format, the frame description and
 * the record decoders over arbitrary bytes. */
#include <lers.h>

#include "lers-logika4l-driver.h"
#include "logika4l-archive.h"
#include "logika4l-events.h"
#include "logika4l-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  L4lFrame f;
  g_autoptr (GDateTime) t = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  g_autofree gchar *json = NULL;
  gssize n;

  json = l4l_describe_frame (data, size, NULL);
  for (gsize expected = 0; expected <= L4L_MAX_DATA; expected += 4)
    {
      n = l4l_scan (data, size, expected);
      if (n > 0)
        l4l_parse_answer (data, (gsize) n, data[1], size > 2 ? data[2] : 0, expected, &f, NULL);
    }
  n = l4l_scan_extended (data, size);
  if (n > 0)
    l4l_parse_extended (data, (gsize) n, &f, NULL, NULL);
  for (L4lModel m = L4L_MODEL_941; m <= L4L_MODEL_943; m++)
    {
      g_autoptr (LersRecord) r = NULL;
      g_autoptr (LersRecord) c = NULL;
      guint32 mask = 0;
      l4l_decode_record (m, L4L_UNITS_GJ, LERS_ARCHIVE_KIND_HOUR, data, size, t, 0, &mask, &r,
                         NULL);
      l4l_decode_current (m, L4L_UNITS_MWH, data, size, t, 1, &c, NULL);
    }
  {
    g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr (GDateTime) to = g_date_time_new_utc (2030, 1, 1, 0, 0, 0);
    g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
    l4l_events_from_log (L4L_MODEL_943, utc, 0, TRUE, data, size, t, to, events);
  }
  return 0;
}
