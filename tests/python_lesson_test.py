#!/usr/bin/python3
"""python_lesson_test.py - check a lesson's Python version with the C
lesson's own output check.

usage: tests/python_lesson_test.py --build DIR N PROGRAM [-- ARG...]
(ctest sets PYTHONPATH to scripts/ and tests/lessons/.)

Runs PROGRAM (lessons/NN-name/NAME.py) under mprun, as `lesson_test.py
--no-trace` runs the C lesson, and applies the same output check
(tests/lessons/checks/lesson_NN.py).  Where
Python's own words differ from the C's (an exception's name, a function's,
a process name), DIFFERENCES names the line and why: Python must print
that line (it is checked), and it is then read as the C line it stands
for.  Every other line must pass as the C's does.  Then bad input: an
unknown option gets a usage line and exit status 2, no traceback.

Debian's /usr/bin/python3 on purpose: the lessons' shebang, and
lesson_test's bindings.
"""
import argparse
import importlib
import os
import re
import subprocess
import sys

from lessonrun import Run

SKIPPED = 77        # ctest's SKIP_RETURN_CODE for these tests

# N: [(Python's line, a regex; the C's line it stands for, a template; why)]
DIFFERENCES = {
    4: [(r"parent: send on the receiving end r: connection is read-only \(refused\)",
         r"parent: send on the receiving end r: Bad file descriptor (refused)",
         "Python refuses in Connection.send(), before the write() that gets EBADF"),
        (r"parent: recv: end of file \(EOFError\)",
         r"parent: recv: end of file (EPIPE; Python raises EOFError)",
         "EOFError is what Python raises; EPIPE is the C runtime's errno")],
    6: [(r"( +\d+ +\d+ Z +)zombie\.py( <defunct>)", r"\g<1>06-zombie\2",
         "the zombie's name is the script's, zombie.py, not the C binary's")],
    8: [(r"In Counter-(\d+): (.*)", r"In Process-\1: \2",
         "a Process subclass is named after its class: Counter-6")],
    10: [(r"daemon: start\(\) of a child failed: AssertionError: (.*)",
          r"daemon: start() of a child failed: Operation not permitted - \1",
          "Python asserts; the C runtime fails with EPERM")],
    15: [(r"close\(\) = None", r"pclose() = 0",
          "os.popen(...).close() returns None for exit status 0"),
         (r"CalledProcessError: Command '\['sh', '-c', 'echo about to fail; exit 5'\]' (.*)",
          r"""CalledProcessError: Command 'sh -c "echo about to fail; exit 5"' \1""",
          "Python shows the command as a list")],
    17: [(r"intruder: connect with authkey b'wrong': refused "
          r"\(AuthenticationError: digest sent was rejected\)",
          r"intruder: connect with authkey b'wrong': refused (EACCES: wrong authkey)",
          "Python raises AuthenticationError; the C runtime fails with EACCES")],
}


def read_as_c(lines, differences):
    """Replaces each differing Python line by the C's; asserts each is there.
    Returns how many lines it replaced."""
    total = 0
    for pattern, c_line, why in differences:
        hits = 0
        for i, line in enumerate(lines):
            m = re.fullmatch(pattern, line)
            if m:
                lines[i] = m.expand(c_line)
                hits += 1
        assert hits, f"no line matches {pattern!r} ({why})"
        total += hits
    return total


def bad_input(program):
    r = subprocess.run([program, "--no-such-option"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2, f"--no-such-option: exit status {r.returncode}"
    assert r.stderr.startswith("usage: ") and "Traceback" not in r.stderr, r.stderr


def main():
    ap = argparse.ArgumentParser(description="Check a lesson's Python version.")
    ap.add_argument("--build", required=True)
    ap.add_argument("n", type=int)
    ap.add_argument("program")
    ap.add_argument("args", nargs="*", help="the program's own arguments (after --)")
    args = ap.parse_args()
    try:
        checks = importlib.import_module(f"checks.lesson_{args.n:02d}")
    except ModuleNotFoundError:     # a student's own lessons/18-mine/
        print(f"python_lesson_test: no checks for lesson {args.n} (tests/lessons/"
              f"checks/lesson_{args.n:02d}.py): skipped", file=sys.stderr)
        return SKIPPED
    program = os.path.abspath(args.program)
    run = Run(os.path.abspath(args.build), args.n, program, traced=False, args=args.args)
    replaced = read_as_c(run.lines, DIFFERENCES.get(args.n, []))
    checks.output(run)
    bad_input(program)
    print(f"lesson {args.n} in Python: {len(run.lines)} lines, {replaced} read as the C's: "
          "output checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
