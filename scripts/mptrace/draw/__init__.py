"""The timeline: a trace's lesson drawn with gnuplot.

    text, hover = draw.drawn(trace, "lesson 2", "build/lessons/2/trace")
    draw.write(out_dir, text, trace, hover)  # timeline.gp, .png, .svg,
                                             # .html, events.tsv

    frame = draw.shared_frame([c_trace, py_trace])  # two on one time axis
    draw.write_pair(out_dir, [draw.script(t, ..., frame=frame) ...])

By concern: style (sizes, colours, legend, Geometry), scale (time to
pixels, the Cut, ticks), layout (text rows, fitting, the Picture), lanes
(their order, queue and pool lanes), drawing (the Drawing: lives, time
range, the order of the marks), marks/ (one module per kind of mark),
gnuplot/ (the script), hover (what the page shows on hover), page/
(timeline.html), svgfonts (the SVG's fonts as a browser names them),
output (the files).
"""

from .drawing import Drawing, Frame
from .gnuplot.script import Script
from .hover import Points
from .output import DrawError, write, write_pair
from .style import TOP_PX

__all__ = ["DrawError", "Drawing", "Frame", "drawn", "script",
           "shared_frame", "write", "write_pair"]


def drawn(trace, title, source, frame=None, violations=()):
    """(the gnuplot script that draws the trace's lesson, its Hover) (the
    trace must have at least one lane): title above it, source named in
    its header; on the Frame given, else on its own; violations (records
    with pid, ts, end_ts, text: a failed check's mptrace.check.Mark)
    marked where they are."""
    drawing = Drawing(trace, frame, violations=violations)
    picture = drawing.draw()
    script = Script(picture, title, drawing.rows, trace.discarded, source)
    text = script.render()
    hover = Points(drawing, trace, title, TOP_PX + script.above_px).hover()
    return text, hover


def script(trace, title, source, frame=None, violations=()):
    """The gnuplot script alone (see drawn)."""
    return drawn(trace, title, source, frame, violations)[0]


def shared_frame(traces):
    """The one Frame on which each of these traces fits: from the earliest
    start to the latest end, room for the widest lane name."""
    frames = [Drawing(trace, cut=False).frame for trace in traces]
    return Frame(min(f.lo for f in frames), max(f.hi for f in frames),
                 max(f.left for f in frames))
