"""What a reader of a timeline would trip on, found from where everything
lands (boxes.Box): a text over another text, over an arrow head or a
mark; a text leaving the picture; a title, note or footnote cut short;
more than MOST_FOOTNOTES footnotes; a lane's printed lines not in the
order they were printed (stacked: the earlier above; side by side: the
earlier on the left).

    made = draw.layout(trace, title, source)
    for problem in check_layout.problems(made): print(problem)
"""

from collections import defaultdict
from typing import NamedTuple

from .style import WIDTH

MOST_FOOTNOTES = 2       # a picture with more is not read at a glance
OVERLAPS = ("text over text", "text over a mark")


class Problem(NamedTuple):
    kind: str
    """One of OVERLAPS, "outside", "cut", "footnotes", "order"."""
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
    return out


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
    """How bad: the problems and the footnotes, counted together (0: the
    picture reads at a glance)."""
    return len(found) + len(made.pic.footnotes) + made.pic.unlisted


def count(found, kinds=OVERLAPS):
    """How many of the problems are of these kinds."""
    return sum(p.kind in kinds for p in found)


def _name(box):
    text = box.text if len(box.text) <= 40 else box.text[:37] + "..."
    where = f" (lane {box.lane})" if box.lane is not None else \
        f" ({box.kind})"
    return repr(text) + where
