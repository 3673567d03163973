#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the libmbus command-line tools (BSD-3, rSCADA/Raditex) as a test
# peer, from the sources the npm package node-mbus@2.2.6 carries under
# package/libmbus/. Nothing is copied into the repository: the package is
# fetched with `npm pack` into DIR (the build tree), once, and the tools are
# built there.
#
#   libmbus-peer.sh DIR   prints the folder holding mbus-tcp-request-data,
#                         mbus-serial-request-data and mbus-serial-scan-secondary
#
# Exit 77 (skip) when npm or gcc is missing or the package cannot be
# fetched; under CI=true that is exit 1 instead: CI must run the peer.
set -euo pipefail

dir="${1:?usage: libmbus-peer.sh DIR}"
version=2.2.6
tools="mbus-tcp-request-data mbus-serial-request-data mbus-serial-scan-secondary"

unavailable() {
  echo "libmbus peer unavailable: $*" >&2
  if [ "${CI:-}" = true ]; then exit 1; fi
  exit 77
}

mkdir -p "$dir"
cd "$dir"
ready=yes
for t in $tools; do [ -x "bin/$t" ] || ready=no; done
if [ "$ready" = yes ]; then
  echo "$dir/bin"
  exit 0
fi

command -v gcc >/dev/null || unavailable "no gcc"
if [ ! -f "node-mbus-$version.tgz" ]; then
  command -v npm >/dev/null || unavailable "no npm"
  npm pack "node-mbus@$version" >npm-pack.log 2>&1 || unavailable "npm pack node-mbus@$version failed (see $dir/npm-pack.log)"
fi
rm -rf package
tar xzf "node-mbus-$version.tgz"
src=package/libmbus
[ -f "$src/mbus/mbus-protocol.c" ] || unavailable "node-mbus-$version.tgz has no package/libmbus"
mkdir -p bin
for t in $tools; do
  # the libmbus sources are not ours: their warnings are not our concern
  gcc -O2 -w -I"$src" "$src"/mbus/mbus.c "$src"/mbus/mbus-protocol.c \
    "$src"/mbus/mbus-protocol-aux.c "$src"/mbus/mbus-tcp.c "$src"/mbus/mbus-serial.c \
    "$src/bin/$t.c" -lm -o "bin/$t"
done
echo "$dir/bin"
