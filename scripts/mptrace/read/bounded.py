"""A call run in a child process under a time limit: the reading of a
trace by babeltrace2, whose loops we cannot interrupt from Python (they
are in C) and whose bugs must not hang a classroom.  run() does the same
for a program (the converter, trace/sql/).

The child forks from this process (nothing to import again), ignores
Ctrl-C (the parent decides), sends its result back pickled through a pipe,
and is killed if the limit passes or the parent is interrupted.
"""

import os
import pickle
import select
import signal
import subprocess
import sys
import time

from ..errors import TraceError


def call(seconds, what, function, *args):
    """function(*args), computed in a child process; TraceError if it
    raises one, takes longer than seconds, or dies."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                    # the child
        os.close(read_end)
        _child(write_end, function, args)
    os.close(write_end)
    try:
        data = _collect(read_end, pid, seconds, what)
    finally:
        os.close(read_end)
        _end(pid)
    try:
        ok, result = pickle.loads(data)
    except Exception:
        raise TraceError(f"{what}: the reader ended without an answer "
                         "(it crashed?)") from None
    if not ok:
        raise TraceError(result)
    return result


def run(seconds, what, argv):
    """The program argv, run to its end: its CompletedProcess (output as
    text); TraceError once seconds have passed (it is killed then, as on
    Ctrl-C)."""
    try:
        return subprocess.run(argv, capture_output=True, encoding="utf-8",
                              errors="replace", timeout=seconds)
    except subprocess.TimeoutExpired:
        raise TraceError(_too_long(what, seconds)) from None


def _too_long(what, seconds):
    return (f"{what}: not read in {seconds:g} s: babeltrace2 may be looping "
            "on a damaged trace (MP_TRACE_READ_SECONDS sets the limit)")


def _child(fd, function, args):
    """Runs in the child: never returns, never raises."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            answer = (True, function(*args))
        except TraceError as error:
            answer = (False, str(error))
        except Exception as error:   # a bug: said in one line, not a trace
            answer = (False, f"{type(error).__name__}: {error}")
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        status = 1
    finally:
        sys.stderr.flush()
        os._exit(status)


def _collect(fd, pid, seconds, what):
    """All the child writes to fd, until it closes it; TraceError once
    seconds have passed."""
    deadline = time.monotonic() + seconds
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TraceError(_too_long(what, seconds))
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _end(pid):
    """Kills the child if it still runs, and collects it."""
    try:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
