#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the Debian 12 packages LERS builds, runs and tests with, if any is
# missing. Sourced by scripts/demo and scripts/test.
LERS_PACKAGES=(
  meson ninja-build pkg-config gcc binutils gettext
  libglib2.0-dev gobject-introspection libgirepository1.0-dev
  libpeas-dev libpq-dev libjson-glib-dev libsoup-3.0-dev
  libcairo2-dev libpango1.0-dev check libsodium-dev libxlsxwriter-dev libarchive-dev
  postgresql postgresql-client
  python3 python3-gi gjs curl glib-networking
  fonts-dejavu-core poppler-utils
)
LERS_TEST_PACKAGES=(clang libclang-rt-14-dev clang-format chromium valgrind make
  python3-jsonschema wrk openssl python3-openpyxl python3-pymodbus)
# the reference programs of bench/report (not needed by the tests)
LERS_BENCH_PACKAGES=(python3-reportlab libreoffice-writer-nogui libreoffice-calc-nogui)

lers_install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The web application's npm packages (web/package-lock.json): Node.js from
# Debian when the machine has none, then `npm ci` when web/node_modules is
# missing or older than the lock file.
lers_web_packages() {
  command -v node >/dev/null && command -v npm >/dev/null || lers_install_packages nodejs npm
  if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    echo "Installing the web application's npm packages (npm ci in web/)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
