"""mptrace - read the suite's LTTng traces (provider `mp`) with babeltrace2.

A lesson runs under `mprun`, which forks the lesson's main process; the
main process forks the others.  Every `mp` event carries the `pid` of the
process that emitted it in its payload (LTTng's vpid/procname contexts are
wrong after a fork without exec, so they are never used here).

    trace = load("/tmp/trace")       # every event, sorted by time
    procs = processes(trace)         # pid -> Proc, for every process seen
    for proc in lanes(trace):        # the lesson's processes, fork-tree order
        print(proc.label, proc.start_ts - trace.t0)
    table(trace, sys.stdout)         # the lesson's events as TSV

Only the process tree under the lesson's `mprun` is "the lesson": LTTng's
per-user buffers record every `mp` program of the user, so a test or another
lesson running at the same time leaves events of unrelated pids (and other
mpruns) in the trace, and they are ignored.  scripts/trace-lesson writes the
pid of the runner it started into TRACE_DIR/runner.pid; without that file,
the earliest mprun in the trace is taken.  Timestamps are nanoseconds from the clock's
origin; `trace.t0` is the lesson main's proc_start.

What the /proc watcher in mprun saw (its `proc_state` events, whose `pid` is
the process OBSERVED, not the one that emitted the event):

    proc.states      State(ts, state, ppid), in time order: one per change of
                     the state letter or of the parent.  `state` is ps's
                     letter: R running, S sleeping, D disk wait, T stopped,
                     Z zombie, X gone from the process table.  The process
                     stays in that state until the next observation.  The
                     first ones may come before the process's proc_start
                     (the main process, while exec loads it).
    proc.adoptions   Adoption(ts, old_ppid, new_ppid), one per change of
                     parent: consecutive observations compared, and the
                     first one compared with the parent the trace already
                     knew (proc_fork, else proc_start's ppid).  `ts` is when
                     the watcher saw the new parent.
    proc.first_seen(letters)  ts of the first observation in one of these
                     states (e.g. "Z"), None if never seen.

Messages, channels and events (Queue, JoinableQueue, Pipe, Event):

    trace.channels   chan id -> Channel(chan, kind, capacity, creator,
                     open_ts), from chan_open: kind "queue",
                     "joinable_queue", "pipe" (duplex), "pipe-oneway" or
                     "event"; capacity a queue's maxsize (0: unbounded).
                     An Event is a channel too: its `obj` is its chan id.
    trace.messages   Message(chan, msg, sender, send_ts, receiver, recv_ts,
                     size, op, failed), one per message id, in the order of
                     its first event (the send, or the receive if that came
                     first).  msg_send and msg_recv carry the same id: the
                     sender's side or the receiver's is None when its event
                     is not in the trace (a message never taken).  `op` is
                     the sender's ("put", "send"), else the receiver's
                     ("get", "recv").  `failed`: the sender's chan_op
                     "send_failed" came next (a pipe's write failed: the
                     message never left).  The runtime records a send before
                     its receive, but traces from before it did may have
                     recv_ts a few microseconds before send_ts.
    queue_depth(trace, chan)  [(ts, n)]: the messages in chan from then on,
                     a step at each change, from its messages' send and
                     receive times (a message counts from send_ts until
                     recv_ts; never if received "before" it was sent).

Per process (lists in time order):

    proc.blocks      Block(ts, end_ts, chan, op): chan_block, the process
                     starts waiting: op "put" on a full queue, "get" on an
                     empty one.  The wait ends (end_ts) at its next msg_send
                     (put) or msg_recv (get) on that chan, or at its next
                     chan_block there; None if neither came.
    proc.eofs        Eof(ts, chan): chan_eof, end of file seen.
    proc.chan_ops    ChanOp(ts, chan, op, arg): every chan_op it emitted
                     (task_done, join, joined, close, send_failed).
    proc.queue_joins QueueJoin(ts, end_ts, chan, done): a JoinableQueue's
                     join, chan_op "join" to "joined" (end_ts None if it
                     never came; done = joined's arg, 1: all tasks done).
    proc.event_waits EventWait(ts, end_ts, obj, timeout_ms, woke, set_by,
                     set_ts): event_wait to event_woke (timeout_ms -1: no
                     limit; woke 1 set, 0 timed out, None: never woke).  For
                     a wait woken set, set_by/set_ts is the event_set that
                     released it: the last one at or before the wake (the
                     runtime records a set before setting), unless that one
                     is older than the wait and a set comes at most
                     SET_SLACK_NS after the wake: traces from runtimes that
                     recorded a set after waking the waiters; else None.
    proc.event_sets  EventOp(ts, obj, op): event_set (op "set") and
                     event_clear (op "clear") it emitted.

A process whose parent changed to one with a Proc counts as adopted by it
(`Proc.adopted`), as one that collected a child it did not fork does, so
`mprun` gets a lane (`lanes`) when the kernel handed it an orphan.  Traces
recorded without the watcher (`mprun --no-watch`) have no states.

babeltrace2's Python bindings (`bt2`) come with Debian's /usr/bin/python3.
"""

