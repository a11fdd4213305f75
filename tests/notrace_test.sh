#!/usr/bin/env bash
# notrace_test.sh - the suite builds with -DMP_TRACING=OFF, a lesson prints
# what it always prints, and `make lesson-N`'s script says no timeline was made.
#
# usage: tests/notrace_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=${1:?usage: tests/notrace_test.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: tests/notrace_test.sh SOURCE_DIR BUILD_DIR}
gen=Ninja; command -v ninja >/dev/null || gen="Unix Makefiles"

cmake -S "$src" -B "$build" -G "$gen" -DMP_TRACING=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" >/dev/null
[[ ! -e "$build/trace/libmp-tp.so" ]] || { echo "FAIL: the provider was built"; exit 1; }
! nm "$build/mprun" | grep -q lttng_ust || { echo "FAIL: lttng symbols in an untraced build"; exit 1; }

out=$("$src/scripts/lesson" --build "$build" --no-trace 1 "$build/lessons/01-fork/01-fork")
grep -qE '^Process \([0-9]+\) start\.\.\.$' <<<"$out" || { echo "FAIL: lesson 1 output:"; echo "$out"; exit 1; }
grep -q '^No timeline was made: this build has tracing off' <<<"$out" || { echo "FAIL: no reason given:"; echo "$out"; exit 1; }
echo "without tracing: 1 passed, 0 failed"
