#!/usr/bin/env bash
# valgrind_test.sh - a lesson under valgrind's memcheck ends, and none of
# its processes loses memory (issue 15: lesson 2's pool hung under
# valgrind, which has no pidfd_open(); lesson 5's manager server freed
# nothing at exit).
#
# usage: tests/faults/valgrind_test.sh BUILD_DIR PROGRAM [ARG...]
# Exit status: 0; 1 if PROGRAM failed, hung (60 s) or lost memory;
# 77 (skipped) without valgrind; 2 for bad usage.
set -uo pipefail

[[ $# -ge 2 ]] || { echo "usage: tests/faults/valgrind_test.sh BUILD_DIR PROGRAM [ARG...]" >&2; exit 2; }
build=$1
shift
command -v valgrind >/dev/null || { echo "valgrind_test: no valgrind: skipped"; exit 77; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The provider stays unloaded: LTTng's own allocations are not the runtime's.
# valgrind follows every fork and reports each process's leaks at its exit.
MP_TRACE=0 "$build/mprun" --timeout 60 \
  valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  "$@" >/dev/null 2>"$log"
status=$?
if [[ $status -ne 0 ]]; then
  echo "FAIL: $* under valgrind: exit status $status (124: it did not end in 60 s)"
  grep -v "unhandled amd64-linux syscall\|handler\|README_MISSING\|bug\|valgrind.org" "$log" | tail -n 20
  exit 1
fi
if grep -q "definitely lost" "$log"; then
  echo "FAIL: $* under valgrind: memory definitely lost"
  grep -A 12 "definitely lost" "$log" | head -n 40
  exit 1
fi
echo "$(basename "$1") under valgrind: ended, nothing definitely lost"
