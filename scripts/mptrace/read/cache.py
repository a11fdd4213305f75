"""A trace read once: the first tool to open a trace converts it into a
database beside it (TRACE_DIR.sqlite) with the model's parts added
(parts.py), and every tool after it opens that instead of reading the
trace again.

The database is made whole in a file of its own, then renamed into place:
a tool sees the last complete one or none.  It is used only if its key
(meta "key") says it was made from these very files, by this converter
and this model:
  - every file of the trace (name, size, mtime), runner.pid included;
  - the converter's --version and this package's source (a change to
    the model changes its parts);
and if its seal holds: a CRC-32 of the whole file (its header's counters
left out), in the header's user_version.  A damaged, cut or changed
database (a student's UPDATE) is made again, never trusted.

MP_TRACE_CACHE=DIR keeps the databases in DIR instead (the tests keep
them out of the source tree); MP_TRACE_CACHE=none keeps none.
"""

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import tempfile
import urllib.parse
import zlib

from ..errors import TraceError
from ..trace import Trace
from . import convert, ctf, parts
from .store import FORMAT, Store, unscanned

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What the first tool holds per event at most (the events, the model, the
# drawing), measured on a 1,000,000-event trace: the bound of the trace
# size the tools take, against the memory available.
BYTES_PER_EVENT = 900

# The header's counters SQLite changes on every write (file change counter,
# user_version, version-valid-for), left out of the seal.
VOLATILE = ((24, 28), (60, 64), (92, 96))


def load(trace_dir):
    """The Trace of the CTF trace at trace_dir, read once: from its
    database if it has a valid one, else converted now (and kept).  None
    when there is no converter, or the trace has a field it does not
    convert: then the bindings must read it (ctf.py)."""
    program = convert.program()
    subtraces = ctf.subtraces(trace_dir)
    if program is None or not subtraces:
        return None
    key = _key(program, trace_dir, subtraces)
    where = _place(trace_dir)
    trace = _opened(trace_dir, where, key)
    if trace is not None:
        return trace
    with _building(trace_dir) if where else contextlib.nullcontext():
        trace = _opened(trace_dir, where, key)
        if trace is not None:
            return trace
        try:
            return _build(program, trace_dir, subtraces, key, where)
        except convert.Unsupported:
            return None


def _opened(trace_dir, where, key):
    """The Trace of the trace's valid database, or None."""
    store = _open(where, key) if where else None
    if store is None:
        return None
    _fits(store.count, trace_dir, where)
    return Trace(None, store.discarded, ctf.runner_pid(trace_dir), store)


@contextlib.contextmanager
def _building(trace_dir):
    """Holds the trace directory's lock (flock) while its database is
    made: tools started together (scripts/lesson runs three) convert it
    once, the others wait for it."""
    fd = os.open(trace_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _place(trace_dir):
    """The database's path, or None: keep none."""
    chosen = os.environ.get("MP_TRACE_CACHE")
    if chosen == "none":
        return None
    trace_dir = os.path.abspath(trace_dir)
    if not chosen:
        beside = trace_dir + ".sqlite"
        return beside if os.access(os.path.dirname(beside), os.W_OK) \
            else None
    name = hashlib.sha1(trace_dir.encode()).hexdigest()[:12]
    return os.path.join(chosen, f"{os.path.basename(trace_dir)}-{name}.sqlite")


def _key(program, trace_dir, subtraces):
    """What the database must have been made from."""
    paths = [os.path.join(trace_dir, "runner.pid")]
    for subtrace in subtraces:
        paths += [os.path.join(folder, name)
                  for folder, _, names in os.walk(subtrace) for name in names]
    files = []
    for path in sorted(paths):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            continue
        files.append(f"{os.path.relpath(path, trace_dir)} {st.st_size} "
                     f"{st.st_mtime_ns}")
    return "\n".join([convert.version(program), _source()] + files)


def _source():
    """A digest of this package's source: its model's version."""
    digest = hashlib.sha1()
    for folder, dirs, names in sorted(os.walk(PACKAGE)):
        dirs.sort()
        for name in sorted(n for n in names if n.endswith(".py")):
            with open(os.path.join(folder, name), "rb") as f:
                digest.update(name.encode() + b"\0" + f.read())
    return digest.hexdigest()


def _open(path, key):
    """A Store of the database at path if it is whole and was made with
    key, else None."""
    try:
        crc, kept = _crc(path)
        if crc is None or crc != kept:
            return None
        db = sqlite3.connect(
            f"file:{urllib.parse.quote(path)}?mode=ro&immutable=1", uri=True,
            detect_types=sqlite3.PARSE_DECLTYPES)
        store = Store(db)
        if store.meta.get("format") == FORMAT and store.meta.get("key") == key:
            return store
        db.close()
    except (OSError, sqlite3.Error, KeyError, ValueError):
        pass
    return None


def _build(program, trace_dir, subtraces, key, where):
    """Converts the trace, computes the model, keeps both at where (if
    not None); the Trace, on the database (its parts computed held)."""
    folder = os.path.dirname(where) if where else tempfile.gettempdir()
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".mptrace-", suffix=".sqlite",
                               dir=folder)
    os.close(fd)
    os.unlink(tmp)                  # the converter makes it
    try:
        convert.convert(program, tmp, trace_dir, subtraces,
                        ctf.limit(subtraces))
        db = sqlite3.connect(tmp, isolation_level=None,
                             detect_types=sqlite3.PARSE_DECLTYPES)
        db.execute("PRAGMA journal_mode = OFF")     # a file of its own
        db.execute("PRAGMA synchronous = OFF")      # until it is renamed
        try:
            trace = _model(db, trace_dir, key)
        finally:
            db.close()
        _close(tmp)
        if where:
            os.replace(tmp, where)
        _fits(trace.event_count, trace_dir, where)
        return _reopened(trace, where or tmp)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _model(db, trace_dir, key):
    """The Trace of the database db, its parts added to it (unless the
    trace is too large to hold: then db keeps only its events).  Each
    part reads only the events it needs, from db."""
    store = Store(db)
    store.check(trace_dir)
    db.execute("BEGIN")
    db.execute("INSERT INTO meta VALUES('key', ?)", (key,))
    trace = Trace(None, store.discarded, ctf.runner_pid(trace_dir), store)
    if store.count <= _most_events():
        with unscanned():
            parts.save(db, trace)
            _lesson(db, trace)
    db.execute("COMMIT")
    return trace


def _reopened(built, path):
    """The Trace built (on a connection about to close) on the finished
    database at path, read-only, with what built computed already."""
    db = sqlite3.connect(
        f"file:{urllib.parse.quote(path)}?mode=ro&immutable=1", uri=True,
        detect_types=sqlite3.PARSE_DECLTYPES)
    trace = Trace(None, built.discarded, built.runner_pid, Store(db))
    trace.__dict__.update((name, value) for name, value in
                          built.__dict__.items() if name != "store")
    return trace


def _lesson(db, trace):
    """Who the lesson is, for SQL: meta's t0, main and runner, and the
    lanes table (lane, pid: the timeline's, top to bottom)."""
    db.executemany("INSERT INTO meta VALUES(?, ?)", (
        ("t0", trace.t0), ("main", trace.main), ("runner", trace.runner)))
    db.execute("CREATE TABLE lanes(lane INTEGER PRIMARY KEY, pid INTEGER)")
    db.executemany("INSERT INTO lanes VALUES(?, ?)",
                   enumerate(proc.pid for proc in trace.lanes))


def _close(path):
    """Writes the seal of the database at path into its user_version (a
    signed 32-bit number)."""
    crc = _crc(path)[0]
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {crc - (crc >> 31 << 32)}")
    db.close()


def _crc(path):
    """(the CRC-32 of the database at path, the one its header keeps);
    (None, None) if it is no SQLite database.  OSError if unreadable."""
    with open(path, "rb") as f:
        head = bytearray(f.read(100))
        if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
            return None, None
        kept = int.from_bytes(head[60:64], "big")
        for begin, end in VOLATILE:
            head[begin:end] = bytes(end - begin)
        crc = zlib.crc32(head)
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc, kept


def _most_events():
    """How many events the tools may hold in memory: MP_TRACE_MAX_EVENTS,
    else what the memory available allows at BYTES_PER_EVENT."""
    try:
        return int(os.environ["MP_TRACE_MAX_EVENTS"])
    except (KeyError, ValueError):
        pass
    try:
        with open("/proc/meminfo") as f:
            free = next(int(line.split()[1]) * 1024 for line in f
                        if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        return 1 << 62
    return free // BYTES_PER_EVENT


def _fits(count, trace_dir, where):
    """TraceError if count events are too many to hold in memory."""
    most = _most_events()
    if count > most:
        sql = f"; its events are in {where}, for SQL" if where else ""
        raise TraceError(
            f"{trace_dir}: {count} events, more than the {most} the tools "
            f"can hold in the memory available ({BYTES_PER_EVENT} bytes "
            f"each; MP_TRACE_MAX_EVENTS sets the limit){sql}")
