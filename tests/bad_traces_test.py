#!/usr/bin/python3
"""bad_traces_test.py - damaged traces, bad JSON, bad times and a Ctrl-C:
each tool ends in time with a clear error (exit 2), never a traceback, and
leaves nothing half-written.

usage: tests/bad_traces_test.py [--scripts DIR]

DIR (default: the project's scripts/) holds trace-check, trace-json and
timeline: another DIR runs the same cases on another version of them.
Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
"""
import argparse
import glob
import json
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


def bad_json(text, said):
    def case(tmp):
        return all_tools(json_file(tmp, "bad.json", text), said, tmp)
    return case


def bad_times(*args):
    def case(tmp):
        return refused(*tool("trace-check", os.path.join(TRACES, "lesson-6"),
                             "state", "main", "S", *args), r"T[12]_MS")
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


def streams_and_index_cut_to_zero(tmp):
    """Every stream file and index empty: nothing says the trace is
    damaged, but a trace without events answers no question yes."""
    trace = copy("lesson-4", tmp)
    cut("**/channel0_*", 0)(trace)
    status, out, err = tool("trace-check", trace, "messages-once")
    if status != 1 or "Traceback" in err or not out.startswith("no: "):
        return [f"exit {status}, wanted 1: {out.strip()!r} {err.strip()!r}"]
    return []


def never_called(tmp):
    """/bin/true under mprun: its lane is only what mprun saw of it."""
    out = os.path.join(tmp, "out")
    status, _, err = tool("timeline", os.path.join(TRACES, "never-called"),
                          out)
    if status != 0 or "Traceback" in err:
        return [f"exit {status}: {err.strip().splitlines()[-1:]}"]
    made = sorted(os.listdir(out))
    want = ["events.tsv", "timeline.gp", "timeline.html", "timeline.png",
            "timeline.svg"]
    return [] if made == want else [f"wrote {made}"]


def interrupted(tmp):
    """A Ctrl-C while gnuplot draws: a fake gnuplot writes the PNG, then
    interrupts its parent, the timeline, as a Ctrl-C in the terminal does.
    No traceback, exit 130, and no PNG without its SVG: nothing at all."""
    bin_dir = os.path.join(tmp, "bin")
    os.mkdir(bin_dir)
    with open(os.path.join(bin_dir, "gnuplot"), "w") as f:
        f.write("#!/bin/sh\necho png > timeline.png\nkill -INT $PPID\n"
                "sleep 5\necho svg > timeline.svg\n")
    os.chmod(os.path.join(bin_dir, "gnuplot"), 0o755)
    env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"])
    out = os.path.join(tmp, "out")
    status, _, err = tool("timeline", os.path.join(TRACES, "lesson-1"), out,
                          env=env)
    problems = [] if status == 130 else [f"exit {status}, wanted 130"]
    if "Traceback" in err:
        problems.append("a traceback: " + err.strip().splitlines()[-1])
    left = sorted(os.listdir(out)) if os.path.isdir(out) else []
    if left:
        problems.append(f"left in OUT_DIR: {left}")
    return problems


DEEP = "[" * 100_000 + "]" * 100_000
CASES = {
    "metadata cut to 10000 bytes": metadata_cut(10000),
    "metadata cut to 100 bytes": metadata_cut(100),
    "metadata cut to 37 bytes": metadata_cut(37),
    "JSON [1,2,3]": bad_json("[1,2,3]", r"event 0"),
    "JSON [{}]": bad_json("[{}]", r"event 0"),
    "JSON nested 100,000 deep": bad_json(DEEP, r"JSON"),
    "JSON ts 1e400": bad_json(json.dumps([{"ts": 1, "name": "proc_start"}])
                              .replace("1,", "1e400,"), r"ts"),
    "JSON ts NaN": bad_json('[{"ts": NaN, "name": "print", "pid": 1, '
                            '"text": "x"}]', r"ts"),
    "JSON proc_start without its pid": bad_json(
        '[{"ts": 1, "name": "proc_start", "ppid": 1, "proc_name": "x"}]',
        r"pid"),
    "state main S nan inf": bad_times("nan", "inf"),
    "state main S 0 1e400": bad_times("0", "1e400"),
    "stream files cut to zero bytes": streams_cut_to_zero,
    "stream files and index cut to zero bytes": streams_and_index_cut_to_zero,
    "timeline of a program that never called the runtime": never_called,
    "Ctrl-C while gnuplot draws": interrupted,
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
