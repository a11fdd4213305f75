#!/usr/bin/python3
"""lesson_test.py - run one lesson under mprun with tracing, check what it
printed and what its trace says, and that its timeline gets drawn.

usage: tests/lessons/lesson_test.py [--no-trace] --build DIR N PROGRAM

Each lesson's checks are two functions below: `output_N(run)` checks what it
printed (`run.lines`, `run.stderr`) and returns facts it read (pids);
`trace_N(run, facts)` checks the trace (`run.trace`, `run.lanes`, see
scripts/mptrace.py).  A check is an assert on a property that holds on every
run, whatever the timing.  With --no-trace the lesson runs with its
provider not loaded (MP_TRACE=0) and only its output is checked: a lesson
prints the same with or without LTTng.

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
"""
import argparse
from collections import Counter
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "scripts"))
import mptrace  # noqa: E402


class Run:
    """One traced run of a lesson."""

    def __init__(self, build, n, program, traced=True):
        self.out = os.path.join(build, "test-lessons", str(n))
        os.makedirs(self.out, exist_ok=True)
        trace_dir = os.path.join(self.out, "trace")
        cmd = [os.path.join(build, "mprun"), "--grace", "1", program]
        env = dict(os.environ)
        if traced:
            cmd = [os.path.join(TOP, "scripts", "trace-lesson"), trace_dir, "--"] + cmd
        else:
            env["MP_TRACE"] = "0"
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
        self.status = proc.returncode
        self.stdout, self.stderr = proc.stdout, proc.stderr
        self.lines = proc.stdout.splitlines()
        assert self.status == 0, f"exit status {self.status}\n{proc.stderr}"
        if not traced:
            return
        assert os.path.isdir(trace_dir), f"no trace recorded:\n{proc.stderr}"
        self.trace_dir = trace_dir
        self.trace = mptrace.load(trace_dir)
        self.procs = mptrace.processes(self.trace)
        self.lanes = mptrace.lanes(self.trace)

    def events(self, name, **fields):
        """The lesson's events called `name` whose fields match."""
        pids = {p.pid for p in self.lanes}
        return [e for e in self.trace.events
                if e["name"] == name and e.get("pid") in pids
                and all(e.get(k) == v for k, v in fields.items())]


def match(pattern, line):
    m = re.fullmatch(pattern, line)
    assert m, f"line {line!r} does not match {pattern!r}"
    return m


