#!/usr/bin/python3
"""traces_test.py - the trace scripts on traces kept under tests/traces/.

usage: tests/traces_test.py trace-check|trace-json|timeline

tests/traces/lesson-N/ are real recordings of lessons 1, 4, 6, 7, 11 and
13 (scripts/trace-lesson's output, copied), lswc/ and pool-python/ of
programs that never call the runtime (scripts/trace-run's); the *.json files are synthetic
event lists for what no lesson records yet (pool tasks, locks, lost
events), described in tests/traces/README.md.

  trace-check  scripts/trace-check answers the questions of
               tests/traces/questions.tsv right, yes and no, with the
               evidence, and exit status 0/1
  trace-json   scripts/trace-json writes JSON that parses, names every
               process by its real pid, nests each track's slices, pairs
               every flow
  timeline     scripts/timeline draws a PNG (1280 px wide) and an SVG from
               each trace, recorded or synthetic

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
ctest sets PYTHONPATH to scripts/ (for mptrace).
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
from collections import defaultdict

import mptrace

HERE = os.path.dirname(os.path.abspath(__file__))
TRACES = os.path.join(HERE, "traces")
SCRIPTS = os.path.join(os.path.dirname(HERE), "scripts")

RECORDED = ["lesson-1", "lesson-4", "lesson-6", "lesson-7", "lesson-11",
            "lesson-13", "lswc", "pool-python", "queue-100"]
SYNTHETIC = ["pool-4.json", "pool-5.json", "pool-twice.json",
             "pool-foreign.json", "locks-ok.json", "locks-overlap.json",
             "rlock.json", "lost-events.json", "pipe-by-hand.json",
             "pipe-leak.json", "forged-reap.json"]


def path(name):
    return os.path.join(TRACES, name)


def script(name, *args):
    """scripts/NAME ARGS..., run: its CompletedProcess (text)."""
    return subprocess.run([os.path.join(SCRIPTS, name), *args],
                          capture_output=True, text=True)


def each(what, cases, problems_of):
    """problems_of(case) -> [problem] for every case; prints the problems
    and "WHAT: N of M"; True if there were none."""
    failed = 0
    for case in cases:
        problems = problems_of(case)
        for p in problems:
            print(f"FAIL: {p}")
        failed += bool(problems)
    print(f"{what}: {len(cases) - failed} of {len(cases)}")
    return failed == 0


# ---- trace-check ----

def questions():
    """(trace, question, exit status, regex) from tests/traces/questions.tsv."""
    with open(path("questions.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f
                if line.strip() and not line.startswith("#")]
    return [(trace, question, int(status), pattern)
            for trace, question, status, pattern in rows]


def answer_problems(case):
    trace, question, status, pattern = case
    r = script("trace-check", path(trace), *question.split())
    answer = r.stdout.strip()
    if r.returncode != status or not re.search(pattern, answer) or r.stderr:
        return [f"{trace} {question}: exit {r.returncode} (wanted {status}): "
                f"{answer!r} {r.stderr.strip()!r}\n"
                f"      wanted it to match {pattern!r}"]
    return []


# ---- trace-json ----

def check_json(doc, trace):
    """Problems with one export, as strings."""
    problems = []
    events = doc["traceEvents"]
    named = {e["pid"]: e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] == "process_name"}
    for proc in trace.lanes:
        if named.get(proc.pid, "").split(" - ")[0] != proc.name:
            problems.append(f"process {proc.pid} ({proc.name}) not named: "
                            f"{named.get(proc.pid)!r}")
    slices = defaultdict(list)
    for e in events:
        for key in ("name", "ph", "pid", "tid"):
            if key not in e:
                problems.append(f"an event without {key}: {e}")
        if e["ph"] != "M" and not isinstance(e.get("ts"), (int, float)):
            problems.append(f"an event without ts: {e}")
        if e["ph"] == "X":
            if e["dur"] < 0:
                problems.append(f"negative dur: {e}")
            slices[e["pid"], e["tid"]].append(e)
        if e["pid"] not in named:
            problems.append(f"an event of an unnamed process: {e}")
    # On one track, slices nest (else Perfetto moves them aside).
    for track, xs in slices.items():
        xs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in xs:
            while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"] + 1e-6:
                stack.pop()
            if stack and e["ts"] + e["dur"] > stack[-1]["ts"] + stack[-1]["dur"] + 1e-6:
                problems.append(f"{stack[-1]['name']!r} and {e['name']!r} "
                                f"overlap on track {track}")
            stack.append(e)
    # Every flow has its two ends, each inside a slice of its track.
    ends = defaultdict(dict)
    for e in events:
        if e["ph"] in "sf":
            ends[e["id"]][e["ph"]] = e
            if not any(x["ts"] <= e["ts"] <= x["ts"] + x["dur"] + 1e-6
                       for x in slices[e["pid"], e["tid"]]):
                problems.append(f"a flow end outside any slice: {e}")
    problems += [f"flow {i} lacks an end: {v}" for i, v in ends.items()
                 if set(v) != {"s", "f"}]
    got = sum(1 for m in trace.messages if m.sender is not None
              and m.receiver is not None and not m.failed)
    arrows = sum(1 for v in ends.values() if v.get("s", {}).get("cat") == "message")
    if got != arrows:
        problems.append(f"{got} messages received, {arrows} message arrows")
    return problems


def export_problems(name, tmp):
    out = os.path.join(tmp, "trace.json")
    r = script("trace-json", path(name), out)
    if r.returncode:
        return [f"{name}: exit {r.returncode}: {r.stderr.strip()}"]
    with open(out) as f:
        doc = json.load(f)
    problems = check_json(doc, mptrace.load(path(name)))
    if name == "pool-5.json":   # a worker with two tasks at once
        problems = [p for p in problems if "'task 0' and 'task 4'" not in p]
    if name.startswith("pool-4"):
        tasks = [e for e in doc["traceEvents"] if e["ph"] == "X" and e["cat"] == "task"
                 and e["name"].startswith("task ")]
        if sorted(e["name"] for e in tasks) != [f"task {i}" for i in range(5)]:
            problems.append(f"task slices: {[e['name'] for e in tasks]}")
    if name == "locks-ok.json":
        holds = [e for e in doc["traceEvents"] if e["ph"] == "X"
                 and e["name"].startswith("hold")]
        if len(holds) != 5 or holds[3]["args"]["ended"] != "died":
            problems.append(f"lock holds: {holds}")
    return [f"{name}: {p}" for p in problems]


# ---- timeline ----

def page_problem(out, svg):
    """timeline.html holds the SVG and hover points inside the picture,
    one per event drawn (or a summary of several); None if so."""
    with open(os.path.join(out, "timeline.html")) as f:
        html = f.read()
    if svg[svg.index("<svg"):] not in html:
        return "the SVG is not in it"
    found = re.search(r'id="hover-data">(.*?)</script>', html, re.S)
    if not found:
        return "no hover data"
    points = json.loads(found[1])["points"]
    width, height = (float(re.search(fr'\b{a}="([\d.]+)', svg)[1])
                     for a in ("width", "height"))
    if not points:
        return "no hover points"
    outside = [p for p in points if not (0 <= p[0] <= width
                                         and 0 <= p[1] <= height)]
    if outside:
        return f"{len(outside)} points off the picture, e.g. {outside[0]}"
    if not all(re.match(r"-?\d+\.\d{3} ms  \w+\n|\d+ events in ", p[2])
               for p in points):
        return "a point says no time and event"
    return None


def drawing_problems(name, tmp):
    out = os.path.join(tmp, name)
    r = script("timeline", "--title", name, path(name), out)
    if r.returncode != 0:
        return [f"{name}: exit {r.returncode}: {r.stderr.strip()}"]
    with open(os.path.join(out, "timeline.png"), "rb") as f:
        head = f.read(24)
    width = struct.unpack(">I", head[16:20])[0]
    with open(os.path.join(out, "timeline.svg")) as f:
        svg = f.read()
    if head[:8] != b"\x89PNG\r\n\x1a\n" or width != 1280:
        return [f"{name}: timeline.png is not a 1280 px PNG ({head[:8]!r}, {width})"]
    if "<svg" not in svg[:2000] or "</svg>" not in svg[-100:]:
        return [f"{name}: timeline.svg is not a whole SVG"]
    problem = page_problem(out, svg)
    if problem:
        return [f"{name}: timeline.html: {problem}"]
    with open(os.path.join(out, "timeline.gp")) as f:
        gp = f.read()
    if name in ("pool-4.json", "pool-foreign.json") and "pool task queue" not in gp:
        return [f"{name}: no lane for the task that waited in the pool's queue"]
    return []


def main(argv):
    tests = {
        "trace-check": lambda tmp: each("trace-check: answers right", questions(),
                                        answer_problems),
        "trace-json": lambda tmp: each("trace-json: traces exported right",
                                       RECORDED + SYNTHETIC,
                                       lambda name: export_problems(name, tmp)),
        "timeline": lambda tmp: each("timeline: traces drawn", RECORDED + SYNTHETIC,
                                     lambda name: drawing_problems(name, tmp)),
    }
    if len(argv) != 1 or argv[0] not in tests:
        print("usage: tests/traces_test.py trace-check|trace-json|timeline", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        return 0 if tests[argv[0]](tmp) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
