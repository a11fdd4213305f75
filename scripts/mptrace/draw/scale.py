"""Time to pixels: the Scale of a picture, the Cut that shortens a long
idle stretch, and the ticks of the time axis."""

import math
from dataclasses import dataclass
from typing import NamedTuple, Optional


@dataclass
class Scale:
    """x: ms since the lesson started, over the plot's pixels.  With a cut,
    x is "shown ms": the real ms, except that the stretch of real time
    cut.real_from..cut.real_to is drawn from cut.start to cut.end, shorter,
    and what comes after moved left to follow it (see Cut)."""
    lo: float
    hi: float
    left: float
    right: float
    cut: Optional["Cut"] = None

    def px(self, ms):
        return self.left + (ms - self.lo) * (self.right - self.left) \
            / (self.hi - self.lo)

    def ms(self, px):
        """A length in pixels as a duration in ms."""
        return px * (self.hi - self.lo) / (self.right - self.left)


class Cut(NamedTuple):
    """A long stretch with no event, drawn shortened."""
    real_from: float     # ms
    real_to: float
    start: float         # shown ms
    end: float

    def shown(self, ms):
        """Where the real ms goes on the shortened axis."""
        if ms <= self.real_from:
            return ms
        if ms >= self.real_to:
            return ms - (self.real_to - self.real_from) \
                + (self.end - self.start)
        return self.start + (ms - self.real_from) * (self.end - self.start) \
            / (self.real_to - self.real_from)

    def real(self, shown):
        """The real ms of a shown one."""
        if shown <= self.start:
            return shown
        if shown >= self.end:
            return shown - self.end + self.real_to
        return self.real_from + (shown - self.start) \
            * (self.real_to - self.real_from) / (self.end - self.start)


def tick_step(span):
    """A round step giving about ten ticks."""
    raw = span / 10
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def tick_format(step):
    return f"%.{max(0, -math.floor(math.log10(step) + 1e-9))}f"
