#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-test.sh NODE FILE: runs one browser test file as `node --test FILE`
# (tests/web/meson.build). Without Node, Chromium or web/node_modules the
# test skips (exit 77, meson's SKIP), which scripts/test counts as a failure
# under CI; here CI=true fails at once, naming what is missing.
node=$1
file=$2
missing=
command -v "$node" >/dev/null 2>&1 || missing="$missing node"
[ -x "${LERS_CHROMIUM:-/usr/bin/chromium}" ] || missing="$missing chromium"
for pkg in playwright-core axe-core; do
  [ -f "$LERS_SOURCE_ROOT/web/node_modules/$pkg/package.json" ] \
    || missing="$missing web/node_modules/$pkg (npm ci in web/)"
done
if [ -n "$missing" ]; then
  echo "missing:$missing"
  if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    exit 1
  fi
  exit 77
fi
exec "$node" --test --test-reporter=spec "$file"
