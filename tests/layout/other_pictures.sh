#!/usr/bin/env bash
# other_pictures.sh - the pictures the lessons' own are not: `make
# compare-N`'s (a lesson in C above its Python version) and `trace-run`'s
# (a program that never calls the runtime, preloaded), each drawn from a
# fresh recording and checked by layout_test.py as the lessons' are.
#
# usage: tests/layout/other_pictures.sh BUILD_DIR
# Exit status: 0 both read at a glance; 1 not; 2 bad usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-}
[[ -n "$build" && -f "$build/CMakeCache.txt" && $# -eq 1 ]] ||
  { echo "usage: tests/layout/other_pictures.sh BUILD_DIR" >&2; exit 2; }
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
status=0

# Lesson 1 in C and in Python, on one time axis (into BUILD/lessons/1/).
"$top/scripts/compare" --build "$build" --seed 22 1 >"$out/compare.log" 2>&1 ||
  { cat "$out/compare.log"; exit 1; }
/usr/bin/python3 "$here/layout_test.py" "$build/lessons/1/compare" || status=1

# ls | wc written by hand, no runtime in it: only the preload sees it.
"$top/scripts/trace-run" --build "$build" --out "$out/lswc" -- \
  "$build/tests/interpose/lswc" "$top" >"$out/lswc.log" 2>&1 ||
  { cat "$out/lswc.log"; exit 1; }
/usr/bin/python3 "$here/layout_test.py" "$out/lswc/trace" || status=1
exit $status