def check_common(run):
    """What every lesson owes: nothing lost, every process collected, the
    printed lines in the trace, a timeline drawn."""
    assert not run.trace.discarded, f"LTTng lost {run.trace.discarded} events"
    main = run.lanes[0]
    for p in run.lanes:
        assert p.reap_ts is not None, f"{p.name} ({p.pid}) was never collected"
    # Two processes printing at once may record in the other order than
    # they wrote: compare the lines, not their order.
    printed = Counter(e["text"] for e in run.events("print"))
    assert printed == Counter(l for l in run.lines if l), "print events differ from stdout"

    out = run.out
    r = subprocess.run([os.path.join(TOP, "scripts", "timeline"), "--title", "test",
                        run.trace_dir, out], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"timeline failed: {r.stderr}"
    with open(os.path.join(out, "timeline.png"), "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "timeline.png is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    assert width == 1280 and height >= 200, f"timeline.png is {width}x{height}"
    with open(os.path.join(out, "timeline.svg")) as f:
        assert "<svg" in f.read(2000), "timeline.svg is not an SVG"


# ---- lesson 1: fork ---------------------------------------------------------

def output_1(run):
    lines = run.lines
    assert len(lines) == 4, f"expected 4 lines, got {lines}"
    parent = int(match(r"Process \((\d+)\) start\.\.\.", lines[0])[1])
    middle = sorted(lines[1:3])          # these two may come in either order
    m_parent = match(r"I \((\d+)\) just created a child process \((\d+)\)\.", middle[0])
    m_child = match(r"I am child process \((\d+)\) and my parent is (\d+)\.", middle[1])
    child = int(m_child[1])
    assert int(m_child[2]) == parent, "the child's ppid is not the parent's pid"
    assert int(m_parent[1]) == parent and int(m_parent[2]) == child
    match(rf"Child {child} ended with exit status 0; the parent collected it\.", lines[3])
    return {"parent": parent, "child": child}


def trace_1(run, facts):
    parent, child = facts["parent"], facts["child"]
    assert [p.pid for p in run.lanes] == [parent, child], "lanes are not parent, child"
    forks = run.events("proc_fork")
    exits = run.events("proc_exit", pid=child)
    reaps = run.events("proc_reap", pid=parent)
    assert len(forks) == 1 and forks[0]["pid"] == parent and forks[0]["child"] == child
    assert len(exits) == 1 and exits[0]["code"] == 0
    assert len(reaps) == 1 and reaps[0]["child"] == child and reaps[0]["exitcode"] == 0
    assert run.procs[child].ppid == parent
    # Orders that hold on every run.  (Not fork event <= exit: the parent
    # records proc_fork when fork() returns in it, and the child may have
    # run to its end by then.)
    starts = run.events("proc_start", pid=child)
    assert len(starts) == 1 and starts[0]["ppid"] == parent
    assert starts[0]["ts"] <= exits[0]["ts"] <= reaps[0]["ts"]
    assert forks[0]["ts"] <= reaps[0]["ts"]
    assert run.procs[child].fork_ts <= starts[0]["ts"]


# ---- lesson 8: the Process object --------------------------------------------

def output_8(run):
    lines = run.lines
    parent = int(match(r"Parent process (\d+) \(MainProcess\)\.", lines[0])[1])

    def section(k):
        start = next(i for i, l in enumerate(lines) if l.startswith(f"== {k}."))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("==")),
                   len(lines))
        return [l for l in lines[start + 1:end] if l]

    s1 = section(1)
    assert s1[0] == "Child process will start." and s1[2] == "Child process end."
    m = match(r"Run child process test \((\d+)\), my parent is (\d+)\.\.\.", s1[1])
    assert int(m[2]) == parent

    s2 = section(2)
    names = ["worker 1", "Process-4", "my_service"]   # Process-4: 4th created
    assert sorted(s2) == sorted([f"{n} {w}" for n in names for w in ("Starting", "Exiting")])
    for n in names:
        assert s2.index(f"{n} Starting") < s2.index(f"{n} Exiting")

    s3 = section(3)
    assert s3[0] == "BEFORE: Process-5 is_alive=False exitcode=None"
    assert "DURING: Process-5 is_alive=True exitcode=None" in s3
    assert s3[-1] == "JOINED: Process-5 is_alive=False exitcode=0"
    assert "Worker finished" in s3

    s4 = section(4)
    assert s4 == [f"In Process-{6 + i}: counting {10 * i}..{10 * i + 9}" for i in range(3)]
    assert section(5) == ["Doing some work"]
    for l in ("[INFO/Process-9] child process calling self.run()",
              "[INFO/Process-9] process exiting with exitcode 0",
              "[INFO/MainProcess] process shutting down"):
        assert l in run.stderr.splitlines(), f"missing log line {l!r}"
    return {"parent": parent}


def trace_8(run, facts):
    parent = facts["parent"]

    # The trace: lanes named as the lesson named them, every child forked by
    # the parent, exited 0 and joined by it.
    lane_names = [p.name for p in run.lanes]
    assert lane_names[0] == "MainProcess"
    assert sorted(lane_names[1:]) == sorted(
        ["Process-1", "my_service", "worker 1", "Process-4", "Process-5",
         "Process-6", "Process-7", "Process-8", "Process-9"])
    for p in run.lanes[1:]:
        assert p.parent == parent and p.exit_code == 0 and p.exitcode == 0
        assert p.reaper == parent
    assert len(run.events("proc_join", pid=parent)) == len(run.lanes) - 1


def main():
    ap = argparse.ArgumentParser(description="Run and check one lesson.")
    ap.add_argument("--build", required=True)
    ap.add_argument("--no-trace", action="store_true")
    ap.add_argument("n", type=int)
    ap.add_argument("program")
    args = ap.parse_args()
    output, trace = globals().get(f"output_{args.n}"), globals().get(f"trace_{args.n}")
    if output is None or trace is None:
        print(f"lesson_test: no checks for lesson {args.n}", file=sys.stderr)
        return 2
    run = Run(os.path.abspath(args.build), args.n, os.path.abspath(args.program),
              traced=not args.no_trace)
    facts = output(run)
    if args.no_trace:
        print(f"lesson {args.n} untraced: {len(run.lines)} lines: output checks passed")
        return 0
    trace(run, facts)
    check_common(run)
    print(f"lesson {args.n}: {len(run.lines)} lines, {len(run.lanes)} processes, "
          f"{len(run.trace.events)} events: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
