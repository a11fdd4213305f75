"""Time to pixels: the Scale of a picture, the Cuts that shorten long
idle stretches (a broken time axis), and the ticks of the time axis."""

import math
from dataclasses import dataclass
from typing import NamedTuple, Optional


@dataclass
class Scale:
    """x: ms since the lesson started, over the plot's pixels.  With cuts,
    x is "shown ms": the real ms, except that each stretch of real time
    real_from..real_to of a Cut is drawn from its start to its end,
    shorter, and what comes after moved left to follow it (see Cuts)."""
    lo: float
    hi: float
    left: float
    right: float
    cuts: Optional["Cuts"] = None

    def px(self, ms):
        return self.left + (ms - self.lo) * (self.right - self.left) \
            / (self.hi - self.lo)

    def ms(self, px):
        """A length in pixels as a duration in ms."""
        return px * (self.hi - self.lo) / (self.right - self.left)


class Cut(NamedTuple):
    """A long stretch with no event, drawn shortened.  Time runs at its
    own pace on either side of it: a real ms before real_from or after
    real_to is as far from the stretch when shown."""
    real_from: float     # ms
    real_to: float
    start: float         # shown ms
    end: float

    def shown(self, ms):
        """Where the real ms goes on the shortened axis."""
        if ms <= self.real_from:
            return self.start - (self.real_from - ms)
        if ms >= self.real_to:
            return self.end + (ms - self.real_to)
        return self.start + (ms - self.real_from) * (self.end - self.start) \
            / (self.real_to - self.real_from)

    def real(self, shown):
        """The real ms of a shown one."""
        if shown <= self.start:
            return self.real_from - (self.start - shown)
        if shown >= self.end:
            return self.real_to + (shown - self.end)
        return self.real_from + (shown - self.start) \
            * (self.real_to - self.real_from) / (self.end - self.start)

    @property
    def length(self):
        """Its real length, ms."""
        return self.real_to - self.real_from


class Cuts:
    """The shortened stretches of one time axis, in time order: the axis
    is broken at each (one, or several where busy moments lie between long
    waits).  Each Cut's start and end are where it lands once those before
    it are shortened."""

    def __init__(self, cuts):
        self.cuts = tuple(cuts)

    @classmethod
    def of(cls, stretches, shown):
        """Cuts of these real (from, to) stretches, in time order, each
        drawn shown ms long."""
        cuts, moved = [], 0.0      # how far left the ones before moved
        for real_from, real_to in stretches:
            start = real_from - moved
            cuts.append(Cut(real_from, real_to, start, start + shown))
            moved += real_to - real_from - shown
        return cls(cuts)

    def __iter__(self):
        return iter(self.cuts)

    def _at(self, x, key):
        """The cut whose side x is on: the last that starts at or before
        it, else the first."""
        return next((c for c in reversed(self.cuts) if key(c) <= x),
                    self.cuts[0])

    def shown(self, ms):
        return self._at(ms, lambda c: c.real_from).shown(ms)

    def real(self, shown):
        return self._at(shown, lambda c: c.start).real(shown)

    @property
    def shortened(self):
        """Shown ms the cut stretches take together."""
        return sum(c.end - c.start for c in self.cuts)


def tick_step(span):
    """A round step giving about ten ticks."""
    raw = span / 10
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def tick_format(step):
    return f"%.{max(0, -math.floor(math.log10(step) + 1e-9))}f"
