/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* What every subcommand gets: the options common to all and the rest of argv. */
typedef struct
{
  gchar *db_uri;        /* --db, or NULL for the embedded cluster */
  LersCluster *cluster; /* the embedded cluster, once started */
  LersStore *store;     /* opened on demand by lers_cli_open_store() */
} LersCli;

LersStore *lers_cli_open_store (LersCli *cli, GError **error);
GDateTime *lers_cli_parse_time (const gchar *text, GTimeZone *zone, GError **error);
void lers_cli_pad (GString *line, const gchar *text, guint width, gboolean right);
gboolean lers_cli_default_line (LersTransport *transport, const gchar *protocol,
                                const gchar *address, GError **error);
void lers_cli_show_progress (LersProgress *progress, GParamSpec *pspec, gpointer user_data);
/* lers-cmd-archive.c: the options `archive` and `poll` share */
gboolean lers_cli_parse_range (int *argc, char ***argv, const gchar *usage, LersArchiveKind *kind,
                               gchar **from, gchar **to, gint64 *connection_id, GError **error);
gboolean lers_cli_resolve_range (LersStore *store, gint64 point_id, const gchar *from_s,
                                 const gchar *to_s, GTimeZone **zone, GDateTime **from,
                                 GDateTime **to, GError **error);
gboolean lers_cli_parse_point (const gchar *text, gint64 *point_id, GError **error);

int lers_cli_plugins (LersCli *cli, int argc, char **argv);
int lers_cli_decode (LersCli *cli, int argc, char **argv);
int lers_cli_scan (LersCli *cli, int argc, char **argv);
int lers_cli_points (LersCli *cli, int argc, char **argv);
int lers_cli_archive (LersCli *cli, int argc, char **argv);
int lers_cli_poll (LersCli *cli, int argc, char **argv);
int lers_cli_events (LersCli *cli, int argc, char **argv);
int lers_cli_territory (LersCli *cli, int argc, char **argv);
int lers_cli_user (LersCli *cli, int argc, char **argv);
int lers_cli_group (LersCli *cli, int argc, char **argv);
int lers_cli_import (LersCli *cli, int argc, char **argv);
int lers_cli_read (LersCli *cli, int argc, char **argv);
int lers_cli_sync (LersCli *cli, int argc, char **argv);
int lers_cli_db_uri (LersCli *cli, int argc, char **argv);
int lers_cli_report (LersCli *cli, int argc, char **argv);

G_END_DECLS
