#!/usr/bin/python3
"""grading_test.py - the grader on bad input and on the platforms classes
use: what scripts/exercise and scripts/grade promise, case by case.

usage: tests/exercises/grading_test.py --build DIR CASE

  no-compile  a hand-in that does not compile: the table shows the
              compiler's first error, 0 points, exit status 1, nothing ran
  fork-bomb   a fork bomb handed in as exercise 1a: held by its process
              cap, said so, the checks that need its end 0, nothing left
  typo        a checks file with a typo: an error naming FILE:LINE, exit
              status 2, nothing run (scripts/exercise, scripts/trace-check)
  gradescope  setup.sh and run_autograder under a temporary root laid out
              as Gradescope's (source/ with a teacher's extra checks,
              submission/, results/): make grade on a hand-in folder, a
              line per exercise, results.json in Gradescope's format that
              sums right, a missing exercise 0, a hidden extra check
  handout     make handout: no reference solution or their tests, every
              exercise and its checks, the Classroom workflow (its points
              those of the checks files); the copy configures with CMake
  picture     the 6a starter's timeline: the failed check's dashed box in
              the one colour no other mark has

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
ctest sets PYTHONPATH to scripts/ (for mptrace).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from mptrace.check import checksfile
from mptrace.draw.style import COLOURS
from mptrace.grade import exercises

from leftover import running

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
SCRIPTS = os.path.join(TOP, "scripts")
SOLUTIONS = os.path.join(HERE, "solutions")


def run(args, **kw):
    done = subprocess.run(args, capture_output=True, text=True, timeout=300,
                          **kw)
    return done.returncode, done.stdout + done.stderr


def exercise(build, *args):
    return run([os.path.join(SCRIPTS, "exercise"), "--build", build,
                "--quiet", *args])


def case_no_compile(build, tmp):
    bad = os.path.join(tmp, "bad.c")
    with open(bad, "w") as f:
        f.write("#include <unistd.h>\nint main(void)\n{\n"
                "\treturn fork() + undeclared;\n}\n")
    status, out = exercise(build, "--source", bad, "6a")
    assert status == 1, f"exit status {status}\n{out}"
    assert "does not compile" in out, out
    assert re.search(r"bad\.c:4:\d+: error: .undeclared. undeclared", out), out
    assert re.search(r"^\s+0/8\s+score", out, re.M), out
    assert "run under mprun" not in out, "it was run"
    assert not os.path.exists(os.path.join(build, "exercises", "6a",
                                           "exercise-6a")), "a program left"


def case_fork_bomb(build, tmp):
    bomb = os.path.join(TOP, "tests", "runner", "forkbomb.c")
    out_dir = os.path.join(tmp, "bomb")
    status, out = exercise(build, "--source", bomb, "--out", out_dir,
                           "--no-picture", "1a")
    assert status == 1, f"exit status {status}\n{out}"
    assert "passed its process cap (8 processes): mprun ended the whole " \
        "tree" in out, out
    assert "this check needs its end, so it scores 0" in out, out
    # (zombies-under may pass: it asks about every moment, needs no end)
    assert re.search(r"^\s+[01]/10\s+score", out, re.M), out
    with open(os.path.join(out_dir, "stderr.txt")) as f:
        assert "process cap 8 reached" in f.read(), "mprun said nothing"
    left = running(os.path.join(out_dir, "exercise-1a"))
    assert not left, f"left running: {left}"


def case_typo(build, tmp):
    extra = os.path.join(tmp, "extra")
    os.makedirs(extra)
    with open(os.path.join(extra, "6a.checks"), "w") as f:
        f.write("# a teacher's\n2  child-count main 1\n1  zombie-undr 5\n")
    status, out = exercise(build, "--extra", extra, "6a")
    assert status == 2, f"exit status {status}\n{out}"
    assert "6a.checks:3: no property 'zombie-undr' (did you mean " \
        "'zombies-under'?)" in out, out
    assert "building" not in out, "it went on"
    status, out = run([os.path.join(SCRIPTS, "trace-check"),
                       os.path.join(TOP, "tests", "traces", "lesson-6"),
                       "--checks", os.path.join(extra, "6a.checks")])
    assert status == 2 and "6a.checks:3: no property" in out, out
    with open(os.path.join(extra, "6a.checks"), "w") as f:
        f.write("2 child-count main\n")
    status, out = exercise(build, "--extra", extra, "6a")
    assert status == 2 and "6a.checks:1: child-count wants PARENT N, got " \
        "1 argument(s)" in out, out


def _hand_in(tmp):
    """A hand-in: 6a solved (as in the suite), 1a the starter (flat), no
    3a at all."""
    folder = os.path.join(tmp, "hand-in")
    os.makedirs(os.path.join(folder, "repo", "lessons", "06-zombie"))
    shutil.copy(os.path.join(SOLUTIONS, "6a.c"), os.path.join(
        folder, "repo", "lessons", "06-zombie", "exercise-a.c"))
    shutil.copy(os.path.join(TOP, "lessons", "01-fork", "exercise-a.c"),
                os.path.join(folder, "exercise-1a.c"))
    with open(os.path.join(folder, "repo", "lessons", "06-zombie",
                           "exercise-a.checks"), "w") as f:
        f.write("100 lost-events\n")        # never read: the suite's are
    return folder


def _check_results(path, graded):
    """results.json: Gradescope's shape, the sum right; returns it."""
    with open(path) as f:
        results = json.load(f)
    tests = results["tests"]
    assert all(set(t) >= {"name", "score", "max_score", "output"}
               for t in tests), tests[0]
    assert results["score"] == sum(t["score"] for t in tests), results
    wanted = sum(checksfile.read(e.checks).points
                 for e in exercises.select(TOP, graded))
    assert sum(t["max_score"] for t in tests) >= wanted
    return results


