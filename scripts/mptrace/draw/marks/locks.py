"""Locks and manager requests: what the lesson's processes shared."""

from ..style import STATUS_ROWS


def locks(d, proc):
    """Lock holds (a bar from acquire to release, or to the moment the
    next owner learnt that this one died; to the lane's end if neither
    came) and waits (thin); "owner died" where a hold began so.  Python's
    Lock is a semaphore of value 1, drawn the same; a wait for another
    semaphore (a Condition's, a bounded Queue's) is pale blue.  Each on
    the lane of the thread that did it."""
    for wait in d.lock_waits.get(proc.pid, ()):
        lane = d.lane_for(proc.pid, wait.tid)
        block = "sem_wait" if wait.sem and \
            d.semaphores.get(wait.obj) != 1 else "lock_wait"
        d.pic.bar(block, lane, d.ms(wait.ts), d.ms(wait.end_ts))
    for hold in d.holds.get(proc.pid, ()):
        lane = d.lane_for(proc.pid, hold.tid)
        start, end = d.span(proc, hold)
        d.pic.bar("lock_hold", lane, start, end)
        if hold.inherited:
            d.status(lane, start, "owner died", "signal")


def manager(d, proc):
    """Every manager request a tick; a get of a key and the set of the same
    key after it as one orange bar, "get 97, set 96" under it."""
    lane, mgr = d.lane_of[proc.pid], d.mgr_requests.get(proc.pid, ())
    for req in mgr:
        d.pic.add("mgr_ops", d.ms(req.ts), lane)
    for get, put in zip(mgr, mgr[1:]):
        if get.op == "get" and put.op == "set" and get.key == put.key \
                and put.end_ts is not None:
            start, end = d.ms(get.ts), d.ms(put.end_ts)
            d.pic.bar("mgr_window", lane, start, end)
            d.pic.text(lane, start, f"get {get.reply}, set {put.value}",
                       STATUS_ROWS, "mgr_ops", optional=True,
                       either_side=True)
