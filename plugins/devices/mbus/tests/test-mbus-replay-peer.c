/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The replay peer: a memory transport answers the session's SND_NKE with
 * E5 and its REQ_UD2 with a frame of ../shared/conformance/libmbus (one
 * test case per frame with a .norm.xml). The session's CURRENT read must
 * give, channel by channel, the values libmbus printed in the .norm.xml,
 * normalised to LERS units by the table below (worked out from the units
 * libmbus prints, not by the driver's code):
 *
 *   Energy Wh → Q_in Gcal (÷ 1.163e6), heat meters only
 *   Power W → heat power Gcal/h (÷ 1.163e6), heat meters only
 *   Volume m^3 → V_in m³;  Volume flow m^3/h → flow m³/h
 *   Flow / Return temperature °C → T_in / T_out;  Temperature difference K → ΔT
 *   Energy J → Q_in Gcal (÷ 4.1868e9);  Mass kg → M_in t (÷ 1000)
 *   On time / Operating time s → normal operation h (÷ 3600)
 *
 * A missing Tariff or Device element means 0. libmbus prints six decimals:
 * values agree within 1e-6 relative or 1e-6 of libmbus's unit.
 *
 * Only instantaneous values of storage 0 and tariff 0 become current
 * values; the first of each quantity per subunit (channel) wins.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"
#include "lers-mbus-session.h"
#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-test-util.h"

/* the normalisation table of the header comment; FALSE for a quantity
 * that is no LERS current value */
static gboolean
ref_to_parameter (const MbusTestRefRecord *ref, gboolean heat, LersParameter *p, gdouble *factor)
{
  static const struct
  {
    const gchar *quantity;
    const gchar *unit;
    LersParameter parameter;
    gdouble factor;
    gboolean heat_only;
  } table[] = {
    { "Energy", "Wh", LERS_PARAMETER_Q_IN, 1.0 / 1.163e6, TRUE },
    { "Power", "W", LERS_PARAMETER_HEAT_POWER, 1.0 / 1.163e6, TRUE },
    { "Volume", "m^3", LERS_PARAMETER_V_IN, 1.0, FALSE },
    { "Volume flow", "m^3/h", LERS_PARAMETER_FLOW_V_IN, 1.0, FALSE },
    { "Flow temperature", "°C", LERS_PARAMETER_T_IN, 1.0, FALSE },
    { "Return temperature", "°C", LERS_PARAMETER_T_OUT, 1.0, FALSE },
    { "Temperature difference", "K", LERS_PARAMETER_T_DELTA, 1.0, FALSE },
    { "Energy", "J", LERS_PARAMETER_Q_IN, 1.0 / 4.1868e9, TRUE },
    { "Mass", "kg", LERS_PARAMETER_M_IN, 1.0 / 1000.0, FALSE },
    { "On time", "s", LERS_PARAMETER_NORMAL_OPERATION_DURATION, 1.0 / 3600.0, FALSE },
    { "Operating time", "s", LERS_PARAMETER_NORMAL_OPERATION_DURATION, 1.0 / 3600.0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (ref->quantity, table[i].quantity) == 0
        && g_strcmp0 (ref->unit, table[i].unit) == 0 && (heat || !table[i].heat_only))
      {
        *p = table[i].parameter;
        *factor = table[i].factor;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  GPtrArray *answers;
  guint n;
} Answers;

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Answers *a = user_data;
  guint i = a->n++;

  if (i < a->answers->len)
    lers_memory_transport_push_input (transport, g_ptr_array_index (a->answers, i));
}

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* the frame's end when it asks for more (DIF 1F): the next telegram, with
 * the same header, the next access number and no records */
static GBytes *
last_telegram (const MbusFrame *frame)
{
  gsize n = 0;
  const guint8 *user = g_bytes_get_data (frame->data, &n);
  guint8 header[12];

  if (frame->ci != MBUS_CI_RESPONSE_LONG || n < 12)
    return NULL;
  memcpy (header, user, 12);
  header[8]++;
  return mbus_frame_build_long (frame->c, frame->a, frame->ci, header, 12);
}

/* Returns NULL when the session's CURRENT read matches the reference */
static gchar *
replay_one (const gchar *hex_path, const gchar *norm_path, guint *n_values)
{
  g_autoptr (GBytes) frame_bytes = mbus_test_load_hex (hex_path);
  g_autoptr (MbusFrame) frame = NULL;
  g_autoptr (MbusData) data = NULL;
  g_autofree gchar *medium = NULL;
  g_autoptr (GPtrArray) ref = mbus_test_ref_load (norm_path, &medium);
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *address = NULL;
  GAsyncResult *result = NULL;
  Answers a = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref), 0 };
  gboolean heat = medium != NULL && g_str_has_prefix (medium, "Heat");
  gboolean has[4][LERS_PARAMETER_LAST + 1] = { { FALSE } };
  gchar *why = NULL;

  frame = mbus_frame_parse (g_bytes_get_data (frame_bytes, NULL), g_bytes_get_size (frame_bytes),
                            &error);
  ck_assert_msg (frame != NULL, "%s: %s", hex_path, error ? error->message : "");
  data = mbus_data_decode_frame (frame, &error);
  ck_assert_msg (data != NULL, "%s: %s", hex_path, error ? error->message : "");
  g_ptr_array_add (a.answers, mbus_hex_to_bytes ("E5", NULL));
  g_ptr_array_add (a.answers, g_bytes_ref (frame_bytes));
  if (data->more_follows)
    {
      GBytes *end = last_telegram (frame);
      if (end != NULL)
        g_ptr_array_add (a.answers, end);
    }
  lers_transport_set_clock (transport, clock);
  g_signal_connect (transport, "written", G_CALLBACK (written_cb), &a);
  ck_assert (lers_transport_open_sync (transport, NULL, NULL));
  address = g_strdup_printf ("%u", frame->a <= 250 ? frame->a : 0);
  lers_device_set_network_address (device, address);
  lers_device_set_option (device, "retries", "0");
  session = lers_mbus_session_new (transport, device);
  lers_device_session_open_async (session, NULL, wait_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!lers_device_session_open_finish (session, result, &error))
    why = g_strdup_printf ("open: %s", error->message);
  g_clear_object (&result);
  if (why == NULL)
    {
      lers_device_session_read_archive_async (session, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, NULL,
                                              NULL, wait_cb, &result);
      for (guint i = 0; result == NULL && i < 100; i++)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          if (result == NULL)
            lers_clock_advance (clock, 1000);
        }
      ck_assert_ptr_nonnull (result);
      records = lers_device_session_read_archive_finish (session, result, &error);
      g_clear_object (&result);
      if (records == NULL)
        why = g_strdup_printf ("read: %s", error->message);
    }
  /* every reference value the table maps is in the session's record of
   * its channel, the first of its kind per channel */
  for (guint j = 0; why == NULL && j < ref->len && j < data->records->len; j++)
    {
      const MbusTestRefRecord *r = g_ptr_array_index (ref, j);
      const MbusRecord *rec = g_ptr_array_index (data->records, j);
      guint channel = (guint) g_ascii_strtoull (r->device != NULL ? r->device : "0", NULL, 10);
      guint8 vif = rec->vif & 0x7F;
      LersParameter p;
      gdouble factor, expected, got = NAN;
      LersRecord *lr = NULL;

      if (g_strcmp0 (r->function, "Instantaneous value") != 0
          || g_strcmp0 (r->storage_number, "0") != 0
          || (r->tariff != NULL && g_strcmp0 (r->tariff, "0") != 0) || channel >= 4
          || !ref_to_parameter (r, heat, &p, &factor) || has[channel][p])
        continue;
      /* a VIFE changes the meaning ("per hour", a limit): not a reading */
      if (rec->n_vife > ((vif == 0x7D || vif == 0x7B) ? 1u : 0u))
        continue;
      has[channel][p] = TRUE;
      expected = g_ascii_strtod (r->value, NULL) * factor;
      for (guint k = 0; k < records->len; k++)
        if (lers_record_get_channel (g_ptr_array_index (records, k)) == channel)
          lr = g_ptr_array_index (records, k);
      if (lr == NULL || !lers_record_get_value (lr, p, &got, NULL))
        why = g_strdup_printf ("record %u (%s %s): no %s on channel %u", j, r->quantity, r->unit,
                               lers_parameter_get_name (p), channel);
      else if (fabs (got - expected) > 1e-6 * fabs (expected)
               && fabs (got - expected) > 1e-6 * factor)
        why = g_strdup_printf ("record %u (%s): %.9g, libmbus %s %s → %.9g", j, r->quantity, got,
                               r->value, r->unit, expected);
      else
        (*n_values)++;
    }
  /* the session gives no value the reference does not have */
  for (guint k = 0; why == NULL && k < records->len; k++)
    {
      LersRecord *lr = g_ptr_array_index (records, k);
      guint ch = lers_record_get_channel (lr);
      for (guint v = 0; why == NULL && v < lers_record_get_n_values (lr); v++)
        {
          LersParameter p;
          gdouble value;
          gboolean mapped = FALSE;

          lers_record_get_value_at (lr, v, &p, &value, NULL);
          for (guint q = 0; q <= LERS_PARAMETER_LAST; q++)
            mapped |= (q == (guint) p && has[ch][q]);
          if (!mapped
              && (p == LERS_PARAMETER_Q_IN || p == LERS_PARAMETER_V_IN || p == LERS_PARAMETER_T_IN
                  || p == LERS_PARAMETER_T_OUT || p == LERS_PARAMETER_HEAT_POWER
                  || p == LERS_PARAMETER_FLOW_V_IN || p == LERS_PARAMETER_T_DELTA))
            why = g_strdup_printf ("channel %u: %s %.9g that libmbus does not print", ch,
                                   lers_parameter_get_name (p), value);
        }
    }
  g_ptr_array_unref (a.answers);
  return why;
}

