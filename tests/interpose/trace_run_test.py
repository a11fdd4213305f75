#!/usr/bin/python3
"""trace_run_test.py - scripts/trace-run on programs that never call the
runtime: what the model, the checks and the picture say of them.

usage: tests/interpose/trace_run_test.py --build DIR CASE

Each CASE runs one program through scripts/trace-run (mprun --preload,
an LTTng session, the timeline, events.tsv and trace.json), then asserts
properties that hold on every run, whatever the timing.  ctest sets
PYTHONPATH to scripts/ (mptrace).  Debian's /usr/bin/python3: babeltrace2's
bindings.
"""
import argparse
import os
import re
import subprocess
import sys

import mptrace
from mptrace.check import Checker
from mptrace.draw import Drawing

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
BUILD = None


class Run:
    """One program recorded and drawn by scripts/trace-run."""

    def __init__(self, case, argv, status=0):
        self.out = os.path.join(BUILD, "test-trace-run", case)
        r = subprocess.run([os.path.join(TOP, "scripts", "trace-run"), "--build", BUILD,
                            "--out", self.out, "--", *argv],
                           capture_output=True, text=True, timeout=120)
        self.stdout, self.stderr = r.stdout, r.stderr
        assert r.returncode == status, f"exit status {r.returncode}\n{r.stderr}"
        for name in ("timeline.png", "timeline.svg", "events.tsv", "trace.json"):
            assert os.path.isfile(os.path.join(self.out, name)), f"no {name}\n{r.stderr}"
        self.trace = mptrace.load(os.path.join(self.out, "trace"))
        self.ask = Checker(self.trace)
        self.yes("lost-events")

    def yes(self, prop, *args):
        answer = self.ask(prop, *args)
        assert answer, f"trace-check {prop} {' '.join(map(str, args))}: {answer}"
        return answer

    def proc(self, name):
        """The one lane whose process is called name."""
        found = [p for p in self.trace.lanes if p.name == name]
        assert len(found) == 1, f"{len(found)} lanes called {name}"
        return found[0]


def prog(name):
    return os.path.join(BUILD, "tests", "interpose", name)


def case_lswc():
    """A plain C `ls | wc -c`: two exec'd children, and the bytes through
    the pipe are the number wc printed."""
    run = Run("lswc", [prog("lswc"), "/usr/lib/x86_64-linux-gnu"])
    count = int(run.stdout.split()[0])
    main = run.trace.procs[run.trace.main]
    ls, wc = run.proc("ls"), run.proc("wc")
    assert main.children == [ls.pid, wc.pid], main.children
    run.yes("children", main.pid, 2)
    for child in (ls, wc):
        run.yes("execd", child.pid, child.name)
        assert child.first_name == main.name, f"{child.label}: not forked from {main.name}"
        run.yes("collected-by", child.pid, main.pid)
    run.yes("pipe-bytes", ls.pid, wc.pid, count)
    run.yes("printed", wc.pid, str(count))
    # ls's lines went into the pipe: data for wc, not text on ls's lane.
    assert ls.out_lines and all(o.piped for o in ls.out_lines)


def case_pool():
    """Python's Pool(4) with 5 tasks: 4 workers forked by the main
    process, tasks written to them and results read back."""
    run = Run("pool", ["/usr/bin/python3", os.path.join(HERE, "pool5.py")])
    main = run.trace.main
    workers = set(run.trace.procs[main].children)
    run.yes("children", main, 4)
    assert all(run.trace.procs[w].parent == main for w in workers)
    for worker in workers:
        run.yes("collected-by", worker, main)
    tasks = {t.reader for t in run.trace.transfers if t.writer == main and t.reader in workers}
    results = {t.writer for t in run.trace.transfers if t.reader == main and t.writer in workers}
    assert tasks and results, f"tasks to {tasks}, results from {results}"
    for worker in tasks | results:
        run.yes("pipe-bytes", *((main, worker) if worker in tasks else (worker, main)))
    run.yes("threads-started", main, 3)
    # The task handler thread writes the tasks; each drawn on a lane of its own.
    writers = {t.writer_tid for t in run.trace.transfers if t.writer == main and t.reader in workers}
    assert writers and None not in writers, f"tasks written by threads {writers}"
    drawing = Drawing(run.trace)
    assert {(main, tid) for tid in writers} <= set(drawing.thread_lane)
    assert any(h.sem for h in run.trace.holds), "no Lock (a semaphore) held"
    run.yes("locks-exclusive")


