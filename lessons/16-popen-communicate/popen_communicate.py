#!/usr/bin/python3
"""16-popen-communicate in Python: talking to another program through its
stdin, stdout and stderr - Popen, communicate, poll/wait/terminate/kill, a
pipeline, and the deadlock communicate() exists to avoid.

usage: popen_communicate.py [--lookup PROGRAM] [--help]

  1. communicate(input): send all the input, read both outputs to their
     end, wait - to lookup.py beside this file (or, with --lookup, the C
     lesson's 16-lookup), which answers host names like nslookup
  2. line by line with a long-lived child: write a question, read its
     answer; this only works because the child flushes each answer
  3. poll(), wait(timeout), terminate(), and kill() for a child that
     ignores SIGTERM
  4. a pipeline: ls -l DIR | wc -l, the first child's stdout the second's stdin
  5. the deadlock: the child writes 1 MiB into a pipe that holds 64 KiB,
     the parent only waits for it to end; a 1-second timeout breaks it.
     Then the safe way: communicate().
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from subprocess import PIPE, STDOUT, Popen

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): our lines
# are out before a child prints on the same stdout.
sys.stdout.reconfigure(line_buffering=True, write_through=False)
HERE = os.path.dirname(os.path.abspath(__file__))


def proc_field(pid, name):
    """comm or state of pid, from /proc, or "?" once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except FileNotFoundError:
        return "?"
    if name == "comm":
        return stat[stat.index("(") + 1:stat.rindex(")")]
    return stat[stat.rindex(")") + 2]


def part_communicate(lookup):
    print("== 1. communicate(input)")
    p = Popen(lookup, stdin=PIPE, stdout=PIPE, stderr=PIPE, text=True)
    out, err = p.communicate("localhost\nwww.example.com\nnowhere.invalid\n", timeout=10)
    for line in out.splitlines():
        print(f"out: {line}")
    for line in err.splitlines():
        print(f"err: {line}")
    print(f"returncode: {p.returncode}")


def part_line_by_line(lookup):
    print("\n== 2. one question, one answer, same child")
    p = Popen(lookup, stdin=PIPE, stdout=PIPE, text=True)
    for name in ("lttng.org", "docs.python.org", "localhost"):
        p.stdin.write(name + "\n")
        p.stdin.flush()         # ours too: else the question sits in our buffer
        print(f"asked {name:<16} -> {p.stdout.readline().rstrip()}")
    p.communicate(timeout=10)   # closes its stdin: the child sees end of file and ends
    print(f"stdin closed; the child ended with returncode {p.returncode}")


def part_signals():
    print("\n== 3. poll(), wait(timeout), terminate(), kill()")
    p = Popen(["sleep", "30"])
    print(f"poll() -> {p.poll()} (still running)")
    try:
        p.wait(0.2)
    except subprocess.TimeoutExpired:
        print("wait(0.2) -> TimeoutExpired")
    p.terminate()
    print(f"terminate(); wait() -> returncode {p.wait()}")

    # This one ignores SIGTERM: the shell sets it ignored, and an ignored
    # signal stays ignored across exec.  Terminate it once it runs sleep.
    p = Popen(["sh", "-c", "trap '' TERM; exec sleep 30"])
    deadline = time.monotonic() + 5
    while proc_field(p.pid, "comm") != "sleep" and time.monotonic() < deadline:
        time.sleep(0.001)
    p.terminate()
    try:
        p.wait(0.3)
    except subprocess.TimeoutExpired:
        print("terminate(); wait(0.3) -> TimeoutExpired: SIGTERM is ignored")
    p.kill()
    print(f"kill(); wait() -> returncode {p.wait()}")


def part_pipeline():
    print("\n== 4. a pipeline: ls -l DIR | wc -l")
    with tempfile.TemporaryDirectory(prefix="lesson16-") as d:
        for i in range(1, 6):
            open(os.path.join(d, f"file{i}"), "w").close()
        ls = Popen(["ls", "-l", d], stdout=PIPE)
        wc = Popen(["wc", "-l"], stdin=ls.stdout, stdout=PIPE, stderr=STDOUT, text=True)
        ls.stdout.close()       # wc's now: ours would keep the pipe open
        out, _ = wc.communicate(timeout=10)
        ls.wait()
    print(f'5 files: wc counted {int(out)} lines (a "total" line and one per file)')
    print(f"returncodes: ls {ls.returncode}, wc {wc.returncode}")


def part_deadlock():
    print("\n== 5. the deadlock: wait() while the child fills its pipe")
    argv = ["head", "-c", "1048576", "/dev/zero"]
    p = Popen(argv, stdout=PIPE)
    print("child writes 1048576 bytes to a pipe that holds 65536; parent calls wait(1.0)")
    try:
        p.wait(1.0)
        print("wait(1.0) returned: the pipe held everything?")
    except subprocess.TimeoutExpired:
        print("wait(1.0) -> TimeoutExpired: the child is still there, "
              f"in state {proc_field(p.pid, 'state')}")
        print("  (S: asleep in write()): it waits for us to read, we waited for it "
              "to end - a deadlock.")
        print("  Without the timeout this wait would never return.")
    p.kill()
    p.stdout.close()
    p.wait()

    print("the safe way: communicate() reads while it waits")
    p = Popen(argv, stdout=PIPE)
    out, _ = p.communicate(timeout=10)
    print(f"communicate() -> {len(out)} bytes, returncode {p.returncode}")


def main():
    ap = argparse.ArgumentParser(description="Talks to other programs through pipes: "
                                 "communicate, poll, wait, terminate, a pipeline, a deadlock.")
    ap.add_argument("--lookup", metavar="PROGRAM",
                    help="the line-answering program (default: lookup.py beside this file)")
    args = ap.parse_args()
    lookup = [args.lookup] if args.lookup else [sys.executable, os.path.join(HERE, "lookup.py")]
    part_communicate(lookup)
    part_line_by_line(lookup)
    part_signals()
    part_pipeline()
    part_deadlock()


if __name__ == "__main__":
    main()
