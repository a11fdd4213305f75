#!/usr/bin/env bash
# setup.sh - Gradescope runs this once, as root, while it builds the
# autograder's image (Ubuntu): the packages the suite needs, then the
# runtime, the runner and what the grader compiles a hand-in with.
#
# The autograder zip is the teacher's copy of the suite (with setup.sh and
# run_autograder from this folder at its top, as Gradescope wants them)
# and, if the teacher has any, extra-checks/ (6a.checks, ...): unpacked in
# /autograder/source.
#
# AUTOGRADER_ROOT (default /autograder) and AUTOGRADER_BUILD (default
# $AUTOGRADER_ROOT/source/build) let the suite's tests lay out the same
# folders under a temporary root.
set -euo pipefail

root=${AUTOGRADER_ROOT:-/autograder}
src=$root/source
build=${AUTOGRADER_BUILD:-$src/build}

"$src/scripts/install-deps"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF
fi
cmake --build "$build" --target exercise-tools
