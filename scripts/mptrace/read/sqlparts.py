"""What the processes need of a large trace's messages, asked of its
database: no event of the millions a Queue carries becomes a dict (the
converter pairs the messages themselves: trace/sql/pairs.c).

    block_enders(store)     which msg_send / msg_recv events can end a
                            chan_block (procs.processes needs no other)
    last_ts(store, names)   pid -> ts of its last event of these names

Each gives the very answer the walk over the events gives (the tests
compare the two: tests/read_once_test.py same).
"""

from .store import quoted

SEND, RECV = "msg_send", "msg_recv"
NONE = "0"                      # an SQL condition no row meets
LAST = (1 << 63) - 1


def _columns(store, name, keys):
    """The quoted columns of the table name holding these keys; None if
    the table lacks one, or wraps some of its values (unsigned values past
    2^63: store.py unwraps them, SQL would compare them wrong)."""
    found = {key: (column, wrapped)
             for column, key, wrapped in store.tables.get(name, ())}
    if any(key not in found or found[key][1] for key in keys):
        return None
    return [quoted(found[key][0]) for key in keys]


def block_enders(store):
    """{name: SQL condition} for store.events: of msg_send and msg_recv,
    only the first of each after every chan_block of the same pid and
    chan, before that pair's next chan_block.  The one of them that ends
    the block (procs._block) is among them; the others end nothing.  None
    if the tables cannot say (take them all)."""
    where = {}
    block = _columns(store, "chan_block", ("pid", "chan")) \
        if "chan_block" in store.tables else []
    if block is None:
        return None
    for name in (SEND, RECV):
        if name not in store.tables:
            continue
        columns = _columns(store, name, ("pid", "chan"))
        if columns is None:
            return None
        ids = [] if not block else [i for i, in store.db.execute(
            f"WITH b AS (SELECT id, {block[0]} AS pid, {block[1]} AS chan, "
            f"lead(id, 1, {LAST}) OVER (PARTITION BY {block[0]}, "
            f"{block[1]} ORDER BY id) AS next FROM chan_block) "
            f"SELECT (SELECT m.id FROM {quoted(name)} m WHERE m.id > b.id "
            f"AND m.id < b.next AND m.{columns[0]} = b.pid "
            f"AND m.{columns[1]} = b.chan ORDER BY m.id LIMIT 1) FROM b")
            if i is not None]
        where[name] = f"id IN ({','.join(map(str, ids))})" if ids else NONE
    return where


def last_ts(store, names):
    """pid -> the ts of its last event of these names; None if the tables
    cannot say."""
    found = {}
    for name in names:
        if name not in store.tables:
            continue
        columns = _columns(store, name, ("pid",))
        if columns is None:
            return None
        for pid, ts in store.db.execute(
                f"SELECT {columns[0]}, max(ts) FROM {quoted(name)} "
                f"GROUP BY {columns[0]}"):
            if found.get(pid, ts - 1) < ts:
                found[pid] = ts
    return found
