"""A process's life: its bar coloured by the states the watcher saw, the
fork arrow, its end (exit, death, zombie time, the reap), adoptions,
signals received, and its waits in join."""

import math
import os

from ...words import duration, signal_name
from ..style import LEGEND_MIN_PX, ON_BAR, ROW_DY, STATE_BARS, STATUS_ROWS


def life_bar(d, lane, proc):
    """The plain bar over the whole life, and over it the states the
    watcher saw, each lasting until the next look."""
    start, end = d.life[proc.pid]
    first = d.ms(proc.states[0].ts) if proc.states else end
    d.pic.bar(d.plain, lane, start, end,
              legend_px=LEGEND_MIN_PX if first - start
              >= d.pic.scale.ms(LEGEND_MIN_PX) else math.inf)
    for block, s0, s1 in state_segments(d, proc):
        if d.pic.scale.px(s1) - d.pic.scale.px(s0) >= 0.5:
            d.pic.bar(block, lane, s0, s1, legend_px=1)


def state_segments(d, proc):
    """[(block, from_ms, to_ms)]: the observed states, clipped to the
    lane's life, neighbours in the same state merged."""
    start, end = d.life[proc.pid]
    segments = []
    for i, state in enumerate(proc.states):
        block = STATE_BARS.get(state.state)
        s0 = max(d.ms(state.ts), start)
        s1 = min(d.ms(proc.states[i + 1].ts)
                 if i + 1 < len(proc.states) else end, end)
        if block is None or s1 <= s0:
            continue
        if segments and segments[-1][0] == block \
                and segments[-1][2] >= s0:
            segments[-1] = (block, segments[-1][1], s1)
        else:
            segments.append((block, s0, s1))
    return segments


def fork(d, proc):
    """The arrow from the parent's fork to the child's start (drawn
    before any text, which keeps off its head)."""
    parent = d.lane_of.get(proc.parent)
    if parent is None or proc.fork_ts is None or d.thin:
        return
    lane = d.lane_of[proc.pid]
    x0, x1 = d.ms(proc.fork_ts), d.life[proc.pid][0]
    down = 1 if lane > parent else -1
    y0, y1 = parent + down * 6 / d.geo.lane_px, lane - down * 6 / d.geo.lane_px
    d.pic.add("forks", x0, y0, x1 - x0, y1 - y0)
    d.head(x0, y0, x1, y1)
    d.pic.legend.add("fork")


def end(d, proc):
    """Exit (or death), zombie time, and the reap on the reaper's lane."""
    lane, end = d.lane_of[proc.pid], d.life[proc.pid][1]
    if proc.exec_error:         # the runtime's child, before exec failed
        d.pic.add("bad_ends", end, lane)
        d.status(lane, end, f"exec failed: "
                 f"{os.strerror(proc.exec_error)}", "signal")
    elif proc.exit_ts is None and proc.command is not None \
            and proc.exitcode is not None and proc.exitcode >= 0:
        # Another program (exec'd) records no exit: its parent's reap
        # says how it ended.
        bad = proc.exitcode != 0
        d.pic.add("bad_ends" if bad else "exits", end, lane)
        d.status(lane, end, f"exit {proc.exitcode}",
                 "signal" if bad else "text")
    elif proc.exit_ts is not None:
        bad = proc.exit_code != 0
        d.pic.add("bad_ends" if bad else "exits", end, lane)
        if bad or not d.thin:
            d.status(lane, end, f"exit {proc.exit_code}",
                     "signal" if bad else "text")
    elif proc.killed_by is not None:
        d.pic.add("bad_ends", end, lane)
        name = signal_name(proc.killed_by)
        d.status(lane, end, f"killed by {name} ({proc.exitcode})",
                 "signal")
    elif proc.reap_ts is None and proc.pid != d.runner \
            and proc.first_seen("ZX") is None:
        d.status(lane, end, "still running", "faint")
    zombie = d.zombie[proc.pid]
    if zombie is not None:
        # Loud where there is room to look at it; among many thin lanes
        # (lesson 5's race) a thin pale bar that recedes.
        d.pic.bar("zombie_quiet" if d.thin else "zombie", lane, *zombie)
        length = d.real(zombie[1]) - d.real(zombie[0])
        if not d.thin:
            d.pic.on_bar(lane, *zombie, f"zombie {duration(length)}",
                         "zombie_text")
    reaper = d.lane_of.get(proc.reaper)
    if proc.reap_ts is not None and reaper is not None:
        reaped = d.ms(proc.reap_ts)
        if not d.thin:
            d.pic.add("links", reaped, lane, 0, reaper - lane)
        d.pic.add("reaps", reaped, reaper)
        d.pic.legend.add("reap")
        d.reaps.setdefault(reaper, []).append(
            (reaped, proc.pid, proc.exitcode))


