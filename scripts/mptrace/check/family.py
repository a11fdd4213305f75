"""Questions about who made whom and who collected whom, answered from the
runner's records first (witness.py): the fork it made, the processes its
watcher saw and with which parent, the orphans it collected."""

from ..words import signal_name
from .checker import Answer, ids, plural, question
from .witness import children_of, runner_reaps, states


@question("child-count", "PARENT N", "PARENT made exactly N children (the "
          "forks it recorded, and the processes the watcher saw with "
          "PARENT as their first parent)", basis="runner+runtime")
def _children(c, parent, n):
    kids = children_of(c, parent)
    said = (f"{c.who(parent)} made {plural(len(kids), 'child', 'ren')}"
            + (f": {ids(kids)}" if kids else ""))
    marks = ()
    if len(kids) > n:
        extra = kids[n:]
        marks = tuple(c.mark(pid, c.procs[pid].begin_ts or c.trace.t0,
                             text=f"child {i} of {n}")
                      for i, pid in enumerate(extra, n + 1)
                      if pid in c.procs)
    elif len(kids) < n and parent in c.procs:
        marks = (c.mark(parent, c.procs[parent].begin_ts or c.trace.t0,
                        text=f"{len(kids)} children, not {n}"),)
    return Answer(len(kids) == n, said + f" (asked: {n})", marks)


@question("reaped-by-parent", "PARENT", "every child PARENT made was "
          "collected by PARENT itself: the runner collected none of them "
          "after PARENT ended, and none was left uncollected",
          basis="runner+runtime")
def _reaped_by_parent(c, parent):
    kids = children_of(c, parent)
    if not kids:
        return Answer(False, f"{c.who(parent)} made no child")
    adopted = runner_reaps(c)
    main = c.procs.get(parent)
    ended = c.end_of(main) if main is not None else None
    wrong, marks = [], []
    for pid in kids:
        proc = c.procs.get(pid)
        if pid in adopted:
            ts = adopted[pid]["ts"]
            wrong.append(f"{c.who(c.trace.runner)} collected {c.who(pid)} at "
                         f"{c.ms(ts)}" + (f", after {c.who(parent)} ended at "
                                          f"{c.ms(ended)}" if ended else ""))
            marks.append(c.mark(pid, ts, text="collected by mprun"))
        elif proc is not None and proc.reaper not in (parent, None):
            wrong.append(f"{c.who(proc.reaper)} collected {c.who(pid)} at "
                         f"{c.ms(proc.reap_ts)}")
            marks.append(c.mark(pid, proc.reap_ts, text="not its parent's"))
        elif (proc is None or proc.reap_ts is None) \
                and not any(s.state == "X" for s in states(c, pid)):
            last = proc.last_ts if proc is not None else None
            wrong.append(f"nobody collected {c.who(pid)}")
            if last is not None:
                marks.append(c.mark(pid, last, text="never collected"))
    if wrong:
        return Answer(False, "; ".join(wrong) + f" ({c.who(parent)} made "
                      f"{plural(len(kids), 'child', 'ren')}: {ids(kids)})",
                      tuple(marks))
    return Answer(True, f"{c.who(parent)} collected all "
                  f"{plural(len(kids), 'child', 'ren')} itself ({ids(kids)});"
                  f" the runner collected none of them")


@question("no-signals", "", "no process of the lesson was sent a signal "
          "(terminate, kill) or ended by one: each ended by itself",
          basis="runner+runtime")
def _no_signals(c):
    said, marks = [], []
    for proc in c.lanes:
        if proc.pid == c.trace.runner:
            continue
        for s in proc.signals:
            said.append(f"{c.who(s.sender)} sent {c.who(proc.pid)} "
                        f"{signal_name(s.signo)} at {c.ms(s.ts)}")
            marks.append(c.mark(proc.pid, s.ts, text=signal_name(s.signo)))
        if proc.killed_by is not None and not proc.signals:
            said.append(f"{c.who(proc.pid)} was ended by "
                        f"{signal_name(proc.killed_by)}, collected at "
                        f"{c.ms(proc.reap_ts)}")
            marks.append(c.mark(proc.pid, proc.reap_ts,
                                text=signal_name(proc.killed_by)))
    if said:
        return Answer(False, "; ".join(said), tuple(marks))
    return Answer(True, f"none of the {len(c.lanes)} processes got a signal")

