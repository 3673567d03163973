/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OpenAPI 3.1 document of every route.
 *
 *   GET /api/v1/openapi.json   → application/json (public)
 *
 * The document is merged at build time from the JSON files of daemon/openapi/ (see its
 * README.md) and compiled into lersd's GResource.
 */
#include "config.h"

#include "lersd-routes.h"

#define LERSD_OPENAPI_RESOURCE "/org/lers/daemon/openapi.json"

/**
 * lersd_route_openapi:
 * @req: the request
 *
 * `GET /api/v1/openapi.json`: the OpenAPI document, from the GResource.
 *
 * Since: 0.5
 */
void
lersd_route_openapi (LersdRequest *req)
{
  g_autoptr (GBytes) doc = NULL;
  g_autoptr (GError) error = NULL;

  doc = g_resources_lookup_data (LERSD_OPENAPI_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (doc == NULL)
    {
      lers_error_convert (&error);
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_set_response_header (req, "Cache-Control", "public, max-age=3600");
  lersd_request_reply (req, SOUP_STATUS_OK, "application/json", doc);
}

const LersdRoute lersd_routes_openapi[] = {
  { "GET", "openapi.json", LERSD_ACCESS_PUBLIC, lersd_route_openapi },
  { NULL },
};