def reap_labels(d):
    """"reaped PID: CODE" on the reaper's lane; reaps close together
    (a pool's workers, a batch of joins) share one text: "reaped 4:
    all 0", or their codes in order."""
    gap = d.pic.scale.ms(40)
    for lane, reaps in d.reaps.items():
        reaps.sort()
        groups = []
        for reap in reaps:
            if groups and reap[0] - groups[-1][-1][0] < gap:
                groups[-1].append(reap)
            else:
                groups.append([reap])
        for group in groups:
            codes = [code for _, _, code in group]
            if len(group) == 1:
                text = f"reaped {group[0][1]}: {codes[0]}"
            elif len(set(codes)) == 1:
                text = f"reaped {len(group)}: all {codes[0]}"
            else:
                text = f"reaped {len(group)}: " \
                    + ", ".join(map(str, codes))
            # The reap's square and its dotted link from the exit say it
            # where there is no room for the words.
            d.status(lane, group[0][0], text, "fork", optional=True)


def adoption_arrows(d, proc):
    """Each change of parent: a dashed arrow from the new parent's lane
    (from half a lane above when it has none).  No text may cover it:
    its column is taken on every text row it crosses."""
    lane = d.lane_of[proc.pid]
    for adoption in proc.adoptions:
        t = d.ms(adoption.ts)
        adopter = d.lane_of.get(adoption.new_ppid)
        if adopter is None:
            y0 = lane - 0.5
        else:
            y0 = adopter + (6 if lane > adopter else -6) / d.geo.lane_px
        down = 1 if lane > y0 else -1
        y1 = lane - down * 6 / d.geo.lane_px
        d.pic.add("adopts", t, y0, 0, y1 - y0)
        d.pic.legend.add("adopt")
        x = d.pic.scale.px(t)
        lo, hi = min(y0, y1), max(y0, y1)
        for other in range(len(d.rows)):
            for row, dy in list(ROW_DY.items()) + [(ON_BAR, 0)]:
                if lo <= other + dy / d.geo.lane_px <= hi:
                    d.pic.rows.spans[other, row].append((x, x))


def adoption_labels(d, proc):
    """'adopted: parent OLD -> NEW' beside each adoption arrow, on the
    far side of the bar from the arrow."""
    lane = d.lane_of[proc.pid]
    for adoption in proc.adoptions:
        adopter = d.lane_of.get(adoption.new_ppid, lane - 0.5)
        rows = (-1, -2, 1, 2) if lane > adopter else (1, 2, -1, -2)
        d.pic.text(lane, d.ms(adoption.ts),
                   f"adopted: parent {adoption.old_ppid} "
                   f"-> {adoption.new_ppid}", rows, "adopt",
                   either_side=True)


def signal_arrows(d, proc):
    """Signals proc received: an arrow from the sender's lane (none for
    one it sent itself), drawn before any text, which keeps off its
    head."""
    lane = d.lane_of[proc.pid]
    for sig in proc.signals:
        t = d.ms(sig.ts)
        sender = d.lane_of.get(sig.sender, lane - 0.5)
        down = 1 if lane > sender else -1
        if sender != lane:      # raise(), kill(getpid()): no arrow
            end = lane - down * 6 / d.geo.lane_px
            d.pic.add("signals", t, sender, 0, end - sender)
            d.head(t, sender, t, end)
            d.pic.legend.add("signal")


def signals(d, proc):
    """The name of each signal proc received, beside its arrow."""
    lane = d.lane_of[proc.pid]
    for sig in proc.signals:
        t = d.ms(sig.ts)
        sender = d.lane_of.get(sig.sender, lane - 0.5)
        down = 1 if lane > sender else -1
        rows = (1, 2, -1) if down > 0 else (-1, 1, 2)
        # Where it killed, "killed by SIGKILL" under the bar names it.
        d.pic.text(lane, t, signal_name(sig.signo), rows, "signal",
                   optional=sig.signo == proc.killed_by)


def joins(d, proc):
    """Waits in join: for a child process, or for a JoinableQueue's
    tasks (chan_op join to joined)."""
    lane = d.lane_of[proc.pid]
    waits = [(join.ts, join.end_ts, "join (timed out)"
              if join.ended == 0 else "join", "join")
             for join in proc.joins]
    waits += [(join.ts, join.end_ts, "join (queue, timed out)"
               if join.done == 0 else "join (queue)", "queue_join")
              for join in proc.queue_joins]
    for ts, end_ts, text, block in sorted(waits):
        end = end_ts if end_ts is not None else proc.last_ts
        start = d.ms(ts)
        d.pic.bar(block, lane, start, d.ms(end))
        if not d.thin:   # one text row: the legend says it instead
            d.pic.text(lane, start, text, STATUS_ROWS, "fork",
                       optional=True)  # on its bar, or not at all
