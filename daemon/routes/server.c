/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the workstation shows about the server: status bar, node and point states. */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_server[] = {
  { NULL },
};
