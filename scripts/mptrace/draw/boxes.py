"""Where everything a timeline draws lands, in pixels: the box of every
text (estimated from the font and size it is drawn in: the PNG and the SVG
use the same font), of every arrow head and of every point mark.  The
Script records the texts as it writes them (Script.boxes); mark_boxes()
adds the marks from the Picture's data.  check_layout reads them."""

import math
from typing import NamedTuple, Optional

from .style import PX_PER_PT, text_px

# How gnuplot draws the data blocks that leave a mark a text must not
# hide: vectors with a head (its length in pixels), and points (their
# half size in pixels: gnuplot's pngcairo draws "ps 1" about 8 px wide).
HEAD_PX = {"forks": 7.7, "adopts": 7.7, "signals": 7.7, "msg": 6.4,
           "msg_main": 6.4, "pill": 6.4,
           "msg_many": 5.1, "pipe_io": 6.4, "bytes": 6.4,
           "bytes_many": 5.1, "thread_starts": 5.1, "event_sets": 7.7,
           "handoffs": 7.7}
POINT_HALF_PX = {"prints": 1.6, "marks": 2.2, "exits": 3.2, "bad_ends": 3.2,
                 "reaps": 2.0, "eofs": 3.2, "event_ops": 2.4,
                 "failed_sends": 3.2, "mgr_ops": 2.0, "execs": 3.6,
                 "exec_fails": 3.6, "handled": 3.2, "thread_marks": 2.4,
                 "violation_rings": 10.4}
HEAD_HALF_PX = 3.5         # an arrow head's half width (25 degrees)
LINE_PX_PER_PT = 1.0       # a text's height: its size in pixels
                           # (TEXT_PT 9 is 12 px at 96 dpi)


class Box(NamedTuple):
    """One thing drawn, as a rectangle of the picture (pixels, y down)."""
    kind: str
    """"label" (beside a marker), "title", "note" (under the legend),
    "legend", "footnote", "tick", "lane" (a lane's name), "head" (an
    arrow head), "mark" (a point)."""
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""
    lane: Optional[int] = None
    at: Optional[float] = None
    """For a printed line: when it was printed (ms as drawn)."""
    row: Optional[int] = None
    """For a label: its text row (style.ROW_DY's key)."""
    printed: bool = False
    """A line the lesson printed (the print order is checked)."""

    def overlaps(self, other, grace=0.5):
        return self.x0 + grace < other.x1 and other.x0 + grace < self.x1 \
            and self.y0 + grace < other.y1 and other.y0 + grace < self.y1


def text_box(kind, text, x, y, align, pt, mono=False, **more):
    """The Box of text drawn at (x, y) pixels, aligned so ("left": it
    starts at x; "right": it ends there; "center"), vertically centred on
    y as gnuplot draws a label."""
    width = text_px(text, pt, mono)
    x0 = {"left": x, "right": x - width}.get(align, x - width / 2)
    half = pt * PX_PER_PT * LINE_PX_PER_PT / 2
    return Box(kind, x0, y - half, x0 + width, y + half, text, **more)


def mark_boxes(pic, to_px):
    """The arrow heads and point marks of a Picture; to_px(ms, lane) is
    where a point of the plot lands, in pixels."""
    out = []
    for block, rows in pic.data.items():
        if block in HEAD_PX:
            for x, y, dx, dy in (r for r in rows if len(r) == 4):
                out.append(head_box(to_px(x, y), to_px(x + dx, y + dy),
                                 HEAD_PX[block], block))
        elif block in POINT_HALF_PX:
            half = POINT_HALF_PX[block]
            for x, y, *_ in (r for r in rows if len(r) >= 2):
                px, py = to_px(x, y)
                out.append(Box("mark", px - half, py - half, px + half,
                               py + half, block))
    return out


def head_box(tail, tip, length, block):
    """The box around an arrow head at tip, pointing away from tail."""
    (x0, y0), (x1, y1) = tail, tip
    size = math.hypot(x1 - x0, y1 - y0) or 1.0
    length = min(length, size)
    ux, uy = (x1 - x0) / size, (y1 - y0) / size
    bx, by = x1 - ux * length, y1 - uy * length     # the head's base
    wx, wy = -uy * HEAD_HALF_PX, ux * HEAD_HALF_PX  # across it
    xs = (x1, bx + wx, bx - wx)
    ys = (y1, by + wy, by - wy)
    return Box("head", min(xs), min(ys), max(xs), max(ys), block)
