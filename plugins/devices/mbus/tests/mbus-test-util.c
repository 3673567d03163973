/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: register the plugin's dynamic types without libpeas; the
 * main-loop waits, scripted memory transport and simulator socket pair that
 * the session tests share. */
#include "mbus-test-util.h"

#include <check.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>

#include "lers-mbus-driver.h"
#include "lers-mbus-simulator.h"
#include "lers-mbus-session.h"
#include "mbus-frame.h"

#define MBUS_TYPE_TEST_MODULE (mbus_test_module_get_type ())
G_DECLARE_FINAL_TYPE (MbusTestModule, mbus_test_module, MBUS, TEST_MODULE, GTypeModule)

struct _MbusTestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (MbusTestModule, mbus_test_module, G_TYPE_TYPE_MODULE)

static gboolean
mbus_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
mbus_test_module_unload (GTypeModule *module)
{
}

static void
mbus_test_module_class_init (MbusTestModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = mbus_test_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = mbus_test_module_unload;
}

static void
mbus_test_module_init (MbusTestModule *self)
{
}

/**
 * mbus_test_register_types:
 *
 * Registers the driver and simulator types, once, with a type module that
 * stays loaded for the life of the test program.
 *
 * Since: 0.1
 */
void
mbus_test_register_types (void)
{
  static GTypeModule *module = NULL;

  if (module != NULL)
    return;
  module = g_object_new (MBUS_TYPE_TEST_MODULE, NULL);
  g_type_module_use (module);
  lers_mbus_driver_register (module);
  lers_mbus_simulator_register (module);
  lers_mbus_session_register (module);
}

/**
 * mbus_test_load_hex:
 * @path: a `.hex` file
 *
 * Returns: (transfer full): its bytes; the test fails if it cannot be read
 *
 * Since: 0.1
 */
GBytes *
mbus_test_load_hex (const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  ck_assert_msg (g_file_get_contents (path, &text, NULL, &error), "%s",
                 error != NULL ? error->message : path);
  bytes = mbus_hex_to_bytes (text, &error);
  ck_assert_msg (bytes != NULL, "%s: %s", path, error != NULL ? error->message : "?");
  return bytes;
}

/* runs every pending source of the default main context */
void
mbus_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* a GAsyncReadyCallback that keeps @result in the #MbusTestWait @user_data */
void
mbus_test_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MbusTestWait *w = user_data;
  w->result = g_object_ref (result);
}

/* runs the main context, advancing @clock by @step_ms whenever nothing
 * else is left to do, until @w has its result */