import os
import signal
import sys
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

import bt2

RUNNER = "mprun"

# An event is a dict: {"ts": ns from the clock's origin, "name": the event's
# name without "mp:", then its payload fields}.  The payload field `name` (of
# proc_start and proc_fork) would clash, so it is stored as "proc_name".
RENAMED_FIELDS = {"name": "proc_name"}


# How late after the wake an event_set may be recorded and still count as
# the one that woke a waiter (see EventWait).
SET_SLACK_NS = 2_000_000


class TraceError(Exception):
    """The trace directory could not be read at all."""


@dataclass
class Trace:
    events: list                  # event dicts sorted by "ts"
    discarded: int = 0            # events LTTng reported lost
    t0: Optional[int] = None      # ts of the lesson main's proc_start
    runner: Optional[int] = None  # pid of mprun, None if it left no event
    main: Optional[int] = None    # pid of the lesson's main process
    channels: dict = field(default_factory=dict)  # chan id -> Channel
    messages: list = field(default_factory=list)  # Message, see above
    tasks: list = field(default_factory=list)     # Task, see below


class Line(NamedTuple):
    ts: int
    text: str


class Log(NamedTuple):
    ts: int
    level: int
    text: str


class Signal(NamedTuple):
    ts: int
    sender: int
    signo: int


class State(NamedTuple):
    ts: int
    state: str              # one letter: R S D T Z ..., X: gone
    ppid: int


class Adoption(NamedTuple):
    ts: int                 # when the watcher saw the new parent
    old_ppid: Optional[int]
    new_ppid: int


class Join(NamedTuple):
    ts: int                 # proc_join: the wait begins
    end_ts: Optional[int]   # proc_joined, None if it never came
    child: int
    timeout_us: int         # -1: no limit
    ended: Optional[int]    # 1: the child had ended, 0: timed out


class Channel(NamedTuple):
    chan: int
    kind: str               # queue joinable_queue pipe pipe-oneway event
    capacity: int           # a queue's maxsize, 0: unbounded
    creator: int            # pid that opened it
    open_ts: int


class Message(NamedTuple):
    chan: int
    msg: int
    sender: Optional[int]   # None: its msg_send is not in the trace
    send_ts: Optional[int]
    receiver: Optional[int]  # None: never received (in the trace)
    recv_ts: Optional[int]
    size: int
    op: str                 # "put"/"send", or the receiver's "get"/"recv"
    failed: bool = False    # a send_failed followed its msg_send


class Task(NamedTuple):
    """One task of a pool, from its task_submit, task_start and task_end."""
    pool: int
    task: int
    submitter: Optional[int]  # pid that submitted it (None: not in the trace)
    submit_ts: Optional[int]
    worker: Optional[int]     # pid that ran it (None: it never started)
    start_ts: Optional[int]
    end_ts: Optional[int]     # None: it never ended (its worker died?)
    error: Optional[int]      # 0, or the errno it failed with
    size: Optional[int]       # its result's bytes
    starts: int = 0           # task_start events: 1 unless it ran twice
    ends: int = 0             # task_end events


class Block(NamedTuple):
    ts: int                 # chan_block: the wait begins
    end_ts: Optional[int]   # its next msg_send/msg_recv on chan, or None
    chan: int
    op: str                 # "put": the queue was full; "get": empty


class Eof(NamedTuple):
    ts: int
    chan: int


class ChanOp(NamedTuple):
    ts: int
    chan: int
    op: str                 # task_done join joined close send_failed
    arg: int


class QueueJoin(NamedTuple):
    ts: int                 # chan_op join
    end_ts: Optional[int]   # chan_op joined, None if it never came
    chan: int
    done: Optional[int]     # joined's arg: 1 all tasks done, 0 timed out


