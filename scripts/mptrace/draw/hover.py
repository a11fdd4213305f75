"""What the timeline's page (timeline.html) shows on hover: each event
drawn at its pixel (the SVG's own units) with its details, and a summary
where one stands for many.

Where the picture has a density band (marks.density), the band's
messages have no points of their own: each slice of the band says what
it holds and what the whole band carried (count, rate, first, last).
Where more than CLUSTER_MAX events of one lane fall in CLUSTER_PX of it,
one point sums them up.  So the data stays about as large as the
picture, not as the trace: a million events make no more points than
the lanes have pixels.
"""

from collections import Counter, defaultdict
from typing import NamedTuple

from ..table import fields, thread

CLUSTER_PX = 4          # a lane's events this close: counted together
CLUSTER_MAX = 6         # more than so many there: one point for them all,
LIST_MAX = 12           # listing each if no more than so many, else a
                        # summary
MSG_EVENTS = ("msg_send", "msg_recv")


class Hover(NamedTuple):
    """The page's data: points [(x, y, text)], band slices
    [(send_x0, send_x1, recv_x0, recv_x1, y0, y1, band, count)] and the
    bands' texts (indexed by a slice's band)."""
    title: str
    points: list
    slices: list
    bands: list

    def data(self):
        """The JSON-ready form the page's script reads."""
        return {"points": [[round(x, 1), round(y, 1), text]
                           for x, y, text in self.points],
                "slices": [[round(v, 1) for v in s[:6]] + list(s[6:])
                           for s in self.slices],
                "bands": self.bands}


class Points:
    """Builds a Hover from a Drawing: Points(drawing, top_px).hover()."""

    def __init__(self, d, trace, title, top_px):
        self.d, self.trace, self.title = d, trace, title
        self.top_px = top_px            # the first lane's y, in pixels
        self.t0 = trace.t0 or 0

    def y(self, lane):
        return self.top_px + lane * self.d.geo.lane_px

    def x(self, ts):
        return self.d.pic.scale.px(self.d.ms(ts))

    def ms(self, ts):
        return (ts - self.t0) / 1e6

    def hover(self):
        banded = {m.msg for band in self.d.bands for m in band.messages}
        firsts = {band.messages[0].msg for band in self.d.bands}
        first_events = {}               # (name, msg) -> a band's first's
        by_spot = defaultdict(list)     # (lane, pixel column) -> [event]
        scale = self.d.pic.scale
        for event in self.trace.events:
            lane = self.lane(event)
            if lane is None:
                continue
            if event["name"] in MSG_EVENTS and event.get("msg") in banded:
                if event["msg"] in firsts:
                    first_events[event["name"], event["msg"]] = event
                continue
            x = self.x(event["ts"])
            if not scale.left <= x <= scale.right:
                continue        # before the picture's time (the watcher)
            by_spot[lane, int(x // CLUSTER_PX)].append((x, event))
        points = []
        for (lane, _), spot in sorted(by_spot.items()):
            if len(spot) > CLUSTER_MAX:
                x = sum(x for x, _ in spot) / len(spot)
                points.append((x, self.y(lane),
                               self.cluster([e for _, e in spot])))
            else:
                points += [(x, self.y(lane), self.text(e)) for x, e in spot]
        slices, bands = self.band_slices(first_events)
        return Hover(self.title, points, slices, bands)

    def lane(self, event):
        """The lane the event is drawn on (a thread's, if it has one);
        None if off the picture."""
        pid = event.get("pid")
        if pid not in self.d.lane_of:
            return None
        return self.d.lane_for(pid, thread(self.trace, event))

    def who(self, pid):
        proc = self.trace.procs.get(pid)
        return proc.label if proc is not None else f"pid {pid}"

    def text(self, event):
        """An event's details: when, who, what, its fields, its line."""
        lines = [f"{self.ms(event['ts']):.3f} ms  {event['name']}",
                 self.who(event["pid"])]
        return "\n".join(lines + fields(self.trace, event))

    def cluster(self, events):
        """Many events at one spot: count, span, names; then each, a line
        apiece, if there are no more than LIST_MAX, else the first and the
        last."""
        names = Counter(e["name"] for e in events)
        first, last = events[0], events[-1]
        span = self.ms(last["ts"]) - self.ms(first["ts"])
        kinds = ", ".join(f"{n} {name}" for name, n in names.most_common(4))
        if len(names) > 4:
            more = len(names) - 4
            kinds += f", {more} more kind" + ("s" if more > 1 else "")
        lines = [f"{len(events)} events in {span:.3f} ms "
                 f"(from {self.ms(first['ts']):.3f} ms)", kinds]
        if len(events) <= LIST_MAX:
            return "\n".join(lines + [self.text(e).replace("\n", "  ")
                                       for e in events])
        return "\n".join(lines + [
            "first: " + self.text(first).replace("\n", "  "),
            "last: " + self.text(last).replace("\n", "  ")])

    def band_slices(self, first_events):
        """The bands' slices in pixels, and each band's text (with the
        lines that sent and received its first message, from
        first_events: (name, msg) -> event)."""
        slices, texts = [], []
        px = self.d.pic.scale.px
        for i, band in enumerate(self.d.bands):
            count, first, last, rate = band.summary()
            lines = [f"{count:,} messages, {self.who(band.messages[0].sender)}"
                     f" \u2192 {self.who(band.messages[0].receiver)}",
                     f"from {self.ms(first):.3f} ms to {self.ms(last):.3f} "
                     f"ms: {rate:,.1f} per ms",
                     f"first sent at {self.ms(first):.3f} ms, last received"
                     f" at {self.ms(last):.3f} ms"]
            for name, said in (("msg_send", "sent by"),
                               ("msg_recv", "received by")):
                event = first_events.get((name, band.messages[0].msg))
                line = self.trace.sites.line(event) if event else None
                if line:
                    lines.append(f"{said} {line}")
            texts.append("\n".join(lines))
            y0, y1 = self.y(band.sender), self.y(band.receiver)
            for s0, s1, r0, r1, n in band.slices:
                slices.append((px(s0), px(s1), px(r0), px(r1), y0, y1, i, n))
        return slices, texts
