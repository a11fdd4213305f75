"""From events to processes: a Proc for every pid the trace saw start or
be forked, with what it did and what was done to it (the preload's events
of any program: mptrace.programs).  A process only mprun's watcher saw is
one too, where its parent could not announce it: a program the preload
did not enter (Proc.watched_only).

The watcher's proc_state events are about the process OBSERVED (their
`pid`), not the one that emitted them.  A process whose parent changed to
one with a Proc counts as adopted by it (Proc.adopted), as one that
collected a child it did not fork does, so mprun gets a lane when the
kernel handed it an orphan.
"""

import os

from . import programs
from .model import (Adoption, Block, ChanOp, Eof, EventOp, EventWait, Join,
                    Line, Log, Proc, QueueJoin, Signal, State)

RUNNER = "mprun"

# How late after the wake an event_set may be recorded and still count as
# the one that woke a waiter (see EventWait.set_by).
SET_SLACK_NS = 2_000_000

# which chan_block a msg_send / msg_recv ends
BLOCK_ENDED_BY = {"msg_send": "put", "msg_recv": "get"}
BLOCKING = ("msg_send", "msg_recv", "chan_block")
# What a process's messages add to it: its last_ts, and a chan_block's end.
MESSAGES = ("msg_send", "msg_recv")


def processes(events, last=None):
    """pid -> Proc for every process with a proc_start or a proc_fork.
    events may leave out msg_send and msg_recv events (MESSAGES: most of
    a large trace's) that end no chan_block: then last gives each pid's
    last one's ts (pid -> ts)."""
    procs = {}
    for event in events:
        if event["name"] == "proc_start":
            proc = _proc(procs, event["pid"])
            if proc.start_ts is None:       # the first: an exec's comes later
                proc.start_ts = event["ts"]
        elif event["name"] == "proc_fork":
            _proc(procs, event["child"]).fork_ts = event["ts"]
    # The parent records proc_fork when fork() returns in it, and the child
    # may have run (even ended) before the parent is scheduled again: the
    # fork happened no later than the child's own first event.
    for proc in procs.values():
        if proc.fork_ts is not None and proc.start_ts is not None:
            proc.fork_ts = min(proc.fork_ts, proc.start_ts)
    for event in events:
        _apply(procs, event)
    for pid, ts in (last or {}).items():
        proc = procs.get(pid)
        if proc is not None and (proc.last_ts is None or proc.last_ts < ts):
            proc.last_ts = ts
    programs.apply(procs, events)
    _watched_only(procs, events)
    _adoptions(procs)
    _link_children(procs)
    _event_setters(procs)
    return procs


def _proc(procs, pid):
    if pid not in procs:
        procs[pid] = Proc(pid)
    return procs[pid]


def _apply(procs, event):
    """Record what one event says about the processes."""
    name, ts, pid = event["name"], event["ts"], event.get("pid")
    proc = procs.get(pid)
    if name == "proc_state":  # the watcher's, about pid: not pid's own
        if proc is not None:
            proc.states.append(State(ts, event["state"], event["ppid"]))
        return
    if proc is not None:
        proc.last_ts = ts
    if name == "proc_start":
        proc.ppid = event["ppid"]
        proc.name = event["proc_name"]
        if proc.parent is None:
            proc.parent = proc.ppid
    elif name == "proc_fork":
        child = procs[event["child"]]
        child.parent = pid
        if child.start_ts is None:      # mprun names it by its path
            child.name = os.path.basename(event["proc_name"]) \
                or event["proc_name"]
    elif name == "proc_exit" and proc is not None:
        proc.exit_ts, proc.exit_code = ts, event["code"]
    elif name == "proc_reap":
        _reap(procs, event)
    elif name == "proc_signal" and event["target"] in procs:
        procs[event["target"]].signals.append(
            Signal(ts, pid, event["signo"]))
    elif name == "sub_spawn" and event["child"] in procs:
        spawned = procs[event["child"]]
        spawned.command, spawned.exec_error = event["cmd"], event["error"]
    elif proc is not None:
        _apply_own(proc, event)


def _apply_own(proc, event):
    """Events that only concern the process that emitted them."""
    name, ts = event["name"], event["ts"]
    if name in BLOCKING:        # first: most of a large trace's events
        _block(proc, event)
    elif name == "print":
        proc.prints.append(Line(ts, event["text"]))
    elif name == "mark":
        proc.marks.append(Line(ts, event["text"]))
    elif name == "log":
        proc.logs.append(Log(ts, event["level"], event["text"]))
    elif name == "proc_join":
        proc.joins.append(
            Join(ts, None, event["child"], event["timeout_us"], None))
    elif name == "proc_joined":
        for i, join in enumerate(proc.joins):
            if join.child == event["child"] and join.end_ts is None:
                proc.joins[i] = join._replace(end_ts=ts, ended=event["ended"])
                break
    elif name == "chan_eof":
        proc.eofs.append(Eof(ts, event["chan"]))
    elif name == "chan_op":
        _chan_op(proc, event)
    elif name == "event_wait":
        proc.event_waits.append(
            EventWait(ts, None, event["obj"], event["arg"], None))
    elif name == "event_woke":
        i = _last_open(proc.event_waits, lambda w: w.obj == event["obj"])
        if i is not None:
            proc.event_waits[i] = proc.event_waits[i]._replace(
                end_ts=ts, woke=event["arg"])
    elif name in ("event_set", "event_clear"):
        proc.event_sets.append(EventOp(ts, event["obj"], name[6:]))