class EventWait(NamedTuple):
    ts: int                 # event_wait
    end_ts: Optional[int]   # event_woke, None if it never came
    obj: int
    timeout_ms: int         # -1: no limit
    woke: Optional[int]     # 1: set, 0: timed out
    set_by: Optional[int] = None  # the setter that released it
    set_ts: Optional[int] = None


class EventOp(NamedTuple):
    ts: int
    obj: int
    op: str                 # "set" or "clear"


@dataclass
class Proc:
    pid: int
    name: str = "?"
    ppid: Optional[int] = None      # from proc_start
    parent: Optional[int] = None    # who forked it (proc_fork), else ppid
    start_ts: Optional[int] = None  # proc_start
    fork_ts: Optional[int] = None   # the parent's proc_fork, or the child's
                                    # proc_start if that came first
    exit_ts: Optional[int] = None   # proc_exit
    exit_code: Optional[int] = None
    reap_ts: Optional[int] = None   # the reaper's proc_reap
    reaper: Optional[int] = None
    exitcode: Optional[int] = None  # exit status, or minus the signal
    wstatus: Optional[int] = None
    last_ts: Optional[int] = None   # its own last event
    children: list = field(default_factory=list)  # pids, in fork order
    adopted: list = field(default_factory=list)   # pids reaped or seen
                                                  # re-parented to it, not
                                                  # forked by it
    signals: list = field(default_factory=list)   # Signal, received
    joins: list = field(default_factory=list)     # Join
    prints: list = field(default_factory=list)    # Line
    logs: list = field(default_factory=list)      # Log
    marks: list = field(default_factory=list)     # Line
    states: list = field(default_factory=list)    # State, as the watcher saw
    adoptions: list = field(default_factory=list)  # Adoption
    blocks: list = field(default_factory=list)     # Block
    eofs: list = field(default_factory=list)       # Eof
    chan_ops: list = field(default_factory=list)   # ChanOp
    queue_joins: list = field(default_factory=list)  # QueueJoin
    event_waits: list = field(default_factory=list)  # EventWait
    event_sets: list = field(default_factory=list)   # EventOp
    command: Optional[str] = None   # sub_spawn: the program it exec'd
    exec_error: int = 0             # sub_spawn: exec's errno, 0 if it ran

    def first_seen(self, letters):
        """ts of the first observation in one of these states, or None."""
        return next((s.ts for s in self.states if s.state in letters), None)

    @property
    def begin_ts(self):
        """When it is first known to exist: fork or start."""
        known = [t for t in (self.fork_ts, self.start_ts) if t is not None]
        return min(known) if known else None

    @property
    def killed_by(self):
        """The signal that killed it (reaped with exitcode -N, no exit)."""
        if self.exit_ts is None and self.exitcode is not None \
                and self.exitcode < 0:
            return -self.exitcode
        return None

    @property
    def subreaper(self):
        return bool(self.adopted)

    @property
    def label(self):
        label = f"{self.name} ({self.pid})"
        return label + " - subreaper" if self.subreaper else label


def signal_name(signo):
    """'SIGTERM' for 15; 'signal 99' for a number Python does not know."""
    try:
        return signal.Signals(signo).name
    except ValueError:
        return f"signal {signo}"


# ---- reading --------------------------------------------------------------

def load(trace_dir):
    """Read every event of the trace under trace_dir into a Trace.

    LTTng writes one sub-trace (a directory with a `metadata` file) per
    user or per process.  They are read together; if that fails, each is
    read on its own and those babeltrace2 cannot read are skipped.  (Handing
    babeltrace2 the top directory instead lets it find them itself, but
    babeltrace 2.0.4 then aborts the whole program on one bad sub-trace.)
    """
    subtraces = sorted(root for root, _, files in os.walk(trace_dir)
                       if "metadata" in files)
    if not subtraces:
        if os.path.isdir(os.path.join(trace_dir, "ust")):
            return Trace(events=[])  # a session that recorded nothing
        raise TraceError(f"{trace_dir}: no LTTng trace in it")
    try:
        events, discarded = _read(subtraces)
    except Exception:  # bt2 reports failures as bt2._Error, RuntimeError...
        events, discarded = _read_each(trace_dir, subtraces)
    events.sort(key=lambda event: event["ts"])
    trace = Trace(events=events, discarded=discarded)
    trace.channels = channels(trace)
    trace.messages = messages(trace)
    trace.tasks = tasks(trace.events)
    procs = processes(trace)
    trace.runner = _runner(procs, trace_dir)
    tree = _lesson_pids(procs, trace.runner)
    if tree:
        trace.main = tree[0]
        main = procs[trace.main]
        trace.t0 = main.start_ts if main.start_ts is not None \
            else main.begin_ts
    return trace


