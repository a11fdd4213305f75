"""A process of the trace, and what happened to it.

Times (`ts`) are nanoseconds from the trace clock's origin; `Trace.t0` is
the lesson main's start.  Lists are in time order.
"""

from dataclasses import dataclass, field
from typing import NamedTuple, Optional


class Line(NamedTuple):
    """A line the process printed (`print`) or a moment it named (`mark`)."""
    ts: int
    """When it was recorded."""
    text: str
    """The line, without its newline."""


class Log(NamedTuple):
    """A log record (`log`), from mp_log() or the runtime's own logging."""
    ts: int
    """When it was recorded."""
    level: int
    """Python's levels: 10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR,
    50 CRITICAL."""
    text: str
    """The message."""


class Signal(NamedTuple):
    """A signal the process received (`proc_signal`, from the sender)."""
    ts: int
    """When the sender sent it."""
    sender: int
    """The pid that sent it."""
    signo: int
    """Its number (15: SIGTERM)."""


class State(NamedTuple):
    """One look of mprun's /proc watcher at the process (`proc_state`): one
    per change of the state letter or of the parent.  The process stays in
    that state until the next look.  The first may come before the
    process's proc_start (the main process, while exec loads it)."""
    ts: int
    """When the watcher looked."""
    state: str
    """ps's letter: R running, S sleeping, D disk wait, T stopped, Z zombie;
    X: gone from the process table."""
    ppid: int
    """Its parent then."""


class Adoption(NamedTuple):
    """A change of parent, seen by the watcher: consecutive looks compared,
    the first with the parent the trace already knew (proc_fork, else
    proc_start's ppid)."""
    ts: int
    """When the watcher saw the new parent."""
    old_ppid: Optional[int]
    """The parent before."""
    new_ppid: int
    """The parent after: a subreaper (mprun) or pid 1."""


class Join(NamedTuple):
    """A wait in join for a child process (`proc_join` to `proc_joined`)."""
    ts: int
    """proc_join: the wait begins."""
    end_ts: Optional[int]
    """proc_joined; None if it never came."""
    child: int
    """The pid waited for."""
    timeout_us: int
    """The limit, in microseconds; -1: none."""
    ended: Optional[int]
    """1: the child had ended; 0: the limit ran out; None: never joined."""


