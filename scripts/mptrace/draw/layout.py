"""Where texts go: the rows of text around each lane, who holds which
pixels of them, and the Picture (everything to draw, in ms and lane
numbers) that places each text beside its marker or makes it a footnote."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Optional

from .style import (GAP_PX, LEGEND_MIN_PX, LINE_CLEAR_PX, MAX_FOOTNOTES,
                    MIN_BAR_PX, ON_BAR, ON_BAR_PAD_PX, PAD_PX, PX_PER_PT,
                    ROW_DY, STEEP_SPAN_PX, TEXT_PT, TOP_ONLY_ROWS, WIDTH,
                    NEAR_END_PX,
                    text_px)


@dataclass
class Label:
    ms: float
    lane: int
    row: int          # a key of ROW_DY, or ON_BAR
    align: str        # "left": starts after the marker; "right": ends
                      # before; "center": centred on ms
    text: str
    colour: str       # a key of COLOURS
    italic: bool = False
    span: Optional[tuple] = None  # its pixels on its row, (x0, x1)
    at: Optional[float] = None    # its marker's ms
    printed: bool = False         # a line the lesson printed
    mono: bool = False            # in MONO_FONT, its spaces kept


class Rows:
    """Who holds which pixels of each text row of each lane."""

    def __init__(self, left, right, geo):
        self.left, self.right, self.geo = left, right, geo
        self.taken = defaultdict(list)
        self.spans = defaultdict(list)   # (x0, x1) of lines no text may
                                         # cover: where one crosses the row

    def fit(self, lane, rows, x, width, either_side=False, ok=None):
        """(row, align, dx) for a text of this width beside the marker at
        x, on the first of these rows where it is free; None if none is.
        The text starts after the marker, or ends before it if it would
        pass the right edge (or, either_side, if that place is taken;
        either_side "before": ending before it first).
        A line no text may cover (an adoption or message arrow) just beside
        the marker moves the text dx pixels away, to its other side.
        ok(row, x0, x1), if given, must also accept the place."""
        for row in rows:
            sides = []
            x0 = x + PAD_PX + self.nudge(lane, row, x, 1)
            if x0 + width <= self.right:
                sides.append(("left", x0))
            x1 = x - PAD_PX - self.nudge(lane, row, x, -1)
            if x1 - width >= self.left and x1 <= self.right \
                    and (either_side or not sides):
                sides.append(("right", x1 - width))
            if either_side == "before":
                sides.reverse()
            for align, x0 in sides:
                if self.free(lane, row, x0, x0 + width) and \
                        (ok is None or ok(row, x0, x0 + width)):
                    self.taken[lane, row].append((x0, x0 + width))
                    dx = x0 - x - PAD_PX if align == "left" \
                        else x0 + width - x + PAD_PX
                    return row, align, dx
        return None

    def nudge(self, lane, row, x, side):
        """How far (pixels) a text beside the marker at x must move to
        clear a line just beyond the marker on that side (1: right); not
        more than a few pixels, or it would leave its marker."""
        near = []
        for a, b in self.spans[lane, row]:
            near_edge, far_edge = (a, b) if side > 0 else (-b, -a)
            x_side = side * x
            if near_edge - x_side <= PAD_PX + 10 \
                    and far_edge - x_side > PAD_PX - LINE_CLEAR_PX:
                near.append(far_edge - x_side)
        move = max(near) + LINE_CLEAR_PX - PAD_PX if near else 0
        return move if move <= 3 * LINE_CLEAR_PX else 0

    def free(self, lane, row, x0, x1):
        return all(x1 + GAP_PX <= a or b + GAP_PX <= x0
                   for a, b in self.taken[lane, row]) \
            and all(x1 + LINE_CLEAR_PX <= a or b + LINE_CLEAR_PX <= x0
                    for a, b in self.spans[lane, row])

    def block(self, lanes, x0, x1, y0, y1):
        """Reserve pixels x0..x1 on every text row whose text would reach
        between y0 and y1 (lane numbers): an arrow head is there."""
        half = TEXT_PT * PX_PER_PT / 2 / self.geo.lane_px
        for lane in range(lanes):
            for row, dy in list(ROW_DY.items()) + [(ON_BAR, 0)]:
                y = lane + dy / self.geo.lane_px
                if y - half < max(y0, y1) and min(y0, y1) < y + half:
                    self.spans[lane, row].append((x0, x1))

    def cross(self, lanes, scale, x0, y0, x1, y1):
        """Reserve, on every text row of these lanes, the pixels where the
        line from (x0 ms, y0 lane) to (x1, y1) crosses that row's text,
        where it crosses steeply: a text there would hide all of that
        crossing and cut the line in two, where a flatter line seems to pass
        behind it (texts have an opaque background).  A long straight line
        is the exception away from its ends (an up-and-down one spanning a
        lane or more, any other two lanes or more): the eye carries it on
        behind a text there, so only the rows next to its two ends are kept
        clear (lesson 17's result arrows rise from each worker's lane past
        the other's, and its task arrows fan out past the intruder's and
        the vandal's lanes, between their printed lines)."""
        lo, hi = min(y0, y1), max(y0, y1)
        lane_px = self.geo.lane_px
        half = TEXT_PT * PX_PER_PT / 2 / lane_px + 1 / lane_px
        upright = abs(scale.px(x1) - scale.px(x0)) <= STEEP_SPAN_PX
        upright = upright and hi - lo >= 0.9 or hi - lo >= 1.9
        for lane in range(lanes):
            for row, dy in list(ROW_DY.items()) + [(ON_BAR, 0)]:
                y = lane + dy / lane_px
                if upright and min(y - lo, hi - y) > NEAR_END_PX / lane_px:
                    continue
                a, b = max(lo, y - half), min(hi, y + half)
                if a > b:
                    continue
                xs = [scale.px(x0 + (x1 - x0) * ((yy - y0) / (y1 - y0)
                                                 if y1 != y0 else 0))
                      for yy in (a, b)]
                if max(xs) - min(xs) <= STEEP_SPAN_PX:
                    self.spans[lane, row].append((min(xs), max(xs)))


class Picture:
    """Everything to draw, in ms and lane numbers."""

    def __init__(self, scale, geo):
        self.scale = scale
        self.geo = geo                    # normal or thin lanes
        self.notes = []                   # said under the legend, first
        self.data = defaultdict(list)     # data block name -> rows
        self.labels = []
        self.footnotes = []               # the first MAX_FOOTNOTES
        self.unlisted = 0                 # texts left out after those
        self.legend = set()
        self.rows = Rows(scale.left, WIDTH - 10, geo)
        self.numbered = {}                # lane -> its last number: (Label,
                                          # row, index in Rows.taken)
        self.printed = defaultdict(list)  # lane -> its printed lines'
                                          # Labels, placed last first

    def add(self, block, *values):
        self.data[block].append(values)

    def bar(self, block, lane, start, end, legend_px=LEGEND_MIN_PX):
        """A bar at least MIN_BAR_PX wide, in the legend once one is at
        least legend_px wide."""
        if self.scale.px(end) - self.scale.px(start) >= legend_px:
            self.legend.add(block)
        end = max(end, start + self.scale.ms(MIN_BAR_PX))
        self.add(block, start, end, lane)

    def on_bar(self, lane, start, end, text, colour, slide=False):
        """text centred on the bar from start to end, if the bar is wide
        enough to show on both sides of it; False if it is not.  With
        slide, where the middle is taken, the nearest free place on the
        bar will do."""
        width = text_px(text, TEXT_PT)
        x0, x1 = self.scale.px(start), self.scale.px(end)
        if x1 - x0 < width + 2 * ON_BAR_PAD_PX:
            return False
        middle = (x0 + x1) / 2
        room = (x1 - x0 - width) / 2 - ON_BAR_PAD_PX
        steps = int(room // GAP_PX) if slide else 0
        for shift in sorted(range(-steps, steps + 1), key=abs):
            m = middle + shift * GAP_PX
            if self.rows.free(lane, ON_BAR, m - width / 2, m + width / 2):
                break
        else:
            return False
        self.rows.taken[lane, ON_BAR].append((m - width / 2, m + width / 2))
        self.labels.append(Label((start + end) / 2
                                 + self.scale.ms(m - middle), lane, ON_BAR,
                                 "center", text, colour))
        return True

    def text(self, lane, ms, text, rows, colour, italic=False,
             optional=False, either_side=False, printed=False,
             mono=False):
        """Text beside a marker (see Rows.fit); when it cannot fit, a
        numbered footnote, or nothing at all if optional.  Its Label if
        the text itself is on the picture, else False.  printed: a line
        the lesson printed, placed after those printed later (lines.py),
        so that it goes above each of them it would stand over: a lane's
        lines read from the top down.  mono: in a fixed-width font, its
        spaces kept (a line in columns)."""
        x = self.scale.px(ms)
        ok = None
        if printed:
            def ok(row, x0, x1):
                return all(ROW_DY[row] < ROW_DY[later.row]
                           for later in self.printed[lane]
                           if x0 < later.span[1] and later.span[0] < x1)
        spot = self.rows.fit(lane, self.rows_of(lane, rows), x,
                             text_px(text, TEXT_PT, mono), either_side, ok)
        if spot:
            row, align, dx = spot
            label = Label(ms + self.scale.ms(dx), lane, row, align, text,
                          colour, italic, self.rows.taken[lane, row][-1],
                          ms, printed, mono)
            self.labels.append(label)
            if printed:
                self.printed[lane].append(label)
            return label
        if optional:
            return False
        if len(self.footnotes) < MAX_FOOTNOTES:
            self.footnotes.append(text)
            self.number(lane, ms, rows, colour)
        else:
            self.unlisted += 1
        return False

    def number(self, lane, ms, rows, colour):
        """Footnote number at the marker, on any free row; when even that
        does not fit, the lane's previous number becomes a range ("3-5")
        if the longer text still fits there; else the footnote says when
        instead ("at 61.0 ms: ...")."""
        n = str(len(self.footnotes))
        x = self.scale.px(ms)
        rows = self.rows_of(lane, rows + tuple(row for row in ROW_DY
                                               if row not in rows))
        spot = self.rows.fit(lane, rows, x, text_px(n, TEXT_PT), True)
        if spot is None:
            if not self.widen(lane, n):
                real = self.scale.cut.real(ms) if self.scale.cut else ms
                self.footnotes[-1] = f"at {real:.1f} ms: {self.footnotes[-1]}"
            return
        row, align, dx = spot
        label = Label(ms + self.scale.ms(dx), lane, row, align, n, colour)
        self.numbered[lane] = (label, row, len(self.rows.taken[lane, row]) - 1)
        self.labels.append(label)

    def rows_of(self, lane, rows):
        """The text rows a text asks for, as it may have them.  The first
        lane has two more rows above it, for texts that ask for a row
        above.  Thin lanes have one row, above the bar (three above the
        first lane), which stands for every other row."""
        if self.geo.thin:
            allowed = (1, 2) + TOP_ONLY_ROWS if lane == 0 else (1,)
            return tuple(r for r in rows if r in allowed or r == ON_BAR) \
                + tuple(r for r in allowed if r not in rows)
        if lane != 0:
            rows = tuple(r for r in rows if r not in TOP_ONLY_ROWS)
            if 2 in rows:                   # the Geometry's rows above
                more = tuple(range(3, self.geo.above + 1))
                rows = rows[:rows.index(2) + 1] + more \
                    + rows[rows.index(2) + 1:]
            return rows
        if any(ROW_DY.get(r, 0) < 0 for r in rows):   # above: room to spare
            return rows + tuple(r for r in TOP_ONLY_ROWS if r not in rows)
        return rows

    def widen(self, lane, n):
        """Make the lane's last number a range ending with n, if the longer
        text fits where it is; False if it does not."""
        if lane not in self.numbered:
            return False
        label, row, i = self.numbered[lane]
        text = label.text.split("-")[0] + "-" + n
        taken = self.rows.taken[lane, row]
        a, b = taken.pop(i)
        grow = text_px(text, TEXT_PT) - (b - a)
        a2, b2 = (a, b + grow) if label.align == "left" else (a - grow, b)
        fits = self.rows.left <= a2 and b2 <= self.rows.right \
            and self.rows.free(lane, row, a2, b2)
        if fits:
            a, b = a2, b2
            label.text = text
        taken.insert(i, (a, b))
        return fits


def clip(text, room_px, pt=TEXT_PT):
    """text, shortened with "..." to fit room_px."""
    if text_px(text, pt) <= room_px:
        return text
    while text and text_px(text + "...", pt) > room_px:
        text = text[:-1]
    return text + "..."
