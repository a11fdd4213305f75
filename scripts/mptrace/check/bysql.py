"""Questions answered in SQL, on a trace's database (read/store.py), when
the answer is a plain yes: counts say it, and no event need come back into
Python.  Each function returns what the yes says, or None: then the
question is asked the ordinary way, over the events, which also finds the
evidence of a no.  So SQL can make a yes quicker, never a different
answer: tests/read_once_test.py compares every question's answer on the
database and on the events.

On a 200k-event trace, messages-once in SQL takes 0.3 s of CPU, and 1.8 s
handing its 200,000 events over to Python.  Where the converter counted
each message's sends and receives (its message_counts table), it reads
those instead of grouping every receive: the whole tool took 2.0, now
0.8 CPU-s on a 1M-event trace.
"""

import sqlite3

from ..read.store import quoted


def messages_once(trace, chan=None):
    """(messages sent, refused by the system) if every message the lesson
    put or sent on chan (every chan: None) was got once, whole, and none
    was received that was not sent; else None (ask the events)."""
    store = trace.store
    if store is None or \
            not {"msg_send", "msg_recv"} <= store.tables.keys() or \
            not _kept(store, "messages"):
        return None
    row = _counted(store, trace.lesson_pids, chan) or \
        _grouped(store, trace.lesson_pids, chan)
    if row is None:
        return None
    sends, distinct, odd, refused, bad, refused_got, unsent = row
    if sends != distinct or odd or bad or refused_got or unsent:
        return None
    return sends - refused, refused


def _grouped(store, pids, chan):
    """messages_once's seven counts from the events: the lesson's sends,
    and its receives grouped by msg; None if the tables say otherwise."""
    mine = _where(pids, chan)
    try:
        return store.db.execute(f"""
            WITH s AS (SELECT msg, size FROM msg_send {mine}),
                 r AS (SELECT msg, count(*) AS n, min(size) AS lo,
                              max(size) AS hi
                       FROM msg_recv {mine} GROUP BY msg),
                 f AS (SELECT msg FROM messages WHERE failed)
            SELECT
              (SELECT count(*) FROM s),
              (SELECT count(DISTINCT msg) FROM s),
              (SELECT count(*) FROM s WHERE msg < 0 OR typeof(msg)
                                            != 'integer'),
              (SELECT count(*) FROM s WHERE msg IN f),
              (SELECT count(*) FROM s LEFT JOIN r USING (msg)
               WHERE msg NOT IN f AND (r.n IS NOT 1 OR r.lo != s.size
                                       OR r.hi != s.size)),
              (SELECT count(*) FROM s JOIN r USING (msg) WHERE msg IN f),
              (SELECT count(*) FROM r WHERE msg NOT IN
                                            (SELECT msg FROM s))
            """).fetchone()
    except sqlite3.Error:     # tables of another shape: ask the events
        return None


def _counted(store, pids, chan):
    """messages_once's seven counts from the converter's message_counts
    (trace/sql/pairs.c: each id's sends and receives counted, where they
    are all its sender's and receiver's, on its channel), one row per
    message instead of a GROUP BY over every receive; None without it."""
    if "message_counts" not in _tables(store):
        return None
    lesson = f"IN ({','.join(str(int(p)) for p in pids)})"
    mine = {"s": f"m.sender {lesson}" if pids else "1",
            "r": f"m.receiver {lesson}" if pids else "1"}
    if chan is not None:
        value = int(chan)
        value = value - (1 << 64) if value >= 1 << 63 else value
        mine = {k: f"{v} AND m.chan = {value}" for k, v in mine.items()}
    try:
        return store.db.execute(f"""
            WITH c AS (SELECT m.msg AS msg, m.size AS size,
                              CAST(m.failed AS INTEGER) AS f,
                              CASE WHEN {mine['s']} THEN c.sends ELSE 0
                              END AS s,
                              CASE WHEN {mine['r']} THEN c.receives ELSE 0
                              END AS r, c.recv_lo AS lo, c.recv_hi AS hi
                       FROM messages m JOIN message_counts c
                       ON c.rowid = m.rowid)
            SELECT ifnull(sum(s), 0), ifnull(sum(s > 0), 0),
                   ifnull(sum(s * (msg < 0)), 0), ifnull(sum(s * f), 0),
                   ifnull(sum(s * (NOT f AND NOT (r = 1 AND lo = size
                                                  AND hi = size))), 0),
                   ifnull(sum(s * (r > 0 AND f)), 0),
                   ifnull(sum(r > 0 AND s = 0), 0)
            FROM c""").fetchone()
    except sqlite3.Error:     # tables of another shape: ask the events
        return None


def _tables(store):
    return {name for name, in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}


def _kept(store, part):
    """Whether the database holds the model's part (read/parts.py)."""
    try:
        return store.db.execute("SELECT 1 FROM parts WHERE part = ?",
                                (part,)).fetchone() is not None
    except sqlite3.Error:     # no parts table: a trace too large for them
        return False


def _where(pids, chan):
    """The WHERE of the lesson's events (every event's if pids is empty)
    on chan (every chan: None)."""
    tests = []
    if pids:
        tests.append(f"{quoted('pid')} IN "
                     f"({','.join(str(int(p)) for p in pids)})")
    if chan is not None:
        value = int(chan)
        tests.append(f"{quoted('chan')} = "
                     f"{value - (1 << 64) if value >= 1 << 63 else value}")
    return "WHERE " + " AND ".join(tests) if tests else ""
