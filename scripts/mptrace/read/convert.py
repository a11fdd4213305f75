"""mp-trace-sql, the converter (trace/sql/): a CTF trace into an SQLite
database at the speed of babeltrace2's own reading, where the Python
bindings take seconds to hand the same events over field by field.

It is found as $MP_TRACE_SQL (a path; `none`: do without it), else in the
project's build/ (`make build` makes it).  Without it the trace is read
with the bindings (ctf.py), as before it existed.
"""

import os
import subprocess
import sys

from ..errors import TraceError
from . import bounded

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BUILT = os.path.join(TOP, "build", "trace", "mp-trace-sql")

# Its exit statuses (trace/sql/main.c)
UNREADABLE, UNSUPPORTED = 1, 3


class Unsupported(Exception):
    """The trace has a field the converter does not convert: the bindings
    must read it."""


def use_build(build_dir):
    """The tools of this process read traces with build_dir's converter,
    unless MP_TRACE_SQL names one (scripts/draw-common.sh's
    use_converter, for a --build DIR)."""
    os.environ.setdefault("MP_TRACE_SQL", os.path.join(
        os.path.abspath(build_dir), "trace", "mp-trace-sql"))


def program():
    """The converter's path, or None."""
    chosen = os.environ.get("MP_TRACE_SQL")
    if chosen == "none":
        return None
    path = chosen or BUILT
    return path if os.access(path, os.X_OK) else None


def version(path):
    """What the converter says it is ("mp-trace-sql 1 (format 1)")."""
    try:
        done = subprocess.run([path, "--version"], capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise TraceError(f"{path}: {error}") from None
    if done.returncode != 0:
        raise TraceError(f"{path} --version failed")
    return done.stdout.strip()


def convert(path, out, trace_dir, subtraces, seconds):
    """The sub-traces into the database out (which must not exist): read
    together, or, if that fails, those that can be read, each alone first
    (the others are skipped, and said so on stderr).  TraceError if none
    can; Unsupported if a field is of a type the converter leaves out."""
    if _run(path, out, subtraces, seconds, trace_dir)[0] == 0:
        return
    _remove(out)
    readable = []
    for subtrace in subtraces:
        status, said = _run(path, out, [subtrace], seconds, trace_dir)
        _remove(out)
        if status == 0:
            readable.append(subtrace)
        else:
            print(f"mptrace: skipping unreadable sub-trace {subtrace} "
                  f"({said})", file=sys.stderr)
    if not readable:
        raise TraceError(f"{trace_dir}: no readable LTTng trace in it")
    status, said = _run(path, out, readable, seconds, trace_dir)
    if status != 0:
        raise TraceError(f"{trace_dir}: babeltrace2 cannot read it ({said})")


ASK_FROM = 5000     # events: a smaller trace is walked in Python sooner
                    # than the converter is started, at each of the
                    # layout's tries (MP_TRACE_ASK_FROM: another number)


def worth_asking(store):
    """Whether the timeline's layout should ask the converter (ask()) for
    what it can also find in Python: a trace of ASK_FROM events or more."""
    try:
        least = int(os.environ.get("MP_TRACE_ASK_FROM", ASK_FROM))
    except ValueError:
        least = ASK_FROM
    return store is not None and store.count >= least


def ask(store, mode, plan):
    """What the converter writes in mode (--crowds, --gaps) on the
    store's database, given the plan (its lines), as text; None without
    a converter or if it did not (an older one, or a value it leaves to
    Python)."""
    program_path = program()
    if program_path is None or store is None:
        return None
    try:
        done = subprocess.run([program_path, mode, _database(store)],
                              input="\n".join(plan + [""]).encode(),
                              capture_output=True)
    except OSError:
        return None
    return done.stdout.decode() if done.returncode == 0 else None


def write_answer(store, mode, plan, out):
    """Writes what the converter writes in mode (--tsv, --json-messages)
    on the store's database, given the plan (text), to out: straight into
    its file where it has one, else as text (io.StringIO: the tests).
    False, with none of it left in out, without a converter or if it did
    not (an older one, or a value it leaves to Python)."""
    program_path = program()
    if program_path is None or store is None:
        return False
    command = [program_path, mode, _database(store)]
    out.flush()
    try:
        fd = out.fileno()
    except (AttributeError, OSError):
        fd = None
    try:
        if fd is None:
            done = subprocess.run(command, input=plan.encode(),
                                  capture_output=True)
            if done.returncode == 0:
                out.write(done.stdout.decode("utf-8", "replace"))
            return done.returncode == 0
        start = os.lseek(fd, 0, os.SEEK_CUR)
        done = subprocess.run(command, input=plan.encode(), stdout=fd,
                              stderr=subprocess.DEVNULL)
    except OSError:
        return False
    if done.returncode != 0:        # what it wrote before it stopped
        os.ftruncate(fd, start)
        os.lseek(fd, start, os.SEEK_SET)
    return done.returncode == 0


def _database(store):
    """The file of the store's database."""
    return next(file for _, name, file in store.db.execute(
        "PRAGMA database_list") if name == "main")


def _run(path, out, subtraces, seconds, trace_dir):
    """(exit status, its one line on stderr) of one conversion; raises
    Unsupported, or TraceError past the time limit."""
    try:
        done = bounded.run(seconds, trace_dir, [path, out, *subtraces])
    except OSError as error:
        raise TraceError(f"{path}: {error.strerror}") from None
    said = done.stderr.strip().splitlines()
    said = said[-1].removeprefix("mp-trace-sql: ") if said \
        else f"exit status {done.returncode}"
    if done.returncode == UNSUPPORTED:
        raise Unsupported(said)
    if done.returncode not in (0, UNREADABLE):
        raise TraceError(f"{trace_dir}: mp-trace-sql failed: {said}")
    return done.returncode, said


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
