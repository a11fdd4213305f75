#!/usr/bin/python3
"""traces_test.py - the trace scripts on traces kept under tests/traces/.

usage: tests/traces_test.py trace-check|trace-json|timeline

tests/traces/lesson-N/ are real recordings of lessons 1, 4, 6, 7, 11 and
13 (scripts/trace-lesson's output, copied); the *.json files are synthetic
event lists for what no lesson records yet (pool tasks, locks, lost
events), described in tests/traces/README.md.

  trace-check  scripts/trace-check answers known questions right, yes and no,
               with the evidence, and exit status 0/1
  trace-json   scripts/trace-json writes JSON that parses, names every
               process by its real pid, nests each track's slices, pairs
               every flow
  timeline     scripts/timeline draws a PNG (1280 px wide) and an SVG from
               each recorded trace

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
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
TOP = os.path.dirname(HERE)
TRACES = os.path.join(HERE, "traces")
SCRIPTS = os.path.join(TOP, "scripts")

RECORDED = ["lesson-1", "lesson-4", "lesson-6", "lesson-7", "lesson-11",
            "lesson-13"]
SYNTHETIC = ["pool-4.json", "pool-5.json", "pool-twice.json",
             "locks-ok.json", "locks-overlap.json", "lost-events.json"]

# (trace, property and arguments, exit status, a regex the answer matches)
QUESTIONS = [
    ("lesson-1", "lost-events", 0, r"^yes: LTTng lost 0 events"),
    ("lesson-1", "none-outlived", 0, r"all 2 processes collected"),
    ("lesson-1", "collected-by child main", 0, r"MainProcess \(497\) collected child \(501\)"),
    ("lesson-1", "collected-by child runner", 1, r"^no: MainProcess \(497\) collected"),
    ("lesson-1", "exitcode 501 0", 0, r"exit status 0"),
    ("lesson-1", "exitcode 501 1", 1, r"^no: child \(501\) ended with exitcode 0"),
    ("lesson-1", "messages-once", 0, r"^yes: 0 messages"),
    ("lesson-4", "messages-once", 0, r"^yes: 8 messages, each received once"),
    ("lesson-4", "messages-fifo", 0, r"8 messages from 4 sender\(s\) on 3 channel"),
    ("lesson-4", "none-outlived-main", 0, r"3 other processes"),
    ("lesson-4", "queue-bounded", 1, r"^no: no bounded queue"),
    ("lesson-6", "state child Z", 0, r"^yes: child \(962\) was seen Z at 1\.3 ms"),
    ("lesson-6", "state child Z 2 299", 0, r"was Z from 1\.3 ms \(seen\) until X at 301\.2 ms"),
    ("lesson-6", "state child Z 0.5 10", 1, r"^no: child \(962\) was not seen before 1\.3 ms"),
    ("lesson-6", "state child Z 2 302", 1, r"^no: child \(962\) was X from 301\.2 ms"),
    ("lesson-6", "state main S 2 299", 0, r"MainProcess \(958\) was S from"),
    ("lesson-6", "state child R", 1, r"^no: child \(962\) was seen only in XZ"),
    ("lesson-7", "adopted-by child runner", 0,
     r"parent changed from MainProcess \(1091\) to mprun \(1088\), seen at 102\.0 ms; "
     r"its old parent ended at 100\.6 ms"),
    ("lesson-7", "adopted-by child main", 1, r"^no: child \(1095\) was seen with parent"),
    ("lesson-7", "collected-by child runner", 0, r"mprun \(1088\) collected child"),
    ("lesson-7", "none-outlived", 0, r"the last, child \(1095\), at 302\.4 ms by mprun"),
    ("lesson-7", "none-outlived-main", 1,
     r"^no: MainProcess \(1091\) ended at 100\.6 ms; child \(1095\) was collected at 302\.4 ms"),
    ("lesson-11", "queue-bounded", 0, r"maxsize 20\) held at most 20, first at"),
    ("lesson-11", "messages-once", 0, r"^yes: 31 messages"),
    ("lesson-11", "messages-fifo", 0, r"31 messages from 1 sender"),
    ("lesson-11", "signalled-by consumer main SIGTERM", 1, r"nobody sent consumer"),
    ("lesson-13", "event-wait block set", 0, r"block \(6847\) waited from .* set by MainProcess \(6843\)"),
    ("lesson-13", "event-wait nonblock timeout", 0, r"timed out at .* \(limit 500 ms\), before the set\(\)"),
    ("lesson-13", "event-wait nonblock set", 1, r"^no: nonblock \(6848\) waited from"),
    ("lesson-13", "event-wait block timeout", 1, r"^no: .*set by MainProcess"),
    ("lesson-13", "max-concurrent-tasks 4", 1, r"^no: no task ran"),
    ("pool-4.json", "max-concurrent-tasks 4", 0,
     r"^yes: at most 4 at once \(4 tasks ran at once at 2\.3 ms: tasks 0,1,2,3 on pids 102,103,104,105\)"),
    ("pool-4.json", "max-concurrent-tasks 3", 1, r"^no: 4 tasks ran at once at 2\.3 ms"),
    ("pool-4.json", "max-concurrent-tasks 4 7", 0, r"^yes"),
    ("pool-4.json", "max-concurrent-tasks 4 8", 1, r"^no: no task ran"),
    ("pool-4.json", "tasks-once", 0, r"^yes: 5 tasks, each run once, on 4 workers"),
    ("pool-5.json", "max-concurrent-tasks 4", 1,
     r"^no: 5 tasks ran at once at 5\.0 ms: tasks 0,1,2,3,4 on pids 102,103,104,105,102$"),
    ("pool-twice.json", "tasks-once", 1, r"^no: task 2 of pool 0x7, submitted at 1\.0 ms, started 2 times"),
    ("locks-ok.json", "locks-exclusive", 0, r"^yes: 5 holds of 1 lock\(s\), one at a time"),
    ("locks-overlap.json", "locks-exclusive", 1,
     r"^no: lock 0x6500000001: held by ForkPoolWorker-1 \(102\) from 10\.0 ms to 20\.0 ms "
     r"and by ForkPoolWorker-2 \(103\) from 15\.0 ms"),
    ("lost-events.json", "lost-events", 1, r"^no: LTTng lost 12 events"),
]


def path(name):
    return os.path.join(TRACES, name)


def test_check():
    failed = 0
    for trace, question, status, pattern in QUESTIONS:
        r = subprocess.run([os.path.join(SCRIPTS, "trace-check"), path(trace)]
                           + question.split(), capture_output=True, text=True)
        answer = r.stdout.strip()
        if r.returncode != status or not re.search(pattern, answer) or r.stderr:
            failed += 1
            print(f"FAIL: {trace} {question}: exit {r.returncode} (wanted "
                  f"{status}): {answer!r} {r.stderr.strip()!r}\n"
                  f"      wanted it to match {pattern!r}")
    print(f"trace-check: {len(QUESTIONS) - failed} of {len(QUESTIONS)} "
          "answers right")
    return failed == 0


def check_json(doc, trace_name):
    """Problems with one export, as strings."""
    problems = []
    events = doc["traceEvents"]
    named = {e["pid"]: e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] == "process_name"}
    trace = load(trace_name)
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


def load(name):
    return mptrace.load(path(name))


def test_json():
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in RECORDED + SYNTHETIC:
            out = os.path.join(tmp, "trace.json")
            r = subprocess.run([os.path.join(SCRIPTS, "trace-json"), path(name), out],
                               capture_output=True, text=True)
            problems = [f"exit {r.returncode}: {r.stderr.strip()}"] if r.returncode else []
            if not problems:
                with open(out) as f:
                    doc = json.load(f)
                problems = check_json(doc, name)
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
            for p in problems:
                print(f"FAIL: {name}: {p}")
            failed += bool(problems)
    print(f"trace-json: {len(RECORDED + SYNTHETIC) - failed} of "
          f"{len(RECORDED + SYNTHETIC)} traces exported right")
    return failed == 0


def test_timeline():
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in RECORDED:
            out = os.path.join(tmp, name)
            r = subprocess.run([os.path.join(SCRIPTS, "timeline"), "--title", name,
                                path(name), out], capture_output=True, text=True)
            problem = None
            if r.returncode != 0:
                problem = f"exit {r.returncode}: {r.stderr.strip()}"
            else:
                with open(os.path.join(out, "timeline.png"), "rb") as f:
                    head = f.read(24)
                width = struct.unpack(">I", head[16:20])[0]
                with open(os.path.join(out, "timeline.svg")) as f:
                    svg = f.read()
                if head[:8] != b"\x89PNG\r\n\x1a\n" or width != 1280:
                    problem = f"timeline.png is not a 1280 px PNG ({head[:8]!r}, {width})"
                elif "<svg" not in svg[:2000] or "</svg>" not in svg[-100:]:
                    problem = "timeline.svg is not a whole SVG"
            if problem:
                failed += 1
                print(f"FAIL: {name}: {problem}")
    print(f"timeline: {len(RECORDED) - failed} of {len(RECORDED)} traces drawn")
    return failed == 0


def main(argv):
    tests = {"trace-check": test_check, "trace-json": test_json,
             "timeline": test_timeline}
    if len(argv) != 1 or argv[0] not in tests:
        print("usage: tests/traces_test.py trace-check|trace-json|timeline", file=sys.stderr)
        return 2
    return 0 if tests[argv[0]]() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
