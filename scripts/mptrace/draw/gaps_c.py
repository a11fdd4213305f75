"""The gaps between the lanes' own events, walked by the converter
(mp-trace-sql --gaps, trace/sql/gaps.c) in the trace's database: of a
million times, only those gaps Drawing._gaps' heap would take in come
back to Python, which pushes them into its heap as it would have (the
same heap, in the same order).  Drawing._gaps stays the definition, and
the way without the converter."""

from ..read import convert


def gaps(d, trace, most):
    """(first time, last time, [(width, before, after)] the gaps the
    heap of the `most` widest takes in, in order, how many gaps in all),
    times in ms, of the lanes' own events; None if the converter cannot
    say (the events in memory, no converter)."""
    query = trace.own_times_sql(d.lane_of)
    if query is None or "\n" in query or "\t" in query:
        return None
    text = convert.ask(trace.store, "--gaps",
                       [f"t0\t{d.t0}", f"most\t{most}", f"sql\t{query}"])
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
