"""The density bands and the arrows that fit, found by the converter
(mp-trace-sql --crowds, trace/sql/crowds.c) in the trace's messages
table: what density.crowds and density.made make of the lanes' messages,
without loading them as records (a million took Python seconds).  Only
the arrows left and each band's first message come back as Messages.
density.py stays the definition, and the way without the converter."""

import sqlite3

from ...model import Message
from ...read import convert
from ..style import BAND_BIN_PX, BAND_MIN, SPREAD_PX
from .density import Band, in_ms


def usable(d):
    """The trace's database, if the converter can read the lanes'
    messages there (they are not in memory, and its messages table is
    the model's); else None."""
    trace = d.trace
    store = trace.store
    if store is None or "events" in trace.__dict__ or \
            convert.program() is None:
        return None
    try:
        kept = store.db.execute("SELECT 1 FROM parts WHERE part = "
                                "'messages'").fetchone()
        types = [row[2] for row in store.db.execute(
            "PRAGMA table_info(messages)")]
    except sqlite3.Error:
        return None
    # A column of ids past 2^63 holds text (read/parts.py): not for C.
    return store if kept and not any("DECIMAL" in t.upper() for t in types) \
        else None


def between(store, pids):
    """Whether a message went from one of pids to another of them."""
    listed = ",".join(str(int(p)) for p in pids)
    return store.db.execute(
        f"SELECT EXISTS (SELECT 1 FROM messages WHERE sender IN ({listed}) "
        f"AND receiver IN ({listed}) AND sender != receiver)").fetchone()[0]


def crowds(d, store):
    """(Bands, the arrows that fit [(x0 ms, lane0, x1 ms, lane1,
    Message)] in density.crowds' order), as density.made and
    density.crowds make them of the lanes' messages; None if the
    converter could not say."""
    scale = d.pic.scale
    lines = [f"t0\t{d.t0}",
             f"scale\t{scale.lo!r}\t{scale.hi!r}\t{scale.left!r}\t"
             f"{scale.right!r}",
             f"band\t{SPREAD_PX!r}\t{BAND_MIN}\t{BAND_BIN_PX!r}"]
    lines += [f"cut\t{c.real_from!r}\t{c.real_to!r}\t{c.start!r}\t{c.end!r}"
              for c in (d.cuts or ())]
    lines += [f"lane\t{pid}\t{lane}" for pid, lane in d.lane_of.items()
              if pid in d.pids]
    text = convert.ask(store, "--crowds", lines)
    if text is None:
        return None
    rest, found = [], []          # found: [[lanes, count, ...], slices]
    for line in text.splitlines():
        kind, *f = line.split("\t")
        if kind == "rest":
            rest.append(int(f[0]))
        elif kind == "band":
            found.append([[int(v) for v in f], [], []])
        elif kind == "slice":
            found[-1][1].append((int(f[0]), float(f[1]), float(f[2]),
                                 int(f[3])))
        elif kind == "members":
            found[-1][2].append((int(f[0]), int(f[1])))
    records = _messages(store, rest + [b[0][3] for b in found])
    bands = [Band(l0, l1, count, records[first], last, in_ms(d, slices),
                  members)
             for (l0, l1, count, first, last), slices, members in found]
    arrows = []
    for rowid in rest:
        m = records[rowid]
        arrows.append((d.ms(m.send_ts), d.lane_of[m.sender],
                       d.ms(m.recv_ts), d.lane_of[m.receiver], m))
    return bands, arrows


def _messages(store, rowids):
    """{rowid: Message} of these rows of the messages table."""
    found = {}
    for start in range(0, len(rowids), 10000):
        listed = ",".join(str(r) for r in rowids[start:start + 10000])
        for row in store.db.execute(f"SELECT rowid, * FROM messages WHERE "
                                    f"rowid IN ({listed})"):
            found[row[0]] = Message._make(row[1:])
    return found


def ranges(bands):
    """The messages table's rowids [(from, to)] of the messages of these
    bands that the converter found (a Python band lists its msg ids)."""
    return [r for b in bands if not isinstance(b.msgs, set) for r in b.msgs]
