"""The lanes of a timeline, top to bottom: the lesson's processes in
fork-tree order, with the lanes of bounded queues (their depth) and of
pools (their waiting tasks) right under the main process, and a thin lane
for each thread a process started right under that process."""

from .layout import clip
from .style import LABEL_MAX_PX, QUEUE_KINDS, TICK_PT, text_px


class QueueLane:
    """A bounded queue's lane: its depth over time."""

    def __init__(self, chan, trace):
        channel = trace.channels[chan]
        self.chan, self.capacity = chan, channel.capacity
        self.steps = trace.queue_depth(chan)
        times = [ts for m in trace.messages if m.chan == chan
                 for ts in (m.send_ts, m.recv_ts) if ts is not None]
        self.start_ts = min([channel.open_ts] + times)
        self.end_ts = max([channel.open_ts] + times)
        self.number = None

    @property
    def label(self):
        name = "queue" if self.number is None else f"queue {self.number}"
        return f"{name} (max {self.capacity})"


class PoolLane:
    """A pool's task queue: the tasks that waited in it for a worker."""

    def __init__(self, pool, workers):
        self.pool, self.workers = pool, workers
        self.number = None

    @property
    def label(self):
        return "pool task queue" if self.number is None \
            else f"pool {self.number} task queue"


class ThreadLane:
    """A thread of a process (model.Thread), under the process's lane:
    what the thread did is drawn there (its bytes, locks, waits, lines)."""

    def __init__(self, proc, thread):
        self.pid, self.tid, self.thread = proc.pid, thread.tid, thread

    @property
    def label(self):
        return f"\u2514 thread {self.tid}"


def thread_lanes(procs, room, most):
    """{pid: [Thread]} of the processes whose threads get lanes of their
    own: in lane order, those with at most `most` threads, while the
    lanes stay within `room` in all."""
    chosen = {}
    for proc in procs:
        if proc.threads and len(proc.threads) <= most \
                and len(proc.threads) <= room:
            chosen[proc.pid] = proc.threads
            room -= len(proc.threads)
    return chosen


def with_threads(rows, threads):
    """rows with each process's ThreadLanes right under it."""
    out = []
    for row in rows:
        out.append(row)
        for thread in threads.get(getattr(row, "pid", None), ()):
            if not isinstance(row, ThreadLane):
                out.append(ThreadLane(row, thread))
    return out


def queue_lanes(trace, pids):
    """A QueueLane for every bounded queue the processes of pids used or
    made."""
    bounded = {chan: c for chan, c in trace.channels.items()
               if c.kind in QUEUE_KINDS and c.capacity > 0}
    if not bounded:         # the messages not read: none can have a lane
        return []
    used = {m.chan for m in trace.messages
            if m.sender in pids or m.receiver in pids}
    return [QueueLane(chan, trace) for chan, c in bounded.items()
            if chan in used or c.creator in pids]


def pool_lanes(trace, tasks):
    """A PoolLane per pool some task of which (of these) waited for a
    worker at least 2% of the lesson's time: the wait the lesson is
    about.  (The lesson's: other programs' events in the same recording
    would stretch it.)"""
    span = trace.lesson_span
    least = 0.02 * (span[1] - span[0]) if span else 0
    lanes = []
    for pool, ops in trace.pool_ops.items():
        waited = any(t.pool == pool and t.start_ts is not None
                     and t.submit_ts is not None
                     and t.start_ts - t.submit_ts >= least
                     for t in tasks)
        if waited:
            workers = next((arg for _, _, op, arg in ops
                            if op == "create"), None)
            lanes.append(PoolLane(pool, workers))
    return lanes


def lane_order(procs, main, queues, pools):
    """Every lane top to bottom: the processes (Proc), with the queues'
    and pools' lanes right under the main process; each of those numbered
    when there are several."""
    rows = list(procs)
    at = next((i for i, p in enumerate(rows) if p.pid == main), 0)
    for n, queue in enumerate(queues, 1):
        queue.number = n if len(queues) > 1 else None
    for n, pool in enumerate(pools, 1):
        pool.number = n if len(pools) > 1 else None
    return rows[:at + 1] + queues + pools + rows[at + 1:]


def lane_label(row):
    """A lane's name at its left, at most LABEL_MAX_PX wide: a long command
    line is shortened, its pid (the last parenthesis) kept."""
    label = row.label
    if text_px(label, TICK_PT) <= LABEL_MAX_PX or " (" not in label:
        return label
    name, pid = label.rsplit(" (", 1)
    pid = " (" + pid
    return clip(name, LABEL_MAX_PX - text_px(pid, TICK_PT), TICK_PT) + pid