void
mbus_test_wait_for (MbusTestWait *w, LersClock *clock, guint step_ms)
{
  for (guint i = 0; w->result == NULL && i < 100000; i++)
    {
      mbus_test_drain ();
      if (w->result == NULL && clock != NULL)
        lers_clock_advance (clock, step_ms);
      else if (w->result == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  ck_assert_ptr_nonnull (w->result);
}

gdouble
mbus_test_value_of (LersRecord *r, LersParameter p)
{
  gdouble v = NAN;
  ck_assert_msg (lers_record_get_value (r, p, &v, NULL), "no value for parameter %d", p);
  return v;
}

GBytes *
mbus_test_hex (const gchar *text)
{
  g_autoptr (GError) error = NULL;
  GBytes *b = mbus_hex_to_bytes (text, &error);
  ck_assert_msg (b != NULL, "%s", error ? error->message : "");
  return b;
}

/* RSP_UD from primary address @address, id 12345678, "LRS" heat, with
 * @access_number and the data records @records (hex) */
GBytes *
mbus_test_rsp_ud (guint8 address, guint8 access_number, const gchar *records)
{
  g_autoptr (GBytes) data = mbus_test_hex (records);
  g_autoptr (GByteArray) user = g_byte_array_new ();
  guint8 header[12] = { 0x78, 0x56, 0x34, 0x12, 0x53, 0x32, 0x01, 0x04, 0, 0x00, 0, 0 };

  header[8] = access_number;
  g_byte_array_append (user, header, sizeof header);
  g_byte_array_append (user, g_bytes_get_data (data, NULL), (guint) g_bytes_get_size (data));
  return mbus_frame_build_long (MBUS_C_RSP_UD, address, MBUS_CI_RESPONSE_LONG, user->data,
                                user->len);
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  MbusTestScript *s = user_data;
  guint i = s->n_writes++;

  if (i < s->answers->len && g_ptr_array_index (s->answers, i) != NULL)
    lers_memory_transport_push_input (transport, g_ptr_array_index (s->answers, i));
}

/* an open memory transport on a manual clock that answers its n-th write
 * with the n-th answer given to mbus_test_script_answer() */
void
mbus_test_script_init (MbusTestScript *s)
{
  mbus_test_register_types ();
  s->transport = lers_memory_transport_new ();
  s->clock = lers_clock_new_manual ();
  s->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  lers_transport_set_clock (s->transport, s->clock);
  g_signal_connect (s->transport, "written", G_CALLBACK (written_cb), s);
  ck_assert (lers_transport_open_sync (s->transport, NULL, NULL));
}

void
mbus_test_script_clear (MbusTestScript *s)
{
  g_clear_object (&s->transport);
  g_clear_object (&s->clock);
  g_clear_pointer (&s->answers, g_ptr_array_unref);
}

/* @answer (transfer full, nullable): the next answer; %NULL for silence */
void
mbus_test_script_answer (MbusTestScript *s, GBytes *answer)
{
  g_ptr_array_add (s->answers, answer);
}

/* the bytes written since the last call are @expected_hex */
void
mbus_test_assert_output (MbusTestScript *s, const gchar *expected_hex)
{
  g_autoptr (GBytes) out = lers_memory_transport_take_output (LERS_MEMORY_TRANSPORT (s->transport));
  g_autoptr (GBytes) expected = mbus_test_hex (expected_hex);
  g_autoptr (GString) got = g_string_new (NULL);

  for (gsize i = 0; i < g_bytes_get_size (out); i++)
    g_string_append_printf (got, "%02x", ((const guint8 *) g_bytes_get_data (out, NULL))[i]);
  ck_assert_msg (g_bytes_equal (out, expected), "wrote %s", got->str);
}

static void
served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
}

static GIOStream *
stream_from_fd (int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  ck_assert_msg (socket != NULL, "%s", error ? error->message : "");
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

/* @sim served on one end of a socket pair, a transport on the other, with
 * a manual clock when @manual */
void
mbus_test_link_open (MbusTestLink *l, LersMbusSimulator *sim, gboolean manual)
{
  int fds[2];
  g_autoptr (GIOStream) client = NULL;

  ck_assert_int_eq (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), 0);
  l->sim = g_object_ref (sim);
  l->server = stream_from_fd (fds[0]);
  client = stream_from_fd (fds[1]);
  l->cancel = g_cancellable_new ();
  lers_device_simulator_serve_async (LERS_DEVICE_SIMULATOR (sim), l->server, l->cancel, served_cb,
                                     NULL);
  l->transport = lers_stream_transport_new (client, "socketpair");
  if (manual)
    {
      l->clock = lers_clock_new_manual ();
      lers_transport_set_clock (l->transport, l->clock);
    }
  ck_assert (lers_transport_open_sync (l->transport, NULL, NULL));
}

void
mbus_test_link_close (MbusTestLink *l)
{
  g_cancellable_cancel (l->cancel);
  lers_transport_close_sync (l->transport, NULL, NULL);
  mbus_test_drain ();
  g_clear_object (&l->transport);
  g_io_stream_close (l->server, NULL, NULL);
  mbus_test_drain ();
  g_clear_object (&l->server);
  g_clear_object (&l->cancel);
  g_clear_object (&l->clock);
  g_clear_object (&l->sim);
}

void
mbus_test_ref_record_free (MbusTestRefRecord *r)
{
  g_free (r->function);
  g_free (r->storage_number);
  g_free (r->tariff);
  g_free (r->device);
  g_free (r->unit);
  g_free (r->quantity);
  g_free (r->value);
  g_free (r);
}

typedef struct
{
  GPtrArray *records;
  MbusTestRefRecord *current;
  gchar **field;
  GString *text;
  gchar *medium;
  gboolean in_medium;
} MbusTestRefParser;

static void
ref_start (GMarkupParseContext *ctx, const gchar *element, const gchar **attr_names,
           const gchar **attr_values, gpointer user_data, GError **error)
{
  MbusTestRefParser *p = user_data;
  static const struct
  {
    const gchar *name;
    gsize offset;
  } fields[] = {
    { "Function", G_STRUCT_OFFSET (MbusTestRefRecord, function) },
    { "StorageNumber", G_STRUCT_OFFSET (MbusTestRefRecord, storage_number) },
    { "Tariff", G_STRUCT_OFFSET (MbusTestRefRecord, tariff) },
    { "Device", G_STRUCT_OFFSET (MbusTestRefRecord, device) },
    { "Unit", G_STRUCT_OFFSET (MbusTestRefRecord, unit) },
    { "Quantity", G_STRUCT_OFFSET (MbusTestRefRecord, quantity) },
    { "Value", G_STRUCT_OFFSET (MbusTestRefRecord, value) },
  };

  g_string_truncate (p->text, 0);
  p->in_medium = g_strcmp0 (element, "Medium") == 0 && p->current == NULL;
  if (g_strcmp0 (element, "DataRecord") == 0)
    {
      p->current = g_new0 (MbusTestRefRecord, 1);
      g_ptr_array_add (p->records, p->current);
      return;
    }
  p->field = NULL;
  for (guint i = 0; p->current != NULL && i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (element, fields[i].name) == 0)
      p->field = G_STRUCT_MEMBER_P (p->current, fields[i].offset);
}

static void
ref_end (GMarkupParseContext *ctx, const gchar *element, gpointer user_data, GError **error)
{
  MbusTestRefParser *p = user_data;

  if (p->in_medium)
    {
      g_free (p->medium);
      p->medium = g_strdup (p->text->str);
      p->in_medium = FALSE;
    }
  if (g_strcmp0 (element, "DataRecord") == 0)
    p->current = NULL;
  else if (p->field != NULL)
    {
      g_free (*p->field);
      *p->field = g_strdup (p->text->str);
      p->field = NULL;
    }
}

static void
ref_text (GMarkupParseContext *ctx, const gchar *text, gsize len, gpointer user_data,
          GError **error)
{
  MbusTestRefParser *p = user_data;
  g_string_append_len (p->text, text, (gssize) len);
}

/* the data records of a libmbus `.norm.xml` reference file; its Medium
 * into @medium when not %NULL */
GPtrArray *
mbus_test_ref_load (const gchar *path, gchar **medium)
{
  static const GMarkupParser parser = { ref_start, ref_end, ref_text, NULL, NULL };
  g_autofree gchar *xml = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMarkupParseContext) ctx = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  MbusTestRefParser p
      = { g_ptr_array_new_with_free_func ((GDestroyNotify) mbus_test_ref_record_free),
          NULL,
          NULL,
          text,
          NULL,
          FALSE };
  const gchar *body;

  ck_assert_msg (g_file_get_contents (path, &xml, NULL, NULL), "cannot read %s", path);
  /* the files declare ISO-8859-1 but hold UTF-8: skip the declaration */
  body = strstr (xml, "?>");
  body = body != NULL ? body + 2 : xml;
  ctx = g_markup_parse_context_new (&parser, 0, &p, NULL);
  if (!g_markup_parse_context_parse (ctx, body, -1, &error)
      || !g_markup_parse_context_end_parse (ctx, &error))
    ck_abort_msg ("%s: %s", path, error->message);
  if (medium != NULL)
    *medium = p.medium;
  else
    g_free (p.medium);
  return p.records;
}
