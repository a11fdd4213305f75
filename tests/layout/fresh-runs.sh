#!/usr/bin/env bash
# fresh-runs.sh - every lesson run N times as make lesson-N runs it, each
# run's timeline checked by tests/layout/layout_test.py: the layout test
# on fresh traces, not only the recorded ones.  `make check-layout` calls it.
#
# usage: tests/layout/fresh-runs.sh BUILD_DIR [N] [LESSON...]   (N: 5)
#
# Prints each failed run's problems, then per lesson how many runs read at
# a glance (a lesson in layout_test.py's STILL_OPEN: how many were within
# its ceiling).  Exit status: 0 all did (or were within), 1 one did not,
# 2 bad usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
usage() { echo "usage: tests/layout/fresh-runs.sh BUILD_DIR [N] [LESSON...]" >&2; exit 2; }
build=${1:-}; [[ -n "$build" && -f "$build/CMakeCache.txt" ]] || usage
n=${2:-5}; [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage
shift $(( $# >= 2 ? 2 : 1 ))
lessons=("$@")
[[ ${#lessons[@]} -gt 0 ]] || read -r -a lessons <<<"$(ls -d "$top"/lessons/[0-9][0-9]-*/ |
  sed 's|.*/0*\([0-9][0-9]*\)-[^/]*/$|\1|' | tr '\n' ' ')"
log=$(mktemp); trap 'rm -f "$log"' EXIT
declare -A good open
failed=0
for ((i = 1; i <= n; i++)); do
  for lesson in "${lessons[@]}"; do
    if ! cmake --build "$build" --target "lesson-$lesson" >"$log" 2>&1; then
      echo "run $i: lesson $lesson did not run:"; tail -5 "$log"; failed=1; continue
    fi
    if PYTHONPATH="$top/scripts" /usr/bin/python3 "$here/layout_test.py" \
        "$build/lessons/$lesson/trace" >"$log" 2>&1; then
      if grep -q '^open:' "$log"; then   # within layout_test's STILL_OPEN
        open[$lesson]=$(( ${open[$lesson]:-0} + 1 ))
        echo "run $i: lesson $lesson, still open:"; grep '^open:' "$log"
      else
        good[$lesson]=$(( ${good[$lesson]:-0} + 1 ))
        echo "run $i: lesson $lesson reads at a glance"
      fi
    else
      echo "run $i: lesson $lesson:"; grep -v '^layout:' "$log"; failed=1
    fi
  done
done
for lesson in "${lessons[@]}"; do
  echo "lesson $lesson: ${good[$lesson]:-0} of $n runs read at a glance" \
    "${open[$lesson]:+(${open[$lesson]} still open)}"
done
exit $failed
