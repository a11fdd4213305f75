"""What a process printed and the moments it marked, as texts above its
lane."""

from collections import Counter, defaultdict

from ...model import Line
from ..style import BURST_JOIN, BURST_PX, BUSY_PRINTS, TEXT_ROWS


def lines(d, proc):
    """What the process printed (mp_printf's lines, and the lines the
    preload saw it write to stdout and stderr: a thread's on the thread's
    lane), and the phases it marked; a line that starts with the lane's
    name ("worker-1: ...") without it.  A pool worker's lane shows its
    task bars instead: what its tasks print is in the lesson's output.
    A line written into a pipe that another process reads (`ls | wc`) is
    not printed text: its bytes are drawn instead."""
    lane = d.lane_of[proc.pid]
    if proc.pid in d.task_lanes:
        _lane_lines(d, proc, lane, [], proc.marks)
        return
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
    _lane_lines(d, proc, lane, sorted(prints + by_lane.pop(lane, [])),
                proc.marks)
    for other, said in by_lane.items():
        _lane_lines(d, proc, other, said, [])


def _lane_lines(d, proc, lane, prints, marks):
    """The lines printed on one lane, and the marks."""
    lines = sorted([(line, False) for line in prints]
                   + [(line, True) for line in marks],
                   key=lambda pair: pair[0].ts)
    # Lines printed together (within BURST_PX) as one text, if that fits
    bursts = []
    for line, mark in lines:
        x = d.pic.scale.px(d.ms(line.ts))
        if bursts and not mark and not bursts[-1][1] \
                and x - bursts[-1][2] <= BURST_PX:
            bursts[-1][0].append(line)
            bursts[-1][2] = x
        else:
            bursts.append([[line], mark, x])
    # A lane that printed more than BUSY_PRINTS lines shows those that
    # fit, and says how many it left out, instead of a footnote each.
    busy = len(prints) > BUSY_PRINTS
    placed, shown = [], 0   # labels on the picture; the prints in them
    for burst, mark, _ in bursts:
        for line in burst:
            d.pic.add("marks" if mark else "prints",
                      d.ms(line.ts), lane)
        while burst:    # the most lines that fit as one text, in turn
            for n in range(len(burst), 1, -1):
                together = d.pic.text(
                    lane, d.ms(burst[0].ts),
                    BURST_JOIN.join(line.text for line in burst[:n]),
                    TEXT_ROWS, "text", optional=True)
                if together:
                    break
            else:
                n, together = 1, d.pic.text(
                    lane, d.ms(burst[0].ts), burst[0].text,
                    TEXT_ROWS, "mark" if mark else "text", italic=mark,
                    optional=busy and not mark)
            placed.append(together)
            shown += n if together and not mark else 0
            burst = burst[n:]
    if busy and shown < len(prints):
        d.pic.notes.append(
            f"{proc.label}: {len(prints) - shown} of its {len(prints)} "
            f"printed lines left out for room (the lesson's output has "
            f"them all).")
    d.pic.top_down([label for label in placed if label])


def own_words(proc, text):
    """A line proc printed, without its name if it starts with it:
    "worker-1: run task 3" on worker-1's lane reads "run task 3"."""
    return text.removeprefix(f"{proc.name}: ")
