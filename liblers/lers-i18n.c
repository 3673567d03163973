/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "lers-i18n.h"

static gboolean
lers_i18n_has_catalog (const gchar *dir)
{
  g_autofree gchar *mo = g_build_filename (dir, "ru", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  return g_file_test (mo, G_FILE_TEST_EXISTS);
}

/**
 * lers_i18n_init:
 *
 * Sets up messages for people, as programs built on liblers do at start:
 * the locale from the environment, and the catalogs from the folder named
 * by the `LERS_LOCALEDIR` environment variable when it holds them (a
 * program run from the build tree: `meson devenv` sets it), else from the
 * install folder.
 *
 * Russian is the default: a process whose locale names no language (`C`,
 * `POSIX`, `C.UTF-8`) and has no `LANGUAGE` speaks Russian. English is had
 * on request with `LANGUAGE=en` or an English locale.
 *
 * Since: 0.1
 */
void
lers_i18n_init (void)
{
  const gchar *messages;
  const gchar *localedir;

  setlocale (LC_ALL, "");
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    {
      /* gettext ignores LANGUAGE under the plain C locale */
      setlocale (LC_MESSAGES, "C.UTF-8");
      setlocale (LC_CTYPE, "C.UTF-8");
      messages = setlocale (LC_MESSAGES, NULL);
    }
  if (g_getenv ("LANGUAGE") == NULL && messages != NULL
      && (g_str_has_prefix (messages, "C.") || strcmp (messages, "C") == 0
          || strcmp (messages, "POSIX") == 0))
    g_setenv ("LANGUAGE", "ru", TRUE);

  /* a program run from the build tree gets its catalogs from the
   * environment (`meson devenv`, the tests, scripts/demo); read after the
   * g_setenv() above, which may move the environment */
  localedir = g_getenv ("LERS_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0' || !lers_i18n_has_catalog (localedir))
    localedir = LERS_LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}
