"""tracecheck - ask a lesson's trace yes-or-no questions, get the evidence.

Built on mptrace: a trace is read once, then any number of properties are
asked of it.  Each answer is yes or no and says why, in terms a student can
look up on the timeline (times in ms since the lesson's main process
started, pids, task, message and lock ids):

    import tracecheck
    ask = tracecheck.Checker(mptrace.load("build/lessons/2/trace"))
    answer = ask("max-concurrent-tasks", 4)
    print(answer)          # "no: 5 tasks ran at once at 12.3 ms: ..."
    if answer: ...         # an Answer is true when the answer is yes

scripts/trace-check is the command-line face of this module; PROPERTIES
below lists every property with its arguments.  A process (PID, REAPER,
...) may be named by its pid, by its name when only one process has it
(`producer`, `MainProcess`), or as `main` or `runner` (mprun).

Only the lesson's processes count (the tree under its mprun, see mptrace):
events of other programs recorded at the same time are ignored.

A trace may also be a JSON file holding a list of events as mptrace makes
them ({"ts": ns, "name": "task_start", "pid": ..., ...}): the tests ask
about events no lesson records yet that way (`from_events`).
"""

import json
import os
import signal
import sys
import textwrap
from collections import Counter, defaultdict
from typing import NamedTuple, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mptrace  # noqa: E402  (found beside this file)


class UsageError(Exception):
    """A property or an argument that does not make sense."""


class Answer(NamedTuple):
    yes: bool
    evidence: str

    def __bool__(self):
        return self.yes

    def __str__(self):
        return ("yes: " if self.yes else "no: ") + self.evidence


# ---- reading ---------------------------------------------------------------

def load(path):
    """A Trace from a trace directory, or from a JSON list of events."""
    if os.path.isfile(path):
        try:
            with open(path) as f:
                events = json.load(f)
        except (OSError, ValueError) as error:
            raise mptrace.TraceError(f"{path}: not a JSON list of events "
                                     f"({error})")
        if not isinstance(events, list):
            raise mptrace.TraceError(f"{path}: not a JSON list of events")
        return from_events(events)
    return mptrace.load(path)


def from_events(events, discarded=0):
    """A Trace made from event dicts, as mptrace.load makes one from CTF:
    the tests' synthetic traces.  An event {"name": "discarded", "count": N}
    stands for N events LTTng lost; proc_start's and proc_fork's `name`
    field is called "proc_name", as mptrace renames it."""
    lost = sum(e.get("count", 0) for e in events if e["name"] == "discarded")
    events = sorted((dict(e) for e in events if e["name"] != "discarded"),
                    key=lambda e: e["ts"])
    trace = mptrace.Trace(events=events, discarded=discarded + lost)
    trace.channels = mptrace.channels(trace)
    trace.messages = mptrace.messages(trace)
    if hasattr(mptrace, "tasks"):     # as load() does, where mptrace has it
        trace.tasks = mptrace.tasks(trace.events)
    procs = mptrace.processes(trace)
    runners = [p for p in procs.values()
               if p.name == mptrace.RUNNER and p.start_ts is not None]
    trace.runner = min(runners, key=lambda p: p.start_ts).pid \
        if runners else None
    tree = mptrace._lesson_pids(procs, trace.runner)
    if tree:
        trace.main = tree[0]
        main = procs[trace.main]
        trace.t0 = main.start_ts if main.start_ts is not None \
            else main.begin_ts
    return trace


# ---- what the trace says about tasks and locks ------------------------------

class Hold(NamedTuple):
    obj: int
    pid: int
    wait_ts: Optional[int]  # lock_wait, None if it took the lock at once
    ts: int                 # lock_acquire
    end_ts: Optional[int]   # lock_release, None if never released
    how: str                # "released", "died" (the next owner was told
                            # its previous owner died), "open" (no end)
    inherited: bool         # arg 1: the previous owner died holding it


