"""What a reader of a timeline would trip on, found from where everything
lands (boxes.Box): a text over another text, over an arrow head or a
mark; a text leaving the picture; a title, note or footnote cut short;
more than MOST_FOOTNOTES footnotes; a lane's printed lines not in the
order they were printed (stacked: the earlier above; side by side: the
earlier on the left); and, from the lanes' lives, two lanes one after the
other squeezed into a few pixels (their order cannot be seen).

    made = draw.layout(trace, title, source)
    for problem in check_layout.problems(made): print(problem)
"""

from collections import defaultdict
from typing import NamedTuple

from .style import WIDTH

MOST_FOOTNOTES = 2       # a picture with more is not read at a glance
SQUEEZED_PX = 4          # two lanes one after the other, both narrower
                         # than this and together within twice this:
                         # when each ran cannot be seen
OVERLAPS = ("text over text", "text over a mark")


class Problem(NamedTuple):
    kind: str
    """One of OVERLAPS, "outside", "cut", "footnotes", "order",
    "squeezed"."""
    what: str

    def __str__(self):
        return f"{self.kind}: {self.what}"


def problems(made):
    """Every Problem of a rendered Script (draw.layout's)."""
    boxes = made.layout_boxes()
    texts = [b for b in boxes if b.kind not in ("head", "mark")]
    marks = [b for b in boxes if b.kind in ("head", "mark")]
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a.overlaps(b):
                out.append(Problem("text over text",
                                   f"{_name(a)} and {_name(b)}"))
    for a in texts:
        if a.kind != "label":
            continue
        hit = [m for m in marks if a.overlaps(m)]
        if hit:
            out.append(Problem("text over a mark", f"{_name(a)} over "
                               + ", ".join(sorted({m.text for m in hit}))))
    for a in texts:
        if a.x0 < 0 or a.y0 < 0 or a.x1 > WIDTH or a.y1 > made.height:
            out.append(Problem("outside", _name(a)))
    out += [Problem("cut", repr(text)) for text in made.cut]
    notes = len(made.pic.footnotes) + made.pic.unlisted
    if notes > MOST_FOOTNOTES:
        out.append(Problem("footnotes", f"{notes} (at most "
                           f"{MOST_FOOTNOTES})"))
    out += order(texts)
    out += squeezed(made.drawing)
    return out


def squeezed(drawing):
    """Problems with lanes too narrow to read: two lanes whose lives come
    one after the other (the second starts as the first ends or later),
    each drawn narrower than SQUEEZED_PX, both within twice that (lesson
    16's two lookups, 2 ms each at the start of 1.5 s, on one pixel
    column).  Two short lives far apart are two moments, each readable.
    None on a time axis shared with another run (make compare-N): there
    the scale is the comparison, and no layout may change it."""
    if drawing.shared:
        return []
    px = drawing.pic.scale.px
    narrow = sorted((start, end, proc.label)
                    for proc in drawing.lanes
                    for start, end in [drawing.life[proc.pid]]
                    if px(end) - px(start) < SQUEEZED_PX)
    return [Problem("squeezed", f"{a[2]!r} then {b[2]!r}: "
                    f"{px(b[1]) - px(a[0]):.1f} px for both")
            for a, b in zip(narrow, narrow[1:])
            if b[0] >= a[1] and px(b[1]) - px(a[0]) < 2 * SQUEEZED_PX]


def order(texts):
    """Problems with the order of each lane's printed lines: of two that
    are stacked (their columns overlap) the earlier must be the upper; of
    two side by side on one row, the earlier the left one."""
    lanes = defaultdict(list)
    for b in texts:
        if b.kind == "label" and b.printed:
            lanes[b.lane].append(b)
    out = []
    for lane in lanes.values():
        lane.sort(key=lambda b: b.at)
        for i, a in enumerate(lane):
            for b in lane[i + 1:]:
                if b.at == a.at:
                    continue
                stacked = a.x0 < b.x1 and b.x0 < a.x1
                if stacked and a.y0 > b.y0 or \
                        not stacked and a.y0 == b.y0 and a.x0 > b.x0:
                    out.append(Problem("order", f"{_name(a)} printed "
                                       f"before {_name(b)}"))
    return out


def score(found, made):
    """How bad (0: the picture reads at a glance): a problem outweighs
    any footnotes (up to two are allowed; an overlap or a squeezed lane
    is not), then the fewer footnotes the better."""
    return 10 * len(found) + len(made.pic.footnotes) + made.pic.unlisted


def count(found, kinds=OVERLAPS):
    """How many of the problems are of these kinds."""
    return sum(p.kind in kinds for p in found)


def _name(box):
    text = box.text if len(box.text) <= 40 else box.text[:37] + "..."
    where = f" (lane {box.lane})" if box.lane is not None else \
        f" ({box.kind})"
    return repr(text) + where