START_TEST (test_replay_peer)
{
  g_autofree gchar *dir = g_build_filename (MBUS_CONFORMANCE_DIR, "test-frames", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) failures = g_string_new (NULL);
  const gchar *name;
  guint n_cases = 0, n_values = 0, n_failed = 0;

  mbus_test_register_types ();
  ck_assert_msg (d != NULL, "cannot open %s", dir);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".hex"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *hex_name = g_ptr_array_index (names, i);
      g_autofree gchar *base = g_strndup (hex_name, strlen (hex_name) - 4);
      g_autofree gchar *norm_name = g_strconcat (base, ".norm.xml", NULL);
      g_autofree gchar *norm = g_build_filename (dir, norm_name, NULL);
      g_autofree gchar *hex_path = g_build_filename (dir, hex_name, NULL);
      g_autofree gchar *why = NULL;

      if (!g_file_test (norm, G_FILE_TEST_EXISTS))
        continue;
      n_cases++;
      why = replay_one (hex_path, norm, &n_values);
      if (why != NULL)
        {
          n_failed++;
          g_string_append_printf (failures, "%s: %s\n", hex_name, why);
        }
    }
  g_print ("replay peer: %u frames, %u current values as libmbus printed them, %u differ\n",
           n_cases, n_values, n_failed);
  ck_assert_uint_ge (n_cases, 70);
  ck_assert_msg (n_failed == 0, "%s", failures->str);
  ck_assert_uint_gt (n_values, 20);
  ck_assert_msg (n_failed == 0, "%s", failures->str);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-replay-peer");
  TCase *tc = tcase_create ("libmbus-frames");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_replay_peer);
  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
