"""read_once_c.py - what the converter answers for the timeline and the
checks from a trace's database (mp-trace-sql --crowds, --gaps, its
message_counts; the lesson's span from the tables' ends) against the
Python that defines it, on one stored trace: read_once_test.py same
calls problems() on every test trace."""

import os

from mptrace import draw
from mptrace.check import bysql
from mptrace.draw import idle
from mptrace.draw.marks import density, density_c


# Every test trace's timeline asks the converter, however small (the
# layout walks a trace of fewer than convert.ASK_FROM events in Python).
os.environ["MP_TRACE_ASK_FROM"] = "0"


def problems(name, trace):
    """Problems: an answer of the converter's that is not Python's."""
    found = []
    pids = trace.lesson_pids
    if pids and trace.store.span(pids) != trace.store.db.execute(
            f"SELECT min(ts), max(ts) FROM events WHERE pid IN "
            f"({','.join(str(p) for p in pids)})").fetchone():
        found.append(f"{name}: the lesson's span from the tables' ends "
                     "is not min(ts), max(ts)")
    return found + crowds_in_c(name, trace) + gaps_in_c(name, trace) + \
        counted(name, trace)


def crowds_in_c(name, trace):
    """Problems: the converter did not find the density bands and the
    arrows left (mp-trace-sql --crowds) of a picture with messages
    between its lanes, or found others than Python's (density.py)."""
    if not trace.lanes:
        return []
    d = draw.Drawing(trace)
    store = density_c.usable(d)
    if store is None or not density_c.between(store, d.pids):
        return []
    found = density_c.crowds(d, store)
    if found is None:
        return [f"{name}: mp-trace-sql --crowds failed"]
    crowded, arrows = density.crowds(
        [(d.ms(m.send_ts), d.lane_of[m.sender], d.ms(m.recv_ts),
          d.lane_of[m.receiver], m) for m in d.messages
         if d.lane_of[m.sender] != d.lane_of[m.receiver]], d.pic.scale.px)
    bands = density.made(d, crowded)
    msgs = [{m for m, in store.db.execute(
        "SELECT msg FROM messages WHERE " + " OR ".join(
            f"rowid BETWEEN {a} AND {z}" for a, z in density_c.ranges([b])))}
            for b in found[0]]
    if [b[:-1] for b in found[0]] != [b[:-1] for b in bands] or \
            msgs != [b.msgs for b in bands] or found[1] != arrows:
        return [f"{name}: mp-trace-sql --crowds found other bands or "
                "arrows than Python"]
    # Bands whose messages alternate with others' (a ping-pong) make a
    # range per message: thousands of them must not make an SQL too deep.
    merged = density_c.ranges(found[0])
    each = [(r, r) for a, z in merged for r in range(a, z + 1)]
    each += [(-r, -r) for r in range(1, 3000)]
    names = ("msg_send", "msg_recv")
    if merged and store.light(d.lane_of, names, (), each) != \
            store.light(d.lane_of, names, (), merged):
        return [f"{name}: the hover's rows differ with the bands' "
                "messages one range each"]
    return []


def gaps_in_c(name, trace):
    """Problems: the converter did not walk the lanes' own times for the
    idle stretches (mp-trace-sql --gaps), or its gaps, pushed into the
    heap, are not Python's, in the same order."""
    if not trace.lanes:
        return []
    d = draw.Drawing(trace, cut=False)
    if idle.in_c(d, trace) is None:
        return [f"{name}: mp-trace-sql --gaps failed"]
    if idle.gaps(d, trace) != idle.walk(trace.own_times(d.lane_of), d.t0):
        return [f"{name}: mp-trace-sql --gaps found other gaps"]
    return []


def counted(name, trace):
    """Problems: messages-once's counts from the converter's
    message_counts differ from those over the events, for the lesson's
    processes or all, on every channel or each (sql_no makes sure a
    trace has them)."""
    store, problems = trace.store, []
    if not {"msg_send", "msg_recv"} <= store.tables.keys() or \
            "message_counts" not in bysql._tables(store):
        return []
    chans = [None] + sorted({c for c, in store.db.execute(
        "SELECT chan FROM messages")})
    for pids in (trace.lesson_pids, ()):
        for chan in chans:
            made = bysql._counted(store, pids, chan)
            if tuple(made) != tuple(bysql._grouped(store, pids, chan)):
                problems.append(f"{name}: messages-once counted "
                                f"{tuple(made)} on chan {chan}, "
                                f"{tuple(bysql._grouped(store, pids, chan))}"
                                " over the events")
    return problems
