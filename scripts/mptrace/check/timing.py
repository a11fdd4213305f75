"""Questions about how long things took, answered from the watcher's
sight of each process in /proc (witness.py): zombie time, a run's length,
time spent running or asleep."""

from ..words import duration
from .checker import Answer, No, plural, question
from .witness import GONE, children_of, dead_time, runner_reaps, states

STATE_WORDS = {"R": "running (R)", "S": "asleep (S)", "D": "in disk wait (D)"}


def _length(ts, end_ts):
    return duration((end_ts - ts) / 1e6)


@question("zombies-under", "MS [PARENT]", "no process of the lesson (or "
          "no child of PARENT) was a zombie for MS ms or longer: from the "
          "watcher's first sight of it as Z (or its exit, if never seen "
          "so) to its collection (the runner's reap, or its parent's that "
          "the watcher's sight of it gone confirms, or that sight)",
          basis="runner+runtime", needs_end=False)
def _zombies_under(c, ms, parent=None):
    if parent is not None:
        pids = children_of(c, parent)
        if not pids:
            raise No(f"{c.who(parent)} made no child")
    else:
        pids = [p.pid for p in c.lanes
                if p.pid not in (c.trace.runner, c.trace.main)]
    ended = []
    for pid in pids:
        found = dead_time(c, c.proc(pid))
        if found is not None:
            ended.append((pid,) + found)
    if not ended:
        raise No("no process of " + (c.who(parent) if parent is not None
                                     else "the lesson") + " ended")
    long = [z for z in ended if z[2] - z[1] >= ms * 1e6]
    if long:
        return Answer(False, "; ".join(
            f"{c.who(pid)} was a zombie for {_length(end, gone)}, from "
            f"{c.ms(end)} to {c.ms(gone)} ({how})"
            for pid, end, gone, how in long),
            tuple(c.mark(pid, end, gone, f"zombie {_length(end, gone)}")
                  for pid, end, gone, _ in long))
    pid, end, gone, how = max(ended, key=lambda z: z[2] - z[1])
    return Answer(True, f"{plural(len(ended), 'process', 'es')} ended; the "
                  f"longest zombie, {c.who(pid)}, {_length(end, gone)} "
                  f"from {c.ms(end)} to {c.ms(gone)} ({how})")


@question("ended-within", "PID MS", "the process ended within MS ms of "
          "its start: from its first record (for the main process, after "
          "exec and the program's loading) to its exit record, else to its "
          "collection (the runner's reap of it, if the runner collected "
          "it: a process killed has no exit record)", basis="runner+runtime",
          needs_end=False)
def _ended_within(c, pid, ms):
    proc = c.proc(pid)
    began = proc.start_ts if proc.start_ts is not None else proc.begin_ts
    reap = runner_reaps(c).get(pid)
    # After its exit record a process is still ending (stdio, LTTng's own
    # exit), milliseconds on a busy machine: its work is done.
    ends = [t for t in (proc.exit_ts, reap["ts"] if reap else None)
            if t is not None]
    ended = min(ends) if ends else c.end_of(proc)
    if began is None:
        raise No(f"{c.who(pid)}'s start is not in the trace")
    if ended is None:
        last = c.trace.events[-1]["ts"]
        return Answer(False, f"{c.who(pid)} started at {c.ms(began)} and "
                      f"had not ended when the trace ended at {c.ms(last)}",
                      (c.mark(pid, began + round(ms * 1e6), last,
                              f"past {duration(ms)}"),))
    said = (f"{c.who(pid)} ran {_length(began, ended)}, from {c.ms(began)} "
            f"to {c.ms(ended)}" + (" (its exit)" if ended == proc.exit_ts
                                   else " (collected by the runner)"
                                   if reap is not None else ""))
    if ended - began > ms * 1e6:
        return Answer(False, said + f"; asked: at most {duration(ms)}",
                      (c.mark(pid, began + round(ms * 1e6), ended,
                              f"past {duration(ms)}"),))
    return Answer(True, said)


def _stretches(c, pid, letters):
    """[(from, to, letter)]: the times the watcher saw pid in one of these
    states, each to its next change (neighbours merged), from its start
    (its first own record: before it, a main process is still being loaded)
    up to its end."""
    seen, out = states(c, pid), []
    last = c.trace.events[-1]["ts"]
    start = _start(c, pid)
    for i, s in enumerate(seen):
        if s.state in ("Z", GONE):
            break
        to = seen[i + 1].ts if i + 1 < len(seen) else last
        frm = max(s.ts, start)
        if s.state not in letters or to <= frm:
            continue
        if out and out[-1][1] == s.ts:
            out[-1] = (out[-1][0], to, out[-1][2])
        else:
            out.append((frm, to, s.state))
    return out


def _start(c, pid):
    proc = c.procs.get(pid)
    if proc is None:
        return 0
    start = proc.start_ts if proc.start_ts is not None else proc.begin_ts
    return start if start is not None else 0


def _life_seen(c, pid):
    """(start, end) of pid as the watcher saw it: from its first sight (or
    its start, if later) to its first Z or X."""
    seen = states(c, pid)
    if not seen:
        raise No(f"the watcher never saw {c.who(pid)} (was mprun run with "
                 "--no-watch?)")
    end = next((s.ts for s in seen if s.state in ("Z", GONE)),
               c.trace.events[-1]["ts"])
    return max(seen[0].ts, _start(c, pid)), end


@question("busy-under", "PID PCT", "the watcher saw the process running "
          "or ready to run (R) at most PCT percent of its life, from its "
          "first sight to its end: a process that waits for something "
          "sleeps (S) instead of spinning", basis="runner",
          needs_end=False)
def _busy_under(c, pid, pct):
    start, end = _life_seen(c, pid)
    running = _stretches(c, pid, "R")
    busy = sum(b - a for a, b, _ in running)
    share = 100 * busy / max(end - start, 1)
    said = (f"{c.who(pid)} was running (R) {_length(0, busy)} of its "
            f"{_length(start, end)} ({share:.0f}%)")
    if not running:
        return Answer(pct >= 0, said)
    a, b, _ = max(running, key=lambda r: r[1] - r[0])
    said += f"; the longest stretch from {c.ms(a)} to {c.ms(b)}"
    if share > pct:
        return Answer(False, said + f"; asked: at most {pct}%",
                      (c.mark(pid, a, b, f"running {share:.0f}%"),))
    return Answer(True, said)


@question("blocked-under", "MS [PID]", "no process of the lesson (or "
          "PID) was seen asleep (S, or D) for MS ms or longer at a stretch: "
          "nothing waited that long for another", basis="runner",
          needs_end=False)
def _blocked_under(c, ms, pid=None):
    pids = [pid] if pid is not None else [
        p.pid for p in c.lanes if p.pid != c.trace.runner]
    long = []
    for p in pids:
        for a, b, letter in _stretches(c, p, "SD"):
            if b - a >= ms * 1e6:
                long.append((p, a, b, letter))
    if long:
        return Answer(False, "; ".join(
            f"{c.who(p)} was {STATE_WORDS[letter]} for {_length(a, b)}, "
            f"from {c.ms(a)} to {c.ms(b)}" for p, a, b, letter in long),
            tuple(c.mark(p, a, b, f"asleep {_length(a, b)}")
                  for p, a, b, _ in long))
    seen = [p for p in pids if states(c, p)]
    if not seen:
        raise No("the watcher saw none of them (was mprun run with "
                 "--no-watch?)")
    return Answer(True, f"{plural(len(seen), 'process', 'es')} watched, "
                  f"none asleep for {duration(ms)} at a stretch")
