/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mnemonic diagrams (мнемосхемы): CRUD, the sanitised SVG, bound elements. */
#include "config.h"

#include "lersd-routes.h"

const LersdRoute lersd_routes_diagrams[] = {
  { NULL },
};
