#!/usr/bin/python3
"""fuzz_test.py - trace-check, trace-json and timeline on mutated traces:
CTF traces with bytes truncated, zeroed or flipped in their metadata and
streams, and malformed JSON event lists.  Every run must end within its
time limit with exit status 0, 1 or 2, no traceback, and nothing
half-written left behind.

usage: tests/fuzz_test.py [--seed N] [--cases N] [--scripts DIR]

The seed fixes every mutation: a failure names its case, and the same seed
makes it again.  Prints each failure, then the count of cases by tool and
exit status.  Debian's /usr/bin/python3 on purpose (babeltrace2's bt2).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
TRACES = os.path.join(HERE, "traces")
CTF_BASES = ["lesson-4", "lesson-7", "lesson-13", "lswc"]
JSON_BASES = ["pool-4.json", "locks-ok.json", "lost-events.json"]
READ_LIMIT_S = 10       # each tool's own limit on a reading (see read/ctf.py)
RUN_LIMIT_S = 40        # past this, a run has hung
QUESTIONS = ["lost-events", "none-outlived", "none-outlived-main",
             "messages-once", "messages-fifo", "queue-bounded", "tasks-once",
             "locks-exclusive", "max-concurrent-tasks 4", "exitcode main 0",
             "collected-by main runner", "state main S 0 10",
             "event-wait main set", "adopted-by main runner",
             "signalled-by main main SIGTERM"]
ODD_VALUES = [None, "", "x", -1, 0, 1.5, 2 ** 70, [], {}, True]


# ---- mutations: each returns the words that name it ----

def mutate_bytes(rng, path):
    """Truncates, zeroes or flips bytes of the file at path."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    how = rng.choice(["truncate", "zero", "flip"])
    if how == "truncate" or not data:
        at = rng.randrange(len(data) + 1)
        data = data[:at]
        said = f"cut to {at} bytes"
    elif how == "zero":
        at = rng.randrange(len(data))
        n = rng.randint(1, 64)
        data[at:at + n] = bytes(len(data[at:at + n]))
        said = f"{n} bytes zeroed at {at}"
    else:
        spots = sorted(rng.randrange(len(data)) for _ in range(rng.randint(1, 8)))
        for at in spots:
            data[at] ^= rng.randint(1, 255)
        said = f"bytes flipped at {','.join(map(str, spots))}"
    with open(path, "wb") as f:
        f.write(data)
    return said


def ctf_case(rng, tmp):
    base = rng.choice(CTF_BASES)
    trace = os.path.join(tmp, base)
    shutil.copytree(os.path.join(TRACES, base), trace)
    files = sorted(os.path.join(root, name) for root, _, names in os.walk(trace)
                   for name in names if name == "metadata" or name.startswith("channel")
                   and not name.endswith(".idx"))
    path = rng.choice(files)
    said = mutate_bytes(rng, path)
    return trace, f"{base}: {os.path.basename(path)} {said}"


def json_case(rng, tmp):
    base = rng.choice(JSON_BASES)
    with open(os.path.join(TRACES, base)) as f:
        text = f.read()
    events = json.loads(text)
    how = rng.choice(["truncate", "flip", "field", "drop", "shape"])
    if how == "truncate":
        at = rng.randrange(len(text))
        text, said = text[:at], f"cut to {at} characters"
    elif how == "flip":
        chars = list(text)
        spots = sorted(rng.randrange(len(chars)) for _ in range(rng.randint(1, 6)))
        for at in spots:
            chars[at] = rng.choice('{}[]",:0123456789eE-+. aznN')
        text, said = "".join(chars), f"characters changed at {spots}"
    elif how in ("field", "drop"):
        i = rng.randrange(len(events))
        key = rng.choice(sorted(events[i]))
        if how == "field":
            value = rng.choice(ODD_VALUES)
            events[i][key] = value
            said = f"event {i}: {key} = {value!r}"
        else:
            del events[i][key]
            said = f"event {i}: {key} dropped"
        text = json.dumps(events)
    else:
        shapes = {"not a list": {"events": events}, "numbers": [1, 2, 3],
                  "empty objects": [{}], "nested": [[events]], "strings": ["x"],
                  "empty": []}
        name = rng.choice(sorted(shapes))
        text, said = json.dumps(shapes[name]), f"shape: {name}"
    path = os.path.join(tmp, base)
    with open(path, "w") as f:
        f.write(text)
    return path, f"{base}: {said}"


# ---- one run ----

def command(rng, scripts, tool, trace, tmp):
    out = os.path.join(tmp, "out")
    if tool == "trace-check":
        return [os.path.join(scripts, tool), trace, *rng.choice(QUESTIONS).split()]
    if tool == "trace-json":
        return [os.path.join(scripts, tool), trace, out + ".json"]
    return [os.path.join(scripts, tool), trace, out]


def run(cmd, tmp):
    """(exit status or "hung", [problem])."""
    env = dict(os.environ, MP_TRACE_READ_SECONDS=str(READ_LIMIT_S))
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env,
                           timeout=RUN_LIMIT_S)
    except subprocess.TimeoutExpired:
        return "hung", [f"still running after {RUN_LIMIT_S} s"]
    problems = []
    if r.returncode not in (0, 1, 2):
        problems.append(f"exit {r.returncode}")
    if "Traceback" in r.stderr:
        problems.append("a traceback: " + r.stderr.strip().splitlines()[-1])
    left = [n for n in os.listdir(tmp) if n.endswith(".tmp") or n.startswith(".timeline")]
    if os.path.isdir(os.path.join(tmp, "out")):
        left += [n for n in os.listdir(os.path.join(tmp, "out")) if n.startswith(".")]
    if left:
        problems.append(f"left behind: {left}")
    return r.returncode, problems


def one(case):
    number, seed, scripts = case
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        trace, said = (ctf_case if number % 3 else json_case)(rng, tmp)
        tool = ("trace-check", "trace-json", "timeline")[number // 3 % 3]
        status, problems = run(command(rng, scripts, tool, trace, tmp), tmp)
    return number, tool, said, status, problems


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1515)
    ap.add_argument("--cases", type=int, default=120)
    ap.add_argument("--scripts", default=os.path.join(os.path.dirname(HERE), "scripts"))
    args = ap.parse_args(argv)
    scripts = os.path.abspath(args.scripts)
    master = random.Random(args.seed)
    cases = [(n, master.getrandbits(32), scripts) for n in range(args.cases)]
    counts, failed = Counter(), 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for number, tool, said, status, problems in pool.map(one, cases):
            counts[tool, status] += 1
            for p in problems:
                print(f"FAIL: case {number} ({tool}, {said}): {p}")
            failed += bool(problems)
    print(f"fuzz: seed {args.seed}, {args.cases} cases, {failed} failed; by exit status:")
    for tool in ("trace-check", "trace-json", "timeline"):
        print(f"  {tool}: " + ", ".join(f"{status}: {n}" for (t, status), n in
                                        sorted(counts.items(), key=str) if t == tool))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
