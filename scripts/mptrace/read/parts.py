"""The model's parts kept in a trace's database: what the first tool to
open a trace computed (processes, messages, tasks, lock holds...) becomes
tables a student can query, and the next tool loads instead of computing.

A part is a Trace property marked @part(Record, ...) (trace.py), whose
value is:
    a list of Records                    one table: Record's fields
    a dict of Records, key="FIELD"       the same, keyed by the field
    a dict of lists, key="NAME"          one table: NAME (the dict's key),
                                         then Record's fields
    a tuple of lists, tables=(A, B)      a table per list
    a dict of Procs (a dataclass)        processes: its fields that are
                                         not lists; then a table per list
                                         field (states, prints, ...) that
                                         has rows: pid, then the fields
A part SQLite cannot hold (an integer past 64 bits...) is left out, and
computed again by each tool.  Rows keep their order (rowid).
"""

import dataclasses
import functools
import importlib
import sqlite3
import typing
from typing import NamedTuple

from .store import quoted

# BOOLEAN columns come back as bool, not as 0 and 1 (connections opened
# with detect_types=sqlite3.PARSE_DECLTYPES).
sqlite3.register_converter("BOOLEAN", lambda text: text == b"1")


class Part(NamedTuple):
    """A Trace property the database can keep."""
    name: str
    """The property."""
    records: tuple
    """The class of its records, one per table."""
    tables: tuple
    """The tables, named for students: "messages", "holds"..."""
    key: typing.Optional[str]
    """A dict's key: a field of the record, or a column of its own."""


PARTS = {}
"""name -> Part, in the order they were declared."""


def part(*records, tables=None, key=None):
    """Marks a Trace method as a part: a cached_property whose value comes
    from the trace's database when the database holds it."""
    def decorate(function):
        name = function.__name__
        PARTS[name] = Part(name, records, tables or (name,), key)

        @functools.wraps(function)
        def get(trace):
            if trace.store is not None:
                value = load(trace.store.db, PARTS[name])
                if value is not None:
                    return value
            return function(trace)
        return functools.cached_property(get)
    return decorate


def save(db, trace):
    """Every part of trace into tables of db (in its open transaction)."""
    db.execute("CREATE TABLE parts(part TEXT, tbl TEXT, class TEXT)")
    for p in PARTS.values():
        db.execute("SAVEPOINT part")
        try:
            _save(db, p, getattr(trace, p.name))
            db.execute("RELEASE part")
        except (OverflowError, TypeError, sqlite3.Error):
            db.execute("ROLLBACK TO part")
            db.execute("RELEASE part")


def _save(db, p, value):
    if dataclasses.is_dataclass(p.records[0]):
        _save_procs(db, p, value)
        return
    lists = value if isinstance(value, tuple) else [value]
    for cls, table, rows in zip(p.records, p.tables, lists):
        extra = ()
        if isinstance(rows, dict):
            if p.key in cls._fields:
                rows = rows.values()
            else:
                extra = (p.key,)
                rows = ((k,) + r for k, group in rows.items() for r in group)
        _table(db, p, table, cls, extra + cls._fields, rows)


def _save_procs(db, p, procs):
    cls = p.records[0]
    scalars, lists = _proc_fields(cls)
    _table(db, p, p.tables[0], cls, scalars,
           (tuple(getattr(proc, f) for f in scalars)
            for proc in procs.values()))
    for field in lists:
        rows = [(proc.pid, item) for proc in procs.values()
                for item in getattr(proc, field)]
        if not rows:
            continue
        item = type(rows[0][1])
        if item is int:
            _table(db, p, field, int, ("pid", "value"), rows)
        else:
            _table(db, p, field, item, ("pid",) + item._fields,
                   ((pid,) + r for pid, r in rows))


def _table(db, p, table, cls, columns, rows):
    types = _types(cls)
    db.execute(f"CREATE TABLE {quoted(table)}(" + ", ".join(
        quoted(c) + (" BOOLEAN" if types.get(c) else "") for c in columns)
        + ")")
    db.executemany(f"INSERT INTO {quoted(table)} VALUES("
                   + ", ".join("?" * len(columns)) + ")", rows)
    db.execute("INSERT INTO parts VALUES(?, ?, ?)",
               (p.name, table, f"{cls.__module__}:{cls.__qualname__}"))


def load(db, p):
    """The value of the part p from db, or None if db does not hold it."""
    try:
        classes = {table: cls for table, cls in db.execute(
            "SELECT tbl, class FROM parts WHERE part = ?", (p.name,))}
    except sqlite3.OperationalError:
        return None
    if not classes:
        return None
    if dataclasses.is_dataclass(p.records[0]):
        return _load_procs(db, p, classes)
    lists = []
    for cls, table in zip(p.records, p.tables):
        rows = db.execute(f"SELECT * FROM {quoted(table)} ORDER BY rowid")
        if p.key is None:
            lists.append(list(map(cls._make, rows)))
        elif p.key in cls._fields:
            lists.append({getattr(r, p.key): r for r in map(cls._make, rows)})
        else:
            found = {}
            for row in rows:
                found.setdefault(row[0], []).append(cls._make(row[1:]))
            lists.append(found)
    return tuple(lists) if len(lists) > 1 else lists[0]


def _load_procs(db, p, classes):
    cls = p.records[0]
    scalars, lists = _proc_fields(cls)
    procs = {}
    for row in db.execute(f"SELECT * FROM {quoted(p.tables[0])} "
                          "ORDER BY rowid"):
        proc = cls(**dict(zip(scalars, row)))
        procs[proc.pid] = proc
    for field in lists:
        if field not in classes:
            continue
        item = _class(classes[field])
        rows = db.execute(f"SELECT * FROM {quoted(field)} ORDER BY rowid")
        for row in rows:
            getattr(procs[row[0]], field).append(
                row[1] if item is int else item._make(row[1:]))
    return procs


def _proc_fields(cls):
    """(names of the fields that are not lists, of those that are)."""
    fields = dataclasses.fields(cls)
    lists = tuple(f.name for f in fields if f.default_factory is list)
    return tuple(f.name for f in fields if f.name not in lists), lists


@functools.lru_cache(maxsize=None)
def _types(cls):
    """field -> True for the fields of cls that hold a bool."""
    if cls is int:
        return {}
    hints = typing.get_type_hints(cls)
    return {name: hint is bool or bool in typing.get_args(hint)
            for name, hint in hints.items()}


def _class(spec):
    module, name = spec.split(":")
    if module == "builtins":
        return int
    return getattr(importlib.import_module(module), name)