def _read(subtraces):
    """All events of these CTF sub-traces, and how many LTTng lost."""
    specs = [bt2.ComponentSpec.from_named_plugin_and_component_class(
        "ctf", "fs", {"inputs": [path]}) for path in subtraces]
    events, discarded = [], 0
    for msg in bt2.TraceCollectionMessageIterator(specs):
        if type(msg) is bt2._EventMessageConst:
            events.append(_event_dict(msg))
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
    return events, discarded


def _read_each(trace_dir, subtraces):
    """Read the sub-traces one by one, skipping those that fail."""
    events, discarded, read = [], 0, 0
    for path in subtraces:
        try:
            more, lost = _read([path])
        except Exception as error:
            print(f"mptrace: skipping unreadable sub-trace {path} "
                  f"({_reason(error)})", file=sys.stderr)
            continue
        events += more
        discarded += lost
        read += 1
    if not read:
        raise TraceError(f"{trace_dir}: no readable LTTng trace in it")
    return events, discarded


def _reason(error):
    """babeltrace2's most specific complaint, on one line."""
    causes = [cause.message for cause in error] \
        if isinstance(error, bt2._Error) else []
    lines = (causes[0] if causes else str(error)).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _event_dict(msg):
    event = {"ts": msg.default_clock_snapshot.ns_from_origin,
             "name": msg.event.name.split(":", 1)[-1]}
    for key, value in msg.event.payload_field.items():
        event[RENAMED_FIELDS.get(key, key)] = _value(value)
    return event


def _value(value):
    if isinstance(value, bt2._IntegerFieldConst):
        return int(value)
    if isinstance(value, bt2._RealFieldConst):
        return float(value)
    return str(value)


# ---- processes -------------------------------------------------------------

def processes(trace):
    """pid -> Proc for every process with a proc_start or a proc_fork."""
    procs = {}
    for event in trace.events:
        if event["name"] == "proc_start":
            _proc(procs, event["pid"]).start_ts = event["ts"]
        elif event["name"] == "proc_fork":
            _proc(procs, event["child"]).fork_ts = event["ts"]
    # The parent records proc_fork when fork() returns in it, and the child
    # may have run (even ended) before the parent is scheduled again: the
    # fork happened no later than the child's own first event.
    for proc in procs.values():
        if proc.fork_ts is not None and proc.start_ts is not None:
            proc.fork_ts = min(proc.fork_ts, proc.start_ts)
    for event in trace.events:
        _apply(procs, event)
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
        if child.start_ts is None:
            child.name = event["proc_name"]
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
    if name == "print":
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
    elif name in ("chan_block", "msg_send", "msg_recv"):
        _block(proc, event)
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


# which chan_block a msg_send / msg_recv ends
BLOCK_ENDED_BY = {"msg_send": "put", "msg_recv": "get"}


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


# ---- channels and messages ------------------------------------------------

def channels(trace):
    """chan id -> Channel, from the chan_open events."""
    found = {}
    for event in trace.events:
        if event["name"] == "chan_open" and event["chan"] not in found:
            found[event["chan"]] = Channel(event["chan"], event["kind"],
                                           event["capacity"], event["pid"],
                                           event["ts"])
    return found


def messages(trace):
    """[Message], one per msg id, in the order of its first event."""
    found = {}
    last_send = {}          # (pid, chan) -> msg id of its latest msg_send
    for event in trace.events:
        name = event["name"]
        if name == "chan_op" and event["op"] == "send_failed":
            sent = last_send.get((event["pid"], event["chan"]))
            if sent is not None:
                found[sent] = found[sent]._replace(failed=True)
            continue
        if name not in ("msg_send", "msg_recv"):
            continue
        if name == "msg_send":
            last_send[event["pid"], event["chan"]] = event["msg"]
        msg = found.get(event["msg"])
        if msg is None:
            msg = Message(event["chan"], event["msg"], None, None, None, None,
                          event["size"], event["op"])
        if name == "msg_send" and msg.sender is None:
            msg = msg._replace(sender=event["pid"], send_ts=event["ts"],
                               size=event["size"], op=event["op"])
        elif name == "msg_recv" and msg.receiver is None:
            msg = msg._replace(receiver=event["pid"], recv_ts=event["ts"])
        found[event["msg"]] = msg
    return list(found.values())


