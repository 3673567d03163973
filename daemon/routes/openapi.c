/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OpenAPI 3.1 document of every route (lersd_routes_openapi).
 */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_openapi[] = {
  { NULL },
};
