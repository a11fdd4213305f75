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
                                         field that has rows, "process_"
                                         and its name (process_states,
                                         process_prints...): pid, then the
                                         record's fields
A field that holds a bool is a BOOLEAN column, one that holds a tuple a
TUPLE column (its JSON); a column with an integer past SQLite's 64 bits
(an id of 64 unsigned bits) holds decimal text, as a DECIMAL column.  A
part SQLite cannot hold otherwise is left out, and computed again by each
tool.  Rows keep their order (rowid).
"""

import dataclasses
import functools
import importlib
import json
import sqlite3
import typing
from typing import NamedTuple

from .store import quoted, unscanned

# Connections opened with detect_types=sqlite3.PARSE_DECLTYPES hand these
# columns back as Python made them.
sqlite3.register_converter("BOOLEAN", lambda text: text == b"1")
sqlite3.register_converter("TUPLE", lambda text: _tuples(json.loads(text)))
sqlite3.register_converter("DECIMAL", int)
INT64 = range(-(1 << 63), 1 << 63)
PROC_TABLE = "process_"      # before a Proc's list field: its table


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
                with unscanned():
                    value = load(trace.store.db, PARTS[name])
                if value is not None:
                    return value
            return function(trace)
        return functools.cached_property(get)
    return decorate


def save(db, trace):
    """Every part of trace into tables of db (in its open transaction);
    a part whose tables db has already (the converter made them:
    trace/sql/pairs.c) is only noted."""
    db.execute("CREATE TABLE parts(part TEXT, tbl TEXT, class TEXT)")
    made = {name for name, in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for p in PARTS.values():
        if set(p.tables) <= made:
            db.executemany("INSERT INTO parts VALUES(?, ?, ?)", (
                (p.name, table, f"{cls.__module__}:{cls.__qualname__}")
                for cls, table in zip(p.records, p.tables)))
            continue
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
            _table(db, p, PROC_TABLE + field, int, ("pid", "value"), rows)
        else:
            _table(db, p, PROC_TABLE + field, item, ("pid",) + item._fields,
                   ((pid,) + r for pid, r in rows))


def _table(db, p, table, cls, columns, rows):
    types = dict(_types(cls))
    rows = list(rows)
    try:
        _insert(db, table, columns, types, rows)
    except OverflowError:           # some are not SQLite's integers
        db.execute(f"DROP TABLE {quoted(table)}")
        types.update({columns[i]: "DECIMAL TEXT" for row in rows
                      for i, v in enumerate(row)
                      if type(v) is int and v not in INT64})
        _insert(db, table, columns, types, rows)
    db.execute("INSERT INTO parts VALUES(?, ?, ?)",
               (p.name, table, f"{cls.__module__}:{cls.__qualname__}"))


def _insert(db, table, columns, types, rows):
    """The table, made and filled; values of a TUPLE column as JSON, of a
    DECIMAL column as text."""
    db.execute(f"CREATE TABLE {quoted(table)}(" + ", ".join(
        quoted(c) + (" " + types[c] if c in types else "") for c in columns)
        + ")")
    tuples = {i for i, c in enumerate(columns) if types.get(c) == "TUPLE"}
    texts = {i for i, c in enumerate(columns)
             if types.get(c) == "DECIMAL TEXT"}
    if tuples or texts:
        rows = (tuple(json.dumps(v) if i in tuples else
                      str(v) if i in texts and v is not None else v
                      for i, v in enumerate(row)) for row in rows)
    db.executemany(f"INSERT INTO {quoted(table)} VALUES("
                   + ", ".join("?" * len(columns)) + ")", rows)


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
        table = PROC_TABLE + field
        if table not in classes:
            continue
        item = _class(classes[table])
        rows = db.execute(f"SELECT * FROM {quoted(table)} ORDER BY rowid")
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
    """field -> "BOOLEAN" or "TUPLE", for the fields of cls that hold a
    bool or a tuple."""
    if cls is int:
        return {}
    found = {}
    for name, hint in typing.get_type_hints(cls).items():
        kinds = (hint,) + typing.get_args(hint)
        if bool in kinds:
            found[name] = "BOOLEAN"
        elif tuple in kinds or typing.get_origin(hint) is tuple:
            found[name] = "TUPLE"
    return found


def _tuples(value):
    """value from JSON, its lists made tuples again."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _class(spec):
    module, name = spec.split(":")
    if module == "builtins":
        return int
    return getattr(importlib.import_module(module), name)
