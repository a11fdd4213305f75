"""The Drawing: a trace's lesson turned into a Picture.

It chooses the lanes, the time axis (with Cuts where long idle stretches
would squeeze the rest) and the geometry (thin lanes for many), works out
each process's life and zombie time, and has the marks (mptrace.draw.marks)
draw, in an order that matters: what is placed first gets the room.
"""

from collections import defaultdict
from functools import cached_property
from typing import NamedTuple

from ..model import Proc
from .boxes import head_box
from .layout import Picture
from .lanes import (PoolLane, QueueLane, ThreadLane, lane_label, lane_order,
                    pool_lanes, queue_lanes, thread_lanes, with_threads)
from . import idle
from .marks import (density_c, events, lines, lives, locks, messages,
                    program, tasks, violations)
from .scale import Cuts, Scale
from .style import (ARROW_GAP_PX, BREAK_SHARE, BREAK_SHOWN, IDLE_SHARE,
                    IDLE_SHOWN, MAX_LANES, MAX_THREAD_LANES, MOST_BREAKS,
                    RIGHT_PX, STATUS_ROWS, THIN_OVER, TICK_PT, WIDTH,
                    geometry, text_px)


def by_pid(records, pids):
    """pid -> [record] for the records (with a .pid) of these pids."""
    out = defaultdict(list)
    for record in records:
        if record.pid in pids:
            out[record.pid].append(record)
    return out


class Frame(NamedTuple):
    """The time axis a picture is drawn on, when two must share one (a
    lesson's C run above its Python run): no Cuts, and the same pixels."""
    lo: float
    """ms since the lesson started, at the left end."""
    hi: float
    """At the right end."""
    left: float
    """Pixels left of the axis, for the lane names."""


