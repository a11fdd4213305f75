"""What every lesson's checks share: one traced (or untraced) run of the
lesson under mprun, and the checks every lesson owes.

A lesson's own checks are in checks/lesson_NN.py (see lesson_test.py):
`output(run)` reads what it printed (`run.lines`, `run.stderr`) and returns
facts (pids); `trace(run, facts)` checks its trace (`run.trace`,
`run.lanes`, `run.procs`: scripts/mptrace/).  A check is an assert on a
property that holds on every run, whatever the timing.
"""
import os
import re
import struct
import subprocess
from collections import Counter

import mptrace
from mptrace.check import Checker

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


class Run:
    """One run of a lesson, traced unless told not to."""

    def __init__(self, build, n, program, traced=True, args=()):
        # One folder per variant: ctest runs "6" and "6 --linger 20" at once.
        variant = "".join("-" + re.sub(r"\W", "", a) for a in args)
        self.args = list(args)
        self.out = os.path.join(build, "test-lessons", f"{n}{variant}")
        os.makedirs(self.out, exist_ok=True)
        trace_dir = os.path.join(self.out, "trace")
        cmd = [os.path.join(build, "mprun"), "--grace", "1", program, *args]
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
        self.procs = self.trace.procs
        self.lanes = self.trace.lanes
        self.ask = Checker(self.trace)

    def yes(self, prop, *args):
        """Asserts the trace answers yes to a trace-check property."""
        answer = self.ask(prop, *args)
        assert answer, f"trace-check {prop} {' '.join(map(str, args))}: {answer}"
        return answer

    def events(self, name, **fields):
        """The lesson's events called `name` whose fields match."""
        pids = {p.pid for p in self.lanes}
        return [e for e in self.trace.events
                if e["name"] == name and e.get("pid") in pids
                and all(e.get(k) == v for k, v in fields.items())]


def match(pattern, line):
    """The match of the whole line; asserts there is one."""
    m = re.fullmatch(pattern, line)
    assert m, f"line {line!r} does not match {pattern!r}"
    return m


def section(lines, k):
    """The non-empty lines under the heading "== k. ...", to the next."""
    start = next(i for i, l in enumerate(lines) if l.startswith(f"== {k}."))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("==")),
               len(lines))
    return [l for l in lines[start + 1:end] if l]


def main_children(run, expected):
    """The main process's children, in lane order, checked against
    expected: [(the start of the lane's name, exitcode)]; each forked and
    collected by main."""
    main = run.trace.main
    children = [p for p in run.lanes if p.pid != main and p.pid != run.trace.runner]
    assert len(children) == len(expected), f"lanes {[p.name for p in children]}"
    for p, (name, code) in zip(children, expected):
        assert p.name.startswith(name), f"lane {p.name!r}, expected {name!r}"
        assert p.parent == main and p.reaper == main, f"{p.name}: not main's"
        assert p.exitcode == code, f"{p.name}: exitcode {p.exitcode}, expected {code}"
    return children


def check_common(run):
    """What every lesson owes: nothing lost, every process collected, the
    printed lines in the trace, a timeline drawn."""
    run.yes("lost-events")
    run.yes("none-outlived")    # every process collected, none killed by mprun
    # mprun registers with LTTng's session daemon while the lesson does; its
    # gate (runtime/mprun/gate.c) keeps the lesson's first event after the
    # runner's proc_fork of it.
    runner, main = run.trace.runner, run.trace.main
    forks = [e for e in run.trace.events if e["name"] == "proc_fork"
             and e.get("pid") == runner and e.get("child") == main]
    assert len(forks) == 1, f"{len(forks)} proc_fork of the lesson by the runner"
    first = min(e["ts"] for e in run.trace.events if e.get("pid") == main)
    assert forks[0]["ts"] <= first, "the lesson recorded an event before the runner's proc_fork"
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
    # Many lanes (lesson 5's 42) are drawn thin: no lesson scrolls on and on.
    assert height <= 1800, f"timeline.png is {height} px tall"
    with open(os.path.join(out, "timeline.svg")) as f:
        assert "<svg" in f.read(2000), "timeline.svg is not an SVG"
    check_lines(out)


def check_lines(out):
    """Every line the lesson printed with mp_printf says, in events.tsv,
    the line of the lesson's own source that printed it (its site,
    resolved from the program's debug info)."""
    with open(os.path.join(out, "events.tsv")) as f:
        prints = [row.rstrip("\n").split("\t") for row in f
                  if row.split("\t")[1:2] == ["print"]]
    wrong = [row for row in prints
             if not any(re.fullmatch(r"line=lessons/[\w./-]+\.[ch]:\d+ \(.+\)", f)
                        for f in row[3:])]
    assert not wrong, f"a print without its lesson line: {wrong[0]}"
