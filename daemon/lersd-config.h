/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LERSD_CONFIG_DEFAULT_PATH:
 *
 * The config file lersd reads when `--config` is not given (if it exists).
 *
 * Since: 0.5
 */
#define LERSD_CONFIG_DEFAULT_PATH "/etc/lers/lersd.conf"

/**
 * LERSD_CONFIG_UNSET:
 *
 * A number option nobody set (neither the command line nor the file).
 *
 * Since: 0.5
 */
#define LERSD_CONFIG_UNSET G_MININT

/**
 * LersdConfig:
 * @db: PostgreSQL connection string or URI
 * @db_password_file: a file (owner-only) with the database password
 * @listen: `ADDR:PORT` of the HTTP API
 * @role: all, api or poller
 * @name: the polling service's name
 * @token_file: the polling service's token file
 * @spool_dir: where reads wait while the database is away
 * @retry_delay: `BASE[:MAX]` seconds
 * @gprs_handshake: how a GPRS modem identifies itself
 * @gprs_port: TCP port for GPRS modems
 * @max_links: links read at once
 * @lease: seconds a claimed link stays without heartbeat
 * @verbose: log debug messages (-1 unset)
 * @server_names: (array zero-terminated=1): host names the API answers to
 *   besides its listen address and loopback
 * @tls_certificate: PEM certificate file: HTTPS
 * @tls_key: PEM private key file
 * @allow_plain_http: plain HTTP on a non-loopback address (-1 unset)
 * @idle_timeout: seconds a connection may wait for a request
 * @head_timeout: seconds for a whole request head
 * @body_timeout: seconds for a request body
 * @max_body: largest request body in bytes
 * @max_connections: client connections at once
 * @max_streams: live streams (`/api/v1/current/stream`) at once
 * @language: the server's language for messages, `ru` or `en`
 * @web_root: a folder with the web application's files, served instead of
 *   the ones compiled in (development)
 *
 * lersd's options: from the command line, then the `[lersd]` group of the
 * config file for what the command line left unset. Strings are %NULL and
 * numbers %LERSD_CONFIG_UNSET when unset.
 *
 * Since: 0.5
 */
typedef struct
{
  gchar *db;
  gchar *db_password_file;
  gchar *listen;
  gchar *role;
  gchar *name;
  gchar *token_file;
  gchar *spool_dir;
  gchar *retry_delay;
  gchar *gprs_handshake;
  gint gprs_port;
  gint max_links;
  gint lease;
  gint verbose;
  gchar **server_names;
  gchar *tls_certificate;
  gchar *tls_key;
  gint allow_plain_http;
  gint idle_timeout;
  gint head_timeout;
  gint body_timeout;
  gint max_body;
  gint max_connections;
  gint max_streams;
  gchar *language;
  gchar *web_root;
  gchar *server_name;
  gchar *map_tile_url;
  gchar *map_attribution;
} LersdConfig;

/* Defaults of the server's keys */
#define LERSD_IDLE_TIMEOUT_DEFAULT 30
#define LERSD_HEAD_TIMEOUT_DEFAULT 10
#define LERSD_BODY_TIMEOUT_DEFAULT 30
#define LERSD_MAX_BODY_DEFAULT (256 * 1024)
#define LERSD_MAX_CONNECTIONS_DEFAULT 1000
#define LERSD_MAX_STREAMS_DEFAULT 200

LersdConfig *lersd_config_new (void);
void lersd_config_free (LersdConfig *self);
gboolean lersd_config_load_file (LersdConfig *self, const gchar *path, GError **error);
gboolean lersd_config_load_data (LersdConfig *self, const gchar *data, GError **error);
gboolean lersd_config_db_has_password (const gchar *db);
gchar *lersd_config_get_db_uri (LersdConfig *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdConfig, lersd_config_free)

G_END_DECLS
