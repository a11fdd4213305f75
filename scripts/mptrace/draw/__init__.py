"""The timeline: a trace's lesson drawn with gnuplot.

    text = draw.script(trace, "lesson 2", "build/lessons/2/trace")
    draw.write(out_dir, text, trace)    # timeline.gp, .png, .svg, events.tsv

By concern: style (sizes, colours, legend, Geometry), scale (time to
pixels, the Cut, ticks), layout (text rows, fitting, the Picture), lanes
(their order, queue and pool lanes), drawing (the Drawing: lives, time
range, the order of the marks), marks/ (one module per kind of mark),
gnuplot/ (the script), output (the files).
"""

from .drawing import Drawing
from .gnuplot.script import Script
from .output import DrawError, write

__all__ = ["DrawError", "Drawing", "script", "write"]


def script(trace, title, source, violations=()):
    """The gnuplot script that draws the trace's lesson (it must have at
    least one lane): title above it, source named in its header;
    violations (records with pid, ts, end_ts, text: a failed check's
    mptrace.check.Mark) marked where they are."""
    drawing = Drawing(trace, violations)
    picture = drawing.draw()
    return Script(picture, title, drawing.rows, trace.discarded,
                  source).render()
