/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "at-modem-sim.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <pty.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

struct _AtModemSim
{
  LersDeviceSimulator *device;
  gint master;
  gint slave; /* kept open so the master never sees a hang-up */
  gchar *path;
  guint master_watch;
  gchar *dial_result;
  GByteArray *noise;
  gboolean noise_sent;
  gboolean echo;
  gboolean online;
  GString *line;
  GByteArray *received;
  GPtrArray *commands;
  gsize data_bytes;
  /* data mode: the device simulator serves one end of a socket pair */
  gint data_fd;
  guint data_watch;
  GCancellable *serve_cancellable;
  GHashTable *answers; /* upper-case command → its answer, "" for silence */
};

static void
write_master (AtModemSim *sim, const void *data, gsize len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      gssize n = write (sim->master, p, len);

      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_assert_cmpint (n, >, 0);
      p += n;
      len -= (gsize) n;
    }
}

static void
say (AtModemSim *sim, const gchar *word)
{
  g_autofree gchar *text = g_strdup_printf ("\r\n%s\r\n", word);

  if (!sim->noise_sent && sim->noise != NULL)
    write_master (sim, sim->noise->data, sim->noise->len);
  sim->noise_sent = TRUE;
  write_master (sim, text, strlen (text));
}

static void
served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
}

static gboolean
data_in_cb (gint fd, GIOCondition condition, gpointer user_data)
{
  AtModemSim *sim = user_data;
  guint8 buf[4096];
  gssize n = read (fd, buf, sizeof buf);

  if (n <= 0)
    {
      sim->data_watch = 0;
      return G_SOURCE_REMOVE;
    }
  if (sim->online)
    write_master (sim, buf, (gsize) n);
  return G_SOURCE_CONTINUE;
}

static void
data_stop (AtModemSim *sim)
{
  if (sim->serve_cancellable != NULL)
    g_cancellable_cancel (sim->serve_cancellable);
  g_clear_object (&sim->serve_cancellable);
  if (sim->data_watch != 0)
    g_source_remove (sim->data_watch);
  sim->data_watch = 0;
  if (sim->data_fd >= 0)
    close (sim->data_fd);
  sim->data_fd = -1;
  sim->online = FALSE;
}

static void
data_start (AtModemSim *sim)
{
  gint fds[2];
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketConnection) connection = NULL;

  sim->online = TRUE;
  if (sim->device == NULL)
    return;
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  socket = g_socket_new_from_fd (fds[0], NULL);
  g_assert_nonnull (socket);
  connection = g_socket_connection_factory_create_connection (socket);
  sim->serve_cancellable = g_cancellable_new ();
  lers_device_simulator_serve_async (sim->device, G_IO_STREAM (connection), sim->serve_cancellable,
                                     served_cb, NULL);
  sim->data_fd = fds[1];
  sim->data_watch = g_unix_fd_add (fds[1], G_IO_IN | G_IO_HUP, data_in_cb, sim);
}

static void
command (AtModemSim *sim, const gchar *text)
{
  g_autofree gchar *upper = g_ascii_strup (text, -1);
  const gchar *at = strstr (upper, "AT");

  g_ptr_array_add (sim->commands, g_strdup (text));
  if (at == NULL)
    return; /* not a command: stray bytes */
  if (g_hash_table_contains (sim->answers, at))
    {
      const gchar *answer = g_hash_table_lookup (sim->answers, at);
      if (answer[0] != '\0')
        say (sim, answer);
      return;
    }
  if (g_str_equal (at, "ATZ"))
    {
      sim->echo = TRUE;
      say (sim, "OK");
      return;
    }
  if (g_str_has_prefix (at, "ATD"))
    {
      say (sim, sim->dial_result);
      if (g_str_has_prefix (sim->dial_result, "CONNECT"))
        data_start (sim);
      return;
    }
  if (g_str_equal (at, "ATH") || g_str_equal (at, "ATH0"))
    {
      data_stop (sim);
      say (sim, "OK");
      return;
    }
  if (strstr (at, "E0") != NULL)
    sim->echo = FALSE;
  else if (strstr (at, "E1") != NULL)
    sim->echo = TRUE;
  say (sim, "OK");
}

