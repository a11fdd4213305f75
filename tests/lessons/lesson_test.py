#!/usr/bin/python3
"""lesson_test.py - run one lesson under mprun with tracing, check what it
printed and what its trace says, and that its timeline gets drawn.

usage: tests/lessons/lesson_test.py [--no-trace] --build DIR N PROGRAM [-- ARG...]

Lesson N's checks are checks/lesson_NN.py: `output(run)` and
`trace(run, facts)` (lessonrun.py has the run and what they share).  A
lesson with no checks file (a student's own lessons/18-mine/) is skipped:
exit status 77, which ctest counts as skipped.  With --no-trace the lesson
runs with its provider not loaded (MP_TRACE=0) and only its output is
checked: a lesson prints the same with or without LTTng.

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
ctest sets PYTHONPATH to scripts/ (for mptrace); by hand:
    PYTHONPATH=scripts tests/lessons/lesson_test.py --build build 1 build/lessons/01-fork/01-fork
"""
import argparse
import importlib
import os
import sys

from lessonrun import Run, check_common

SKIPPED = 77        # ctest's SKIP_RETURN_CODE for these tests


def main():
    ap = argparse.ArgumentParser(description="Run and check one lesson.")
    ap.add_argument("--build", required=True)
    ap.add_argument("--no-trace", action="store_true")
    ap.add_argument("n", type=int)
    ap.add_argument("program")
    ap.add_argument("args", nargs="*", help="the lesson's own arguments (after --)")
    args = ap.parse_args()
    name = f"lesson_{args.n:02d}"
    if not os.path.exists(os.path.join(os.path.dirname(__file__), "checks", name + ".py")):
        print(f"lesson_test: no checks for lesson {args.n} (tests/lessons/checks/"
              f"{name}.py): skipped", file=sys.stderr)
        return SKIPPED
    checks = importlib.import_module(f"checks.{name}")
    run = Run(os.path.abspath(args.build), args.n, os.path.abspath(args.program),
              traced=not args.no_trace, args=args.args)
    facts = checks.output(run)
    if args.no_trace:
        print(f"lesson {args.n} untraced: {len(run.lines)} lines: output checks passed")
        return 0
    checks.trace(run, facts)
    check_common(run)
    print(f"lesson {args.n}: {len(run.lines)} lines, {len(run.lanes)} processes, "
          f"{len(run.trace.events)} events: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
