/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who is calling and whether they may (see lersd-auth.h).
 *
 * CONTRACT STAGE: every route runs without a check, everyone sees every
 * node and nothing is audited, until the accounts land.
 */
#include "config.h"

#include "lersd-auth.h"

void
lersd_auth_dispatch (LersdRequest *req, const LersdRoute *route)
{
  route->func (req);
}

GArray *
lersd_request_get_visible_nodes (LersdRequest *req, gboolean *all, GCancellable *cancellable,
                                 GError **error)
{
  *all = TRUE;
  return NULL;
}

gboolean
lersd_request_check_node (LersdRequest *req, gint64 node_id, GCancellable *cancellable,
                          GError **error)
{
  return TRUE;
}

gboolean
lersd_request_audit (LersdRequest *req, const gchar *action, const gchar *entity, gint64 entity_id,
                     const gchar *before, const gchar *after, GCancellable *cancellable,
                     GError **error)
{
  return TRUE;
}
