"""Pools and JoinableQueues: task bars on the workers' lanes, the arrow
from each submit, the waits for a free worker on the pool's lane, the
pool's calls on its owner's lane, and a consumer's items."""

import math

from ..style import (ARROW_GAP_PX, LEGEND_MIN_PX, ON_BAR, STATUS_ROWS,
                     TASK_BLOCKS)
from ...words import duration
from .lines import own_words


def task_bars(d):
    """A bar per task on its worker's lane, labelled with its id and
    time; an arrow from its submit to its start; on the pool's lane,
    a hatched bar for each wait for a free worker."""
    for t in d.tasks:
        lane = d.lane_of.get(t.worker)
        if lane is None or t.start_ts is None:
            continue
        start = d.ms(t.start_ts)
        end = d.ms(t.end_ts) if t.end_ts is not None \
            else d.life[t.worker][1]
        block = TASK_BLOCKS[t.task % len(TASK_BLOCKS)]
        d.pic.bar(block, lane, start, end, legend_px=math.inf)
        d.pic.legend.add("task")
        seconds = ((t.end_ts - t.start_ts) / 1e9 if t.end_ts is not None
                   else None)
        how = "failed" if t.error else (
            "never ended" if seconds is None else f"{seconds:.2f}s")
        for text in (f"task {t.task}  {how}", f"task {t.task}",
                     str(t.task)):
            if d.pic.on_bar(lane, start, end, text, "on_task"):
                break
        handoff(d, t, lane, start)
    waits = [w for w in (task_wait(d, t) for t in d.tasks) if w]
    for lane in sorted({w[0] for w in waits}):
        task_wait_text(d, [w for w in waits if w[0] == lane])
    for pool, ops in d.pool_ops.items():
        pool_calls(d, pool, ops)


def handoff(d, t, lane, start):
    """The arrow from the submitter's lane to the task's bar."""
    source = d.lane_of.get(t.submitter)
    if source is None or t.submit_ts is None or source == lane:
        return
    down = 1 if lane > source else -1
    y0 = source + down * ARROW_GAP_PX / d.geo.lane_px
    y1 = lane - down * (d.geo.task_half_px + 1) / d.geo.lane_px
    x0 = d.ms(t.submit_ts)
    d.pic.add("handoffs", x0, y0, start - x0, y1 - y0)
    d.head(x0, y0, start, y1)
    d.pic.rows.cross(len(d.rows), d.pic.scale, x0, y0, start, y1)
    d.pic.legend.add("handoff")


def task_wait(d, t):
    """On the pool's lane: the time t spent queued, if it shows;
    (lane, from, to, task) then, else None."""
    lane = d.pool_lane.get(t.pool)
    if lane is None or t.submit_ts is None:
        return
    start = d.ms(t.submit_ts)
    end = d.ms(t.start_ts) if t.start_ts is not None \
        else d.ms(d.last_ts)
    if d.pic.scale.px(end) - d.pic.scale.px(start) < 4:
        return
    d.pic.bar("task_wait", lane, start, end, legend_px=1)
    return lane, start, end, t.task


def task_wait_text(d, waits):
    """One text for a pool lane's waits: the task and its wait if one
    waited, else how many and the longest wait."""
    lane, start, end, task = max(waits, key=lambda w: w[2] - w[1])
    workers = d.rows[lane].workers
    busy = f"all {workers} workers busy" if workers else "workers busy"
    waited = duration(d.real(end) - d.real(start))
    text = f"task {task} queued {waited}: {busy}" if len(waits) == 1 \
        else f"{len(waits)} tasks queued, up to {waited}: {busy}"
    last = max(w[2] for w in waits)
    if not d.pic.text(lane, last, text, (ON_BAR,), "task_wait",
                      optional=True):
        d.pic.text(lane, start, text, STATUS_ROWS, "task_wait",
                   either_side=True)


def pool_calls(d, pool, ops):
    """On the lane of the pool's owner: what it called, in one text
    ("Pool(4), 5 tasks submitted, close(), join()") where they come
    close together, and its wait in join() as a thin bar."""
    calls = [(ts, f"Pool({arg})") for ts, _, op, arg in ops
             if op == "create"]
    calls += [(ts, f"{op}()") for ts, _, op, arg in ops
              if op in ("close", "join", "terminate")]
    submits = sorted(t.submit_ts for t in d.tasks
                     if t.pool == pool and t.submit_ts is not None)
    owner = next((pid for _, pid, op, _ in ops if op == "create"), None)
    lane = d.lane_of.get(owner)
    if lane is None:
        return
    # Runs of submits with no other call between: "apply_async x5".
    for ts in submits:
        calls.append((ts, "submit"))
    calls.sort()
    groups = []
    for ts, what in calls:
        if groups and d.pic.scale.px(d.ms(ts)) \
                - d.pic.scale.px(d.ms(groups[-1][0])) < 12:
            groups[-1][1].append(what)
        else:
            groups.append((ts, [what]))
    for ts, whats in groups:
        words = []
        for what in whats:
            if what == "submit" and words and words[-1][0] == "submit":
                words[-1][1] += 1
            elif what == "submit":
                words.append(["submit", 1])
            else:
                words.append([what, 1])
        text = ", ".join((f"{n} tasks submitted" if n > 1 else
                          "a task submitted") if w == "submit" else w
                         for w, n in words)
        d.pic.text(lane, d.ms(ts), text, STATUS_ROWS, "fork")
    joins = [ts for ts, _, op, _ in ops if op == "join"]
    joined = [ts for ts, _, op, _ in ops if op == "joined"]
    if joins:
        end = joined[0] if joined else d.last_ts
        d.pic.bar("join", lane, d.ms(joins[0]), d.ms(end))


def queue_task_bars(d, proc):
    """A JoinableQueue consumer's tasks: a bar from each get to its
    task_done, coloured by the item's place in the queue, with what
    the consumer printed meanwhile on it (its name left off).  An
    empty item (None: a poison pill) gets no bar, nor one done in less
    than LEGEND_MIN_PX."""
    lane = d.lane_of[proc.pid]
    for item in d.queue_items.get(proc.pid, ()):
        start, end = d.ms(item.get_ts), d.ms(item.done_ts)
        if item.size == 0 \
                or d.pic.scale.px(end) - d.pic.scale.px(start) < LEGEND_MIN_PX:
            continue    # a pill, or too quick to show (lesson 3's)
        d.pic.bar(TASK_BLOCKS[item.place % len(TASK_BLOCKS)], lane, start,
                  end, legend_px=math.inf)
        d.pic.legend.add("queue_task")
        said = next((line for line in proc.prints
                     if item.get_ts <= line.ts <= item.done_ts), None)
        if said is None:
            continue
        text = own_words(proc, said.text)
        if d.pic.on_bar(lane, start, end, text, "on_task"):
            d.on_bar_prints.add((proc.pid, said.ts))
