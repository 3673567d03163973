/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints every route lersd answers, one a line: METHOD PATTERN ACCESS, from
 * lersd_route_tables_get() (the very tables the server matches), for
 * test-openapi.py and test-security.py. PATTERN is the full path: the API
 * prefix added unless the route's pattern starts with "/"; ACCESS is the
 * LersdAccess as a lower-case word (public, read, staff, operate, admin). */
#include "config.h"

#include "lersd-server.h"

static const gchar *
access_word (LersdAccess access)
{
  switch (access)
    {
    case LERSD_ACCESS_PUBLIC:
      return "public";
    case LERSD_ACCESS_READ:
      return "read";
    case LERSD_ACCESS_STAFF:
      return "staff";
    case LERSD_ACCESS_OPERATE:
      return "operate";
    case LERSD_ACCESS_ADMIN:
      return "admin";
    default:
      return "unknown";
    }
}

int
main (int argc, char **argv)
{
  for (const LersdRoute *const *table = lersd_route_tables_get (); *table != NULL; table++)
    for (const LersdRoute *r = *table; r->method != NULL; r++)
      g_print ("%s %s%s %s\n", r->method, r->pattern[0] == '/' ? "" : LERSD_API_PREFIX "/",
               r->pattern, access_word (r->access));
  return 0;
}
