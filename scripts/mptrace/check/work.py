"""Questions about work shared out: pool tasks and locks."""

from collections import Counter, defaultdict

from ..words import short_id
from .checker import Answer, ids, question


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
        return Answer(False, said)
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
        if t.submit_ts is None:
            return Answer(False, f"{name} ran on {c.who(t.worker)} at "
                          f"{c.ms(t.start_ts)} but was never submitted")
        if t.starts != 1 or t.ends != 1:
            return Answer(False, f"{name}, submitted at {c.ms(t.submit_ts)}, "
                          f"started {t.starts} times and ended {t.ends} times")
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
                              f"from {c.ms(nxt.ts)}")
    waited = [h for h in holds if h.wait_ts is not None]
    longest = max(waited, key=lambda h: h.ts - h.wait_ts, default=None)
    return Answer(True, f"{len(holds)} holds of {len(by_obj)} lock(s), one "
                  "at a time" + (f"; the longest wait {c.who(longest.pid)}'s,"
                                 f" {(longest.ts - longest.wait_ts) / 1e6:.1f}"
                                 f" ms from {c.ms(longest.wait_ts)}"
                                 if longest else ""))
