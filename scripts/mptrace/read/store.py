"""A trace's database, as mp-trace-sql wrote it (trace/sql/tables.c has the
layout; docs/trace-sql.md shows it to students): the events handed over as
the model wants them, and SQL where SQL is the natural tool (a count, a
time span, the events of a few names).

    store = Store(sqlite3.connect(path))
    store.events()                       # every event dict, in time order
    store.events({"msg_send"}, {42})     # those of these names and pids
"""

from ..errors import TraceError
from . import schema
from .recording import RENAMED_FIELDS

# The layout this reads: trace/sql/sql.h's SQL_FORMAT.
FORMAT = 1

# Context fields the model reads, and the event's key for each: none yet
# (the vpid context would go here).
CONTEXTS = {}


class Store:
    """One trace's database, open."""

    def __init__(self, db):
        self.db = db
        """The sqlite3 connection."""
        self.meta = dict(db.execute("SELECT key, value FROM meta"))
        """meta's rows: format, converter, events, discarded, and what
        the cache added (read/cache.py)."""
        self.tables = self._layout()
        """event name -> [(column, key, wrapped)]: the columns the events'
        dicts are made of, the dict's key for each, and whether some of
        its values are unsigned ones stored as value - 2^64."""

    @property
    def count(self):
        """How many events the trace holds."""
        return int(self.meta["events"])

    @property
    def discarded(self):
        """How many events LTTng reported lost."""
        return int(self.meta["discarded"])

    def _layout(self):
        tables = {}
        rows = self.db.execute("SELECT event, name, field, part, wrapped "
                               "FROM fields ORDER BY rowid")
        for event, column, field, part, wrapped in rows:
            tables.setdefault(event, [])
            if part == "payload":
                key = RENAMED_FIELDS.get(field, field)
            elif field in CONTEXTS:
                key = CONTEXTS[field]
            else:
                continue
            tables[event].append((column, key, bool(wrapped)))
        return tables

    def events(self, names=None, pids=None):
        """Event dicts ({"ts", "name", then the payload's fields}, as every
        reader makes them) in time order: all, or those of these names
        and of these pids (when pids is given and not empty)."""
        found = [None] * self.count
        for name in self.tables:
            if names is None or name in names:
                for i, event in self._rows(name, pids):
                    found[i] = event
        if names is None and not pids:
            return found
        return [e for e in found if e is not None]

    def _rows(self, name, pids=None, where=""):
        """(id, event dict) of the table name's rows, in time order."""
        columns = self.tables[name]
        keys = ("ts", "name") + tuple(key for _, key, _ in columns)
        has_pid = any(key == "pid" for _, key, _ in columns)
        if pids and not has_pid:
            return
        sql = "SELECT ts, ?, " + "".join(f"{quoted(c)}, " for c, _, _
                                          in columns) + "id FROM " + \
            quoted(name) + where
        if pids:
            sql += (" AND " if where else " WHERE ") + \
                f"pid IN ({','.join(str(int(p)) for p in pids)})"
        wrapped = [i + 2 for i, (_, _, w) in enumerate(columns) if w]
        for row in self.db.execute(sql + " ORDER BY id", (name,)):
            if wrapped:
                row = _unwrapped(row, wrapped)
            yield row[-1], dict(zip(keys, row))

    def span(self, pids):
        """(first ts, last ts) of the events of pids (all events if pids
        is empty), or None if there are none."""
        sql = "SELECT min(ts), max(ts) FROM events"
        if pids:
            sql += f" WHERE pid IN ({','.join(str(int(p)) for p in pids)})"
        first, last = self.db.execute(sql).fetchone()
        return None if first is None else (first, last)

    def check(self, where):
        """schema.check of every event, in SQL: TraceError naming the first
        event (by its place in time) that lacks a field its name calls
        for, or has one of the wrong type."""
        bad = []
        for name, columns in self.tables.items():
            types = {key: _sql_type(key) for _, key, _ in columns}
            wanted = schema.FIELDS.get(name, ("pid",) if "pid" in types
                                       else ())
            keys = {key: column for column, key, _ in columns}
            tests = ["typeof(ts) != 'integer'"] + [
                f"typeof({quoted(keys[f])}) != '{types[f]}'"
                for f in wanted if f in keys]
            if any(f not in keys for f in wanted):
                tests = ["1"]
            for i, event in self._rows(name, where=" WHERE " + " OR ".join(
                    tests)):
                problem = schema.problem(event)
                if problem:
                    bad.append((i, name, problem))
                    break
        if bad:
            i, name, problem = min(bad)
            raise TraceError(f"{where}: event {i} ({name}): {problem}")


def _sql_type(key):
    return "text" if key in schema.STRINGS else "integer"


def quoted(name):
    """name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _unwrapped(row, places):
    row = list(row)
    for i in places:
        if isinstance(row[i], int) and row[i] < 0:
            row[i] += 1 << 64
    return row