def queue_depth(trace, chan):
    """[(ts, n)]: how many messages chan held from ts on, one entry per
    change, from trace.messages: a message counts from its send until its
    receive (to the end if never received; not at all if its receive is
    recorded first, its send is missing or failed)."""
    steps = []
    for msg in trace.messages:
        if msg.chan != chan or msg.send_ts is None or msg.failed:
            continue
        if msg.recv_ts is None:
            steps.append((msg.send_ts, 1))
        elif msg.recv_ts > msg.send_ts:
            steps += [(msg.send_ts, 1), (msg.recv_ts, -1)]
    depth, out = 0, []
    for ts, change in sorted(steps):
        depth += change
        if out and out[-1][0] == ts:
            out[-1] = (ts, depth)
        else:
            out.append((ts, depth))
    return out


def tasks(events):
    """[Task] of these events in submit order (pool, then task id): each
    task's submit, start and end.  A task started twice (its first worker
    died just as it took it) keeps its first start, and counts both."""
    found = {}
    for event in events:
        name = event["name"]
        if name not in ("task_submit", "task_start", "task_end"):
            continue
        key = (event["pool"], event["task"])
        task = found.get(key) or Task(event["pool"], event["task"], None,
                                      None, None, None, None, None, None)
        if name == "task_submit" and task.submit_ts is None:
            task = task._replace(submitter=event["pid"], submit_ts=event["ts"])
        elif name == "task_start":
            if task.start_ts is None:
                task = task._replace(worker=event["pid"], start_ts=event["ts"])
            task = task._replace(starts=task.starts + 1)
        elif name == "task_end":
            if task.end_ts is None:
                task = task._replace(end_ts=event["ts"],
                                     error=event.get("error"),
                                     size=event.get("result_size"))
            task = task._replace(ends=task.ends + 1)
        found[key] = task
    return [found[key] for key in sorted(found)]


def pool_ops(trace):
    """{pool id: [(ts, pid, op, arg)]}: create, worker, close, join, joined,
    terminate, worker_died - in time order."""
    ops = {}
    for event in trace.events:
        if event["name"] == "pool_op":
            ops.setdefault(event["pool"], []).append(
                (event["ts"], event["pid"], event["op"], event["arg"]))
    return ops


# ---- the lesson's process tree ---------------------------------------------

def _runner(procs, trace_dir):
    """pid of the lesson's mprun: the one named in runner.pid, else the
    earliest mprun, or None."""
    try:
        with open(os.path.join(trace_dir, "runner.pid")) as f:
            pid = int(f.read().strip())
        if pid in procs:
            return pid
    except (OSError, ValueError):
        pass
    runners = [p for p in procs.values()
               if p.name == RUNNER and p.start_ts is not None]
    return min(runners, key=lambda p: p.start_ts).pid if runners else None


def _lesson_pids(procs, runner):
    """The lesson's pids, depth first, children in fork order: the
    descendants of mprun, or without mprun the tree of the earliest
    proc_start."""
    if runner is not None:
        roots = procs[runner].children
    else:
        started = [p for p in procs.values() if p.start_ts is not None]
        roots = [min(started, key=lambda p: p.start_ts).pid] if started else []
    order, seen = [], {runner}
    stack = list(reversed(roots))
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        order.append(pid)
        stack += reversed(procs[pid].children)
    return order


def lanes(trace):
    """The lesson's processes (Proc), top to bottom: the fork tree depth
    first.  mprun comes first only if it adopted (reaped) an orphan."""
    procs = processes(trace)
    pids = _lesson_pids(procs, trace.runner)
    if trace.runner is not None and procs[trace.runner].subreaper:
        pids = [trace.runner] + pids
    return [procs[pid] for pid in pids]


# ---- the event table -------------------------------------------------------

def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value."""
    pids = {proc.pid for proc in lanes(trace)} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    original = {new: old for old, new in RENAMED_FIELDS.items()}
    out.write("t_ms\tevent\tpid\tfields\n")
    for event in trace.events:
        if event.get("pid") not in pids:
            continue
        fields = [f"{original.get(key, key)}={_tsv(value)}"
                  for key, value in event.items()
                  if key not in ("ts", "name", "pid")]
        row = [f"{(event['ts'] - origin) / 1e6:.3f}", event["name"],
               str(event["pid"])] + fields
        out.write("\t".join(row) + "\n")


def _tsv(value):
    return str(value).replace("\\", "\\\\").replace("\t", "\\t") \
        .replace("\n", "\\n")
