/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who is calling and whether they may (see lersd-auth.h).
 *
 * CONTRACT STAGE: every route runs without a check until the accounts land.
 */
#include "config.h"

#include "lersd-auth.h"

void
lersd_auth_dispatch (LersdRequest *req, const LersdRoute *route)
{
  route->func (req);
}
