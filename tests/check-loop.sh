#!/usr/bin/env bash
# check-loop.sh - run the timing-sensitive tests (ctest label "loop") N times
# and count, test by test, how many runs passed.  lttng-ust keeps a
# check-loop target for the same reason: a race shows in the 13th run.
#
# usage: tests/check-loop.sh BUILD_DIR [N]     (N defaults to 20)
set -uo pipefail
build=${1:?usage: tests/check-loop.sh BUILD_DIR [N]}
n=${2:-20}
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: tests/check-loop.sh BUILD_DIR [N]" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
declare -A passed failed skipped

for ((i = 1; i <= n; i++)); do
  ctest --test-dir "$build" -L loop -j 2 --output-on-failure >"$log" 2>&1
  while read -r name result; do
    if [[ $result == Passed ]]; then
      passed[$name]=$(( ${passed[$name]:-0} + 1 ))
    elif [[ $result == '***Skipped' ]]; then   # (exit 77: what it needs is not built)
      skipped[$name]=$(( ${skipped[$name]:-0} + 1 ))
    else
      failed[$name]=$(( ${failed[$name]:-0} + 1 ))
      echo "run $i: $name failed:"; grep -A 30 "$name .*\*\*\*" "$log" | head -40
    fi
  done < <(sed -n 's/.*Test *#[0-9]*: \([^ ]*\) [ .*]*\(Passed\|\*\*\*[A-Za-z]*\|Failed\).*/\1 \2/p' "$log" |
           grep -v '^lttng\.')
done

total_p=0 total_f=0
for name in $(printf '%s\n' "${!passed[@]}" "${!failed[@]}" "${!skipped[@]}" | sort -u -V); do
  p=${passed[$name]:-0} f=${failed[$name]:-0}
  if [[ $((p + f)) -eq 0 ]]; then echo "$name: skipped"; continue; fi
  echo "$name: $p/$((p + f)) passed"
  total_p=$((total_p + p)); total_f=$((total_f + f))
done
echo "check-loop: $total_p passed, $total_f failed"
[[ $total_f -eq 0 ]]