class Drawing:
    """Turns the lesson's processes into a Picture: Drawing(trace).draw().
    With a Frame, on that time axis, whatever its own would be; with
    cut=False (or a Frame), no long idle stretch is drawn shorter; else
    one of idle_share of the time or more is (see idle_stretch); with
    breaks, every one of BREAK_SHARE or more (see idle_stretches).  above:
    text rows above each lane (style.geometry)."""

    def __init__(self, trace, frame=None, cut=True, violations=(),
                 idle_share=IDLE_SHARE, above=2, breaks=False):
        self.t0, self.runner, self.main = trace.t0, trace.runner, trace.main
        self.violations = violations    # failed checks' marks (see
                                        # marks.violations)
        self.trace = trace
        self.lanes = lanes = trace.lanes[:MAX_LANES]
        self.pids = pids = {proc.pid for proc in lanes}
        # The bounded queues the lanes' processes used or made.
        self.queues = queue_lanes(trace, pids)
        self.holds = by_pid(trace.holds, pids)
        self.lock_waits = by_pid(trace.lock_waits, pids)
        self.mgr_requests = by_pid(trace.mgr_requests, pids)
        self.pipe_io = [e for e in trace.named(("sub_io",))
                        if e["name"] == "sub_io"
                        and e["pid"] in pids and e["child"] in pids]
        self.queue_items = by_pid(trace.queue_items, pids)
        self.on_bar_prints = set()   # (pid, ts): a print shown on a bar
        self.tasks = [t for t in trace.tasks
                      if t.worker in pids or t.submitter in pids]
        self.pools = pool_lanes(trace, self.tasks)
        rows = lane_order(lanes, trace.main, self.queues, self.pools)
        # A lane per thread, while the picture stays one of normal lanes.
        self.threads = thread_lanes(lanes, THIN_OVER - len(rows),
                                    MAX_THREAD_LANES)
        self.rows = with_threads(rows, self.threads)
        self.lane_of = {row.pid: i for i, row in enumerate(self.rows)
                        if isinstance(row, Proc)}
        self.thread_lane = {(row.pid, row.tid): i
                            for i, row in enumerate(self.rows)
                            if isinstance(row, ThreadLane)}
        self.transfers = trace.transfers
        self.semaphores = trace.semaphores
        self.queue_lane = {row.chan: i for i, row in enumerate(self.rows)
                           if isinstance(row, QueueLane)}
        self.pool_lane = {row.pool: i for i, row in enumerate(self.rows)
                          if isinstance(row, PoolLane)}
        self.task_lanes = {t.worker for t in self.tasks}
        self.pool_ops = {pool: ops for pool, ops in trace.pool_ops.items()
                         if any(op.pid in pids for op in ops)}
        self.last_ts = self.end_ts(trace)
        self.cuts = None
        if cut and frame is None:
            self.cuts = self.idle_stretches(trace) if breaks \
                else self.idle_stretch(trace, idle_share)
        # With the watcher, the unwatched part of a life is paler than the
        # grey of "sleeping"; without it, the plain bar is the grey.
        self.plain = "unseen" if any(p.states for p in lanes) else "life"
        self.life = {proc.pid: self.lifetime(proc) for proc in lanes}
        self.zombie = {proc.pid: self.zombie_time(proc) for proc in lanes}
        lo, hi = self.time_range()
        margin = (hi - lo) * 0.03
        left = 24 + max(text_px(lane_label(row), TICK_PT)
                        for row in self.rows)
        self.frame = Frame(lo - margin, hi + margin, left)
        self.shared = frame is not None   # its time axis another's too
        if self.shared:
            self.frame = frame
        self.geo = geometry(len(self.rows), above)
        self.thin = self.geo.thin
        self.pic = Picture(
            Scale(self.frame.lo, self.frame.hi, self.frame.left,
                  WIDTH - RIGHT_PX, self.cuts), self.geo)
        if self.thin:
            self.pic.notes.append(
                f"Thin lanes, for {len(self.rows)} lanes: fork arrows, "
                f"exit-to-reap links, \"exit 0\" and zombie texts left out.")
        if len(trace.lanes) > len(lanes):
            self.pic.notes.append(
                f"{len(trace.lanes) - len(lanes)} more processes are not "
                f"drawn (the first {len(lanes)} are): events.tsv lists "
                "them all.")
        for proc in lanes:
            if proc.watched_only:
                self.pic.notes.append(
                    f"{proc.label}: only the watcher saw it (its program "
                    "ran without the preload): its life and states.")
            elif proc.last_ts is None:
                self.pic.notes.append(
                    f"{proc.label} recorded nothing itself (no runtime, no "
                    "preload): its lane is what its parent and the watcher "
                    "saw of it.")
        self.reaps = {}             # reaper's lane -> [(ms, pid, exitcode)]
        self.bands = []             # density bands (marks.density)

    @cached_property
    def messages(self):
        """[Message] between two of the lanes' processes (loaded only
        where the converter cannot find the bands: marks.density_c)."""
        return [m for m in self.trace.messages
                if m.sender in self.pids and m.receiver in self.pids]

    def messages_between(self):
        """Whether a message went from one lane's process to another's."""
        store = density_c.usable(self)
        if store is not None and "messages" not in self.__dict__:
            return bool(density_c.between(store, self.pids))
        return any(m.sender != m.receiver for m in self.messages)

    def end_ts(self, trace):
        """Where the picture ends: the lanes' last event.  mprun's own (its
        reap of the main process, its exit) count only if it has a lane.
        The watcher's proc_state events are not the process's own: its
        last look (state X) comes after the reap.  Lanes that recorded
        nothing themselves (a program that never called the runtime) end
        with the last event about them: their fork, reap, or a look; those
        that exec'd a program the preload could not enter, with their
        reap."""
        last = [trace.last_ts(self.lane_of)]
        # A program that went on without the preload (an exec of a static
        # or set-uid one) ends where it was collected.
        own = [ts for ts in last if ts is not None] + [
            ts for proc in self.lanes if proc.untraced
            for ts in (proc.reap_ts, proc.first_seen("X")) if ts is not None]
        if own:
            return max(own)
        return trace.last_ts(self.lane_of, about=True)

    def lane_for(self, pid, tid=None):
        """The lane of pid's thread tid if it has one, else pid's lane
        (None if pid has none)."""
        return self.thread_lane.get((pid, tid), self.lane_of.get(pid))

    def ms(self, ts):
        """ts as ms since the lesson started, as shown (see Scale)."""
        ms = (ts - self.t0) / 1e6
        return self.cuts.shown(ms) if self.cuts else ms

    def real(self, shown):
        return self.cuts.real(shown) if self.cuts else shown

    def idle_stretch(self, trace, share):
        """The Cuts of the picture, or None: a stretch with no event of the
        lanes' processes that takes this share of its time or more (a
        wait, after a burst of messages too fast to tell apart) is drawn
        IDLE_SHOWN of the width.  At the usual IDLE_SHARE, only in a
        picture with message arrows: the others keep their time as it
        was unless their texts do not fit (draw.layout)."""
        if share >= IDLE_SHARE \
                and not self.messages_between() \
                and not any(t.writer != t.reader for t in self.transfers):
            return None
        first, last, gaps = idle.gaps(self, trace)
        if not gaps:
            return None
        widest = max(gaps, key=lambda g: (g[1] - g[0], g[0]))
        return self._cut(first, last, [widest], share, IDLE_SHOWN)

    def idle_stretches(self, trace):
        """The Cuts of a picture broken at its long stretches with no
        event, or None if it has none: the widest first, each while it
        takes BREAK_SHARE or more of the time not cut yet, MOST_BREAKS at
        most, each drawn BREAK_SHOWN of the width, and only where that
        shortens it to half or less.  The busy moments between long waits
        get the width (lesson 16's parts 1 and 2 take a few ms before
        waits of 0.2, 0.3 and 1 s)."""
        first, last, gaps = idle.gaps(self, trace)
        if not gaps:
            return None
        rest, chosen = last - first, []
        for gap in sorted(gaps, key=lambda g: g[0] - g[1])[:MOST_BREAKS]:
            if gap[1] - gap[0] < BREAK_SHARE * rest:
                break
            chosen.append(gap)
            rest -= gap[1] - gap[0]
        made = self._cut(first, last, chosen, 0, BREAK_SHOWN)
        if made is None:
            return None
        shown = made.cuts[0].end - made.cuts[0].start
        return self._cut(first, last, [g for g, c in zip(sorted(chosen),
                                                           made)
                                       if c.length >= 2 * shown],
                         0, BREAK_SHOWN)

    @staticmethod
    def _cut(first, last, gaps, share, shown_share):
        """Cuts of those of the gaps (before, after) that take this share of
        first..last or more, each drawn shown_share of the width; None if
        none does.  A stretch's own ends stay as they are, so that its
        events do not touch the break."""
        span = last - first if gaps else 0
        gaps = sorted(g for g in gaps if g[1] - g[0] >= share * span)
        if not gaps:
            return None
        busy = span - sum(after - before for before, after in gaps)
        pad = busy * 0.04
        kept = busy + 2 * pad * len(gaps)
        shown = shown_share / (1 - shown_share * len(gaps)) * kept
        return Cuts.of([(before + pad, after - pad)
                        for before, after in gaps], shown)

    def lifetime(self, proc):
        """(start, end) in ms: from start (or fork) to its end
        (Proc.ended_ts: its exit, or the zombie the watcher saw it become
        after), its death by a signal or the watcher's first sight of it
        as a zombie, whichever came first; else to its reap, or to when the watcher saw it gone;
        to the end of the trace if none of those came."""
        start = proc.start_ts if proc.start_ts is not None else proc.fork_ts
        dead = [ts for ts in (proc.ended_ts, self.death_ts(proc),
                              proc.first_seen("Z")) if ts is not None]
        end = min(dead) if dead else next(
            ts for ts in (proc.reap_ts, proc.first_seen("X"), self.last_ts)
            if ts is not None)
        return self.ms(start), self.ms(max(start, end))

    def zombie_time(self, proc):
        """(from, to) in ms: from the exit (or the first sight of state Z,
        if earlier) to the reap (or the watcher's sight of it gone); None
        if it was never seen dead, or the reaper is off the picture: mprun
        collecting the lesson's main process waits all along, and the gap
        after proc_exit is exit() still at work (stdio, LTTng's own exit),
        not a zombie."""
        if proc.exit_ts is None and proc.first_seen("Z") is None:
            return None
        if proc.reap_ts is not None and proc.reaper not in self.lane_of:
            return None
        end = self.life[proc.pid][1]
        gone = next(ts for ts in (proc.reap_ts, proc.first_seen("X"),
                                  self.last_ts) if ts is not None)
        return (end, self.ms(gone)) if self.ms(gone) > end else None

    @staticmethod
    def death_ts(proc):
        """When a killed process got its fatal signal (None: not killed or
        the signal is not in the trace)."""
        fatal = [s.ts for s in proc.signals if s.signo == proc.killed_by
                 and (proc.reap_ts is None or s.ts <= proc.reap_ts)]
        return fatal[-1] if fatal else None

    def time_range(self):
        """From the first lane's start to the lanes' last event (or the end
        of a life or zombie time the watcher saw end later)."""
        lo = min(start for start, _ in self.life.values())
        ends = [end for _, end in filter(None, self.zombie.values())]
        ends += [end for _, end in self.life.values()]  # an exit the
        # process's own events do not show (the watcher saw it end)
        return lo, max([self.ms(self.last_ts), lo + 0.01] + ends)

    def draw(self):
        """Every mark, in the order that gives each its room; the
        Picture."""
        for proc in self.lanes:
            lives.life_bar(self, self.lane_of[proc.pid], proc)
            lives.fork(self, proc)
            lives.signal_arrows(self, proc)
        violations.violations(self)
        for queue in self.queues:
            messages.depth(self, queue)
        for proc in self.lanes:
            lives.adoption_arrows(self, proc)
        tasks.task_bars(self)
        for proc in self.lanes:
            tasks.queue_task_bars(self, proc)
        messages.message_arrows(self)
        messages.byte_arrows(self)
        messages.pipe_arrows(self)
        for proc in self.lanes:
            program.threads(self, proc)
        for proc in self.lanes:
            events.event_arrows(self, proc)
        for proc in self.lanes:
            lives.end(self, proc)
            lives.adoption_labels(self, proc)
            lives.signals(self, proc)
            program.execs(self, proc)
            program.handled(self, proc)
            program.untraced_notes(self, proc)
        if not self.thin:
            lives.reap_labels(self)
        for proc in self.lanes:
            messages.put_waits(self, proc)
            messages.eofs(self, proc)
            events.event_marks(self, proc)
            locks.locks(self, proc)
            locks.manager(self, proc)
            program.lib_calls(self, proc)
        for proc in self.lanes:
            lines.lines(self, proc)
        if self.thin:   # one row for both: what was printed comes first
            lives.reap_labels(self)
        for proc in self.lanes:
            lives.joins(self, proc)
            program.waits(self, proc)
        return self.pic

    # ---- what the marks share ----

    def status(self, lane, ms, text, colour, optional=False):
        """Text under a lane's bar, on either side of its marker; with
        optional, only where it fits (the mark says it without words)."""
        self.pic.text(lane, ms, text, STATUS_ROWS, colour, either_side=True,
                      optional=optional)

    def end_of(self, proc):
        """ms where a wait that never ended stops: the lane's end."""
        return self.life[proc.pid][1]

    def span(self, proc, item):
        """(start, end) in ms of something proc did over a time (a wait, a
        hold, a call: its ts and end_ts); one that never ended stops at
        the lane's end."""
        end = item.end_ts
        return self.ms(item.ts), \
            self.ms(end) if end is not None else self.end_of(proc)

    def arrow(self, block, x0, lane0, x1, lane1, reserve=True):
        """An arrow between two lanes' bars, from x0 to x1 (ms); with
        reserve, no text may cover it where it crosses a text row."""
        down = 1 if lane1 > lane0 else -1
        y0 = lane0 + down * ARROW_GAP_PX / self.geo.lane_px
        y1 = lane1 - down * ARROW_GAP_PX / self.geo.lane_px
        self.pic.add(block, x0, y0, x1 - x0, y1 - y0)
        self.head(x0, y0, x1, y1)
        if reserve:
            self.pic.rows.cross(len(self.rows), self.pic.scale,
                                x0, y0, x1, y1)

    def head(self, x0, y0, x1, y1, length_px=8):
        """No text on the head of the arrow from (x0 ms, y0 lane) to
        (x1, y1)."""
        px, lane_px = self.pic.scale.px, self.geo.lane_px
        tail = (px(x0), y0 * lane_px)
        tip = (px(x1), y1 * lane_px)
        box = head_box(tail, tip, length_px, "")
        self.pic.rows.block(len(self.rows), box.x0 - 1, box.x1 + 1,
                            box.y0 / lane_px, box.y1 / lane_px)
