/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The objects as REST resources: nodes, points, devices, connections,
 * territories, node groups, the audit log (lersd_routes_resources).
 */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_resources[] = {
  { NULL },
};
