/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Each user's own settings of the web workstation (/auth/me/settings). */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_settings[] = {
  { NULL },
};
