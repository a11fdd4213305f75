"""Messages and queues: an arrow per message, bytes from a write to the
reads that took them, what communicate() moved through a child's pipes, a
bounded queue's depth, puts waiting on a full queue, ends of file and
sends that failed."""

import errno
import math
from collections import defaultdict

from ...read import convert
from ...words import size
from . import density, density_c
from ..style import (ARROWS_DRAWN, DEPTH_BASE, DEPTH_TOP, MANY_MESSAGES,
                     ON_BAR, PIPE_BURST_PX, SPREAD_PX, STATUS_ROWS,
                     TEXT_ROWS)


def message_arrows(d):
    """One arrow per message, sender's send to receiver's receive; where
    more pass between two lanes than arrows can show, a density band
    (marks.density) instead, kept in d.bands.  Of the arrows left, past
    ARROWS_DRAWN, one in every so many.  Arrows between the same two
    lanes that would lie on one another (a burst of sends, the two ways
    of a duplex pipe) are spread SPREAD_PX apart around where they
    belong, so each one shows."""
    px = d.pic.scale.px
    store = density_c.usable(d) \
        if convert.worth_asking(d.trace.store) else None
    found = None
    if store is not None:
        found = density_c.crowds(d, store) \
            if density_c.between(store, d.pids) else ([], [])
    if found is None:
        crowded, arrows = density.crowds(
            [(d.ms(m.send_ts), d.lane_of[m.sender], d.ms(m.recv_ts),
              d.lane_of[m.receiver], m) for m in d.messages
             if d.lane_of[m.sender] != d.lane_of[m.receiver]], px)
        found = density.made(d, crowded), arrows
    d.bands, arrows = found
    density.bands(d, d.bands)
    every = max(1, -(-len(arrows) // ARROWS_DRAWN))
    if every > 1:
        d.pic.notes.append(f"{len(arrows)} messages: one arrow drawn in "
                           f"every {every}.")
    arrows = sorted(arrows, key=lambda a: a[4].send_ts)[::every]
    many = len(arrows) > MANY_MESSAGES
    arrows = sorted((x0, lane0, x1, lane1,
                     "msg_many" if many else kind(d, m))
                    for x0, lane0, x1, lane1, m in arrows)
    groups = []         # arrows on one another, in send order
    for arrow in arrows:
        x0, lane0, x1, lane1, _ = arrow
        pair = {lane0, lane1}
        near = next((g for g in reversed(groups[-8:])
                     if {g[-1][1], g[-1][3]} == pair
                     and abs(px(g[-1][0]) - px(x0)) < SPREAD_PX
                     and abs(px(g[-1][2]) - px(x1)) < SPREAD_PX), None)
        if near is not None:
            near.append(arrow)
        else:
            groups.append([arrow])
    for group in groups:
        for i, (x0, lane0, x1, lane1, block) in enumerate(group):
            shift = d.pic.scale.ms((i - (len(group) - 1) / 2)
                                   * SPREAD_PX)
            d.arrow(block, x0 + shift, lane0, x1 + shift, lane1,
                    reserve=not many)
            d.pic.legend.add(block)


def kind(d, m):
    """A message's block: an empty one (a poison pill), one to the main
    process (a result coming back), or any other."""
    return "pill" if m.size == 0 else "msg_main" if m.receiver == d.main \
        else "msg"


def byte_arrows(d):
    """Bytes through a pipe (the preload's Transfers): an arrow from the
    write to the read that took them, lane to lane (a thread's lane where
    a thread did it).  Between two lanes, arrows less than PIPE_BURST_PX
    apart at both ends are one (a burst: Python's length, then its
    message); the first arrow between two lanes says how many bytes went
    that way in all."""
    px, bursts, total = d.pic.scale.px, [], defaultdict(int)
    for t in d.transfers:
        w = d.lane_for(t.writer, t.writer_tid)
        r = d.lane_for(t.reader, t.reader_tid)
        if w is None or r is None or w == r:
            continue
        total[w, r] += t.bytes
        x0, x1 = px(d.ms(t.write_ts)), px(d.ms(t.read_ts))
        last = next((b for b in reversed(bursts[-16:]) if b[0] == (w, r)),
                    None)
        if last is not None and x0 - last[3] <= PIPE_BURST_PX \
                and x1 - last[4] <= PIPE_BURST_PX:
            last[3], last[4] = x0, x1
        else:
            bursts.append([(w, r), t.write_ts, t.read_ts, x0, x1])
    many = len(bursts) > MANY_MESSAGES
    block = "bytes_many" if many else "bytes"
    said = set()
    for (w, r), write_ts, read_ts, _, _ in bursts:
        d.arrow(block, d.ms(write_ts), w, d.ms(read_ts), r, reserve=not many)
        d.pic.legend.add(block)
        if (w, r) not in said:
            said.add((w, r))
            d.pic.text(r, d.ms(read_ts), size(total[w, r]), STATUS_ROWS
                       if r > w else TEXT_ROWS, "bytes", optional=True,
                       either_side=True)


def pipe_arrows(d):
    """What a parent wrote to a child's stdin and read from its stdout
    and stderr (communicate(), or a line at a time): an arrow at each
    moment it did, down to the child's lane or up from it; the child's
    lane says how much went each way in all ("stdout 1.0 MiB").  The
    parent's side only: the other program records nothing."""
    px, bursts, total = d.pic.scale.px, [], defaultdict(int)
    for e in d.pipe_io:
        x, key = px(d.ms(e["ts"])), (e["pid"], e["child"], e["stream"])
        total[key] += e["bytes"]
        last = next((b for b in reversed(bursts) if b[0] == key), None)
        if last is not None and x - last[2] <= PIPE_BURST_PX:
            last[2] = x
        else:
            bursts.append([key, e["ts"], x])
    for (parent, child, stream), ts, _ in bursts:
        at, lane = d.ms(ts), d.lane_of[child]
        ends = (d.lane_of[parent], lane)
        d.arrow("pipe_io", at, ends[stream > 0], at, ends[stream == 0])
        d.pic.legend.add("pipe_io")
    # The texts after every arrow, so that each keeps off all their heads
    # (a child asked a line at a time: lesson 16's part 2).
    said = set()
    for (parent, child, stream), ts, _ in bursts:
        at, lane = d.ms(ts), d.lane_of[child]
        if (parent, child, stream) not in said:
            said.add((parent, child, stream))
            name = ("stdin", "stdout", "stderr")[stream]
            d.pic.text(lane, at, f"{name} "
                       f"{size(total[parent, child, stream])}",
                       TEXT_ROWS, "pipe_io", optional=True)


def depth(d, queue):
    """A bounded queue's lane: how many messages it held, as a filled
    step plot from 0 (DEPTH_BASE) to its capacity (DEPTH_TOP)."""
    lane = d.queue_lane[queue.chan]
    base = lane + DEPTH_BASE / d.geo.lane_px
    top = lane + DEPTH_TOP / d.geo.lane_px
    start, end = d.ms(queue.start_ts), d.ms(queue.end_ts)
    if queue.steps and queue.steps[-1][1] > 0:  # some never taken
        end = max(end, d.ms(d.last_ts))
    steps = [(d.ms(ts), min(n, queue.capacity))
             for ts, n in queue.steps]
    if "depth" in d.pic.data:
        d.pic.add("depth", "")       # polygons apart
        d.pic.add("depth_top", "")
    y = base
    outline = [(start, base)]
    for t, n in steps + [(end, 0)]:
        outline.append((t, y))
        y = base - (base - top) * n / queue.capacity
        outline.append((t, y))
    for t, y in outline:
        d.pic.add("depth_top", t, y)
    for t, y in outline + [(start, base)]:
        d.pic.add("depth", t, y)
    d.pic.legend.add("depth")
    d.pic.add("baseline", start, base, end - start, 0)
    d.pic.add("capacity", start, top, end - start, 0)
    # Texts go above the capacity line or under the baseline only.
    for row in (1, -1, ON_BAR):
        d.pic.rows.taken[lane, row].append((-math.inf, math.inf))
    full = next((t for t, n in steps if n >= queue.capacity), None)
    if full is not None:
        d.pic.text(lane, full, f"full: {queue.capacity}", (2,),
                   "capacity", optional=True, either_side=True)


def put_waits(d, proc):
    """Puts waiting on a full queue: hatched segments; the text once
    per lane: on the widest segment it fits on, else beneath the
    first segment where it fits."""
    lane = d.lane_of[proc.pid]
    waits = [d.span(proc, b) for b in proc.blocks if b.op == "put"]
    if not waits:
        return
    for start, end in waits:
        d.pic.bar("put_wait", lane, start, end, legend_px=1)
    text = "put waits: queue full"
    for wait in sorted(waits, key=lambda w: w[0] - w[1]):  # widest 1st
        if d.pic.on_bar(lane, *wait, text, "put_wait", slide=True):
            return
    for start, _ in waits:
        if d.pic.text(lane, start, text, STATUS_ROWS, "put_wait",
                      optional=True, either_side=True):
            return
    d.pic.text(lane, waits[0][0], text, STATUS_ROWS, "put_wait",
               either_side=True)


def eofs(d, proc):
    """End of file seen (its text only where it fits, on a lane with
    many), and sends that failed (a pipe nobody reads)."""
    lane = d.lane_of[proc.pid]
    many = len(proc.eofs) > 2      # a server's connections closing, each
    for eof in proc.eofs:
        d.pic.add("eofs", d.ms(eof.ts), lane)
        d.pic.legend.add("eof")
        if many:
            d.pic.text(lane, d.ms(eof.ts), "EOF", STATUS_ROWS, "eof",
                       optional=True, either_side=True)
        else:
            d.status(lane, d.ms(eof.ts), "EOF", "eof")
    for op in proc.chan_ops:
        if op.op == "send_failed":
            d.pic.add("failed_sends", d.ms(op.ts), lane)
            name = errno.errorcode.get(op.arg, f"errno {op.arg}")
            d.status(lane, d.ms(op.ts), f"send failed: {name}",
                     "signal")
