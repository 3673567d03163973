/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* one meter lers-sim serves: its simulator and where it answers */
typedef struct
{
  LersDeviceSimulator *simulator;
  guint port;
  gchar *serial;
  guint address;
  gchar *pty;
  gchar *clock_zone; /* the zone its device keeps in the import file, or NULL */
} LersSimMeter;

gboolean lers_sim_write_config (GPtrArray *meters, const gchar *protocol, const gchar *path,
                                GError **error);

G_END_DECLS
