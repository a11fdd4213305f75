"""A trace: its events, and the model made from them, each part made once
and only when asked for.

Only the process tree under the lesson's `mprun` is "the lesson": LTTng's
per-user buffers record every `mp` program of the user, so a test or
another lesson running at the same time leaves events of unrelated pids
(and other mpruns) in the trace, and they are ignored.  The runner is the
one named in the trace's runner.pid (scripts/trace-lesson writes it), else
the earliest mprun in the trace.
"""

from functools import cached_property

from . import pairing, streams
from .model import (Channel, Hold, LockWait, Message, MgrRequest, Pipe,
                    PoolOp, Proc, QueueItem, Task, Transfer)
from .procs import MESSAGES, RUNNER, processes
from .read import sqlparts
from .sites import Sites
from .read.parts import part

# The events each pairing reads (it picks them out of all events itself).
TASK_EVENTS = ("task_submit", "task_start", "task_end")
LOCK_PREFIXES = ("lock_", "sem_")
STREAM_EVENTS = ("fd_pipe", "io_write", "io_short", "io_read")
MGR_EVENTS = ("mgr_request", "mgr_reply")


class Trace:
    """What one recording says.  Build it with mptrace.load(path).

    The parts marked @part are kept in the trace's database (read/parts.py)
    by the first tool that opens it: the tools after it load them from
    there, and read the events themselves only if they ask for them."""

    def __init__(self, events, discarded=0, runner_pid=None, store=None):
        if events is not None:
            self.events = events
        self.discarded = discarded
        """Events LTTng reported lost (its buffers were full)."""
        self.runner_pid = runner_pid
        """The runner's pid as the recorder wrote it down, or None."""
        self.store = store
        """The trace's database (read/store.py) the events and the parts
        come from, or None: they are in memory, or computed."""

    @cached_property
    def events(self):
        """Every event, a dict sorted by "ts": {"ts": ns from the clock's
        origin, "name": the event's name without "mp:", then its payload
        fields; proc_start's and proc_fork's `name` is "proc_name"}."""
        return self.store.events()

    @property
    def event_count(self):
        """How many events the trace holds (without reading them)."""
        return len(self.events) if self._in_memory else self.store.count

    @property
    def _in_memory(self):
        return self.store is None or "events" in self.__dict__

    def named(self, names):
        """The events of these names (a name may end in "_": every name
        it begins), in time order.  When the events are in memory: all
        of them (each pairing picks its own names); else only these, from
        the database."""
        if self._in_memory:
            return self.events
        return self.store.events(self._names(names))

    def _lesson(self, names):
        """named(), of the lesson's processes alone (lesson_events)."""
        if self._in_memory:
            return self.lesson_events
        return self.store.events(self._names(names), self.lesson_pids)

    def _names(self, names):
        return {name for name in self.store.tables if name in names or
                any(p.endswith("_") and name.startswith(p) for p in names)}

    def events_of(self, names=None, pids=None):
        """The events of these names and pids (None: any), in time order,
        from memory if they are read, else from the trace's database
        (without reading the rest)."""
        if not self._in_memory:
            return self.store.events(names, pids)
        return [e for e in self.events
                if (names is None or e["name"] in names)
                and (pids is None or e.get("pid") in pids)]

    # ---- the lesson's processes ----

    @part(Proc, tables=("processes",))
    def procs(self):
        """pid -> Proc, for every process seen (the lesson's or not)."""
        if not self._in_memory:     # the messages read only where they count
            where = sqlparts.block_enders(self.store)
            last = sqlparts.last_ts(self.store, MESSAGES)
            if where is not None and last is not None:
                return processes(self.store.events(where=where), last)
        return processes(self.events)

    @cached_property
    def sites(self):
        """Sites: the line of the program that made each event."""
        def parent_of(pid):
            proc = self.procs.get(pid)
            return proc.parent if proc is not None else None
        return Sites(self.events_of(names=("proc_image",)), parent_of,
                     self.events if self._in_memory else ())

    @cached_property
    def runner(self):
        """pid of the lesson's mprun: runner_pid if it is in the trace,
        else the earliest mprun; None if no mprun left an event."""
        if self.runner_pid in self.procs:
            return self.runner_pid
        runners = [p for p in self.procs.values()
                   if p.name == RUNNER and p.start_ts is not None]
        return min(runners, key=lambda p: p.start_ts).pid if runners \
            else None

    @cached_property
    def tree(self):
        """The lesson's pids, depth first, children in fork order: the
        descendants of mprun, or without mprun the tree of the earliest
        proc_start."""
        procs, runner = self.procs, self.runner
        if runner is not None:
            roots = procs[runner].children
        else:
            started = [p for p in procs.values() if p.start_ts is not None]
            roots = [min(started, key=lambda p: p.start_ts).pid] \
                if started else []
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

    @cached_property
    def lanes(self):
        """The lesson's processes (Proc), top to bottom: the fork tree depth
        first.  mprun comes first only if it adopted (reaped) an orphan.
        A list shared by every caller: copy it before changing it."""
        pids = self.tree
        if self.runner is not None and self.procs[self.runner].subreaper:
            pids = [self.runner] + pids
        return [self.procs[pid] for pid in pids]

    @property
    def main(self):
        """pid of the lesson's main process, or None."""
        return self.tree[0] if self.tree else None

    @cached_property
    def t0(self):
        """ts of the lesson main's proc_start (else its fork), or None:
        the origin of every "ms since the lesson started"."""
        if self.main is None:
            return None
        main = self.procs[self.main]
        return main.start_ts if main.start_ts is not None else main.begin_ts

    @cached_property
    def lesson_pids(self):
        """The pids of the lanes, and mprun's."""
        pids = {p.pid for p in self.lanes}
        if self.runner is not None:
            pids.add(self.runner)
        return pids

    @cached_property
    def lesson_events(self):
        """The events of the lesson's processes and mprun; every event if
        the trace has no process tree (a synthetic trace of tasks alone)."""
        pids = self.lesson_pids
        return [e for e in self.events if not pids or e.get("pid") in pids]

    @property
    def lesson_event_count(self):
        """len(lesson_events), counted in SQL when they are not read."""
        if self._in_memory:
            return len(self.lesson_events)
        return self.store.count_of(self.lesson_pids)

    def lesson_events_over(self, most):
        """Whether the lesson has more than most events (counted no
        further in SQL)."""
        if self._in_memory:
            return len(self.lesson_events) > most
        return self.store.count_of(self.lesson_pids, most + 1) > most

    def lesson_named(self, names):
        """The lesson_events of these names, in time order."""
        if self._in_memory:
            return [e for e in self.lesson_events if e["name"] in names]
        return self.store.events(names, self.lesson_pids)

    @cached_property
    def lesson_span(self):
        """(first ts, last ts) of the lesson_events, or None if none."""
        if self.store is not None:      # SQL: sooner, events read or not
            return self.store.span(self.lesson_pids)
        stamps = [e["ts"] for e in self.lesson_events]
        return (min(stamps), max(stamps)) if stamps else None

    def own_times(self, pids):
        """The ts of every event pids recorded themselves (not the
        watcher's proc_state looks at them), in time order."""
        if self._in_memory:
            return (e["ts"] for e in self.events
                    if e.get("pid") in pids and e["name"] != "proc_state")
        return self.store.times(pids, "proc_state")

    def own_times_sql(self, pids):
        """The SELECT whose rows (id, ts) are own_times(pids), on the
        trace's database; None when the events are in memory (or no
        table has a pid)."""
        if self._in_memory:
            return None
        return self.store.times_sql(pids, "proc_state")

    def last_ts(self, pids, about=False):
        """The ts of the last event pids recorded themselves (not a
        proc_state); about: of the last event of any name whose pid or
        child is one of them.  None if there is none."""
        if not self._in_memory:
            return self.store.last(pids, None if about else "proc_state",
                                   about)
        return next((e["ts"] for e in reversed(self.events)
                     if (e.get("pid") in pids or
                         (about and e.get("child") in pids))
                     and (about or e["name"] != "proc_state")), None)

    # ---- what passed between them ----

    @part(Channel, key="chan")
    def channels(self):
        """chan id -> Channel, for every channel opened in the trace (an
        Event is one too)."""
        return pairing.channels(self.named(("chan_open",)))

    @part(Message)
    def messages(self):
        """[Message] of the whole trace, one per message id, in the order
        of its first event: the views keep those between their own
        processes.  The converter pairs them (trace/sql/pairs.c)."""
        return pairing.messages(self.named(MESSAGES + ("chan_op",)))

    def queue_depth(self, chan):
        """[(ts, n)]: how many messages chan held from ts on."""
        return pairing.queue_depth(self.messages, chan)

    @part(Task)
    def tasks(self):
        """[Task] of the lesson's pools, in submit order (pool, then task
        id)."""
        return pairing.tasks(self._lesson(TASK_EVENTS))

    @part(PoolOp, key="pool")
    def pool_ops(self):
        """{pool id: [PoolOp]} of the whole trace."""
        return pairing.pool_ops(self.named(("pool_op",)))

    @cached_property
    def semaphores(self):
        """sem id -> its value when opened (see pairing.semaphores)."""
        return pairing.semaphores(self.named(("sem_open",)))

    @part(Hold, LockWait, tables=("holds", "lock_waits"))
    def _locks(self):
        events = self._lesson(LOCK_PREFIXES)
        holds, waits = pairing.locks(events)
        sem_holds, sem_waits = pairing.sem_locks(
            events, self.semaphores, self.procs)
        return (sorted(holds + sem_holds, key=lambda h: h.ts),
                sorted(waits + sem_waits, key=lambda w: w.end_ts))

    @property
    def holds(self):
        """[Hold] of the lesson's locks (the runtime's, and semaphores of
        value 1: Python's), in the order they were taken."""
        return self._locks[0]

    @property
    def lock_waits(self):
        """[LockWait] of the lesson's processes (for a lock, or for any
        semaphore), in the order they ended."""
        return self._locks[1]

    # ---- bytes through pipes (the preload's) ----

    @part(Pipe, key="ino")
    def pipes(self):
        """inode -> Pipe, for every pipe and socketpair made in the trace."""
        return streams.pipes(self.named(("fd_pipe",)))

    @part(Transfer)
    def transfers(self):
        """[Transfer] between the lesson's processes: each write's bytes
        that a read took, in the order of the reads."""
        pids = self.lesson_pids
        return [t for t in streams.transfers(self._lesson(STREAM_EVENTS),
                                             self.procs)
                if t.writer in pids and t.reader in pids]

    @part(MgrRequest)
    def mgr_requests(self):
        """[MgrRequest] of the lesson's processes, in the order made."""
        return pairing.mgr_requests(self._lesson(MGR_EVENTS))

    @part(QueueItem)
    def queue_items(self):
        """[QueueItem] the lesson's processes got from a JoinableQueue."""
        if not any(c.kind == "joinable_queue"
                   for c in self.channels.values()):
            return []               # none: no message need be read
        return pairing.queue_items(self._lesson(("msg_recv", "chan_op")),
                                   self.channels, self.messages)