def _block(proc, event):
    """A chan_block starts a wait; the process's next msg_send (a put's) or
    msg_recv (a get's) on that chan ends it, as does a new chan_block
    there (the earlier wait gave up: a timeout)."""
    name, ts, chan = event["name"], event["ts"], event["chan"]
    op = BLOCK_ENDED_BY.get(name)
    # Only the chan's latest block can still be open: a chan_block ends
    # the one before.
    for i in range(len(proc.blocks) - 1, -1, -1):
        block = proc.blocks[i]
        if block.chan != chan:
            continue
        if block.end_ts is None and (op is None or block.op == op):
            proc.blocks[i] = block._replace(end_ts=ts)
        break
    if name == "chan_block":
        proc.blocks.append(Block(ts, None, chan, event["op"]))


def _chan_op(proc, event):
    ts, chan, op, arg = event["ts"], event["chan"], event["op"], event["arg"]
    proc.chan_ops.append(ChanOp(ts, chan, op, arg))
    if op == "join":
        proc.queue_joins.append(QueueJoin(ts, None, chan, None))
    elif op == "joined":
        i = _last_open(proc.queue_joins, lambda j: j.chan == chan)
        if i is not None:
            proc.queue_joins[i] = proc.queue_joins[i]._replace(end_ts=ts,
                                                               done=arg)


def _last_open(waits, mine):
    """Index of the latest of these waits that is mine(), if it has not
    ended (a process waits for one thing at a time); else None."""
    for i in range(len(waits) - 1, -1, -1):
        if mine(waits[i]):
            return i if waits[i].end_ts is None else None
    return None


def _watched_only(procs, events):
    """A Proc for each process the watcher saw whose parent could not
    announce it: a child of a program that recorded nothing itself (mprun
    started it, and no preload entered it), of one that exec'd such a
    program (Proc.untraced), or of another such child."""
    def silent(parent):
        return parent is not None and (
            parent.watched_only or parent.untraced or
            (parent.last_ts is None and procs.get(parent.parent) is not None
             and procs[parent.parent].name == RUNNER))
    for event in events:
        if event["name"] != "proc_state" or event["pid"] in procs \
                or not silent(procs.get(event["ppid"])):
            continue
        proc = _proc(procs, event["pid"])
        proc.name, proc.watched_only = "untraced", True
        proc.parent = proc.ppid = event["ppid"]
        proc.fork_ts = event["ts"]
        proc.states.append(State(event["ts"], event["state"], event["ppid"]))
    for event in events:    # their later looks, and their reaps
        name, about = event["name"], event.get("pid")
        if name in ("proc_reap", "proc_signal"):
            about = event.get("child", event.get("target"))
        proc = procs.get(about)
        if proc is None or not proc.watched_only:
            continue
        if name == "proc_state" and proc.states[0].ts < event["ts"]:
            proc.states.append(State(event["ts"], event["state"],
                                     event["ppid"]))
        elif name == "proc_reap":
            _reap(procs, event)
        elif name == "proc_signal":
            proc.signals.append(Signal(event["ts"], event["pid"],
                                       event["signo"]))


def _reap(procs, event):
    child = procs.get(event["child"])
    if child is not None and child.reap_ts is None:
        child.reap_ts, child.reaper = event["ts"], event["pid"]
        child.exitcode, child.wstatus = event["exitcode"], event["wstatus"]
    reaper = procs.get(event["pid"])
    if reaper is not None and child is not None \
            and child.parent != reaper.pid:
        reaper.adopted.append(child.pid)


def _adoptions(procs):
    """Proc.adoptions from the observed parents; the new parent, when it is
    one of the trace's processes, counts the process as adopted."""
    for proc in procs.values():
        known = proc.parent if proc.parent is not None else proc.ppid
        for state in proc.states:
            if state.ppid <= 0:     # no parent to speak of
                continue
            if known is not None and state.ppid != known:
                proc.adoptions.append(Adoption(state.ts, known, state.ppid))
                adopter = procs.get(state.ppid)
                if adopter is not None and state.ppid != proc.parent \
                        and proc.pid not in adopter.adopted:
                    adopter.adopted.append(proc.pid)
            known = state.ppid


def _event_setters(procs):
    """EventWait.set_by/set_ts of each wait woken set."""
    sets = sorted((op.ts, proc.pid, op.obj) for proc in procs.values()
                  for op in proc.event_sets if op.op == "set")
    for proc in procs.values():
        for i, wait in enumerate(proc.event_waits):
            if wait.woke != 1 or wait.end_ts is None:
                continue
            mine = [(ts, pid) for ts, pid, obj in sets if obj == wait.obj]
            before = [s for s in mine if s[0] <= wait.end_ts]
            after = [s for s in mine if wait.end_ts < s[0]
                     <= wait.end_ts + SET_SLACK_NS]
            if before and (before[-1][0] >= wait.ts or not after):
                found = before[-1]
            elif after:
                found = after[0]
            else:
                continue
            proc.event_waits[i] = wait._replace(set_by=found[1],
                                                set_ts=found[0])


def _link_children(procs):
    for proc in sorted(procs.values(), key=lambda p: p.begin_ts):
        parent = procs.get(proc.parent)
        if parent is not None and parent is not proc:
            parent.children.append(proc.pid)
