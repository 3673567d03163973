#!/bin/sh
# The module must export peas_register_types and nothing else (code symbols).
set -eu
nm="$1"
module="$2"
exports=$("$nm" -D --defined-only "$module" | awk '$2 ~ /^[TtWwVvDdBbRrGgSsi]$/ { print $3 }' | grep -v '^_' | sort)
if [ "$exports" != "peas_register_types" ]; then
  echo "unexpected exports from $module:" >&2
  echo "$exports" >&2
  exit 1
fi
echo "ok: $module exports only peas_register_types"
