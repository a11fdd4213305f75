#!/usr/bin/python3
"""exercise_test.py - an exercise's starter fails its checks, its reference
solution passes them all, both graded the way `make exercise-N` grades a
student's file.

usage: tests/exercises/exercise_test.py --build DIR NAME starter|solution

starter: lessons/NN-name/exercise-X.c compiles, runs, and fails at least
the checks starters.tsv names for it, its run ending as starters.tsv says
(by itself, or at its time limit); it scores less than full marks.
solution: tests/exercises/solutions/NAME.c scores full marks.  Either
way nothing the run started is left running.  On a failure the score
table is printed.  Exit status 0 passed, 1 failed, 77 (skipped) when the
exercise needs what this build lacks (mprun --preload).

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
ctest sets PYTHONPATH to scripts/ (for mptrace).
"""
import argparse
import os
import sys

from mptrace.grade import exercises, report
from mptrace.grade.grader import grade, read_checks

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
SKIPPED = 77


def expected(name):
    """(checks the starter must fail, "itself" or "limit")."""
    with open(os.path.join(HERE, "starters.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            ex, fail, ends = line.rstrip("\n").split("\t")
            if ex == name:
                return [int(n) for n in fail.split()], ends
    raise SystemExit(f"exercise_test: {name} is not in starters.tsv")


def leftovers(program):
    """pids of processes still running the graded program."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/exe") == program:
                found.append(int(pid))
        except OSError:
            pass
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("name")
    ap.add_argument("kind", choices=("starter", "solution"))
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    ex, = exercises.select(TOP, [args.name])
    checks = read_checks(ex)
    source = None if args.kind == "starter" else \
        os.path.join(HERE, "solutions", f"{ex.name}.c")
    out = os.path.join(build, "test-exercises", f"{ex.name}-{args.kind}")
    graded = grade(TOP, build, ex, out, checks, source)
    table = "\n".join(report.table(graded))
    if graded.ran is not None and not graded.ran.started \
            and "--preload" in graded.ran.how:
        print(f"exercise {ex.name}: skipped: {graded.ran.how}")
        return SKIPPED
    problems = []
    if graded.built.program is None:
        problems.append(f"does not compile: {graded.built.first_error}")
    elif leftovers(graded.built.program):
        problems.append(f"left running: {leftovers(graded.built.program)}")
    if args.kind == "solution" and graded.score != graded.max_score:
        problems.append(f"scored {graded.score}/{graded.max_score}")
    if args.kind == "starter" and graded.ran is not None:
        must_fail, ends = expected(ex.name)
        passed = [i for i, r in enumerate(graded.results, 1) if r.passed]
        problems += [f"check {i} passed: the starter must fail it"
                     for i in must_fail if i in passed]
        if graded.ran.ended != (ends == "itself"):
            problems.append(f"its run {graded.ran.how}; expected it to end "
                            + ("by itself" if ends == "itself"
                               else "at its time limit"))
        if graded.score >= graded.max_score:
            problems.append("full marks")
    if problems:
        print(table)
        print(f"exercise {ex.name} {args.kind}: FAILED: "
              + "; ".join(problems))
        return 1
    print(f"exercise {ex.name} {args.kind}: {report.points(graded.score)}/"
          f"{report.points(graded.max_score)} as expected "
          f"({graded.ran.seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