def short_id(ident):
    """A shared id is (creator pid << 32) | sequence: its sequence number
    is what a student counts (task 3); small ids are kept whole."""
    return ident & 0xffffffff if ident >= 1 << 32 else ident


def lock_holds(events):
    """[Hold] of these events, in the order the lock was taken.  A hold
    ends at its owner's lock_release, or when the next owner acquires it
    with arg 1 (the owner died holding it)."""
    holds, waiting, open_ = [], {}, {}   # open_: obj -> [index in holds]
    for e in events:
        name = e["name"]
        if not name.startswith("lock_"):
            continue
        key = (e["obj"], e["pid"])
        if name == "lock_wait":
            waiting[key] = e["ts"]
        elif name == "lock_timeout":
            waiting.pop(key, None)
        elif name == "lock_acquire":
            inherited = e.get("arg") == 1
            if inherited:   # whoever held it died: that hold ended now
                for i in open_.get(e["obj"], []):
                    holds[i] = holds[i]._replace(end_ts=e["ts"], how="died")
                open_[e["obj"]] = []
            holds.append(Hold(e["obj"], e["pid"], waiting.pop(key, None),
                              e["ts"], None, "open", inherited))
            open_.setdefault(e["obj"], []).append(len(holds) - 1)
        elif name == "lock_release":
            mine = [i for i in open_.get(e["obj"], [])
                    if holds[i].pid == e["pid"]]
            if mine:
                i = mine[-1]
                holds[i] = holds[i]._replace(end_ts=e["ts"], how="released")
                open_[e["obj"]].remove(i)
    return holds


# ---- the questions -----------------------------------------------------------

class Property(NamedTuple):
    name: str
    params: str             # "K [POOL]": brackets mark the optional ones
    doc: str
    ask: object             # function(Checker, *args) -> Answer


PROPERTIES = {}


def _property(name, params, doc):
    def register(function):
        PROPERTIES[name] = Property(name, params, doc, function)
        return function
    return register


def usage_lines():
    return [f"  {p.name}{' ' + p.params if p.params else ''}\n"
            + textwrap.fill(p.doc, 78, initial_indent=" " * 6,
                            subsequent_indent=" " * 6)
            for p in PROPERTIES.values()]


