"""Questions about work shared out: pool tasks, locks, a manager's
shared values."""

from collections import Counter, defaultdict

from ..words import short_id
from .checker import Answer, No, ids, question


# -- pools --

def _pool_tasks(c, pool):
    found = c.trace.tasks
    if pool is not None:
        found = [t for t in found if t.pool == pool]
    return found


@question("max-concurrent-tasks", "K [POOL]", "at no moment did more than "
          "K tasks run at once (task_start to task_end)")
def _max_concurrent_tasks(c, k, pool=None):
    found = _pool_tasks(c, pool)
    if not any(t.start_ts is not None for t in found):
        return Answer(False, "no task ran in the trace")
    # Ends before starts at the same ns: a worker that ends one task and
    # starts the next in the same instant runs one.
    edges = sorted([(t.start_ts, 1, t) for t in found
                    if t.start_ts is not None]
                   + [(t.end_ts, 0, t) for t in found
                      if t.start_ts is not None and t.end_ts is not None],
                   key=lambda e: (e[0], e[1]))
    running, most, most_at, most_set = set(), 0, None, []
    for ts, starts, t in edges:
        if starts:
            running.add(t)
            if len(running) > most:
                most, most_at, most_set = len(running), ts, list(running)
        else:
            running.discard(t)
    most_set.sort(key=lambda t: t.start_ts)
    said = (f"{most} tasks ran at once at {c.ms(most_at)}: tasks "
            f"{ids(short_id(t.task) for t in most_set)} on pids "
            f"{ids(t.worker for t in most_set)}")
    if most > k:
        return Answer(False, said, tuple(
            c.mark(t.worker, t.start_ts, t.end_ts, f"{most} at once")
            for t in most_set if t.worker is not None))
    return Answer(True, f"at most {most} at once (" + said + ")")


@question("tasks-once", "[POOL]", "every task submitted was started once "
          "and ended once, by one worker, in that order; no task ran that "
          "was not submitted")
def _tasks_once(c, pool=None):
    found = _pool_tasks(c, pool)
    if not found:
        return Answer(False, "no task in the trace")
    for t in found:
        name = f"task {short_id(t.task)} of pool {t.pool:#x}"
        where = (c.mark(t.worker, t.start_ts, t.end_ts, "this task"),) \
            if t.worker is not None and t.start_ts is not None else ()
        if t.submit_ts is None:
            return Answer(False, f"{name} ran on {c.who(t.worker)} at "
                          f"{c.ms(t.start_ts)} but was never submitted", where)
        if t.starts != 1 or t.ends != 1:
            return Answer(False, f"{name}, submitted at {c.ms(t.submit_ts)}, "
                          f"started {t.starts} times and ended {t.ends} times",
                          where)
        if not t.submit_ts <= t.start_ts <= t.end_ts:
            return Answer(False, f"{name}: submitted {c.ms(t.submit_ts)}, "
                          f"started {c.ms(t.start_ts)}, ended "
                          f"{c.ms(t.end_ts)}: out of order")
    workers = Counter(t.worker for t in found)
    return Answer(True, f"{len(found)} tasks, each run once, on "
                  f"{len(workers)} workers ("
                  + ", ".join(f"{c.who(w)}: {n}" for w, n in workers.items())
                  + ")")


# -- locks --

@question("locks-exclusive", "[OBJ]", "no two processes held a lock at "
          "the same time (lock_acquire to lock_release; a hold ends too "
          "when the next owner is told its owner died)")
