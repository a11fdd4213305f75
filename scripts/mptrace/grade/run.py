"""Running a student's program the way `make lesson-N` runs a lesson:
under mprun, with an LTTng session recording, but with the exercise's time
limit and process cap; and what its end means for the checks."""

import os
import signal
import subprocess
import sys
import threading
import time
from typing import NamedTuple, Optional

from ..words import signal_name

# mprun's exit statuses (runtime/mprun/main.c), told from the program's
# own by what mprun said on stderr.
TIMEOUT, CAP, LEFTOVERS = 124, 125, 3
# Ending a tree takes mprun at most 30 s; the recording's end a few more.
ENDING_S = 45
# What is kept of each of the program's streams.
MAX_OUTPUT = 1 << 20
# The interposition layer, for an exercise in plain system calls.
PRELOAD = os.path.join("runtime", "libmp-preload.so")


class Ran(NamedTuple):
    """One run of a program under mprun."""
    status: int
    """mprun's exit status."""
    stdout: str
    """What the program printed on stdout."""
    stderr: str
    """Its stderr, with mprun's and the recorder's messages."""
    trace_dir: Optional[str]
    """The trace, or None if none was recorded."""
    started: bool
    """The program was started (it may have failed at once)."""
    ended: bool
    """The program ended by itself (not at its time limit or cap)."""
    how: str
    """How it ended, in words."""
    seconds: float
    """The run's wall time."""


def run(top, build_dir, program, out_dir, checks, echo=False):
    """Runs program with checks' arguments, limit and cap; writes the trace,
    stdout.txt and stderr.txt into out_dir.  echo: show its output as it
    comes."""
    trace_dir = os.path.join(out_dir, "trace")
    preload = ["--preload", os.path.join(build_dir, PRELOAD)] \
        if checks.preload else []
    cmd = [os.path.join(top, "scripts", "trace-lesson"), trace_dir, "--",
           os.path.join(build_dir, "mprun"), "--grace", "1",
           "--timeout", f"{checks.timeout:g}",
           "--max-procs", str(checks.max_procs), *preload, program,
           *checks.args]
    start = time.monotonic()
    status, out, err = _run(cmd, checks.timeout + ENDING_S, echo)
    seconds = time.monotonic() - start
    for name, text in (("stdout.txt", out), ("stderr.txt", err)):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8",
                  errors="replace") as f:
            f.write(text)
    started, ended, how = _end(status, err, checks)
    if not os.path.isdir(trace_dir):
        trace_dir = None
        why = next((line.split("no trace: ", 1)[1] for line in
                    err.splitlines() if "no trace: " in line), "unknown")
        how += f"; no trace was recorded ({why})"
    return Ran(status, out, err, trace_dir, started, ended, how, seconds)


def _end(status, err, checks):
    """(started, ended by itself, how, in words)."""
    if status == TIMEOUT and " ran past " in err:
        return True, False, ("did not end by itself: mprun ended it at its "
                             f"time limit, {checks.timeout:g} s")
    if status == CAP and "process cap" in err:
        return True, False, (f"passed its process cap ({checks.max_procs} "
                             "processes): mprun ended the whole tree")
    if status == LEFTOVERS and "left behind by the lesson" in err:
        return True, True, ("ended, but left processes running: mprun "
                            "killed them")
    if status > 128 and "was killed by signal" in err:
        return True, True, f"was killed by {signal_name(status - 128)}"
    if "mprun: cannot run" in err:
        return False, False, "could not be started"
    if "unrecognized option '--preload'" in err:
        return False, False, ("could not be run: this mprun has no "
                              "--preload (the interposition layer is not "
                              "in this build)")
    return True, True, f"ended with exit status {status}"


def _run(cmd, limit, echo):
    """(status, stdout, stderr) of cmd; echo copies both as they come."""
    # A group of its own, so that ending it ends mprun too (which then
    # ends the program's tree): the recorder runs mprun in the background.
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    got = {}
    readers = [threading.Thread(target=_read, args=(proc.stdout, got, 1,
                                                    echo)),
               threading.Thread(target=_read, args=(proc.stderr, got, 2,
                                                    echo))]
    for r in readers:
        r.start()
    try:
        status = proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        status = proc.wait()
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait()
        raise
    for r in readers:
        r.join()
    return status, got[1], got[2]


def _read(pipe, got, fd, echo):
    """Reads a stream to its end, keeping (and echoing) its first
    MAX_OUTPUT bytes: a program printing in a loop until its time limit
    must not fill the grader's memory."""
    chunks, kept = [], 0
    for line in iter(pipe.readline, b""):
        if kept >= MAX_OUTPUT:
            continue
        line = line[:MAX_OUTPUT - kept]
        kept += len(line)
        chunks.append(line)
        if kept >= MAX_OUTPUT:
            chunks.append(b"\n[... cut: more than 1 MiB]\n")
        if echo:
            out = sys.stdout if fd == 1 else sys.stderr
            out.write(chunks[-1].decode("utf-8", "replace"))
            out.flush()
    got[fd] = b"".join(chunks).decode("utf-8", "replace")
