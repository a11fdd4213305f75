#!/usr/bin/env bash
# scripts_test.sh - bad input gets a usage line and exit status 2; the runner
# keeps its promises (exit status forwarded, leftovers named and ended,
# timeouts, no trace when LTTng is missing).
#
# usage: tests/scripts_test.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:?usage: tests/scripts_test.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect STATUS PATTERN -- COMMAND...: runs COMMAND, wants exit STATUS and
# PATTERN (an extended regex, "" for any) somewhere in stdout+stderr.
expect() {
  local want=$1 pattern=$2
  shift 3
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [[ $status -eq $want ]] && { [[ -z "$pattern" ]] || grep -qE -- "$pattern" <<<"$out"; }; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $* -> exit $status (wanted $want${pattern:+, output matching '$pattern'})"
    sed 's/^/    /' <<<"$out" | head -n 8
  fi
}

mprun=$build/mprun
lessons=$(ls -d "$build"/lessons/[0-9][0-9]-*/)

# ---- every lesson program: --help, unknown options, stray arguments ----
for dir in $lessons; do
  prog=$dir$(basename "$dir")
  expect 0 "^usage: " -- "$prog" --help
  expect 2 "^usage: " -- "$prog" --no-such-option
  expect 2 "^usage: " -- "$prog" stray-argument
done

expect 2 "--linger wants 20-10000" -- "$build/lessons/06-zombie/06-zombie" --linger 5
expect 2 "--linger wants 20-10000" -- "$build/lessons/06-zombie/06-zombie" --linger soon

expect 2 "--seed wants 0-" -- "$build/lessons/03-queue/03-queue" --seed -1
expect 2 "--durations wants 5 seconds" -- "$build/lessons/02-pool/02-pool" --durations 1,2,3
expect 2 "--durations wants 3 seconds" -- "$build/lessons/03-queue/03-queue" --durations 1,2,3,4
expect 2 "--durations wants 3 seconds" -- "$build/lessons/03-queue/03-queue" --durations 1,x,3
expect 2 "--durations wants 61 seconds" -- "$build/lessons/11-producer-consumer/11-producer-consumer" --durations 1
expect 2 "--items wants 1-1000" -- "$build/lessons/11-producer-consumer/11-producer-consumer" --items 0
expect 2 "--tasks wants 1-100" -- "$build/lessons/12-joinable-queue/12-joinable-queue" --tasks 101
expect 2 "--connect wants HOST:PORT" -- "$build/lessons/17-distributed/17-distributed" --connect bogus
expect 2 "PORT wants 1-65535" -- "$build/lessons/17-distributed/17-distributed" --connect host:0

