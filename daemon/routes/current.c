/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Latest current values of points, and their live stream (Server-Sent Events). */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_current[] = {
  { NULL },
};
