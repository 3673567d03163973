/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The REST API v1 of ЛЭРС УЧЁТ, for integrations written for it
 * (lersd_routes_compat).
 */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_compat[] = {
  { NULL },
};
