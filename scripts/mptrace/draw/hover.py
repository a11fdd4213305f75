"""What the timeline's page (timeline.html) shows on hover: each event
drawn at its pixel (the SVG's own units) with its details, and a summary
where one stands for many.

Where the picture has a density band (marks.density), the band's
messages have no points of their own: each slice of the band says what
it holds and what the whole band carried (count, rate, first, last).
Where more than CLUSTER_MAX events of one lane fall in CLUSTER_PX of it,
one point sums them up.  So the data stays about as large as the
picture, not as the trace: a million events make no more points than
the lanes have pixels.  Nor are they read as a million dicts: from the
trace's database, each event comes as a light row (its place, ts, name,
pid, vtid), a band's messages left out in SQL, and only the events a
point shows are read whole (Events).
"""

from collections import Counter, defaultdict
from typing import NamedTuple

from ..table import fields, thread_at
from .marks import density_c

CLUSTER_PX = 4          # a lane's events this close: counted together
CLUSTER_MAX = 6         # more than so many there: one point for them all,
LIST_MAX = 12           # listing each if no more than so many, else a
                        # summary
MSG_EVENTS = ("msg_send", "msg_recv")
KEY, TS, NAME = 0, 1, 2     # in a row: (key, ts, name, pid, vtid)


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
        banded = {msg for band in self.d.bands
                  if isinstance(band.msgs, set) for msg in band.msgs}
        firsts = {band.first.msg for band in self.d.bands}
        events = Events(self.trace, self.d.lane_of)
        by_spot = defaultdict(list)     # (lane, pixel column) -> [row]
        scale = self.d.pic.scale
        for row in events.rows(banded, self.d.bands):
            lane = self.lane(row)
            x = self.x(row[TS])
            if not scale.left <= x <= scale.right:
                continue        # before the picture's time (the watcher)
            by_spot[lane, int(x // CLUSTER_PX)].append((x, row))
        spots = sorted(by_spot.items())
        shown = events.whole(row for _, spot in spots
                             for row in self.shown([r for _, r in spot]))
        self.trace.sites.resolve_events(shown.values())
        points = []
        for (lane, _), spot in spots:
            if len(spot) > CLUSTER_MAX:
                x = sum(x for x, _ in spot) / len(spot)
                points.append((x, self.y(lane), self.cluster(
                    [row for _, row in spot], shown)))
            else:
                points += [(x, self.y(lane), self.text(shown[row[KEY]]))
                           for x, row in spot]
        slices, bands = self.band_slices(events.firsts(firsts))
        return Hover(self.title, points, slices, bands)

    @staticmethod
    def shown(rows):
        """The rows of a spot whose events' details its point shows."""
        if len(rows) <= LIST_MAX:      # each a point, or each listed
            return rows
        return [rows[0], rows[-1]]

    def lane(self, row):
        """The lane an event is drawn on (a thread's, if it has one); its
        pid has one."""
        _, ts, name, pid, vtid = row
        return self.d.lane_for(pid, thread_at(self.trace, name, ts, pid,
                                              vtid))

    def who(self, pid):
        proc = self.trace.procs.get(pid)
        return proc.label if proc is not None else f"pid {pid}"

    def text(self, event):
        """An event's details: when, who, what, its fields, its line."""
        lines = [f"{self.ms(event['ts']):.3f} ms  {event['name']}",
                 self.who(event["pid"])]
        return "\n".join(lines + fields(self.trace, event))

    def cluster(self, rows, shown):
        """Many events at one spot (rows; shown: key -> the event of each
        row shown()): count, span, names; then each, a line apiece, if
        there are no more than LIST_MAX, else the first and the last."""
        names = Counter(row[NAME] for row in rows)
        first, last = rows[0], rows[-1]
        span = self.ms(last[TS]) - self.ms(first[TS])
        kinds = ", ".join(f"{n} {name}" for name, n in names.most_common(4))
        if len(names) > 4:
            more = len(names) - 4
            kinds += f", {more} more kind" + ("s" if more > 1 else "")
        lines = [f"{len(rows)} events in {span:.3f} ms "
                 f"(from {self.ms(first[TS]):.3f} ms)", kinds]
        if len(rows) <= LIST_MAX:
            return "\n".join(lines + [
                self.text(shown[row[KEY]]).replace("\n", "  ")
                for row in rows])
        return "\n".join(lines + [
            "first: " + self.text(shown[first[KEY]]).replace("\n", "  "),
            "last: " + self.text(shown[last[KEY]]).replace("\n", "  ")])

    def band_slices(self, first_events):
        """The bands' slices in pixels, and each band's text (with the
        lines that sent and received its first message, from
        first_events: (name, msg) -> event)."""
        slices, texts = [], []
        px = self.d.pic.scale.px
        for i, band in enumerate(self.d.bands):
            count, first, last, rate = band.summary()
            lines = [f"{count:,} messages, {self.who(band.first.sender)}"
                     f" \u2192 {self.who(band.first.receiver)}",
                     f"from {self.ms(first):.3f} ms to {self.ms(last):.3f} "
                     f"ms: {rate:,.1f} per ms",
                     f"first sent at {self.ms(first):.3f} ms, last received"
                     f" at {self.ms(last):.3f} ms"]
            for name, said in (("msg_send", "sent by"),
                               ("msg_recv", "received by")):
                event = first_events.get((name, band.first.msg))
                line = self.trace.sites.line(event) if event else None
                if line:
                    lines.append(f"{said} {line}")
            texts.append("\n".join(lines))
            y0, y1 = self.y(band.sender), self.y(band.receiver)
            for s0, s1, r0, r1, n in band.slices:
                slices.append((px(s0), px(s1), px(r0), px(r1), y0, y1, i, n))
        return slices, texts


class Events:
    """The events of a picture's lanes, as the hover reads them: light
    rows (key, ts, name, pid, vtid) first, every event's; the whole
    event (a dict) only for those a point shows.  From the trace's
    database when its events are not in memory (a million events are
    not made into dicts for a few hundred points), else from memory."""

    def __init__(self, trace, lane_of):
        self.trace, self.lane_of = trace, lane_of
        self.store = None if "events" in trace.__dict__ else trace.store

    def rows(self, banded, bands):
        """The rows of the events of the lanes' pids, in time order, less
        the msg_send and msg_recv of the messages banded (msg ids) and of
        those the converter found in bands: key is the event's place in
        time."""
        if self.store is not None:
            return self.store.light(self.lane_of, MSG_EVENTS, banded,
                                    density_c.ranges(bands))
        return [(i, e["ts"], e["name"], e["pid"], e.get("vtid"))
                for i, e in enumerate(self.trace.events)
                if e.get("pid") in self.lane_of and not (
                    e["name"] in MSG_EVENTS and e.get("msg") in banded)]

    def whole(self, rows):
        """{key: event} of these rows."""
        if self.store is None:
            return {row[KEY]: self.trace.events[row[KEY]] for row in rows}
        ids = defaultdict(list)
        for row in rows:
            ids[row[NAME]].append(row[KEY])
        return self.store.by_id(ids) if ids else {}

    def firsts(self, msgs):
        """{(name, msg): the last msg_send and msg_recv of the lanes' pids
        of each of msgs} (a band's first message's)."""
        if self.store is None:
            events = [e for e in self.trace.events if e["name"] in
                      MSG_EVENTS and e.get("pid") in self.lane_of]
        elif not msgs:
            events = []
        else:
            listed = ",".join(str(m - (1 << 64) if m >= 1 << 63 else m)
                              for m in msgs)
            names = set(MSG_EVENTS) & set(self.store.tables)
            events = self.store.events(names, self.lane_of, {
                name: f"msg IN ({listed})" for name in names})
        return {(e["name"], e["msg"]): e for e in events
                if e.get("msg") in msgs}
