#!/usr/bin/python3
"""bad_traces_test.py - damaged traces: each tool ends in time with a clear
error (exit 2), never a traceback, and leaves nothing half-written.

usage: tests/bad_traces_test.py [--scripts DIR]

DIR (default: the project's scripts/) holds trace-check, trace-json and
timeline: another DIR runs the same cases on another version of them.
Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRACES = os.path.join(HERE, "traces")
LIMIT_S = 30        # a run that takes longer has hung
SCRIPTS = os.path.join(os.path.dirname(HERE), "scripts")


def tool(name, *args, env=None):
    """(exit status, stdout, stderr) of scripts/NAME ARGS; status None if
    it ran past LIMIT_S (it was killed)."""
    try:
        r = subprocess.run([os.path.join(SCRIPTS, name), *args], env=env,
                           capture_output=True, text=True, timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        return None, "", f"still running after {LIMIT_S} s"
    return r.returncode, r.stdout, r.stderr


def copy(name, tmp):
    """A copy of tests/traces/NAME to damage."""
    dest = os.path.join(tmp, name)
    shutil.copytree(os.path.join(TRACES, name), dest)
    return dest


def cut(pattern, size):
    """Every file matching pattern cut to size bytes."""
    def damage(trace):
        for path in glob.glob(os.path.join(trace, pattern), recursive=True):
            os.truncate(path, size)
    return damage


def json_file(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def refused(status, out, err, said):
    """Problems with a run that should have failed with exit status 2,
    saying `said` (a regex) on one line of stderr."""
    problems = []
    if status is None:
        problems.append(err)
    elif status != 2:
        problems.append(f"exit {status}, wanted 2")
    if "Traceback" in err:
        problems.append("a traceback: " + err.strip().splitlines()[-1])
    elif status is not None and not re.search(said, err):
        problems.append(f"stderr {err.strip()!r} does not say {said!r}")
    return problems


def all_tools(trace, said, tmp):
    """Problems with the three tools on one bad trace: each refuses it."""
    problems = []
    for name, args in (("trace-check", [trace, "lost-events"]),
                       ("trace-json", [trace, os.path.join(tmp, "t.json")]),
                       ("timeline", [trace, os.path.join(tmp, "out")])):
        problems += [f"{name}: {p}" for p in refused(*tool(name, *args), said)]
    if os.path.exists(os.path.join(tmp, "t.json")) \
            or os.path.exists(os.path.join(tmp, "out")):
        problems.append("a tool wrote its output for a bad trace")
    return problems


# ---- the cases: name -> function(tmp) -> [problem] ----

def metadata_cut(size):
    """babeltrace2's reader loops forever on a metadata file cut inside a
    packet (issue 15, item 5)."""
    def case(tmp):
        trace = copy("lesson-1", tmp)
        cut("**/metadata", size)(trace)
        return all_tools(trace, r"metadata", tmp)
    return case


def streams_cut_to_zero(tmp):
    """Every stream file empty, their index intact: the trace is damaged,
    and no message can be said to arrive once."""
    trace = copy("lesson-4", tmp)
    cut("**/channel0_[0-9]", 0)(trace)
    status, out, err = tool("trace-check", trace, "messages-once")
    problems = refused(status, out, err, r"cut short")
    if out.startswith("yes"):
        problems.append(f"answered {out.strip()!r}")
    return problems


CASES = {
    "metadata cut to 10000 bytes": metadata_cut(10000),
    "metadata cut to 100 bytes": metadata_cut(100),
    "metadata cut to 37 bytes": metadata_cut(37),
    "stream files cut to zero bytes": streams_cut_to_zero,
}


def main(argv):
    global SCRIPTS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scripts", default=SCRIPTS)
    SCRIPTS = os.path.abspath(ap.parse_args(argv).scripts)
    failed = 0
    for name, case in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            problems = case(tmp)
        for p in problems:
            print(f"FAIL: {name}: {p}")
        failed += bool(problems)
    print(f"bad traces: {len(CASES) - failed} of {len(CASES)} handled")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
