"""Density bands: where more messages pass between two lanes than the
pixels can show as arrows (a crowd: BAND_MIN or more in a row, each
starting and ending within SPREAD_PX of the one before), one band from
the sender's lane to the receiver's instead (all the crowds between the
two), made of a slice per BAND_BIN_PX of send time, each as dark as the
rate of the messages sent in it; the count and the rate written on it.
The arrows that fit stay arrows (see messages.message_arrows)."""

import math
from typing import NamedTuple

from ...words import duration
from ..style import (ARROW_GAP_PX, BAND_BIN_PX, BAND_MIN, BAND_SHADES,
                     SPREAD_PX, STATUS_ROWS)


class Band(NamedTuple):
    """A crowd of messages between two lanes, drawn as one band."""
    sender: int
    """The senders' lane."""
    receiver: int
    """The receivers' lane."""
    count: int
    """How many messages."""
    first: object
    """The first Message, in send order."""
    last_ts: int
    """The last receive's ts."""
    slices: list
    """[(send_from_ms, send_to_ms, recv_from_ms, recv_to_ms, count)]."""
    msgs: object
    """Its messages: a set of msg ids, or the messages table's rowids as
    [(from, to)] ranges (found by the converter: density_c)."""

    def summary(self):
        """(count, first send ts, last receive ts, messages per ms)."""
        first = self.first.send_ts
        span_ms = max((self.last_ts - first) / 1e6, 1e-6)
        return self.count, first, self.last_ts, self.count / span_ms


def crowds(arrows, px):
    """Split arrows [(x0 ms, lane0, x1 ms, lane1, Message)] into (crowds,
    rest): the crowds as lists of arrows between the same two lanes, in
    send order; the rest, the arrows that fit."""
    by_pair = {}
    for arrow in sorted(arrows, key=lambda a: a[0]):
        by_pair.setdefault((arrow[1], arrow[3]), []).append(arrow)
    crowded, rest = [], []

    def close(run):
        if len(run) >= BAND_MIN:
            crowded.append(run)
        else:
            rest.extend(run)

    for pair_arrows in by_pair.values():
        run = []
        for arrow in pair_arrows:
            if run and (px(arrow[0]) - px(run[-1][0]) >= SPREAD_PX
                        or abs(px(arrow[2]) - px(run[-1][2])) >= SPREAD_PX):
                close(run)
                run = []
            run.append(arrow)
        close(run)
    return crowded, rest


def band(d, crowd):
    """The Band of a crowd of arrows: its slices by send time."""
    px, left = d.pic.scale.px, d.pic.scale.left
    slices = {}
    for x0, _, x1, _, _ in crowd:
        key = int((px(x0) - left) // BAND_BIN_PX)
        s = slices.get(key)
        if s is None:
            slices[key] = [x1, x1, 1]
        else:
            s[0], s[1], s[2] = min(s[0], x1), max(s[1], x1), s[2] + 1
    return Band(crowd[0][1], crowd[0][3], len(crowd), crowd[0][4],
                max(a[4].recv_ts for a in crowd),
                in_ms(d, sorted((k, r0, r1, n)
                                for k, (r0, r1, n) in slices.items())),
                {a[4].msg for a in crowd})


def in_ms(d, slices):
    """A band's slices [(k, earliest receive, latest, count)], k the
    slice's BAND_BIN_PX of send time, as Band.slices has them."""
    ms, lo = d.pic.scale.ms, d.pic.scale.lo
    return [(lo + ms(k * BAND_BIN_PX), lo + ms((k + 1) * BAND_BIN_PX),
             r0, max(r1, r0 + ms(BAND_BIN_PX)), n)
            for k, r0, r1, n in slices]


def made(d, crowded):
    """The Bands of the crowds: one per two lanes."""
    pairs = {}
    for crowd in crowded:
        pairs.setdefault((crowd[0][1], crowd[0][3]), []).extend(crowd)
    return [band(d, sorted(crowd, key=lambda a: a[0]))
            for crowd in pairs.values()]


def bands(d, drawn):
    """Draw a band per pair of lanes (Bands: made(), or density_c's; see
    the module's docstring): slices in BAND_SHADES data blocks, band1
    (palest) .. bandN, each a polygon; a slice's shade grows in step
    with its count, the busiest slice of the picture the darkest.
    Returns the Bands."""
    busiest = max((s[4] for b in drawn for s in b.slices), default=1)
    for b in drawn:
        down = 1 if b.receiver > b.sender else -1
        y0 = b.sender + down * ARROW_GAP_PX / d.geo.lane_px
        y1 = b.receiver - down * ARROW_GAP_PX / d.geo.lane_px
        for s0, s1, r0, r1, n in b.slices:
            level = max(1, math.ceil(BAND_SHADES * n / busiest))
            block = f"band{level}"
            if block in d.pic.data:
                d.pic.add(block, "")           # polygons apart
            for x, y in ((s0, y0), (s1, y0), (r1, y1), (r0, y1), (s0, y0)):
                d.pic.add(block, x, y)
        d.pic.legend.add("band")
        count, first, last, rate = b.summary()
        span = duration((last - first) / 1e6)
        middle = (b.slices[0][0] + b.slices[-1][1]) / 2
        d.pic.text(min(b.sender, b.receiver), middle,
                   f"{count:,} messages in {span} ({rate:,.0f}/ms)",
                   STATUS_ROWS, "msg", either_side=True)
    return drawn
