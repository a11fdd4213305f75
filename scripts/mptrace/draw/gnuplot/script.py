"""The Picture as a gnuplot script: data blocks, settings, texts, legend,
footnotes, then the plot, once for PNG and once for SVG.  The script is
kept beside the pictures (timeline.gp): edit it and run gnuplot there."""

import math

from ...words import duration
from ..boxes import mark_boxes, text_box
from ..lanes import lane_label
from ..layout import clip
from ..scale import tick_format, tick_step
from ..style import (ABOVE_PX, BELOW_PX, COLOURS, DASHES, FONT,
                     FOOTNOTE_PX, LEGEND, LEGEND_COLOURS, LEGEND_GAP_PX,
                     LEGEND_POINTS, LEGEND_ROW_PX, LEGEND_SAMPLE_PX, PAD_PX,
                     MONO_FONT, PX_PER_PT, ROW_DY, TEXT_PT, TICK_PT,
                     TITLE_PT, TOP_PX,
                     VIOLATION_DASHES, WIDTH, text_px)
from .plots import BARS, POLYGONS, VECTORS, plots, quote


class Script:
    """Writes the gnuplot script for a Picture."""

    def __init__(self, pic, title, lanes, discarded, source):
        self.pic, self.title, self.lanes = pic, title, lanes
        self.geo = pic.geo
        self.discarded, self.source = discarded, source
        self.boxes = []      # every text's box, as written (boxes.Box)
        self.cut = []        # texts shortened to fit, as they were
        # room above the first lane for the highest row of text it uses
        self.above_px = max([ABOVE_PX] + [11 - ROW_DY[label.row]
                                          for label in pic.labels
                                          if label.lane == 0
                                          and label.row in ROW_DY])
        self.plot_px = (len(lanes) - 1) * self.geo.lane_px + self.above_px \
            + BELOW_PX
        self.note_columns = 2 if len(pic.footnotes) > 12 else 1
        self.notes = self.footnote_lines()
        self.wide = [(None, self.clip(note, self.note_room(1)), "faint")
                     for note in pic.notes]   # a line each, full width
        self.legend_rows = self.legend_layout()
        note_rows = len(self.wide) + -(-len(self.notes) // self.note_columns)
        self.legend_extra_px = LEGEND_ROW_PX * (len(self.legend_rows) - 1)
        self.height = (TOP_PX + self.plot_px + 64 + self.legend_extra_px
                       + FOOTNOTE_PX * note_rows + 8)
        self.out = []

    def footnote_lines(self):
        """[(number or None, text, colour)] under the legend."""
        notes = []
        if self.discarded:
            notes.append((None, f"LTTng lost {self.discarded} events: this "
                                f"picture may miss some.", "signal"))
        for n, text in enumerate(self.pic.footnotes, 1):
            notes.append((n, self.clip(text,
                                       self.note_room(self.note_columns)),
                          "text"))
        if self.pic.unlisted:
            notes.append((None, f"... and {self.pic.unlisted} more texts: "
                                f"see events.tsv", "faint"))
        return notes

    def clip(self, text, room, pt=TEXT_PT):
        """text shortened to room pixels (layout.clip), and remembered
        (self.cut) if it had to be."""
        short = clip(text, room, pt)
        if short != text:
            self.cut.append(text)
        return short

    def box(self, kind, text, x, y_px, align, pt=TEXT_PT, **more):
        """Remember where a text goes: x, y_px pixels from the top left."""
        self.boxes.append(text_box(kind, text, x, y_px, align, pt, **more))

    def y_px(self, lane_y):
        """Pixels from the picture's top of a plot y (lane numbers)."""
        return TOP_PX + self.above_px + lane_y * self.geo.lane_px

    def layout_boxes(self):
        """Every box: the texts written (render() first), the arrow heads
        and the point marks."""
        return self.boxes + mark_boxes(
            self.pic, lambda ms, y: (self.pic.scale.px(ms), self.y_px(y)))

    def note_room(self, columns):
        """Pixels for a footnote's text in one of so many columns."""
        return (WIDTH - 20 - self.pic.scale.left) / columns - 28 - 16

    def screen_y(self, px_from_top):
        return f"{1 - px_from_top / self.height:.5f}"

    def line(self, text=""):
        self.out.append(text)

    def render(self):
        self.header()
        self.data_blocks()
        self.settings()
        self.texts()
        self.legend()
        self.footnotes()
        self.plot()
        return "\n".join(self.out) + "\n"

    def header(self):
        self.line(f"# timeline.gp - drawn by scripts/timeline from "
                  f"{self.source}")
        self.line("# Redraw timeline.png and timeline.svg: "
                  "gnuplot timeline.gp")
        self.line("# x: ms since the lesson started; y: lane 0 (top), 1, ...")
        self.line()

    def data_blocks(self):
        for name, rows in self.pic.data.items():
            columns = "from_ms to_ms lane" if name in BARS else \
                "x_ms lane dx_ms dlane" if name in VECTORS else \
                "x_ms lane (one polygon per blank-line-separated block)" \
                if name in POLYGONS else "x_ms lane"
            if columns == "x_ms lane":
                rows = self.one_per_pixel(rows)
            self.line(f"${name} << EOD")
            self.line(f"# {columns}")
            for row in rows:
                self.line(" ".join(f"{v:.6f}" if isinstance(v, float)
                                   else str(v) for v in row).rstrip())
            self.line("EOD")
        self.line()

    def one_per_pixel(self, rows):
        """Points (x_ms, lane) less those on a pixel already drawn: a
        lane's 100,000 marks are a few hundred points in the SVG."""
        px, seen, kept = self.pic.scale.px, set(), []
        for row in rows:
            if len(row) == 2:
                spot = (round(px(row[0])), row[1])
                if spot in seen:
                    continue
                seen.add(spot)
            kept.append(row)
        return kept

    def settings(self):
        scale = self.pic.scale
        n = len(self.lanes)
        step = tick_step(scale.hi - scale.lo - (
            scale.cut.end - scale.cut.start if scale.cut else 0))
        for name, colour in COLOURS.items():
            self.line(f'c_{name} = "{colour}"')
        self.line(f"lane_px = {self.geo.lane_px}   "
                  "# pixels from one lane to the next")
        self.line()
        self.line("set encoding utf8")
        self.line(f'set term pngcairo size {WIDTH},{self.height} '
                  f'font "{FONT},{TICK_PT}" noenhanced background rgb "white"')
        self.line('set output "timeline.png"')
        self.line(f"set lmargin at screen {scale.left / WIDTH:.5f}")
        self.line(f"set rmargin at screen {scale.right / WIDTH:.5f}")
        self.line(f"set tmargin at screen {self.screen_y(TOP_PX)}")
        self.line(f"set bmargin at screen "
                  f"{self.screen_y(TOP_PX + self.plot_px)}")
        self.line(f"set xrange [{scale.lo:.6f}:{scale.hi:.6f}]")
        lane_px = self.geo.lane_px
        self.line(f"set yrange [{n - 1 + BELOW_PX / lane_px:.4f}:"
                  f"{-self.above_px / lane_px:.4f}]   # lane 0 at the top")
        self.line('set border 3 lc rgb "#444444"')
        if scale.cut:
            self.cut_ticks(step)
        else:
            self.line(f"set xtics {step:g} out nomirror "
                      f'format "{tick_format(step)}"')
            first = math.ceil(scale.lo / step - 1e-9)
            for i in range(first, int(math.floor(scale.hi / step + 1e-9)) + 1):
                self.tick_box(tick_format(step) % (i * step),
                              scale.px(i * step))
        ytics = ", ".join(f"{quote(lane_label(p))} {i}"
                          for i, p in enumerate(self.lanes))
        for i, p in enumerate(self.lanes):
            self.box("lane", lane_label(p), scale.left - 9, self.y_px(i),
                     "right", TICK_PT)
        self.line(f"set ytics ({ytics}) scale 0 nomirror")
        self.line('set grid xtics back lt 1 lw 1 lc rgb "#ececec"')
        self.line("# texts beside markers hide the lines they cross")
        self.line('set style textbox opaque fc rgb "white" noborder '
                  'margins 1,0')
        self.line("unset key")

    def cut_ticks(self, step):
        """Ticks at round real ms on both sides of the shortened stretch,
        none on it; the stretch a pale band, its real length under the axis
        between two slashes."""
        scale, cut = self.pic.scale, self.pic.scale.cut
        clear = 44                  # pixels between two ticks' centres
        length = duration(cut.real_to - cut.real_from)
        ticks = []
        for lo, hi in ((scale.lo, cut.start), (cut.end, scale.hi)):
            real_lo, real_hi = cut.real(lo), cut.real(hi)
            real = math.ceil(real_lo / step) * step
            while real <= real_hi:
                ticks.append(real)
                real += step
            if lo == cut.end:       # say where time picks up again
                ticks.append(real_lo)
        placed, fmt = [], tick_format(step)
        for real in sorted(ticks):
            x = scale.px(cut.shown(real))
            if abs(x - scale.px((cut.start + cut.end) / 2)) \
                    < text_px(length, TEXT_PT) / 2 + clear / 2 \
                    or any(abs(x - other) < clear for other, _ in placed):
                continue
            placed.append((x, real))
        ticks = ", ".join(f'"{fmt % real}" {cut.shown(real):.6f}'
                          for _, real in placed)
        for x, real in placed:
            self.tick_box(fmt % real, x)
        self.line(f"set xtics ({ticks}) out nomirror")
        middle = (cut.start + cut.end) / 2
        self.line("# the shortened stretch: a pale band, its real length")
        self.line(f"set object rect from {cut.start:.6f}, graph 0 to "
                  f'{cut.end:.6f}, graph 1 fc rgb "#f1f2f5" fs solid 1.0 '
                  "noborder behind")
        self.line(f"set label {quote(length)} at {middle:.6f}, graph 0 "
                  f'offset 0, -1.1 center font "{FONT}:Italic,{TEXT_PT}" '
                  "tc rgb c_faint")
        self.box("tick", length, scale.px(middle),
                 TOP_PX + self.plot_px + 1.1 * TICK_PT * PX_PER_PT, "center")
        # the axis broken: two slashes on it
        self.line(f"set object rect center {middle:.6f}, graph 0 size "
                  f'{self.pic.scale.ms(8):.6f}, graph 0.02 fc rgb "white" '
                  "fs solid 1.0 noborder front")
        for dx in (-3, 3):
            x = middle + self.pic.scale.ms(dx)
            self.line(f"set arrow from {x - self.pic.scale.ms(2):.6f}, "
                      f"graph -0.012 to {x + self.pic.scale.ms(2):.6f}, "
                      f'graph 0.012 nohead lw 1 lc rgb "#444444" front')

    def tick_box(self, text, x):
        """A tick's number under the axis at x pixels."""
        self.box("tick", text, x, TOP_PX + self.plot_px + 14, "center",
                 TICK_PT)

    def texts(self):
        """The title, the time note, and the labels beside markers."""
        self.line()
        # The title centred over the plot, or, if that would reach the
        # time note at the right, centred in the room left of it.
        note = "time: ms since the lesson started"
        left, right = self.pic.scale.left, self.pic.scale.right
        room = right - left - 2 * text_px(note, TEXT_PT) - 40
        middle = (left + right) / 2 / WIDTH
        if text_px(self.title, TITLE_PT) > room:
            room = right - left - text_px(note, TEXT_PT) - 30
            middle = (left + room / 2) / WIDTH
        title = self.clip(self.title, room, TITLE_PT)
        self.line(f"set label {quote(title)} "
                  f"at screen {middle:.5f}, screen {self.screen_y(20)} "
                  f'center font ",{TITLE_PT}"')
        self.box("title", title, middle * WIDTH, 20, "center", TITLE_PT)
        self.box("title", note, self.pic.scale.right, 20, "right")
        self.line(f"set label {quote(note)} at screen "
                  f"{self.pic.scale.right / WIDTH:.5f}, screen "
                  f"{self.screen_y(20)} right font \",{TEXT_PT}\" "
                  f"tc rgb c_faint")
        self.line("# texts beside markers: above a lane (printed lines) or "
                  "below it")
        shift = self.pic.scale.ms(PAD_PX)
        for label in self.pic.labels:
            x = label.ms + {"left": shift, "right": -shift}.get(label.align, 0)
            align = label.align
            if label.mono and align == "right":   # its spaces kept: from
                x -= self.pic.scale.ms(            # its left end (quote())
                    text_px(label.text, TEXT_PT, True))
                align = "left"
            y = label.lane + ROW_DY.get(label.row, 0) / self.geo.lane_px
            font = f"{FONT}:Italic,{TEXT_PT}" if label.italic \
                else f"{MONO_FONT},{TEXT_PT}" if label.mono else f",{TEXT_PT}"
            # On a task's coloured bar, white text with no white box.
            boxed = "" if label.colour == "on_task" else " boxed"
            self.box("label", label.text, self.pic.scale.px(x), self.y_px(y),
                     align, mono=label.mono, lane=label.lane,
                     row=label.row, at=label.at, printed=label.printed)
            self.line(f"set label {quote(label.text, label.mono)} "
                      f"at {x:.6f}, {y:.4f} "
                      f'{align} font "{font}" tc rgb c_{label.colour} '
                      f"front{boxed}")

    def legend_layout(self):
        """The legend's entries as rows of [(key, width)]: one row if it
        fits the picture, else as few rows as needed, of even widths."""
        entries = [(key, text_px(LEGEND[key][0], TEXT_PT) + 8
                    + LEGEND_SAMPLE_PX)
                   for key in LEGEND if key in self.pic.legend]

        def rows_within(room):
            rows = [[]]
            for key, width in entries:
                used = sum(w + LEGEND_GAP_PX for _, w in rows[-1])
                if rows[-1] and used + width > room:
                    rows.append([])
                rows[-1].append((key, width))
            return rows

        most = WIDTH - 120
        needed = len(rows_within(most))
        total = sum(w + LEGEND_GAP_PX for _, w in entries)
        room = min(most, total / needed)
        while len(rows_within(room)) > needed:
            room += 10
        return rows_within(room)

    def legend(self):
        """Rows under the x axis: text, then a sample, per entry."""
        self.line("# legend")
        for i, row in enumerate(self.legend_rows):
            total = sum(w for _, w in row) + LEGEND_GAP_PX * (len(row) - 1)
            x = min((self.pic.scale.left + self.pic.scale.right) / 2,
                    WIDTH - 20 - total / 2) - total / 2
            x = max(x, 20)
            y_px = TOP_PX + self.plot_px + 44 + i * LEGEND_ROW_PX
            for key, width in row:
                text, sample = LEGEND[key]
                self.line(f"set label {quote(text)} at screen "
                          f"{x / WIDTH:.5f}, screen {self.screen_y(y_px)} "
                          f"left font \",{TEXT_PT}\"")
                self.box("legend", text, x, y_px, "left")
                self.legend_sample(key, sample,
                                   (x + width - LEGEND_SAMPLE_PX) / WIDTH,
                                   (x + width) / WIDTH, y_px)
                x += width + LEGEND_GAP_PX

    def legend_sample(self, key, sample, s0, s1, y_px):
        colour = "c_" + LEGEND_COLOURS.get(key, key)
        if sample.endswith("arrow"):
            y = self.screen_y(y_px)
            dashes = f" dt {DASHES[key]}" if key in DASHES else ""
            width = 0.7 if sample == "thin arrow" else 1.2
            self.line(f"set arrow from screen {s0:.5f}, screen {y} to "
                      f"screen {s1:.5f}, screen {y} head filled size screen "
                      f"0.006,25{dashes} lw {width} lc rgb {colour}")
            return
        if sample == "point":
            self.line(f'set label "" at screen {(s0 + s1) / 2:.5f}, screen '
                      f"{self.screen_y(y_px)} point pt {LEGEND_POINTS[key]} "
                      f"ps 0.8 lc rgb {colour}")
            return
        if sample == "box":
            self.line(f"set object rect from screen {s0:.5f}, screen "
                      f"{self.screen_y(y_px - 6)} to screen {s1:.5f}, "
                      f"screen {self.screen_y(y_px + 6)} fs empty border "
                      f"lc rgb {colour} lw 2.5 dt {VIOLATION_DASHES}")
            return
        half = {"bar": 4, "hatch": 6, "hollow bar": 3}.get(sample, 2)
        fill = f"fs pattern 4 border lc rgb {colour}" if sample == "hatch" \
            else f"fs empty border lc rgb {colour} lw 1.2" \
            if sample == "hollow bar" else "fs solid 1.0 noborder"
        self.line(f"set object rect from screen {s0:.5f}, screen "
                  f"{self.screen_y(y_px - half)} to screen {s1:.5f}, screen "
                  f"{self.screen_y(y_px + half)} fc rgb {colour} {fill}")

    def footnotes(self):
        """Numbered texts, column by column: the number right-aligned,
        then the text."""
        if self.notes or self.wide:
            self.line("# notes, then footnotes: the texts that did not fit")
        rows = -(-len(self.notes) // self.note_columns)
        column_px = self.note_room(self.note_columns) + 28 + 16
        top = TOP_PX + self.plot_px + 70 + self.legend_extra_px
        placed = [(0, i, note) for i, note in enumerate(self.wide)] \
            + [(i // rows, len(self.wide) + i % rows, note)
               for i, note in enumerate(self.notes)]
        for column, row, (n, text, colour) in placed:
            x = self.pic.scale.left + column * column_px
            y = self.screen_y(top + row * FOOTNOTE_PX)
            y_px = top + row * FOOTNOTE_PX
            self.box("footnote", text, x + 28, y_px, "left")
            if n is not None:
                self.box("footnote", str(n), x + 18, y_px, "right")
                self.line(f"set label {quote(n)} at screen "
                          f"{(x + 18) / WIDTH:.5f}, screen {y} right "
                          f'font ",{TEXT_PT}" tc rgb c_faint')
            self.line(f"set label {quote(text)} at screen "
                      f"{(x + 28) / WIDTH:.5f}, screen {y} "
                      f'left font ",{TEXT_PT}" tc rgb c_{colour}')

    def plot(self):
        how = plots(self.geo)
        clauses = [f"${name} {how[name]}" for name in how
                   if name in self.pic.data]
        self.line()
        self.line("plot " + ", \\\n     ".join(clauses))
        self.line()
        self.line("# svg counts a point as a pixel: scale its text like png's")
        self.line(f'set term svg size {WIDTH},{self.height} '
                  f'font "{FONT},{TICK_PT}" fontscale {PX_PER_PT:.4f} '
                  f'noenhanced background rgb "white"')
        self.line('set output "timeline.svg"')
        self.line("replot")
