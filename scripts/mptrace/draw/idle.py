"""The gaps between the lanes' own events (Trace.own_times), where the
timeline's time axis may be cut (Drawing.idle_stretch, idle_stretches):
the first time, the last, and the MOST_BREAKS widest gaps, kept in a heap
whose order the picture depends on (it breaks ties between gaps as wide).

walk() is the definition.  Where the events are in the trace's database,
the converter walks them instead (mp-trace-sql --gaps, trace/sql/gaps.c):
of a million times, only the gaps the heap would take in come back to
Python, which pushes them into its heap as walk() would have: the same
heap, in the same order."""

import heapq

from ..read import convert
from .style import MOST_BREAKS


def gaps(d, trace):
    """(the first time, the last, the MOST_BREAKS widest gaps (before,
    after) in the heap's order) of the lanes' own events, in ms: from
    the converter where it can and the trace is large, else walk()."""
    found = in_c(d, trace) if convert.worth_asking(trace.store) else None
    if found is None:
        return walk(trace.own_times(d.lane_of), d.t0)
    first, last, candidates, count = found
    widest = []
    for gap in candidates:
        keep(widest, gap)
    return first, last, of(widest, count)


def walk(times, t0):
    """(the first time, the last, the MOST_BREAKS widest gaps (before,
    after) between successive ones) of these ts, in time order, as ms
    since t0; no gaps with fewer than three distinct times.  One pass,
    and memory for the widest few only (a million events make a million
    gaps)."""
    first = prev = None
    widest, count = [], 0
    for ts in times:
        t = (ts - t0) / 1e6
        if t == prev:
            continue
        if prev is None:
            first = t
        else:
            count += 1
            keep(widest, (t - prev, prev, t))   # ties: the later kept
        prev = t
    return first, prev, of(widest, count)


def keep(widest, gap):
    """gap (width, before, after) into the heap of the MOST_BREAKS
    widest, if it is one of them so far."""
    if len(widest) < MOST_BREAKS:
        heapq.heappush(widest, gap)
    elif gap > widest[0]:
        heapq.heapreplace(widest, gap)


def of(widest, count):
    """The (before, after) of the heap's gaps, in its order; none unless
    there were two gaps or more."""
    return [(before, after) for _, before, after in widest] \
        if count >= 2 else []


def in_c(d, trace):
    """(first time, last time, [(width, before, after)] the gaps the
    heap takes in, in order, how many gaps in all) from the converter;
    None if it cannot say (the events in memory, no converter)."""
    query = trace.own_times_sql(d.lane_of)
    if query is None or "\n" in query or "\t" in query:
        return None
    text = convert.ask(trace.store, "--gaps",
                       [f"t0\t{d.t0}", f"most\t{MOST_BREAKS}",
                        f"sql\t{query}"])
    if text is None:
        return None
    first = last = None
    found, count = [], 0
    for line in text.splitlines():
        kind, *f = line.split("\t")
        if kind == "gap":
            found.append(tuple(float(v) for v in f))
        elif kind == "first":
            first = float(f[0])
        elif kind == "last":
            last = float(f[0])
        elif kind == "count":
            count = int(f[0])
    return first, last, found, count
