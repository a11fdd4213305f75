"""Questions about process lives: lost events, processes collected and by
whom, exit codes, adoptions, signals, the states the watcher saw."""

import signal

from ..errors import UsageError
from ..words import signal_name
from . import witness
from .checker import Answer, ids, plural, question


# -- the tracer itself --

@question("lost-events", "", "LTTng lost no event (it reports how many "
          "it discarded when its buffers were full)", basis="trace",
          needs_end=False)
def _lost_events(c):
    n = c.trace.discarded
    if n:
        return Answer(False, f"LTTng lost {n} events: the trace is missing "
                      "some (its buffers were full)")
    return Answer(True, f"LTTng lost 0 events ({c.trace.event_count} "
                  "recorded)")


# -- process lives --

@question("none-outlived", "", "every process of the lesson was collected "
          "by its parent or by mprun, and none was left running for mprun "
          "to kill", basis="runner+runtime")
def _none_outlived(c):
    procs = [c.procs[p] for p in c.pids if p != c.trace.runner]
    if not procs:
        return Answer(False, "no process of the lesson in the trace")
    missing = [p for p in procs if p.reap_ts is None]
    if missing:
        return Answer(False, "never collected: " + ", ".join(
            f"{c.who(p.pid)}, last seen at {c.ms(p.last_ts)}"
            for p in missing), tuple(c.mark(p.pid, p.last_ts,
                                            text="never collected")
                                     for p in missing
                                     if p.last_ts is not None))
    # mprun kills leftovers with SIGKILL without a traced kill, then
    # collects them: -9 with no sender.
    killed = [p for p in procs if p.reaper == c.trace.runner
              and p.exitcode == -signal.SIGKILL and not p.signals
              and p.pid != c.trace.main]
    if killed:
        return Answer(False, "left running and killed by mprun: " + ", ".join(
            f"{c.who(p.pid)} at {c.ms(p.reap_ts)}" for p in killed),
            tuple(c.mark(p.pid, p.reap_ts, text="killed by mprun")
                  for p in killed))
    last = max(procs, key=lambda p: p.reap_ts)
    return Answer(True, f"all {len(procs)} processes collected; the last, "
                  f"{c.who(last.pid)}, at {c.ms(last.reap_ts)} by "
                  f"{c.who(last.reaper)}")


@question("none-outlived-main", "", "every other process of the lesson "
          "ended and was collected before the main process ended")
def _none_outlived_main(c):
    main = c.procs.get(c.trace.main)
    if main is None:
        return Answer(False, "no main process in the trace")
    end = c.end_of(main)
    if end is None:
        return Answer(False, f"{c.who(main.pid)} never ended in the trace")
    others = [c.procs[p] for p in c.pids
              if p not in (main.pid, c.trace.runner)]
    late = [p for p in others if p.reap_ts is None or p.reap_ts > end]
    if late:
        return Answer(False, f"{c.who(main.pid)} ended at {c.ms(end)}; "
                      + ", ".join(f"{c.who(p.pid)} was collected at "
                                  f"{c.ms(p.reap_ts)}" for p in late))
    last = max((p.reap_ts for p in others), default=None)
    return Answer(True, f"{plural(len(others), 'other process', 'es')}, the "
                  "last collected "
                  f"at {c.ms(last)}; {c.who(main.pid)} ended at {c.ms(end)}")


@question("exitcode", "PID CODE", "the process ended with this exitcode "
          "(Python's: the exit status, or minus the signal that ended it), "
          "as its collector recorded it", basis="runner+runtime")
def _exitcode(c, pid, code):
    proc = c.proc(pid)
    if proc.exitcode is None:
        return Answer(False, f"{c.who(pid)} was never collected, so its "
                      "exitcode is unknown")
    how = (f"killed by {signal_name(-proc.exitcode)}"
           if proc.exitcode < 0 else f"exit status {proc.exitcode}")
    return Answer(proc.exitcode == code,
                  f"{c.who(pid)} ended with exitcode {proc.exitcode} ({how}), "
                  f"collected at {c.ms(proc.reap_ts)} by "
                  f"{c.who(proc.reaper)}" + ("" if proc.exitcode == code
                                            else f"; asked: {code}"),
                  () if proc.exitcode == code else
                  (c.mark(pid, c.end_of(proc),
                          text=f"exitcode {proc.exitcode}"),))


@question("collected-by", "PID REAPER", "the process was collected "
          "(wait/waitpid) exactly once, by REAPER", basis="runner+runtime")
