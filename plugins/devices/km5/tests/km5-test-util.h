/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

G_BEGIN_DECLS

typedef struct
{
  GThread *thread;
  GIOStream *server;
  GIOStream *client;
  LersDeviceSimulator *sim;
} Km5TestPair;

void km5_test_register_types (void);
#define km5_test_hex lers_check_hex
void km5_test_checksum (guint8 *frame, gsize len);
void km5_test_pair_start (Km5TestPair *pair, LersDeviceSimulator *sim);
void km5_test_pair_stop (Km5TestPair *pair);

G_END_DECLS
