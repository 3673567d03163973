/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the Pulsar decoders: the frame scanner and parser, the answer
 * payload decoders and the JSON rendering of `lers decode`. The input is
 * also wrapped, as a payload, in a valid frame of each function so that
 * the payload decoders see arbitrary bytes behind a good CRC.
 */
#include "pulsar-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
fuzz_frame (const guint8 *data, gsize len)
{
  PulsarFrame frame;
  gdouble values[PULSAR_MAX_CHANNELS];
  g_autoptr (GArray) raw = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree gchar *json = NULL;
  PulsarTime start = { 2012, 7, 23, 0, 0, 0 };

  if (!pulsar_frame_parse (data, len, &frame, NULL))
    return;
  json = pulsar_frame_to_json (data, len, NULL);
  g_assert (json != NULL);
  for (guint n = 1; n <= 4; n++)
    (void) pulsar_decode_channels (&frame, n, values, NULL);
  (void) pulsar_decode_archive (&frame, 2, &start, raw, NULL);
  (void) pulsar_decode_archive (&frame, 0, NULL, raw, NULL);
  (void) pulsar_decode_write_status (&frame, NULL);
  if (frame.payload_len >= 6)
    {
      PulsarTime t;
      if (pulsar_time_get (frame.payload, &t, NULL))
        {
          g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
          g_autoptr (GDateTime) dt = pulsar_time_to_date_time (&t, utc);
          (void) dt;
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const guint8 functions[] = { 0x00, 0x01, 0x04, 0x05, 0x06, 0x0A };
  gsize off = 0;

  /* the scanner over the whole input, frame after frame */
  while (off < size)
    {
      gssize n = pulsar_frame_scan (data + off, size - off, NULL);
      if (n < 0)
        {
          off++;
          continue;
        }
      if (n == 0 || (gsize) n > size - off)
        break;
      fuzz_frame (data + off, (gsize) n);
      off += (gsize) n;
    }
  fuzz_frame (data, size);
  if (size <= PULSAR_PAYLOAD_MAX)
    for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
      {
        g_autoptr (GBytes) wrapped = pulsar_frame_build (12345678, functions[i], data, size, 1);
        gsize len = 0;
        const guint8 *p = g_bytes_get_data (wrapped, &len);
        fuzz_frame (p, len);
      }
  return 0;
}
