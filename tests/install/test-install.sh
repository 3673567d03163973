#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# meson install of this build tree into a temporary folder (--destdir), then
# what a plugin author does: build examples/plugins/tsvreport out of tree
# against the installed headers and lers-1.pc, and see it, with its version,
# in the installed `lers plugins`. Also: every header lers.h includes is
# installed, and no installed binary names the source or build tree.
#
# test-install.sh MESON BUILD_ROOT SOURCE_ROOT PREFIX LIBDIR BINDIR INCLUDEDIR LOCALEDIR DATADIR GIR(0|1)
set -euo pipefail
meson=$1 build=$2 source=$3 prefix=$4 libdir=$5 bindir=$6 includedir=$7 localedir=$8 datadir=$9
gir=${10}
. "$source/tests/check/lers-check.sh"
lers_check_require_program make
lers_check_require_program pkg-config
lers_check_require_program "${CC:-cc}"

work=$(mktemp -d "${TMPDIR:-/tmp}/lers-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
dest=$work/dest
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# meson's folder options are relative to the prefix unless absolute
abs() { case "$1" in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
lib=$dest$(abs "$libdir")
bin=$dest$(abs "$bindir")
inc=$dest$(abs "$includedir")/lers-1
locale=$dest$(abs "$localedir")
data=$dest$(abs "$datadir")

"$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; exit 1; }

# what the install must hold
for f in "$lib/liblers-1.0.so" "$lib/pkgconfig/lers-1.pc" "$bin/lers" "$bin/lersd" "$bin/lers-sim" \
  "$lib/lers/plugins/mbus.plugin" "$lib/lers/plugins/libmbus.so" \
  "$locale/ru/LC_MESSAGES/lers.mo" "$inc/lers.h"; do
  [ -e "$f" ] || fail "not installed: ${f#"$dest"}"
done
if [ "$gir" = 1 ]; then
  for f in "$data/gir-1.0/Lers-1.0.gir" "$lib/girepository-1.0/Lers-1.0.typelib"; do
    [ -e "$f" ] || fail "not installed: ${f#"$dest"}"
  done
fi
# every header lers.h includes, where lers.h looks for it
while read -r h; do
  [ -e "$inc/$h" ] || fail "lers.h includes $h, which is not installed"
done < <(sed -n 's/^#include "\(.*\)"$/\1/p' "$inc/lers.h")

# no build-tree or source-tree path in what was installed (the source
# folder name is searched for too: the build tree often lies inside it)
for f in "$lib"/liblers-1.0.so.* "$lib/lers/plugins/libmbus.so" "$bin"/*; do
  [ -L "$f" ] && continue
  for p in "$build" "$source"; do
    if grep -q -a -F -- "$p" "$f"; then
      fail "${f#"$dest"} contains the path $p"
    fi
  done
done

# an out-of-tree C plugin, built against the installed lers-1
cp -r "$source/examples/plugins/tsvreport" "$work/tsvreport"
export PKG_CONFIG_PATH="$lib/pkgconfig"
if ! make -s -C "$work/tsvreport" CFLAGS="-O2 -Wall -Wextra -Wno-unused-parameter -Werror" \
  install PLUGINDIR="$work/plugins" >"$work/make.log" 2>&1; then
  cat "$work/make.log"
  fail "examples/plugins/tsvreport does not build against the installed lers-1"
fi

# the installed lers, on the installed library only, lists it; and the
# installed M-Bus plugin (LERS_PLUGIN_PATH_ONLY: nothing from elsewhere)
export LD_LIBRARY_PATH="$lib"
export LERS_PLUGIN_PATH="$work/plugins:$lib/lers/plugins"
export LERS_PLUGIN_PATH_ONLY=1
export LERS_LOCALEDIR="$locale"
unset GI_TYPELIB_PATH
if ! LANGUAGE=en "$bin/lers" plugins >"$work/plugins.txt" 2>&1; then
  cat "$work/plugins.txt"
  fail "the installed lers plugins failed"
fi
cat "$work/plugins.txt"
grep -q -E '^tsvreport +1\.2\.3 +c +report-backend +Writes archive records as tab-separated' \
  "$work/plugins.txt" || fail "lers plugins does not list tsvreport 1.2.3 (report-backend)"
grep -q -E '^mbus +0\.6\.0 +c +device-driver,device-simulator ' "$work/plugins.txt" ||
  fail "lers plugins does not list the installed mbus 0.6.0"
# the report backends
for f in csv html pdf png svg xlsx; do
  grep -q -E "^report-$f +0\.6\.0 +c +report-backend " "$work/plugins.txt" ||
    fail "lers plugins does not list the installed report-$f 0.6.0 (report-backend)"
done
# exactly the installed ones: the example, the device and the report
# plugins, none from the build tree
[ "$(grep -v '^PLUGIN ' "$work/plugins.txt" | awk '{print $1}' | sort | tr '\n' ' ')" = \
  "km5 logika4l logikam4 mbus pulsar report-csv report-html report-pdf report-png report-svg report-xlsx spbus tsvreport tv7 vkt7 " ] ||
  fail "lers plugins lists other plugins"
# the installed library links the installed lers, not the build tree's
grep -q "$lib/liblers-1.0.so" < <(ldd "$bin/lers") || fail "the installed lers does not use $lib"

# and speaks Russian from the installed catalog
LANGUAGE=ru "$bin/lers" plugins >"$work/plugins-ru.txt" 2>&1 || fail "lers plugins (ru) failed"
grep -q '^МОДУЛЬ ' "$work/plugins-ru.txt" || { cat "$work/plugins-ru.txt"; fail "no Russian heading from the installed catalog"; }

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "installed into $dest: headers, lers-1.pc, plugins, catalogs, programs; tsvreport 1.2.3 built and listed"