def _locks_exclusive(c, obj=None):
    holds = [h for h in c.trace.holds if obj is None or h.obj == obj]
    if not holds:
        return Answer(False, "no lock was taken in the trace"
                      + (f" with id {obj:#x}" if obj is not None else ""))
    by_obj = defaultdict(list)
    for h in holds:
        by_obj[h.obj].append(h)
    for lock, hs in by_obj.items():
        for prev, nxt in zip(hs, hs[1:]):
            if prev.end_ts is None or prev.end_ts > nxt.ts:
                return Answer(False, f"lock {lock:#x}: held by "
                              f"{c.who(prev.pid)} from {c.ms(prev.ts)} to "
                              f"{c.ms(prev.end_ts)} and by {c.who(nxt.pid)} "
                              f"from {c.ms(nxt.ts)}",
                              (c.mark(prev.pid, prev.ts, prev.end_ts,
                                      "held"),
                               c.mark(nxt.pid, nxt.ts, nxt.end_ts,
                                      "held too")))
    waited = [h for h in holds if h.wait_ts is not None]
    longest = max(waited, key=lambda h: h.ts - h.wait_ts, default=None)
    return Answer(True, f"{len(holds)} holds of {len(by_obj)} lock(s), one "
                  "at a time" + (f"; the longest wait {c.who(longest.pid)}'s,"
                                 f" {(longest.ts - longest.wait_ts) / 1e6:.1f}"
                                 f" ms from {c.ms(longest.wait_ts)}"
                                 if longest else ""))


# -- a manager's shared value: its updates --

def _updates(c, key):
    """[(get, set)] of key: each process's get paired with its next set
    (d[key] -= 1 is a get, then a set), in the order of the gets."""
    reqs = [r for r in c.trace.mgr_requests if r.key == key
            and r.status == 0]
    if not reqs:
        raise No(f"no manager request for {key!r} in the trace")
    pending, pairs = {}, []
    for r in sorted(reqs, key=lambda r: r.ts):
        if r.op == "get":
            pending[r.pid] = r
        elif r.op == "set" and r.pid in pending:
            pairs.append((pending.pop(r.pid), r))
    if not pairs:
        raise No(f"no process got {key!r} and then set it")
    return sorted(pairs, key=lambda p: p[0].ts)


@question("no-lost-updates", "KEY", "no two processes read the same value "
          "of a manager's KEY and then both set it: no update overwrote "
          "another it never saw")
def _no_lost_updates(c, key):
    pairs = _updates(c, key)
    by_value = defaultdict(list)
    for get, put in pairs:
        by_value[get.reply].append((get, put))
    lost = [same for same in by_value.values() if len(same) > 1]
    if lost:
        said, marks = [], []
        for same in lost[:3]:
            said.append(" and ".join(f"{c.who(g.pid)} at {c.ms(g.ts)}"
                                     for g, _ in same)
                        + f" all read {same[0][0].reply} and set "
                        + "/".join(sorted({p.value for _, p in same})))
            marks += [c.mark(g.pid, g.ts, p.end_ts or p.ts,
                             f"read {g.reply}") for g, p in same]
        n = sum(len(s) - 1 for s in lost)
        return Answer(False, f"{n} update(s) of {key!r} lost: "
                      + "; ".join(said), tuple(marks))
    return Answer(True, f"{len(pairs)} updates of {key!r}, each from a "
                  "value no other update read")


@question("updates-locked", "KEY", "every get .. set of a manager's KEY "
          "happened while its process held a lock, from before the get to "
          "after the set's reply")
def _updates_locked(c, key):
    holds = defaultdict(list)
    for h in c.trace.holds:
        holds[h.pid].append(h)
    bare, marks = [], []
    pairs = _updates(c, key)
    for get, put in pairs:
        end = put.end_ts if put.end_ts is not None else put.ts
        inside = any(h.ts <= get.ts and h.end_ts is not None
                     and end <= h.end_ts for h in holds[get.pid])
        if not inside:
            bare.append(f"{c.who(get.pid)} got {key!r} at {c.ms(get.ts)} "
                        f"and set it at {c.ms(put.ts)} without holding a "
                        "lock all along")
            marks.append(c.mark(get.pid, get.ts, end, "no lock"))
    if bare:
        more = f" (and {len(bare) - 3} more)" if len(bare) > 3 else ""
        return Answer(False, "; ".join(bare[:3]) + more, tuple(marks))
    return Answer(True, f"{len(pairs)} updates of {key!r}, each inside a "
                  "hold of a lock")