@dataclass
class Proc:
    """One process: every pid with a proc_start or a proc_fork, and those
    only mprun's watcher saw (`watched_only`)."""
    pid: int
    """Its pid, from the events' payload (never LTTng's vpid context, which
    a child forked without exec shares with its parent)."""
    name: str = "?"
    """Its name: proc_start's (the last: after an exec, the new
    program's), else the parent's proc_fork's."""
    first_name: Optional[str] = None
    """Its name before its first exec, if it exec'd another program."""
    watched_only: bool = False
    """No event of its own nor a fork of it: only mprun's /proc watcher saw
    it (the child of a program no preload entered).  Its fork_ts is the
    watcher's first look."""

    # -- its place in the tree --
    ppid: Optional[int] = None
    """Its parent as proc_start said."""
    parent: Optional[int] = None
    """Who forked it (proc_fork), else ppid."""
    children: list = field(default_factory=list)
    """The pids it forked, in fork order."""
    adopted: list = field(default_factory=list)
    """Pids it collected, or was seen to become the parent of, without
    having forked them: it is a subreaper."""
    states: list = field(default_factory=list)
    """[State]: what mprun's /proc watcher saw of it, one per change (none
    if mprun ran with --no-watch)."""
    adoptions: list = field(default_factory=list)
    """[Adoption] its changes of parent."""

    # -- its life --
    start_ts: Optional[int] = None
    """Its proc_start."""
    fork_ts: Optional[int] = None
    """The parent's proc_fork, or the child's proc_start if that came
    first (the child may run before fork() returns in the parent)."""
    exit_ts: Optional[int] = None
    """Its proc_exit (none when a signal killed it)."""
    exit_code: Optional[int] = None
    """proc_exit's code: the status & 0xff."""
    signals: list = field(default_factory=list)
    """[Signal] it received."""
    reap_ts: Optional[int] = None
    """The reaper's proc_reap: when it was collected."""
    reaper: Optional[int] = None
    """The pid that collected it: its parent, or a subreaper."""
    exitcode: Optional[int] = None
    """Python's exitcode, from the reap: the status, or minus the signal."""
    wstatus: Optional[int] = None
    """The raw wait status."""
    last_ts: Optional[int] = None
    """Its own last event."""
    command: Optional[str] = None
    """sub_spawn: the program it exec'd."""
    exec_error: int = 0
    """sub_spawn: exec's errno; 0 if the program ran."""
    execs: list = field(default_factory=list)
    """[Exec]: its execs, as the preload saw them (model/program.py)."""
    threads: list = field(default_factory=list)
    """[Thread]: the threads it started."""
    waits: list = field(default_factory=list)
    """[Wait]: its blocking waits for a child (wait, waitpid, ...)."""
    lib_calls: list = field(default_factory=list)
    """[LibCall]: its system(), popen() and pclose() calls."""
    untraced: list = field(default_factory=list)
    """[Untraced]: what the preload could not follow from it."""

    # -- what it said --
    prints: list = field(default_factory=list)
    """[Line] it printed (mp_printf), one per non-empty line."""
    marks: list = field(default_factory=list)
    """[Line]: moments it named for the timeline (mp_mark), not
    printed."""
    logs: list = field(default_factory=list)
    """[Log] it logged."""
    out_lines: list = field(default_factory=list)
    """[OutLine]: what it wrote to stdout and stderr, line by line (the
    preload's record, for any program)."""
    handled: list = field(default_factory=list)
    """[Handled]: signals that reached a handler it installed."""

    # -- what it waited for, and what it did to channels and events --
    joins: list = field(default_factory=list)
    """[Join]: its waits for children to end."""
    blocks: list = field(default_factory=list)
    """[Block]: its waits on a full queue (put) or an empty one (get)."""
    queue_joins: list = field(default_factory=list)
    """[QueueJoin]: its waits in a JoinableQueue's join, for every item
    to be done."""
    event_waits: list = field(default_factory=list)
    """[EventWait] its waits for an Event."""
    eofs: list = field(default_factory=list)
    """[Eof]: the ends of file it saw (a runtime channel's, or a read of
    0 bytes from a pipe: its chan is then the pipe's inode)."""
    chan_ops: list = field(default_factory=list)
    """[ChanOp]: every chan_op it emitted (task_done, join, joined,
    close, send_failed)."""
    event_sets: list = field(default_factory=list)
    """[EventOp]: the set()s and clear()s it did."""

    def first_seen(self, letters):
        """ts of the first observation in one of these states, or None."""
        return next((s.ts for s in self.states if s.state in letters), None)

    @property
    def ended_ts(self):
        """When it stopped running, as far as the trace knows: the
        watcher's first sight of it as a zombie at or after its proc_exit
        (exit() records proc_exit, then still runs its handlers and
        flushes stdio), else proc_exit, else that first sight of Z; None
        if neither is in the trace."""
        if self.exit_ts is None:
            return self.first_seen("Z")
        return next((s.ts for s in self.states
                     if s.state == "Z" and s.ts >= self.exit_ts), self.exit_ts)

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
        """It collected, or became the parent of, a process it did not
        fork."""
        return bool(self.adopted)

    def thread_of(self, vtid, ts):
        """The Thread.tid of the thread of this process that recorded an
        event at ts with LTTng's vtid; None for the main thread."""
        if vtid is None or vtid == self.pid:
            return None
        for thread in self.threads:
            if thread.tid == vtid and thread.start_ts <= ts and \
                    (thread.end_ts is None or ts <= thread.end_ts):
                return vtid
        return None

    @property
    def label(self):
        """'name (pid)', 'old -> new (pid)' after an exec of another
        program, and ' - subreaper' if it is one."""
        name = self.name
        if self.first_name is not None and self.first_name != name:
            name = f"{self.first_name} \u2192 {name}"
        label = f"{name} ({self.pid})"
        return label + " - subreaper" if self.subreaper else label
