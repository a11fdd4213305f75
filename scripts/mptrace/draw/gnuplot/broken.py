"""A broken time axis drawn: ticks at round real ms between the
shortened stretches (scale.Cuts), and each stretch as a pale band with
its real length under the axis and two slashes on it."""

import math

from ...words import duration
from ..scale import tick_format
from ..style import (FONT, GAP_PX, PX_PER_PT, TEXT_PT, TICK_PT, TOP_PX,
                     text_px)
from .plots import quote


def ticks(script, step):
    """Ticks at round real ms between the shortened stretches, none on
    them, and one where time picks up after each (just clear of the
    stretch's length, written under it); each stretch a band."""
    scale, cuts = script.pic.scale, script.pic.scale.cuts
    clear = 44                  # pixels between two ticks' centres
    fmt = tick_format(step)
    lengths = [(scale.px((c.start + c.end) / 2),
                text_px(duration(c.length), TEXT_PT) / 2) for c in cuts]

    def half(real):
        return text_px(fmt % real, TICK_PT) / 2

    def clears(x, real):
        return all(abs(x - middle) >= room + half(real) + GAP_PX
                   for middle, room in lengths)

    found = []
    edges = [scale.lo] + [x for c in cuts for x in (c.start, c.end)] \
        + [scale.hi]
    for i, (lo, hi) in enumerate(zip(edges[::2], edges[1::2])):
        real_lo, real_hi = cuts.real(lo), cuts.real(hi)
        real = math.ceil(real_lo / step) * step
        while real <= real_hi:
            found.append(real)
            real += step
        if i:                   # say where time picks up again
            middle, room = lengths[i - 1]
            x = middle + room + 2 * half(real_lo) + GAP_PX
            if x <= scale.px(hi):
                found.append(cuts.real(max(lo, lo + scale.ms(
                    x - scale.px(lo)))))
    placed = []
    for real in sorted(found):
        x = scale.px(cuts.shown(real))
        if clears(x, real) and all(abs(x - other) >= clear
                                   for other, _ in placed):
            placed.append((x, real))
    tics = ", ".join(f'"{fmt % real}" {cuts.shown(real):.6f}'
                     for _, real in placed)
    for x, real in placed:
        script.tick_box(fmt % real, x)
    script.line(f"set xtics ({tics}) out nomirror")
    for cut in cuts:
        band(script, cut)


def band(script, cut):
    """A shortened stretch: a pale band, its real length under the
    axis, two slashes on the axis."""
    scale = script.pic.scale
    length = duration(cut.length)
    middle = (cut.start + cut.end) / 2
    script.line("# a shortened stretch: a pale band, its real length")
    script.line(f"set object rect from {cut.start:.6f}, graph 0 to "
                f'{cut.end:.6f}, graph 1 fc rgb "#f1f2f5" fs solid 1.0 '
                "noborder behind")
    script.line(f"set label {quote(length)} at {middle:.6f}, graph 0 "
                f'offset 0, -1.1 center font "{FONT}:Italic,{TEXT_PT}" '
                "tc rgb c_faint")
    script.box("tick", length, scale.px(middle),
               TOP_PX + script.plot_px + 1.1 * TICK_PT * PX_PER_PT, "center")
    # the axis broken: two slashes on it
    script.line(f"set object rect center {middle:.6f}, graph 0 size "
                f'{scale.ms(8):.6f}, graph 0.02 fc rgb "white" '
                "fs solid 1.0 noborder front")
    for dx in (-3, 3):
        x = middle + scale.ms(dx)
        script.line(f"set arrow from {x - scale.ms(2):.6f}, "
                    f"graph -0.012 to {x + scale.ms(2):.6f}, "
                    f'graph 0.012 nohead lw 1 lc rgb "#444444" front')