def _collected_by(c, pid, reaper):
    reaps = [e for e in c.trace.events
             if e["name"] == "proc_reap" and e["child"] == pid]
    if not reaps:
        return Answer(False, f"nobody collected {c.who(pid)}")
    said = "; ".join(f"{c.who(e['pid'])} collected {c.who(pid)} at "
                     f"{c.ms(e['ts'])} (exitcode {e['exitcode']})"
                     for e in reaps)
    ok = len(reaps) == 1 and reaps[0]["pid"] == reaper
    return Answer(ok, said, () if ok else tuple(
        c.mark(pid, e["ts"], text=f"collected by {e['pid']}")
        for e in reaps))


@question("adopted-by", "PID PARENT", "the watcher saw the process's "
          "parent change to PARENT, after its old parent had ended",
          basis="runner")
def _adopted_by(c, pid, parent):
    c.proc(pid)
    seen = witness.states(c, pid)
    if not seen:
        return Answer(False, f"the watcher never saw {c.who(pid)}")
    found = next((a for a in witness.adoptions(c, pid) if a[2] == parent), None)
    if found is None:
        ppids = sorted({s.ppid for s in seen if s.ppid > 0})
        return Answer(False, f"{c.who(pid)} was seen with parent(s) "
                      f"{ids(ppids)} only",
                      (c.mark(pid, seen[0].ts, text="not adopted"),))
    ts, old_ppid, _ = found
    old = c.procs.get(old_ppid)
    ended = c.end_of(old) if old is not None else None
    said = (f"{c.who(pid)}'s parent changed from {c.who(old_ppid)} to "
            f"{c.who(parent)}, seen at {c.ms(ts)}")
    if ended is None:
        return Answer(True, said + "; its old parent's end is not in the "
                      "trace")
    return Answer(ended <= ts,
                  said + f"; its old parent ended at {c.ms(ended)}")


@question("signalled-by", "PID SENDER SIGNAL", "the process received one "
          "signal, this one (a name like SIGTERM, or a number), from SENDER",
          basis="runtime")
def _signalled_by(c, pid, sender, signo):
    proc = c.proc(pid)
    if not proc.signals:
        end = c.end_of(proc)
        return Answer(False, f"nobody sent {c.who(pid)} a signal",
                      (c.mark(pid, end, text="no signal"),) if end else ())
    said = "; ".join(f"{c.who(s.sender)} sent it {signal_name(s.signo)}"
                     f" at {c.ms(s.ts)}" for s in proc.signals)
    ok = [(s.sender, s.signo) for s in proc.signals] == [(sender, signo)]
    return Answer(ok, f"{c.who(pid)}: {said}", () if ok else tuple(
        c.mark(pid, s.ts, text=signal_name(s.signo)) for s in proc.signals))


@question("state", "PID STATES [T1_MS T2_MS]", "the /proc watcher saw the "
          "process in one of these states (ps letters: R S D T Z, X gone), "
          "at some time; with T1_MS and T2_MS, all the time from T1 to T2 "
          "(ms since the lesson started)", basis="runner", needs_end=False)
def _state(c, pid, letters, t1=None, t2=None):
    c.proc(pid)
    states = witness.states(c, pid)
    if not states:
        return Answer(False, f"the watcher never saw {c.who(pid)} (was "
                      "mprun run with --no-watch?)")
    if t1 is None:
        seen = [s for s in states if s.state in letters]
        if not seen:
            return Answer(False, f"{c.who(pid)} was seen only in "
                          f"{''.join(sorted({s.state for s in states}))}")
        return Answer(True, f"{c.who(pid)} was seen {seen[0].state} at "
                      f"{c.ms(seen[0].ts)}")
    if t2 is None or t2 < t1:
        raise UsageError("state wants T1_MS <= T2_MS")
    start, end = c.ts(t1), c.ts(t2)
    # The state at a moment is the last one seen at or before it.
    before = [s for s in states if s.ts <= start]
    if not before:
        return Answer(False, f"{c.who(pid)} was not seen before "
                      f"{c.ms(states[0].ts)} (first: {states[0].state})")
    covering = [before[-1]] + [s for s in states if start < s.ts <= end]
    wrong = next((s for s in covering if s.state not in letters), None)
    if wrong is not None:
        return Answer(False, f"{c.who(pid)} was {wrong.state} from "
                      f"{c.ms(max(wrong.ts, start))}")
    after = next((s for s in states if s.ts > end), None)
    until = f"{after.state} at {c.ms(after.ts)}" if after else "the end"
    return Answer(True, f"{c.who(pid)} was "
                  f"{'/'.join(sorted({s.state for s in covering}))} from "
                  f"{c.ms(before[-1].ts)} (seen) until {until}")