static gboolean
master_in_cb (gint fd, GIOCondition condition, gpointer user_data)
{
  AtModemSim *sim = user_data;
  guint8 buf[4096];
  gssize n = read (fd, buf, sizeof buf);

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    return G_SOURCE_CONTINUE; /* the slave closed for now: it may open again */
  g_byte_array_append (sim->received, buf, (guint) n);
  if (sim->online)
    {
      /* the escape comes alone, between two guard times */
      if (n == 3 && memcmp (buf, "+++", 3) == 0)
        {
          sim->online = FALSE;
          say (sim, "OK");
          return G_SOURCE_CONTINUE;
        }
      sim->data_bytes += (gsize) n;
      if (sim->data_fd >= 0)
        g_assert_cmpint (write (sim->data_fd, buf, (gsize) n), ==, n);
      return G_SOURCE_CONTINUE;
    }
  for (gssize i = 0; i < n; i++)
    {
      if (sim->echo)
        write_master (sim, &buf[i], 1);
      if (buf[i] == '\r')
        {
          g_autofree gchar *text = g_strdup (sim->line->str);

          g_string_truncate (sim->line, 0);
          command (sim, text);
        }
      else if (buf[i] != '\n')
        g_string_append_c (sim->line, (gchar) buf[i]);
    }
  return G_SOURCE_CONTINUE;
}

AtModemSim *
at_modem_sim_new (LersDeviceSimulator *device)
{
  AtModemSim *sim = g_new0 (AtModemSim, 1);
  struct termios tio;
  gchar name[256];

  g_assert_cmpint (openpty (&sim->master, &sim->slave, name, NULL, NULL), ==, 0);
  /* raw until the code under test sets its own line */
  g_assert_cmpint (tcgetattr (sim->slave, &tio), ==, 0);
  cfmakeraw (&tio);
  g_assert_cmpint (tcsetattr (sim->slave, TCSANOW, &tio), ==, 0);
  g_assert_cmpint (fcntl (sim->master, F_SETFL, fcntl (sim->master, F_GETFL) | O_NONBLOCK), ==, 0);
  sim->path = g_strdup (name);
  sim->device = device != NULL ? g_object_ref (device) : NULL;
  sim->dial_result = g_strdup ("CONNECT 9600");
  sim->echo = TRUE;
  sim->line = g_string_new (NULL);
  sim->received = g_byte_array_new ();
  sim->commands = g_ptr_array_new_with_free_func (g_free);
  sim->data_fd = -1;
  sim->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sim->master_watch = g_unix_fd_add (sim->master, G_IO_IN, master_in_cb, sim);
  return sim;
}

void
at_modem_sim_free (AtModemSim *sim)
{
  data_stop (sim);
  g_source_remove (sim->master_watch);
  close (sim->master);
  close (sim->slave);
  g_free (sim->path);
  g_free (sim->dial_result);
  g_clear_pointer (&sim->noise, g_byte_array_unref);
  g_string_free (sim->line, TRUE);
  g_byte_array_unref (sim->received);
  g_ptr_array_unref (sim->commands);
  g_hash_table_unref (sim->answers);
  g_clear_object (&sim->device);
  g_free (sim);
}

const gchar *
at_modem_sim_get_path (AtModemSim *sim)
{
  return sim->path;
}

void
at_modem_sim_set_dial_result (AtModemSim *sim, const gchar *result)
{
  g_free (sim->dial_result);
  sim->dial_result = g_strdup (result);
}

void
at_modem_sim_set_answer (AtModemSim *sim, const gchar *command, const gchar *answer)
{
  g_hash_table_replace (sim->answers, g_ascii_strup (command, -1),
                        g_strdup (answer != NULL ? answer : ""));
}

void
at_modem_sim_set_noise (AtModemSim *sim, const gchar *noise, gsize len)
{
  g_clear_pointer (&sim->noise, g_byte_array_unref);
  sim->noise = g_byte_array_new ();
  g_byte_array_append (sim->noise, (const guint8 *) noise, (guint) len);
}

void
at_modem_sim_drop_carrier (AtModemSim *sim)
{
  data_stop (sim);
  say (sim, "NO CARRIER");
}

gboolean
at_modem_sim_is_online (AtModemSim *sim)
{
  return sim->online;
}

GByteArray *
at_modem_sim_get_received (AtModemSim *sim)
{
  return sim->received;
}

guint
at_modem_sim_count_command (AtModemSim *sim, const gchar *command)
{
  guint count = 0;

  for (guint i = 0; i < sim->commands->len; i++)
    if (g_str_equal (g_ptr_array_index (sim->commands, i), command))
      count++;
  return count;
}

gsize
at_modem_sim_get_data_bytes (AtModemSim *sim)
{
  return sim->data_bytes;
}
