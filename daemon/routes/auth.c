/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Login, logout, the caller, tokens, users and their scopes (lersd_routes_auth).
 */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_auth[] = {
  { NULL },
};
