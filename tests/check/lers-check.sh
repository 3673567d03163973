# SPDX-License-Identifier: LGPL-2.1-or-later
# The shell half of lers-check.h, sourced by test scripts: a missing
# requirement skips the test (exit 77) outside CI and fails it under CI
# (CI set, and neither empty, 0 nor false).

lers_check_in_ci() {
  case "${CI:-}" in
    "" | 0 | false | FALSE | False) return 1 ;;
    *) return 0 ;;
  esac
}

lers_check_missing() {
  if lers_check_in_ci; then
    echo "FAIL: $1; CI is set, so a missing requirement is a failure" >&2
    exit 1
  fi
  echo "SKIP: $1" >&2
  exit 77
}

lers_check_require_path() {
  [ -e "$1" ] || lers_check_missing "$1 is absent"
}

lers_check_require_program() {
  command -v "$1" >/dev/null 2>&1 || lers_check_missing "program $1 is not installed"
}
