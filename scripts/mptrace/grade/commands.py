"""scripts/exercise and scripts/grade: their command lines."""

import argparse
import os
import sys
import time

from .. import cli
from ..errors import UsageError
from ..read import convert
from . import exercises, report
from .build import Built
from .grader import Graded, grade, read_checks, shown_path
from .score import none_counted

TOP = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..",
                                    ".."))


class Parser(argparse.ArgumentParser):
    """Fails in one line, with status 2."""

    def error(self, message):
        raise cli.Failed(2, f"{message}\n{self.format_usage().strip()}")


def _common(parser):
    parser.add_argument("--build", metavar="DIR",
                        default=os.path.join(TOP, "build"),
                        help="the build directory (default: build/)")
    parser.add_argument("--extra", metavar="DIR",
                        help="a teacher's extra checks: DIR/6a.checks is "
                        "added to exercise 6a's own")


def _shown(path):
    return shown_path(TOP, path)


def exercise_main(argv):
    """make exercise-6a: one exercise, its table and its marked picture."""
    p = Parser(prog="exercise", description="Build an exercise's file, run "
               "it under mprun traced, draw its timeline with each failed "
               "check marked, print its score table.  Exit status 0: full "
               "marks; 1: not; 2: bad usage or a checks file with an error.")
    _common(p)
    p.add_argument("--source", metavar="FILE",
                   help="grade FILE instead of the exercise's own file")
    p.add_argument("--out", metavar="DIR", help="where the files go "
                   "(default: BUILD/exercises/NAME)")
    p.add_argument("--no-picture", action="store_true",
                   help="do not draw the timeline")
    p.add_argument("--quiet", action="store_true",
                   help="do not show the program's output as it runs")
    p.add_argument("name", metavar="NAME", help="the exercise: 6a")
    args = p.parse_args(argv)
    try:
        ex, = exercises.select(TOP, [args.name])
        checks = read_checks(ex, exercises.extra_checks(ex, args.extra))
    except UsageError as error:
        raise cli.Failed(2, str(error))
    out = args.out or os.path.join(args.build, "exercises", ex.name)
    if args.source and not os.path.isfile(args.source):
        raise cli.Failed(2, f"{args.source}: no such file")
    print(f"exercise {ex.name}: building {args.source or ex.relpath} and "
          f"running it under mprun (at most {checks.timeout:g} s, "
          f"{checks.max_procs} processes)", flush=True)
    graded = _grade(ex, checks, out, args, args.source,
                    echo=not args.quiet, picture=not args.no_picture)
    print()
    print("\n".join(report.table(graded)))
    if graded.picture:
        print(f"\nTimeline: {_shown(graded.picture)}"
              + ("  (each failed check is marked in magenta, numbered as "
                 "above)" if graded.score < graded.max_score else ""))
    elif graded.ran is not None and not args.no_picture:
        print("\nNo timeline was drawn.")
    return 0 if graded.score == graded.max_score else 1


def grade_main(argv):
    """make grade: every exercise or those named; results.json."""
    p = Parser(prog="grade", description="Grade every exercise (or those "
               "named): a line each, the failed checks' evidence, the "
               "total; write results.json in Gradescope's format.  Exit "
               "status 0: full marks; 1: not; 2: bad usage.")
    _common(p)
    p.add_argument("--submission", metavar="DIR", help="grade the hand-in "
                   "in DIR: each exercise's file from it (as "
                   "lessons/NN-name/exercise-X.c, or exercise-6a.c), never "
                   "its checks")
    p.add_argument("--out", metavar="DIR", help="where each exercise's "
                   "files go (default: BUILD/grade)")
    p.add_argument("--results", metavar="FILE", help="results.json's path "
                   "(default: OUT/results.json)")
    p.add_argument("--pictures", action="store_true",
                   help="draw each exercise's marked timeline too")
    p.add_argument("names", metavar="NAME", nargs="*",
                   help="exercises (default: all)")
    args = p.parse_args(argv)
    if args.submission and not os.path.isdir(args.submission):
        raise cli.Failed(2, f"{args.submission}: no such folder")
    try:
        chosen = exercises.select(TOP, args.names)
        checks = {ex.name: read_checks(ex, exercises.extra_checks(
            ex, args.extra)) for ex in chosen}
    except UsageError as error:
        raise cli.Failed(2, str(error))
    out = args.out or os.path.join(args.build, "grade")
    start, everything = time.monotonic(), []
    for ex in chosen:
        source = None
        if args.submission:
            source = exercises.submitted(ex, args.submission)
        if args.submission and source is None:
            graded = _missing(ex, checks[ex.name])
        else:
            graded = _grade(ex, checks[ex.name], os.path.join(out, ex.name),
                            args, source, picture=args.pictures)
        everything.append(graded)
        print(report.summary_line(graded), flush=True)
        for line in report.failures(graded):
            print(line[:200])
    results = report.results_json(everything, time.monotonic() - start,
                                  args.results
                                  or os.path.join(out, "results.json"))
    most = sum(g.max_score for g in everything)
    print(f"Score: {report.points(results['score'])}/{report.points(most)}")
    print(f"Results: {_shown(args.results or os.path.join(out, 'results.json'))}")
    return 0 if results["score"] == most else 1


def _grade(ex, checks, out, args, source, echo=False, picture=False):
    convert.use_build(args.build)       # the trace read once, by its build
    try:
        return grade(TOP, args.build, ex, out, checks, source, echo,
                     picture)
    except UsageError as error:     # no compile.json: not built
        raise cli.Failed(2, str(error))


def _missing(ex, checks):
    """Graded for an exercise a hand-in does not have."""
    why = f"the hand-in has no {ex.relpath} (nor exercise-{ex.name}.c)"
    return Graded(ex, checks, ex.relpath, Built(None, "", why, 0), "",
                  None, none_counted(checks.checks, why))


def main(command):
    """The entry point of scripts/<command>."""
    main = exercise_main if command == "exercise" else grade_main
    sys.exit(cli.run(command, main, sys.argv[1:]))
