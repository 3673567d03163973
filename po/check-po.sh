#!/usr/bin/env bash
# Fails when po/ru.po lacks a translation of any user-facing string, or has a
# fuzzy or untranslated entry, or does not compile.
set -euo pipefail
po="$1"
top="$po/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"
grep -v '^#' po/POTFILES | grep -v '^$' >"$tmp/files"
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --add-comments -o "$tmp/lers.pot" -f "$tmp/files"
msgcmp --use-untranslated "$po/ru.po" "$tmp/lers.pot" || { echo "ru.po misses strings (above)"; exit 1; }
stats=$(LC_ALL=C msgfmt --check --statistics -o "$tmp/ru.mo" "$po/ru.po" 2>&1)
echo "ru.po: $stats"
case "$stats" in
  *fuzzy*|*untranslated*) echo "ru.po has fuzzy or untranslated entries"; exit 1 ;;
esac
echo "ru.po complete"
