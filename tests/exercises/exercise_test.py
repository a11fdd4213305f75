#!/usr/bin/python3
"""exercise_test.py - an exercise's starter fails its checks, its reference
solution passes them all, both graded the way `make exercise-N` grades a
student's file, side by side.

usage: tests/exercises/exercise_test.py --build DIR NAME

The starter (lessons/NN-name/exercise-X.c) compiles, runs, and fails at
least the checks starters.tsv names for it, its run ending as starters.tsv
says (by itself, or at its time limit, the checks that need its end then
scoring 0 and saying why); it scores less than full marks.  The reference
solution (tests/exercises/solutions/NAME.c) scores full marks.  Nothing
either run started is left running.  On a failure the score table is
printed.  Exit status 0 passed, 1 failed, 77 (skipped) when the exercise
needs what this build lacks (mprun --preload).

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
ctest sets PYTHONPATH to scripts/ (for mptrace).
"""
import argparse
import os
import subprocess
import sys
import threading

from mptrace.check import lookup
from mptrace.draw import check_layout
from mptrace.grade import exercises, report
from mptrace.grade.grader import grade, marked, read_checks
from mptrace.read.load import load

from leftover import running

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


def problems_of(graded, kind, name):
    """What is wrong with one graded run, as words (none: as it should)."""
    problems = []
    if graded.built.program is None:
        return [f"does not compile: {graded.built.first_error}"]
    left = running(graded.built.program)
    if left:
        problems.append(f"left running: {left}")
    if kind == "solution":
        if graded.score != graded.max_score:
            problems.append(f"scored {graded.score}/{graded.max_score}")
        return problems
    must_fail, ends = expected(name)
    passed = [i for i, r in enumerate(graded.results, 1) if r.passed]
    problems += [f"check {i} passed: the starter must fail it"
                 for i in must_fail if i in passed]
    if graded.ran.ended != (ends == "itself"):
        problems.append(f"its run {graded.ran.how}; expected it to end "
                        + ("by itself" if ends == "itself"
                           else "at its time limit"))
    if not graded.ran.ended:
        problems += [f"check {i} needs the end but does not say why it "
                     "scores 0" for i, r in enumerate(graded.results, 1)
                     if lookup(r.check.prop).needs_end and
                     (r.score or "time limit" not in r.note)]
    if graded.score >= graded.max_score:
        problems.append("full marks")
    # The starter's picture, its failed checks marked, reads at a glance.
    if graded.picture:
        problems += [f"picture: {p}" for p in check_layout.problems(
            marked(load(graded.ran.trace_dir), graded))]
    return problems


def preload_missing(build, checks):
    """The exercise wants mprun --preload and this mprun has none."""
    if not checks.preload:
        return False
    usage = subprocess.run([os.path.join(build, "mprun"), "--help"],
                           capture_output=True, text=True).stdout
    return "--preload" not in usage


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("name")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    ex, = exercises.select(TOP, [args.name])
    checks = read_checks(ex)
    if preload_missing(build, checks):
        print(f"exercise {ex.name}: skipped: it needs mprun --preload, "
              "which this build has not")
        return SKIPPED
    sources = {"starter": None,
               "solution": os.path.join(HERE, "solutions", f"{ex.name}.c")}
    graded = {}

    def one(kind):
        out = os.path.join(build, "test-exercises", f"{ex.name}-{kind}")
        graded[kind] = grade(TOP, build, ex, out, checks, sources[kind])

    threads = [threading.Thread(target=one, args=(kind,))
               for kind in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = False
    for kind, g in graded.items():
        problems = problems_of(g, kind, ex.name)
        took = f"{g.ran.seconds:.1f} s" if g.ran else "not run"
        if problems:
            print("\n".join(report.table(g)))
            print(f"exercise {ex.name} {kind}: FAILED: "
                  + "; ".join(problems))
            failed = True
        else:
            print(f"exercise {ex.name} {kind}: {report.points(g.score)}/"
                  f"{report.points(g.max_score)} as expected ({took})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