def case_gradescope(build, tmp):
    """setup.sh and run_autograder under a temporary root laid out as
    Gradescope's: source/ (the suite, and a teacher's extra checks),
    submission/ (a hand-in: 6a solved in the suite's layout, 1a the
    starter, flat, 3a missing), results/."""
    root = os.path.join(tmp, "autograder")
    source = os.path.join(root, "source")
    os.makedirs(os.path.join(root, "results"))
    os.makedirs(os.path.join(source, "extra-checks"))
    for entry in os.listdir(TOP):
        os.symlink(os.path.join(TOP, entry), os.path.join(source, entry))
    with open(os.path.join(source, "extra-checks", "6a.checks"), "w") as f:
        f.write("visibility hidden\n1  child-count main 1  -- main makes "
                "one child\n")
    shutil.copytree(_hand_in(tmp), os.path.join(root, "submission"))
    env = dict(os.environ, AUTOGRADER_ROOT=root, AUTOGRADER_BUILD=build)
    status, out = run([os.path.join(SCRIPTS, "gradescope", "setup.sh")],
                      env=env)
    assert status == 0, f"setup.sh: exit status {status}\n{out}"
    status, out = run([os.path.join(SCRIPTS, "gradescope", "run_autograder")],
                      env=dict(env, AUTOGRADER_EXERCISES="6a 1a 3a"),
                      cwd=root)
    assert status == 0, f"run_autograder: exit status {status}\n{out}"
    with open(os.path.join(root, "results", "grade.log")) as f:
        log = f.read()
    assert re.search(r"^exercise 6a .* 9/9 +OK", log, re.M), log
    assert re.search(r"^exercise 1a .* 3/10 +FAIL", log, re.M), log
    assert re.search(r"^exercise 3a .* 0/10 +FAIL", log, re.M), log
    assert "the hand-in has no lessons/03-queue/exercise-a.c" in log, log
    assert "Score: 12/29" in log, log
    results = _check_results(os.path.join(root, "results", "results.json"),
                             ["6a", "1a", "3a"])
    assert results["score"] == 12, results["score"]
    assert len(results["tests"]) == 4 + 4 + 4, len(results["tests"])
    hidden = [t for t in results["tests"] if t["visibility"] == "hidden"]
    assert [t["name"] for t in hidden] == ["6a: main makes one child"], hidden
    failed = [t for t in results["tests"] if t["name"].startswith("1a")
              and t["score"] == 0]
    assert any("collected child" in t["output"] and "look at:" in
               t["output"] for t in failed), failed


def case_handout(build, tmp):
    status, out = run([os.path.join(SCRIPTS, "handout"), "--out", tmp])
    assert status == 0, out
    copy = os.path.join(tmp, "mp-teach")
    assert not os.path.exists(os.path.join(copy, "tests", "exercises")), \
        "the reference solutions are in the handout"
    for ex in exercises.all_exercises(TOP):
        for path in (ex.relpath, ex.relpath[:-2] + ".checks"):
            assert os.path.isfile(os.path.join(copy, path)), path
    with open(os.path.join(copy, ".github", "workflows",
                           "classroom.yml")) as f:
        workflow = f.read()
    steps = re.findall(r"scripts/exercise --no-picture (\w+)\n"
                       r"\s+timeout: \d+\n\s+max-score: (\d+)", workflow)
    points = {e.name: checksfile.read(e.checks).points
              for e in exercises.all_exercises(TOP)}
    assert {n: float(p) for n, p in steps} == points, (steps, points)
    assert os.path.isfile(os.path.join(tmp, "mp-teach.tar.gz"))
    status, out = run(["cmake", "-S", copy, "-B", os.path.join(tmp, "b"),
                       "-G", "Ninja"])
    assert status == 0, f"the handout does not configure:\n{out}"
    status, out = run(["ctest", "--test-dir", os.path.join(tmp, "b"), "-N"])
    assert status == 0 and "exercise." not in out and "lesson.1" in out, out


def case_picture(build, tmp):
    out_dir = os.path.join(tmp, "6a")
    status, out = exercise(build, "--out", out_dir, "6a")
    assert status == 1, out
    with open(os.path.join(out_dir, "timeline.gp")) as f:
        script = f.read()
    box = re.search(r"\$violations << EOD\n# .*\n(\S+) (\S+) 1\n", script)
    assert box, "no violation box on the child's lane (lane 1)"
    assert float(box[2]) - float(box[1]) > 100, "the box is not the zombie's"
    colour = COLOURS["violation"]
    assert list(COLOURS.values()).count(colour) == 1, "colour not unique"
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    with open(os.path.join(out_dir, "timeline.svg")) as f:
        drawn = {tuple(map(int, m)) for m in re.findall(
            r"rgb\( *(\d+), *(\d+), *(\d+)\)", f.read())}
    assert rgb in drawn, f"{colour} is not in the SVG"


CASES = {name[5:].replace("_", "-"): fn for name, fn in globals().items()
         if name.startswith("case_")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix=f"grading-{args.case}-")
    try:
        CASES[args.case](os.path.abspath(args.build), tmp)
    except AssertionError as error:
        print(f"grading {args.case}: FAILED: {error}")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"grading {args.case}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