def case_zombie():
    """A program that never calls the runtime shows its zombie time."""
    run = Run("zombie", [prog("zombie")])
    first = next(p for p in run.trace.lanes if p.exit_code == 3)
    run.yes("zombie", first.pid, 0.001)
    drawing = Drawing(run.trace)
    assert drawing.zombie[first.pid] is not None, "no zombie time drawn"
    start, end = drawing.zombie[first.pid]
    assert end > start


def case_lines():
    """printf's output is drawn on the lane of the process that printed
    it, the child's copy of an unflushed buffer on the child's."""
    run = Run("lines", [prog("lines")])
    parent = run.trace.procs[run.trace.main]
    child = run.trace.procs[parent.children[0]]
    # stdout is a pipe: stdio held "before fork, " in its buffer at the fork,
    # so the child wrote it, with its own line; both wrote the first line.
    mine = f"before fork, child {child.pid} here"
    run.yes("printed", child.pid, mine)
    for pid in (parent.pid, child.pid):
        run.yes("printed", pid, f"parent {parent.pid} starts")
    run.yes("printed", parent.pid, f"parent {parent.pid} on stderr")
    assert not run.ask("printed", parent.pid, mine), "the parent wrote the child's line"
    drawing = Drawing(run.trace)
    pic = drawing.draw()
    texts = {pid: " | ".join(l.text for l in pic.labels if l.lane == drawing.lane_of[pid])
             for pid in (parent.pid, child.pid)}
    assert mine in texts[child.pid] or mine in pic.footnotes, texts
    assert mine not in texts[parent.pid], texts


def case_bad_input():
    """No such program: one line, exit 2, nothing drawn.  A static one:
    said, run, and drawn as the watcher saw it."""
    r = subprocess.run([os.path.join(TOP, "scripts", "trace-run"), "--build", BUILD, "--out",
                        os.path.join(BUILD, "test-trace-run", "missing"), "--",
                        "no-such-program-here"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0, r.stderr
    assert r.stderr.startswith("trace-run: no-such-program-here: no such program"), r.stderr
    run = Run("static", [prog("static-hello")])
    assert "static hello" in run.stdout
    assert re.search(r"static-hello cannot be traced: static", run.stderr), run.stderr
    assert [p.name for p in run.trace.lanes] == ["static-hello"]


def case_compare():
    """make compare-N's script on lesson 3: both runs get the same drawn
    durations, and one picture holds both, one above the other."""
    r = subprocess.run([os.path.join(TOP, "scripts", "compare"), "--build", BUILD,
                        "--seed", "7", "3"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    given = re.findall(r"\(--durations ([\d.,]+) repeats this run\)", r.stdout)
    assert len(given) == 2 and given[0] == given[1], f"durations given: {given}"
    out = os.path.join(BUILD, "lessons", "3")
    with open(os.path.join(out, "compare.png"), "rb") as f:
        head = f.read(24)
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and width == 1280, head
    with open(os.path.join(out, "compare.svg")) as f:
        svg = f.read()
    assert svg.count("<svg") == 3 and f'height="{height}"' in svg, "not two pictures stacked"
    traces = [mptrace.load(os.path.join(out, t)) for t in ("trace", "py/trace")]
    assert [p.name for p in traces[0].lanes] == ["MainProcess", "writer", "reader"]
    assert [p.name for p in traces[1].lanes] == ["python3"] * 3


def main():
    global BUILD
    cases = sorted(n[5:].replace("_", "-") for n in globals() if n.startswith("case_"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("case", choices=cases)
    args = ap.parse_args()
    BUILD = os.path.abspath(args.build)
    globals()["case_" + args.case.replace("-", "_")]()
    print(f"trace-run {args.case}: passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"trace-run test failed: {failure}", file=sys.stderr)
        sys.exit(1)
