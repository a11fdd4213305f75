"""What a process printed and the moments it marked, as texts above its
lane."""

import re
from collections import Counter, defaultdict

from ...model import Line
from ..style import (BURST_JOIN, BURST_PX, BUSY_PRINTS, STATUS_ROWS,
                     TEXT_PT, TEXT_ROWS, TOP_ONLY_ROWS, text_px)

# Printed lines go above the bar; where that is full, under it (after
# the exit, reap and join texts have had their places).  A lane whose
# lines stack deeper than its rows above starts them under the bar: the
# last under it, each earlier one above.
PRINT_ROWS = TEXT_ROWS + STATUS_ROWS
DEEP_ROWS = STATUS_ROWS[::-1] + TEXT_ROWS


def lines(d, proc):
    """What the process printed (mp_printf's lines, and the lines the
    preload saw it write to stdout and stderr: a thread's on the thread's
    lane), and the phases it marked; a line that starts with the lane's
    name ("worker-1: ...") without it.  On a pool worker's lane, whose
    task bars say what it did, only those that fit (no footnotes for
    them).  A line written into a pipe that another process reads
    (`ls | wc`) is not printed text: its bytes are drawn instead."""
    lane = d.lane_of[proc.pid]
    prints = [line._replace(text=own_words(proc, line.text))
              for line in proc.prints
              if (proc.pid, line.ts) not in d.on_bar_prints]
    # A program linked with the runtime under the preload records a line
    # twice, as print and out_line: the print is kept.
    recorded = Counter(line.text for line in proc.prints)
    by_lane = defaultdict(list)
    for out in proc.out_lines:
        if out.piped:
            continue
        if recorded[out.text]:
            recorded[out.text] -= 1
            continue
        by_lane[d.lane_for(proc.pid, out.tid)].append(
            Line(out.ts, own_words(proc, out.text)))
    tasks = proc.pid in d.task_lanes
    _lane_lines(d, proc, lane, sorted(prints + by_lane.pop(lane, [])),
                proc.marks, tasks)
    for other, said in by_lane.items():
        _lane_lines(d, proc, other, said, [], tasks)


def _lane_lines(d, proc, lane, prints, marks, spare=False):
    """The lines printed on one lane, and the marks; spare: the lane says
    what it did otherwise (task bars), its lines only where they fit."""
    lines = sorted([(line, False) for line in prints]
                   + [(line, True) for line in marks],
                   key=lambda pair: pair[0].ts)
    lines = _same_width(lines)
    # Lines printed together (within BURST_PX) as one text, if that fits;
    # a line in columns stands alone, in a fixed-width font.
    bursts = []
    for line, mark in lines:
        x = d.pic.scale.px(d.ms(line.ts))
        if bursts and not mark and not bursts[-1][1] \
                and not columns(line.text) \
                and not columns(bursts[-1][0][-1].text) \
                and x - bursts[-1][2] <= BURST_PX:
            bursts[-1][0].append(line)
            bursts[-1][2] = x
        else:
            bursts.append([[line], mark, x])
    # A lane that printed more than BUSY_PRINTS lines shows those that
    # fit, and says how many it left out, instead of a footnote each.
    # The last placed first: each earlier text then goes above those it
    # would stand over (Picture.text), and the lane reads top down.
    busy = spare or len(prints) > BUSY_PRINTS
    above = d.geo.above + (len(TOP_ONLY_ROWS) if lane == 0 else 0)
    rows = DEEP_ROWS if _depth(d, lines) > above else PRINT_ROWS
    shown = 0
    for burst, mark, _ in bursts:
        for line in burst:
            d.pic.add("marks" if mark else "prints",
                      d.ms(line.ts), lane)
    # A line printed just before a phase the lesson marked ends at its
    # marker: it belongs to the phase that ends there (lesson 5's
    # "Without a lock" result, then its *with a lock* mark).
    px = d.pic.scale.px
    ends_phase = [i + 1 < len(bursts) and bursts[i + 1][1] and not mark
                  and px(d.ms(bursts[i + 1][0][0].ts)) - x <= BURST_PX
                  for i, (_, mark, x) in enumerate(bursts)]
    for (burst, mark, _), before in reversed(list(zip(bursts, ends_phase))):
        side = "before" if before else True   # (else after it, first)
        while burst:    # the most lines that fit as one text, from the end
            for n in range(len(burst), 1, -1):
                together = d.pic.text(
                    lane, d.ms(burst[-n].ts),
                    BURST_JOIN.join(line.text for line in burst[-n:]),
                    rows, "text", optional=True, printed=True,
                    either_side=side)
                if together:
                    break
            else:
                n, together = 1, d.pic.text(
                    lane, d.ms(burst[-1].ts), burst[-1].text,
                    rows, "mark" if mark else "text", italic=mark,
                    optional=busy and not mark, printed=True,
                    mono=bool(columns(burst[-1].text)), either_side=side)
            shown += n if together and not mark else 0
            burst = burst[:-n]
    if busy and shown < len(prints):
        d.pic.notes.append(
            f"{proc.label}: {len(prints) - shown} of its {len(prints)} "
            f"printed lines left out for room (the lesson's output has "
            f"them all).")


def _depth(d, lines):
    """How many rows a lane's lines need, stacked each above the later
    ones it would stand over (nothing else in their way)."""
    px = d.pic.scale.px
    spans = [(px(d.ms(line.ts)), px(d.ms(line.ts))
              + text_px(line.text, TEXT_PT)) for line, _ in lines]
    level = [0] * len(spans)
    for i in reversed(range(len(spans))):
        a0, a1 = spans[i]
        level[i] = 1 + max((level[j] for j in range(i + 1, len(spans))
                            if a0 < spans[j][1] and spans[j][0] < a1),
                           default=0)
    return max(level, default=0)


def _same_width(lines):
    """lines, each run of lines in columns padded to one length: their
    columns line up whichever side of their marker they stand."""
    out, run = [], []
    for line, mark in lines + [(None, True)]:
        if line is not None and not mark and columns(line.text):
            run.append(line)
            continue
        width = max((len(r.text) for r in run), default=0)
        out += [(r._replace(text=r.text.ljust(width)), False) for r in run]
        run = []
        if line is not None:
            out.append((line, mark))
    return out


def columns(text):
    """A line laid out in columns (ps's table: runs of spaces between
    words; an indented line is not)?"""
    return re.search(r"\S {2,}\S", text)


def own_words(proc, text):
    """A line proc printed, without its name if it starts with it:
    "worker-1: run task 3" on worker-1's lane reads "run task 3"."""
    return text.removeprefix(f"{proc.name}: ")
