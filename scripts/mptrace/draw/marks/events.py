"""Events: each wait for one, its end, the set() that released it."""

from ...words import duration
from ..style import STATUS_ROWS


def event_arrows(d, proc):
    """An Event's set() to each wait it released."""
    lane = d.lane_of[proc.pid]
    for wait in proc.event_waits:
        setter = d.lane_of.get(wait.set_by)
        if setter is None or setter == lane:
            continue
        d.arrow("event_sets", d.ms(wait.set_ts), setter,
                d.ms(wait.end_ts), lane)
        d.pic.legend.add("event_set")


def event_marks(d, proc):
    """Waits for an Event (a thin bar, "wait(...)" at its start, "set"
    or "timed out" at its end), and the set()/clear() it did."""
    lane = d.lane_of[proc.pid]
    for wait in proc.event_waits:
        start, end = d.span(proc, wait)
        d.pic.bar("event_wait", lane, start, end)
        limit = "" if wait.timeout_ms < 0 \
            else duration(wait.timeout_ms)
        d.pic.text(lane, start, f"wait({limit})", STATUS_ROWS,
                   "event", optional=True, either_side=True)
        if wait.woke is not None:
            d.status(lane, end, "set" if wait.woke else "timed out",
                     "event" if wait.woke else "signal")
    for op in proc.event_sets:
        t = d.ms(op.ts)
        d.pic.add("event_ops", t, lane)
        d.status(lane, t, f"{op.op}()", "event")