class Checker:
    """Answers questions about one trace: checker(property, *args)."""

    def __init__(self, trace):
        self.trace = trace
        self.procs = mptrace.processes(trace)
        self.lanes = mptrace.lanes(trace)
        self.pids = {p.pid for p in self.lanes}
        if trace.runner is not None:
            self.pids.add(trace.runner)
        # Without a process tree (a synthetic trace of tasks alone), every
        # event counts.
        self.events = [e for e in trace.events
                       if not self.pids or e.get("pid") in self.pids]

    def __call__(self, name, *args):
        prop = PROPERTIES.get(name)
        if prop is None:
            raise UsageError(f"no property {name!r}; the properties are: "
                             + ", ".join(PROPERTIES))
        return prop.ask(self, *self._convert(prop, args))

    # -- arguments --

    def _convert(self, prop, args):
        params, required, optional = [], 0, False
        for word in prop.params.split():
            optional = optional or word.startswith("[")
            params.append(word.strip("[]"))
            required += not optional
        if not required <= len(args) <= len(params):
            raise UsageError(f"{prop.name} wants {prop.params or 'nothing'}"
                             f", got {len(args)} argument(s)")
        return [self._value(p, a) for p, a in zip(params, args)]

    def _value(self, param, arg):
        try:
            if param in ("PID", "REAPER", "PARENT", "SENDER"):
                return self.pid(arg)
            if param in ("K", "CODE"):
                return int(arg)
            if param in ("POOL", "CHAN", "OBJ"):
                return int(arg, 0) if isinstance(arg, str) else int(arg)
            if param.endswith("_MS"):
                return float(arg)
            if param == "SIGNAL":
                return _signo(arg)
            if param == "HOW":
                if arg not in ("set", "timeout"):
                    raise ValueError
                return arg
            if param == "STATES":
                if not str(arg).isalpha():
                    raise ValueError
                return str(arg)
        except (ValueError, TypeError, KeyError):
            raise UsageError(f"{param}: {arg!r} is not one") from None
        return arg

    def pid(self, spec):
        """A pid from a number, `main`, `runner` or a process's name."""
        if isinstance(spec, int):
            return spec
        if spec == "main" and self.trace.main is not None:
            return self.trace.main
        if spec == "runner" and self.trace.runner is not None:
            return self.trace.runner
        if spec.isdigit():
            return int(spec)
        named = [p.pid for p in self.lanes if p.name == spec]
        if len(named) != 1:
            raise UsageError(f"{len(named) or 'no'} processes are called "
                             f"{spec!r}: give a pid")
        return named[0]

    # -- words for the evidence --

    def ms(self, ts):
        if ts is None:
            return "never"
        origin = self.trace.t0 if self.trace.t0 is not None else 0
        return f"{(ts - origin) / 1e6:.1f} ms"

    def ts(self, ms):
        origin = self.trace.t0 if self.trace.t0 is not None else 0
        return origin + round(ms * 1e6)

    def who(self, pid):
        proc = self.procs.get(pid)
        return f"{proc.name} ({pid})" if proc is not None else str(pid)

    def end_of(self, proc):
        """When a process ended: its exit, else its collection."""
        return proc.exit_ts if proc.exit_ts is not None else proc.reap_ts

    def named(self, events):
        return [e for e in self.events if e["name"] in events]


def _signo(arg):
    if isinstance(arg, int) or str(arg).isdigit():
        return int(arg)
    name = str(arg).upper()
    return int(signal.Signals[name if name.startswith("SIG")
                              else "SIG" + name])


def _n(n, word, plural="s"):
    return f"{n} {word}" + ("" if n == 1 else plural)


def _ids(ids, limit=8):
    ids = [str(i) for i in ids]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ",".join(ids[:limit]) + more


# -- the tracer itself --

@_property("lost-events", "", "LTTng lost no event (it reports how many "
           "it discarded when its buffers were full)")
def _lost_events(c):
    n = c.trace.discarded
    if n:
        return Answer(False, f"LTTng lost {n} events: the trace is missing "
                      "some (its buffers were full)")
    return Answer(True, f"LTTng lost 0 events ({len(c.trace.events)} "
                  "recorded)")


# -- process lives --

@_property("none-outlived", "", "every process of the lesson was collected "
           "by its parent or by mprun, and none was left running for mprun "
           "to kill")
def _none_outlived(c):
    procs = [c.procs[p] for p in c.pids if p != c.trace.runner]
    if not procs:
        return Answer(False, "no process of the lesson in the trace")
    missing = [p for p in procs if p.reap_ts is None]
    if missing:
        return Answer(False, "never collected: " + ", ".join(
            f"{c.who(p.pid)}, last seen at {c.ms(p.last_ts)}"
            for p in missing))
    # mprun kills leftovers with SIGKILL without a traced kill, then
    # collects them: -9 with no sender.
    killed = [p for p in procs if p.reaper == c.trace.runner
              and p.exitcode == -signal.SIGKILL and not p.signals
              and p.pid != c.trace.main]
    if killed:
        return Answer(False, "left running and killed by mprun: " + ", ".join(
            f"{c.who(p.pid)} at {c.ms(p.reap_ts)}" for p in killed))
    last = max(procs, key=lambda p: p.reap_ts)
    return Answer(True, f"all {len(procs)} processes collected; the last, "
                  f"{c.who(last.pid)}, at {c.ms(last.reap_ts)} by "
                  f"{c.who(last.reaper)}")


