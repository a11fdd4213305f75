"""What the runner saw: the records no process of the lesson can write.

mprun forks the lesson's main process and records that fork; it collects
the main process and every orphan it adopts and records those reaps; its
watcher thread reads every process's state in /proc and records each
change (proc_state, about the process it looked at).  All of these are
emitted from mprun's own process, and LTTng writes the emitting process's
pid into each event's vpid context itself: the lesson's processes can put
any pid in a payload, never another process's vpid.  (A child forked
without exec keeps its parent's vpid, never mprun's: mprun starts the
program with exec.)

A recording without the vpid context (a JSON list of events written by
hand) cannot tell them apart: the payloads are taken at their word, and
`vouched(c)` says so.
"""

from ..model import State
from ..read.recording import EMITTER

GONE = "X"


def _shared(c, key, make):
    """What several questions of one Checker share, made once."""
    if key not in c.cache:
        c.cache[key] = make(c)
    return c.cache[key]


def vouched(c):
    """True when the recording says who emitted each event (vpid)."""
    return _shared(c, "vouched",
                   lambda c: any(EMITTER in e for e in c.trace.events))


def runner_events(c):
    """The events the runner's own process emitted, in time order."""
    def make(c):
        runner = c.trace.runner
        if runner is None:
            return []
        if vouched(c):
            return [e for e in c.trace.events if e.get(EMITTER) == runner]
        return [e for e in c.trace.events if e["name"] == "proc_state"
                or e.get("pid") == runner]
    return _shared(c, "runner_events", make)


def states(c, pid):
    """[State] the watcher saw of pid, one per change."""
    def make(c):
        seen = {}
        for e in runner_events(c):
            if e["name"] == "proc_state":
                seen.setdefault(e["pid"], []).append(
                    State(e["ts"], e["state"], e["ppid"]))
        return seen
    return _shared(c, "states", make).get(pid, [])


def runner_reaps(c):
    """child pid -> the runner's proc_reap of it."""
    def make(c):
        return {e["child"]: e for e in runner_events(c)
                if e["name"] == "proc_reap" and e["pid"] == c.trace.runner}
    return _shared(c, "runner_reaps", make)


def first_seen(c, pid, letters):
    """ts of the watcher's first sight of pid in one of these states."""
    return next((s.ts for s in states(c, pid) if s.state in letters), None)


def parent_of(c, pid):
    """Who made pid: the parent the watcher first saw it with (the
    runner's, for the main process), else the fork recorded for it."""
    if pid == c.trace.main and c.trace.runner is not None:
        return c.trace.runner
    seen = [s for s in states(c, pid) if s.state != GONE and s.ppid > 0]
    if seen:
        return seen[0].ppid
    proc = c.procs.get(pid)
    return proc.parent if proc is not None else None


def children_of(c, parent):
    """The pids parent made (fork records, or the watcher's sight of a
    process whose first parent it was), by when they were first known."""
    found = {}
    for pid in c.pids:
        if pid == c.trace.runner or parent_of(c, pid) != parent:
            continue
        proc = c.procs.get(pid)
        first = [t for t in (proc.begin_ts if proc else None,
                             first_seen(c, pid, "RSDTtZX")) if t is not None]
        found[pid] = min(first) if first else 0
    return sorted(found, key=found.get)


def adoptions(c, pid):
    """[(ts, old parent, new parent)]: the changes of parent the watcher
    saw, the first against the parent that made pid."""
    known, found = parent_of(c, pid), []
    for s in states(c, pid):
        if s.state == GONE or s.ppid <= 0:
            continue
        if known is not None and s.ppid != known:
            found.append((s.ts, known, s.ppid))
        known = s.ppid
    return found


# How long after a process's reap the watcher may be first to see it
# gone and the reap still count: the watcher looks every millisecond, and
# on a busy machine some rounds come late.  A reap recorded more than this
# before the watcher saw the process gone is not believed (it could be
# written by the lesson): the watcher's sight is the end.
REAP_SLACK_NS = 50_000_000


def dead_time(c, proc):
    """(end, collected, how) of a process that ended.  end: the watcher's
    first sight of it as a zombie (Z), or its exit record if the watcher
    never saw it so (a process still finishing its exit is no zombie yet:
    on a busy machine that takes milliseconds).  collected: the runner's
    reap, or a reap recorded by its parent that the watcher's sight of it
    gone confirms, or that sight, or else the end of the trace (it was
    never collected).  None if it never ended."""
    z = first_seen(c, proc.pid, "Z")
    end = z if z is not None else proc.exit_ts
    if end is None:
        return None
    gone = first_seen(c, proc.pid, GONE)
    trusted = runner_reaps(c).get(proc.pid)
    if trusted is not None:
        return end, trusted["ts"], f"collected by {c.who(c.trace.runner)}"
    if proc.reap_ts is not None and (
            gone is None or gone - REAP_SLACK_NS <= proc.reap_ts <= gone) \
            and (z is None or proc.reap_ts >= z):
        return end, proc.reap_ts, f"collected by {c.who(proc.reaper)}"
    if gone is not None:
        return end, gone, "the watcher saw it gone"
    return end, c.trace.events[-1]["ts"], "never collected"