# ---- the scripts ----
expect 0 "^usage: " -- "$top/scripts/timeline" --help
expect 2 "usage" -- "$top/scripts/timeline"
expect 2 "" -- "$top/scripts/timeline" "$tmp/no-such-trace" "$tmp/out"
[[ ! -e "$tmp/out" ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: timeline wrote $tmp/out for a missing trace"; }
expect 2 "usage" -- "$top/scripts/timeline" --bogus "$tmp" "$tmp/out"
kept=$top/tests/traces/lesson-1
expect 0 "^usage: " -- "$top/scripts/trace-check" --help
expect 0 "max-concurrent-tasks K" -- "$top/scripts/trace-check" --list
expect 2 "^usage: " -- "$top/scripts/trace-check"
expect 2 "^usage: " -- "$top/scripts/trace-check" "$kept"
expect 2 "no such trace" -- "$top/scripts/trace-check" "$tmp/no-such-trace" lost-events
expect 2 "no property 'bogus'" -- "$top/scripts/trace-check" "$kept" bogus
expect 2 "^usage: " -- "$top/scripts/trace-check" "$kept" max-concurrent-tasks
expect 2 "^usage: " -- "$top/scripts/trace-check" "$kept" max-concurrent-tasks four
expect 2 "state wants T1_MS <= T2_MS" -- "$top/scripts/trace-check" "$kept" state child Z 5
expect 2 "no processes are called 'nobody'" -- "$top/scripts/trace-check" "$kept" exitcode nobody 0
expect 2 "not a JSON list" -- "$top/scripts/trace-check" "$top/tests/traces/README.md" lost-events
expect 0 "^usage: " -- "$top/scripts/trace-json" --help
expect 2 "^usage: " -- "$top/scripts/trace-json"
expect 2 "^usage: " -- "$top/scripts/trace-json" --bogus "$kept" "$tmp/out.json"
expect 2 "no such trace" -- "$top/scripts/trace-json" "$tmp/no-such-trace" "$tmp/out.json"
expect 2 "No such file" -- "$top/scripts/trace-json" "$kept" "$tmp/no-such-dir/out.json"
[[ ! -e "$tmp/out.json" && ! -e "$tmp/no-such-dir" ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: trace-json left a file behind"; }
expect 0 "^usage: " -- "$top/scripts/trace-lesson" --help
expect 2 "^usage: " -- "$top/scripts/trace-lesson"
expect 2 "^usage: " -- "$top/scripts/trace-lesson" "$tmp/t" true
mkdir -p "$tmp/precious" && touch "$tmp/precious/file"
expect 2 "not a trace" -- "$top/scripts/trace-lesson" "$tmp/precious" -- true
[[ -f "$tmp/precious/file" ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: trace-lesson removed a directory that was not a trace"; }
expect 0 "^usage: " -- "$top/scripts/lesson" --help
expect 2 "^usage: " -- "$top/scripts/lesson"
expect 2 "^usage: " -- "$top/scripts/lesson" one "$mprun"
expect 2 "no program" -- "$top/scripts/lesson" --build "$build" 1 "$tmp/no-such-program"
expect 0 "^usage: " -- "$top/scripts/bench" --help
expect 2 "^usage: " -- "$top/scripts/bench" --bogus
for prog in bench-lessons; do
  expect 0 "^usage: " -- "$top/scripts/$prog" --help
  expect 2 "^usage: " -- "$top/scripts/$prog" --bogus
done
expect 2 "^usage: " -- "$top/scripts/bench-lessons" --runs 0
expect 2 "^usage: " -- "$top/scripts/bench-lessons" one
expect 2 "lesson 99 is not built" -- "$top/scripts/bench-lessons" --build "$build" 99
expect 0 "^usage: " -- "$top/scripts/bench-read" --help
expect 2 "^usage: " -- "$top/scripts/bench-read" --bogus
expect 2 "^usage: " -- "$top/scripts/bench-read" --sizes "1 x"
expect 2 "no program" -- "$top/scripts/bench-read" --build "$tmp/no-such-build"
expect 2 "^usage: " -- "$build/tests/bench/mp-queue-trace" 12x
expect 0 "^usage: " -- "$top/scripts/install-deps" --help
expect 2 "^usage: " -- "$top/scripts/install-deps" --bogus
expect 2 "^usage: " -- "$top/scripts/install-deps" --check extra
expect 2 "^usage: " -- "$top/tests/lttng-daemon" restart "$tmp/pid"
expect 2 "" -- make -s -C "$top" lesson-99
expect 2 "" -- make -s -C "$top" lesson-x

# A program that never calls the runtime still gets its timeline: what
# mprun saw of it (or, without LTTng, the reason there is none).
mkdir -p "$tmp/build" && ln -s "$mprun" "$tmp/build/mprun"
out=$("$top/scripts/lesson" --build "$tmp/build" 99 /bin/true 2>&1)
status=$?
if [[ $status -eq 0 ]] && ! grep -q Traceback <<<"$out" &&
   grep -qE "^(Timeline: |No timeline was made: (lttng|no LTTng|LTTng.s session daemon|the trace))" <<<"$out"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  echo "FAIL: scripts/lesson 99 /bin/true -> exit $status"
  sed 's/^/    /' <<<"$out" | tail -n 8
fi

# Two runs of one lesson at once would record into one trace: while the
# first runs (it waits on a FIFO), the second is refused.
mkfifo "$tmp/go"
"$top/scripts/lesson" --build "$tmp/build" --no-trace 99 /bin/sh -c "read x < $tmp/go" >"$tmp/first" 2>&1 &
first=$!
# (flock -E 99: exit 99 when the lock is held; its dir may not exist yet.)
for _ in $(seq 100); do
  flock -n -E 99 "$tmp/build/lessons/99/.running" true 2>/dev/null; [[ $? -eq 99 ]] && break
  sleep 0.1
done
expect 2 "lesson 99 is already running" -- "$top/scripts/lesson" --build "$tmp/build" --no-trace 99 /bin/true
timeout 10 sh -c "echo go > '$tmp/go'"
if wait $first; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL: the first run of two said:"; sed 's/^/    /' "$tmp/first" | tail -n 8
fi

# ---- no LTTng: the command still runs, the reason is said, no trace dir ----
expect 0 "no trace: lttng is not installed" -- env MP_LTTNG=/nonexistent/lttng \
  "$top/scripts/trace-lesson" "$tmp/t" -- true
[[ ! -e "$tmp/t" ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: a trace dir without LTTng"; }
expect 7 "" -- env MP_LTTNG=/nonexistent/lttng "$top/scripts/trace-lesson" "$tmp/t" -- sh -c 'exit 7'

# ---- a session daemon whose consumer died: said plainly, the command runs
# (TMPDIR: no daemon is ours, so none is restarted) ----
cat >"$tmp/lttng-no-consumer" <<'EOF2'
#!/bin/sh
case "$1" in
  enable-channel|enable-event) echo "Error: Channel mp: No UST consumer detected (session s)" >&2; exit 1 ;;
esac
exit 0
EOF2
chmod +x "$tmp/lttng-no-consumer"
expect 5 "has lost its consumer daemon" -- env MP_LTTNG="$tmp/lttng-no-consumer" TMPDIR="$tmp" \
  "$top/scripts/trace-lesson" "$tmp/t" -- sh -c 'exit 5'
[[ ! -e "$tmp/t" ]] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: a trace dir without a consumer"; }

# ---- mp-trace-stop (built with liblttng-ctl) ----
if [[ -x $build/trace/mp-trace-stop ]]; then
  expect 2 "^usage: " -- "$build/trace/mp-trace-stop"
  expect 2 "^usage: " -- "$build/trace/mp-trace-stop" s 0
  expect 2 "^usage: " -- "$build/trace/mp-trace-stop" s soon
  expect 2 "^usage: " -- "$build/trace/mp-trace-stop" --help
  expect 1 "mp-trace-stop: mp-no-such-session-$$: " -- "$build/trace/mp-trace-stop" "mp-no-such-session-$$"
fi

# ---- mprun ----
expect 0 "^usage: " -- "$mprun" --help
expect 2 "^usage: " -- "$mprun"
expect 2 "^usage: " -- "$mprun" --bogus true
expect 2 "--timeout \(seconds\) must be" -- "$mprun" --timeout abc true
expect 2 "--grace \(seconds\) must be" -- "$mprun" --grace -1 true
expect 2 "cannot run" -- "$mprun" "$tmp/no-such-program"
expect 2 "--watch-ms must be" -- "$mprun" --watch-ms 0 true
expect 2 "--watch-ms must be" -- "$mprun" --watch-ms fast true
expect 2 "--max-procs must be" -- "$mprun" --max-procs 0 true
expect 2 "--max-procs must be a whole number" -- "$mprun" --max-procs 2.5 true
expect 2 "--cgroup must be" -- "$mprun" --cgroup v3 true
expect 0 "watcher: every 1 ms" -- "$mprun" --verbose true
expect 0 "" -- "$mprun" --no-watch true
expect 0 "" -- "$mprun" true
expect 7 "" -- "$mprun" sh -c 'exit 7'
expect 143 "killed by signal 15" -- "$mprun" sh -c 'kill -TERM $$'
# An orphan that ends within the grace period is simply collected ...
expect 0 "" -- "$mprun" --grace 5 sh -c 'sleep 0.2 & exit 0'
# ... one that does not is named, killed, and the run fails.
expect 3 "killed pid [0-9]+ \(sleep\)" -- "$mprun" --grace 0.2 sh -c 'sleep 30 & exit 0'
expect 124 "ran past 0.3 s: ended the tree" -- "$mprun" --timeout 0.3 sh -c 'sleep 30'
# A zombie the lesson never collected is collected, not reported as alive.
expect 0 "" -- "$mprun" --grace 0.2 sh -c 'sh -c "exit 0" & exec sleep 0.1'

echo "scripts: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
