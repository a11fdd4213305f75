"""The timeline: a trace's lesson drawn with gnuplot.

    text, hover = draw.drawn(trace, "lesson 2", "build/lessons/2/trace")
    draw.write(out_dir, text, trace, hover)  # timeline.gp, .png, .svg,
                                             # .html, events.tsv

    frame = draw.shared_frame([c_trace, py_trace])  # two on one time axis
    draw.write_pair(out_dir, [draw.script(t, ..., frame=frame) ...])

By concern: style (sizes, colours, legend, Geometry), scale (time to
pixels, the Cuts, ticks), layout (text rows, fitting, the Picture), lanes
(their order, queue and pool lanes), drawing (the Drawing: lives, time
range, the order of the marks), marks/ (one module per kind of mark),
gnuplot/ (the script), output (the files), boxes (where every text, arrow
head and mark lands) and check_layout (what a reader would trip on), hover
(what the page shows on hover), page/ (timeline.html), svgfonts (the SVG's
fonts as a browser names them).
"""

from . import check_layout
from .drawing import Drawing, Frame
from .gnuplot.script import Script
from .hover import Points
from .output import DrawError, write, write_pair
from .style import TOP_PX

__all__ = ["DrawError", "Drawing", "Frame", "drawn", "hover", "layout",
           "script", "shared_frame", "write", "write_pair"]


def drawn(trace, title, source, frame=None, violations=()):
    """(the gnuplot script that draws the trace's lesson, as script()
    has it; its Hover, what timeline.html shows on hover)."""
    made = layout(trace, title, source, frame, violations)
    return made.text, hover(made, trace)


def hover(made, trace):
    """The Hover of a picture layout() made of the trace."""
    return Points(made.drawing, trace, made.title,
                  TOP_PX + made.above_px).hover()


def script(trace, title, source, frame=None, violations=()):
    """The gnuplot script that draws the trace's lesson (it must have at
    least one lane): title above it, source named in its header; on the
    Frame given, else on its own; violations (records with pid, ts,
    end_ts, text: a failed check's mptrace.check.Mark) marked where they
    are."""
    return layout(trace, title, source, frame, violations).text


# What a picture whose texts do not fit (or whose lanes are squeezed)
# tries next, in turn: a wider time window for the busy part (a shorter
# idle stretch cut), then lanes further apart (three text rows above each,
# then four), then both; last, the axis broken at every long idle stretch
# (busy moments between long waits), with lanes as far apart as needed.
TRIES = ({}, {"idle_share": 0.5}, {"above": 3},
         {"idle_share": 0.5, "above": 3},
         {"above": 4}, {"idle_share": 0.5, "above": 4},
         {"breaks": True}, {"breaks": True, "above": 3},
         {"breaks": True, "above": 4})
RETRY_EVENTS = 20000     # a trace with more events is drawn once: the
                         # tries would cost seconds each (dense traffic)


def layout(trace, title, source, frame=None, violations=()):
    """The Script of that picture, rendered: its .text, and where each
    thing lands (.layout_boxes(), which check_layout.problems() reads).
    Where texts do not fit, the first of TRIES that makes them fit, else
    the one with the fewest problems."""
    best = None
    tries = TRIES[:1] if trace.lesson_events_over(RETRY_EVENTS) else TRIES
    for how in tries:
        drawing = Drawing(trace, frame, violations=violations, **how)
        made = Script(drawing.draw(), title, drawing.rows, trace.discarded,
                      source)
        made.text = made.render()
        made.drawing = drawing
        if len(tries) == 1:
            return made
        found = check_layout.score(check_layout.problems(made), made)
        if best is None or found < best[0]:
            best = (found, made)
        if not found:
            break
    return best[1]


def shared_frame(traces):
    """The one Frame on which each of these traces fits: from the earliest
    start to the latest end, room for the widest lane name."""
    frames = [Drawing(trace, cut=False).frame for trace in traces]
    return Frame(min(f.lo for f in frames), max(f.hi for f in frames),
                 max(f.left for f in frames))
