"""A trace's database, as mp-trace-sql wrote it (trace/sql/layout.c has the
layout; docs/trace-sql.md shows it to students): the events handed over as
the model wants them, and SQL where SQL is the natural tool (a count, a
time span, the events of a few names).

    store = Store(sqlite3.connect(path))
    store.events()                       # every event dict, in time order
    store.events({"msg_send"}, {42})     # those of these names and pids
"""

import contextlib
import gc
import json

from ..errors import TraceError
from . import schema
from .recording import EMITTER, field_name

# The layout this reads: trace/sql/sql.h's SQL_FORMAT.
FORMAT = 1

# The common context fields the model reads, and the event's key for each
# (as ctf.py keeps them, in its order: the thread that recorded it, then
# who emitted it).
CONTEXTS = {"vtid": "vtid", "vpid": EMITTER}

# The integer fields whose values repeat (besides every text).
REPEATED = ("pid", "vtid", EMITTER)


class Store:
    """One trace's database, open."""

    def __init__(self, db):
        self.db = db
        """The sqlite3 connection."""
        self.meta = dict(db.execute("SELECT key, value FROM meta"))
        """meta's rows: format, converter, events, discarded, and what
        the cache added (read/cache.py)."""
        self.tables = {}
        """event name -> [(column, key, wrapped)]: the columns the events'
        dicts are made of, the dict's key for each, and whether some of
        its values are unsigned ones stored as value - 2^64."""
        self.types = {}
        """(event name, key) -> (its column's SQL type, whether its values
        are of more types than that)."""
        self._layout()

    @property
    def count(self):
        """How many events the trace holds."""
        return int(self.meta["events"])

    @property
    def discarded(self):
        """How many events LTTng reported lost."""
        return int(self.meta["discarded"])

    def _layout(self):
        rows = self.db.execute("SELECT event, name, field, part, type, "
                               "wrapped, mixed FROM fields ORDER BY rowid")
        contexts = {}           # event name -> its contexts' columns
        for event, column, field, part, sql_type, wrapped, mixed in rows:
            self.tables.setdefault(event, [])
            if part == "payload":
                key = field_name(event, field)
                self.tables[event].append((column, key, bool(wrapped)))
            elif part == "context" and field in CONTEXTS:
                key = CONTEXTS[field]
                contexts.setdefault(event, {})[key] = (column, key,
                                                       bool(wrapped))
            else:
                continue
            self.types[event, key] = (sql_type, bool(mixed))
        for event, columns in contexts.items():     # in CONTEXTS' order
            self.tables[event] += [columns[key] for key in CONTEXTS.values()
                                   if key in columns]

    def events(self, names=None, pids=None, where=None):
        """Event dicts ({"ts", "name", then the payload's fields}, as every
        reader makes them) in time order: all, or those of these names
        and of these pids (when pids is given and not empty), and of the
        names where ({name: an SQL condition}) names, only those its
        condition holds for.  A text, a pid or a vtid seen again is the
        object seen first (a million events hold a few hundred distinct
        ones)."""
        with unscanned():
            return self._events(names, pids, where or {})

    def by_id(self, ids):
        """{id: its event dict, as events() makes it} of the events at
        these places in time, given as {event name: [id]}."""
        with unscanned():
            return dict(self._events(
                set(ids), None, {name: f"id IN ({_listed(found)})"
                                 for name, found in ids.items()}, True))

    def light(self, pids, but, msgs, rows=()):
        """(id, ts, name, pid, vtid) of every event of pids, in time
        order, less those of the names but whose msg is one of msgs, or
        of a message in the messages table's rows [(from rowid, to)]:
        the few facts that place an event on a picture, without its
        dict.  vtid is None where the event has none."""
        self.db.execute("DROP TABLE IF EXISTS temp.skipped")
        self.db.execute("CREATE TEMP TABLE skipped(msg INTEGER PRIMARY "
                        "KEY)")
        try:
            self.db.execute("INSERT OR IGNORE INTO temp.skipped SELECT "
                            "value FROM json_each(?)", (json.dumps(sorted(
                                m - (1 << 64) if m >= 1 << 63 else m
                                for m in msgs)),))
            if rows:
                self.db.execute(
                    "INSERT OR IGNORE INTO temp.skipped SELECT m.msg FROM "
                    "json_each(?) AS r JOIN messages AS m ON m.rowid "
                    "BETWEEN json_extract(r.value, '$[0]') AND "
                    "json_extract(r.value, '$[1]')", (json.dumps(rows),))
            arms = []
            for name, columns in self.tables.items():
                keys = {key: quoted(column) for column, key, _ in columns}
                if "pid" not in keys:
                    continue
                test = f"{keys['pid']} IN ({_listed(pids)})"
                if name in but and "msg" in keys:
                    test += f" AND ({keys['msg']} IS NULL OR " \
                        f"{keys['msg']} NOT IN temp.skipped)"
                arms.append(f"SELECT id, ts, {quoted_text(name)}, "
                            f"{keys['pid']}, {keys.get('vtid', 'NULL')} "
                            f"FROM {quoted(name)} WHERE {test}")
            if not arms or not pids:
                return []
            return self.db.execute(" UNION ALL ".join(arms) +
                                   " ORDER BY 1").fetchall()
        finally:
            self.db.execute("DROP TABLE temp.skipped")

    def _events(self, names, pids, where, with_ids=False):
        whole = names is None and not pids and not where
        found = [None] * self.count if whole else []
        shared = {}             # a value -> the one object kept for it
        for name in self.tables:
            if names is not None and name not in names:
                continue
            keys, sql, wrapped, repeated = self._select(
                name, pids, " WHERE " + where[name] if name in where else "")
            if sql is None:
                continue
            rows = self.db.execute(sql)
            if wrapped:
                rows = (_unwrapped(row, wrapped) for row in rows)
            for row in rows:            # the id is last: zip leaves it out
                if repeated:
                    row = list(row)
                    for i in repeated:
                        row[i] = shared.setdefault(row[i], row[i])
                event = {"ts": None, "name": name}
                event.update(zip(keys, row))
                if whole:
                    found[row[-1]] = event
                else:
                    found.append((row[-1], event))
        if whole:
            return found
        found.sort(key=_first)          # runs of one table each: merged
        return found if with_ids else [event for _, event in found]

    def _select(self, name, pids=None, where=""):
        """(the keys of the table name's rows' values, their SELECT (ts,
        fields..., id) in time order, the places of the values to unwrap,
        the places of values that repeat); the SELECT is None if pids
        leaves none."""
        columns = self.tables[name]
        keys = ("ts",) + tuple(key for _, key, _ in columns)
        if pids and "pid" not in keys:
            return keys, None, [], []
        sql = "SELECT ts, " + "".join(f"{quoted(c)}, " for c, _, _
                                      in columns) + "id FROM " + \
            quoted(name) + where
        if pids:
            sql += (" AND " if where else " WHERE ") + \
                f"pid IN ({','.join(str(int(p)) for p in pids)})"
        wrapped = [i + 1 for i, (_, _, w) in enumerate(columns) if w]
        repeated = [i + 1 for i, (_, key, _) in enumerate(columns)
                    if key in REPEATED or
                    self.types[name, key][0] == "TEXT"]
        return keys, sql + " ORDER BY id", wrapped, repeated

    def span(self, pids):
        """(first ts, last ts) of the events of pids (all events if pids
        is empty), or None if there are none.  An event's ts grows with
        its id (its place in time): each table is read from either end
        only as far as its first and last event of pids."""
        if not pids:
            first, last = self.db.execute("SELECT min(ts), max(ts) FROM "
                                          "events").fetchone()
            return None if first is None else (first, last)
        found = []
        for name, column in self._pid_columns():
            where = f" WHERE {quoted(column)} IN ({_listed(pids)})"
            for way in ("", " DESC"):
                found += [ts for ts, in self.db.execute(
                    f"SELECT ts FROM {quoted(name)}{where} ORDER BY id{way} "
                    "LIMIT 1")]
        return (min(found), max(found)) if found else None

    def count_of(self, pids, most=None):
        """How many events pids have (all events if pids is empty); with
        most, counted no further than most."""
        if not pids:
            return self.count if most is None else min(self.count, most)
        limit = "" if most is None else f" LIMIT {int(most)}"
        return self.db.execute(f"SELECT count(*) FROM (SELECT 1 FROM events "
                               f"WHERE pid IN ({_listed(pids)}){limit})"
                               ).fetchone()[0]

    def times(self, pids, but):
        """The ts of every event of pids (not of the name but), in time
        order: an iterator."""
        query = self.times_sql(pids, but)
        if query is None:
            return iter(())
        return (ts for _, ts in self.db.execute(query))

    def times_sql(self, pids, but):
        """The SELECT of times(): rows (id, ts); None if no table has a
        pid."""
        arms = [f"SELECT id, ts FROM {quoted(name)} WHERE "
                f"{quoted(column)} IN ({_listed(pids)})"
                for name, column in self._pid_columns() if name != but]
        return " UNION ALL ".join(arms) + " ORDER BY 1" if arms else None

    def last(self, pids, but=None, about=False):
        """The ts of the last event of pids (not of the name but; about:
        or whose child is one of them), or None."""
        found = []
        for name, column in self._pid_columns():
            if name == but:
                continue
            test = f"{quoted(column)} IN ({_listed(pids)})"
            child = next((c for c, key, _ in self.tables[name]
                          if key == "child"), None)
            if about and child is not None:
                test += f" OR {quoted(child)} IN ({_listed(pids)})"
            found += [ts for ts, in self.db.execute(
                f"SELECT max(ts) FROM {quoted(name)} WHERE {test}")
                if ts is not None]
        return max(found) if found else None

    def _pid_columns(self):
        """(table, its pid column) of the tables with one."""
        return [(name, column) for name, columns in self.tables.items()
                for column, key, _ in columns if key == "pid"]

    def check(self, where):
        """schema.check of every event, from the tables' columns: TraceError
        naming the first event (by its place in time) that lacks a field
        its name calls for, or has one of the wrong type.  Only a column
        of values of more than one type (two event classes of one name)
        has its rows looked at one by one."""
        bad = []
        for name, columns in self.tables.items():
            keys = {key: column for column, key, _ in columns}
            wanted = schema.FIELDS.get(name, ("pid",) if "pid" in keys
                                       else ())
            tests = []
            for field in wanted:
                sql_type, mixed = self.types.get((name, field), (None, 0))
                expected = "TEXT" if field in schema.STRINGS else "INTEGER"
                if mixed:
                    tests.append(f"typeof({quoted(keys[field])}) != "
                                 f"'{expected.lower()}'")
                elif field not in keys or \
                        (sql_type == "TEXT") != (expected == "TEXT") or \
                        sql_type == "REAL":
                    tests = ["1"]       # every row: the first is wrong
                    break
            if tests:
                found = self._first_wrong(name, " OR ".join(tests))
                if found:
                    bad.append(found)
        if bad:
            i, name, problem = min(bad)
            raise TraceError(f"{where}: event {i} ({name}): {problem}")

    def _first_wrong(self, name, test):
        """(id, name, problem) of the first row of the table name that
        passes test (SQL) and that schema.problem finds wrong, or None."""
        keys, sql, wrapped, _ = self._select(name, where=" WHERE " + test)
        for row in self.db.execute(sql):
            event = {"ts": None, "name": name}
            event.update(zip(keys, _unwrapped(row, wrapped)))
            problem = schema.problem(event)
            if problem:
                return row[-1], name, problem
        return None


@contextlib.contextmanager
def unscanned():
    """Python's garbage collector off while a trace's objects are made,
    and those objects never scanned by it after (gc.freeze): they hold no
    cycles and live as long as the tool.  Else it walks the millions of
    them again and again: a third of the time of pairing a million-event
    trace's messages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _listed(pids):
    return ",".join(str(int(p)) for p in pids)


def _first(pair):
    return pair[0]


def quoted(name):
    """name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def quoted_text(text):
    """text as an SQL string."""
    return "'" + text.replace("'", "''") + "'"


def _unwrapped(row, places):
    """row, its unsigned values stored as value - 2^64 (at places) made
    whole again."""
    row = list(row)
    for i in places:
        if isinstance(row[i], int) and row[i] < 0:
            row[i] += 1 << 64
    return row