@_property("none-outlived-main", "", "every other process of the lesson "
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
    return Answer(True, f"{_n(len(others), 'other process', 'es')}, the "
                  "last collected "
                  f"at {c.ms(last)}; {c.who(main.pid)} ended at {c.ms(end)}")


@_property("exitcode", "PID CODE", "the process ended with this exitcode "
           "(Python's: the exit status, or minus the signal that ended it)")
def _exitcode(c, pid, code):
    proc = c.procs.get(pid)
    if proc is None:
        return Answer(False, f"no process {pid} in the trace")
    if proc.exitcode is None:
        return Answer(False, f"{c.who(pid)} was never collected, so its "
                      "exitcode is unknown")
    how = (f"killed by {mptrace.signal_name(-proc.exitcode)}"
           if proc.exitcode < 0 else f"exit status {proc.exitcode}")
    return Answer(proc.exitcode == code,
                  f"{c.who(pid)} ended with exitcode {proc.exitcode} ({how}), "
                  f"collected at {c.ms(proc.reap_ts)} by "
                  f"{c.who(proc.reaper)}")


@_property("collected-by", "PID REAPER", "the process was collected "
           "(wait/waitpid) exactly once, by REAPER")
def _collected_by(c, pid, reaper):
    reaps = [e for e in c.trace.events
             if e["name"] == "proc_reap" and e["child"] == pid]
    if not reaps:
        return Answer(False, f"nobody collected {c.who(pid)}")
    said = "; ".join(f"{c.who(e['pid'])} collected {c.who(pid)} at "
                     f"{c.ms(e['ts'])} (exitcode {e['exitcode']})"
                     for e in reaps)
    ok = len(reaps) == 1 and reaps[0]["pid"] == reaper
    return Answer(ok, said)


@_property("adopted-by", "PID PARENT", "the watcher saw the process's "
           "parent change to PARENT, after its old parent had ended")
def _adopted_by(c, pid, parent):
    proc = c.procs.get(pid)
    if proc is None:
        return Answer(False, f"no process {pid} in the trace")
    if not proc.states:
        return Answer(False, f"the watcher never saw {c.who(pid)}")
    found = next((a for a in proc.adoptions if a.new_ppid == parent), None)
    if found is None:
        ppids = sorted({s.ppid for s in proc.states})
        return Answer(False, f"{c.who(pid)} was seen with parent(s) "
                      f"{_ids(ppids)} only")
    old = c.procs.get(found.old_ppid)
    ended = c.end_of(old) if old is not None else None
    said = (f"{c.who(pid)}'s parent changed from {c.who(found.old_ppid)} to "
            f"{c.who(parent)}, seen at {c.ms(found.ts)}")
    if ended is None:
        return Answer(True, said + "; its old parent's end is not in the "
                      "trace")
    return Answer(ended <= found.ts,
                  said + f"; its old parent ended at {c.ms(ended)}")


@_property("signalled-by", "PID SENDER SIGNAL", "the process received one "
           "signal, this one (a name like SIGTERM, or a number), from SENDER")
def _signalled_by(c, pid, sender, signo):
    proc = c.procs.get(pid)
    if proc is None:
        return Answer(False, f"no process {pid} in the trace")
    if not proc.signals:
        return Answer(False, f"nobody sent {c.who(pid)} a signal")
    said = "; ".join(f"{c.who(s.sender)} sent it {mptrace.signal_name(s.signo)}"
                     f" at {c.ms(s.ts)}" for s in proc.signals)
    ok = [(s.sender, s.signo) for s in proc.signals] == [(sender, signo)]
    return Answer(ok, f"{c.who(pid)}: {said}")


@_property("state", "PID STATES [T1_MS T2_MS]", "the /proc watcher saw the "
           "process in one of these states (ps letters: R S D T Z, X gone), "
           "at some time; with T1_MS and T2_MS, all the time from T1 to T2 "
           "(ms since the lesson started)")
def _state(c, pid, letters, t1=None, t2=None):
    proc = c.procs.get(pid)
    if proc is None:
        return Answer(False, f"no process {pid} in the trace")
    states = proc.states
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


# -- messages --

def _channel_filter(c, chan):
    if chan is not None and chan not in c.trace.channels:
        if not any(m.chan == chan for m in c.trace.messages):
            raise UsageError(f"no channel {chan:#x} in the trace")
    return lambda e: chan is None or e["chan"] == chan


@_property("messages-once", "[CHAN]", "every message put or sent (and not "
           "refused) was got or received exactly once, whole (the same "
           "size); none was received that was not sent")
def _messages_once(c, chan=None):
    mine = _channel_filter(c, chan)
    sends = [e for e in c.named(("msg_send",)) if mine(e)]
    recvs = defaultdict(list)
    for e in c.named(("msg_recv",)):
        if mine(e):
            recvs[e["msg"]].append(e)
    failed = {m.msg for m in c.trace.messages if m.failed}
    sent = {e["msg"]: e for e in sends}
    for e in sends:
        got = recvs.get(e["msg"], [])
        if e["msg"] in failed:
            if got:
                return Answer(False, f"message {e['msg']:#x} failed to send "
                              f"but {c.who(got[0]['pid'])} received it")
            continue
        if len(got) != 1:
            return Answer(False, f"message {e['msg']:#x} {e['op']} by "
                          f"{c.who(e['pid'])} at {c.ms(e['ts'])} was "
                          f"received {len(got)} times"
                          + "".join(f", by {c.who(g['pid'])} at "
                                    f"{c.ms(g['ts'])}" for g in got))
        if got[0]["size"] != e["size"]:
            return Answer(False, f"message {e['msg']:#x}: {e['size']} bytes "
                          f"sent, {got[0]['size']} received")
    unsent = [m for m in recvs if m not in sent]
    if unsent:
        g = recvs[unsent[0]][0]
        return Answer(False, f"{len(unsent)} message(s) received but never "
                      f"sent, the first {unsent[0]:#x} by {c.who(g['pid'])} "
                      f"at {c.ms(g['ts'])}")
    n = len(sends) - len(failed & set(sent))
    refused = len(failed & set(sent))
    return Answer(True, f"{n} messages, each received once"
                  + (f" ({refused} refused by the system, never sent)"
                     if refused else ""))


@_property("messages-fifo", "[CHAN]", "on each channel, every sender's "
           "messages were received in the order it sent them")
def _messages_fifo(c, chan=None):
    mine = _channel_filter(c, chan)
    order = defaultdict(list)       # (chan, sender) -> [msg] sent
    for e in c.named(("msg_send",)):
        if mine(e):
            order[e["chan"], e["pid"]].append(e["msg"])
    sender = {m: key for key, msgs in order.items() for m in msgs}
    got = defaultdict(list)         # the same, in the order received
    for e in c.named(("msg_recv",)):
        if mine(e) and e["msg"] in sender:
            got[sender[e["msg"]]].append((e["msg"], e["ts"]))
    for key, received in got.items():
        rank = {m: i for i, m in enumerate(order[key])}
        for (m1, _), (m2, ts2) in zip(received, received[1:]):
            if rank[m2] < rank[m1]:
                return Answer(False, f"on channel {key[0]:#x}, "
                              f"{c.who(key[1])}'s message {m2:#x} was "
                              f"received at {c.ms(ts2)}, after {m1:#x} that "
                              "it sent later")
    n = sum(len(r) for r in got.values())
    return Answer(True, f"{n} messages from {len(got)} sender(s) on "
                  f"{len({k[0] for k in got})} channel(s), each sender's "
                  "in order")


@_property("queue-bounded", "[CHAN]", "no bounded queue ever held more "
           "messages than its maxsize")
def _queue_bounded(c, chan=None):
    queues = [ch for ch in c.trace.channels.values()
              if ch.kind in ("queue", "joinable_queue") and ch.capacity > 0
              and (chan is None or ch.chan == chan)]
    if not queues:
        return Answer(False, "no bounded queue in the trace"
                      + (f" with id {chan:#x}" if chan is not None else ""))
    said = []
    for q in queues:
        depth = mptrace.queue_depth(c.trace, q.chan)
        most = max((n for _, n in depth), default=0)
        at = next((ts for ts, n in depth if n == most), None)
        if most > q.capacity:
            return Answer(False, f"queue {q.chan:#x} (maxsize {q.capacity}) "
                          f"held {most} at {c.ms(at)}")
        said.append(f"queue {q.chan:#x} (maxsize {q.capacity}) held at most "
                    f"{most}" + (f", first at {c.ms(at)}" if most else ""))
    return Answer(True, "; ".join(said))


@_property("event-wait", "PID HOW", "every wait of the process for an Event "
           "ended HOW: set (released by a set() recorded before the wake) or "
           "timeout (gave up, no set() of that Event before)")
def _event_wait(c, pid, how):
    proc = c.procs.get(pid)
    if proc is None:
        return Answer(False, f"no process {pid} in the trace")
    if not proc.event_waits:
        return Answer(False, f"{c.who(pid)} never waited for an Event")
    sets = defaultdict(list)
    for p in c.procs.values():
        if p.pid in c.pids:
            for op in p.event_sets:
                if op.op == "set":
                    sets[op.obj].append((op.ts, p.pid))
    said = []
    for w in proc.event_waits:
        began = f"{c.who(pid)} waited from {c.ms(w.ts)}"
        if w.end_ts is None:
            return Answer(False, began + " and never woke")
        if how == "set":
            setter = max((s for s in sets[w.obj] if s[0] <= w.end_ts),
                         default=None)
            if w.woke != 1 or setter is None:
                return Answer(False, began + f", woke at {c.ms(w.end_ts)} "
                              + ("timed out" if w.woke == 0
                                 else "with no set() before"))
            said.append(began + f", woke at {c.ms(w.end_ts)}: set by "
                        f"{c.who(setter[1])} at {c.ms(setter[0])}")
        else:
            early = [s for s in sets[w.obj] if s[0] <= w.end_ts]
            if w.woke != 0 or early:
                return Answer(False, began + f", woke at {c.ms(w.end_ts)} "
                              + ("set" if w.woke == 1 else "") +
                              (f" (set by {c.who(early[-1][1])} at "
                               f"{c.ms(early[-1][0])})" if early else ""))
            later = next((s for s in sets[w.obj] if s[0] > w.end_ts), None)
            said.append(began + f", timed out at {c.ms(w.end_ts)} "
                        f"(limit {w.timeout_ms} ms)"
                        + (f", before the set() at {c.ms(later[0])}"
                           if later else ""))
    return Answer(True, "; ".join(said))


# -- pools --

def _pool_tasks(c, pool):
    found = mptrace.tasks(c.events)
    if pool is not None:
        found = [t for t in found if t.pool == pool]
    return found


@_property("max-concurrent-tasks", "K [POOL]", "at no moment did more than "
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
            f"{_ids(short_id(t.task) for t in most_set)} on pids "
            f"{_ids(t.worker for t in most_set)}")
    if most > k:
        return Answer(False, said)
    return Answer(True, f"at most {most} at once (" + said + ")")


@_property("tasks-once", "[POOL]", "every task submitted was started once "
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

@_property("locks-exclusive", "[OBJ]", "no two processes held a lock at "
           "the same time (lock_acquire to lock_release; a hold ends too "
           "when the next owner is told its owner died)")
def _locks_exclusive(c, obj=None):
    holds = [h for h in lock_holds(c.events) if obj is None or h.obj == obj]
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
