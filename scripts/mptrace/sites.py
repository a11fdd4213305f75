"""The line of the program that made an event: its `site` (the address
of the program's call, trace/README.md) turned into file:line with the
program's own debug info (binutils' addr2line on the file proc_image
named, the address less the load base it gave), and, where no line of
the lesson made it, whose code did: a pool worker's loop, the runner,
the /proc watcher, the runtime.

    sites = Sites(images, parent_of, events)  # trace.sites is one
    sites.line(event)    # 'lessons/01-fork/fork.c:48 (main)', or None

The scripts read the program's binary, never a C header.  A program
built again since the trace was recorded, moved or removed gives no
line."""

import bisect
import os
import subprocess
from collections import defaultdict

from .read.recording import EMITTER

# Whose code a runtime file is, by the start of its path from the top.
OWNERS = (
    ("runtime/src/pool/worker.c", "pool worker loop"),
    ("runtime/src/pool/loop.c", "pool worker loop"),
    ("runtime/src/process/watch.c", "the /proc watcher"),
    ("runtime/mprun/", "the runner (mprun)"),
    ("runtime/src/manager/server.c", "the manager's server"),
    ("runtime/src/manager/requests.c", "the manager's server"),
    ("runtime/src/interpose/", "the interposition layer"),
    ("runtime/", "runtime"),
)
TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))     # the project: paths are shown from it
REBUILT = "no line: {} was built again after this trace was recorded"
OUTSIDE = "no line of {}'s own (its start-up or exit, a library, or no " \
    "debug info)"
FIRST = -(1 << 63)                 # a time before every event's


class Sites:
    """Lines of events' sites, resolved once per program file and
    address."""

    def __init__(self, images, parent_of, events=(), top=TOP):
        """images: the trace's proc_image events; parent_of(pid): the pid
        that forked it (None if unknown); events: those whose sites are
        resolved together at the first one asked for (one addr2line per
        program file; any other is resolved alone); top: the project's
        folder, which paths are shown from."""
        self.parent_of, self.top = parent_of, top
        self.images = defaultdict(list)    # pid -> [(ts, path, base)]
        for event in images:
            self.images[event["pid"]].append(
                (event["ts"], event["path"], event["base"]))
        self.known = {}                    # (path, address) -> text or None
        self.events = events

    def image(self, pid, ts):
        """(path, base) of the program pid ran at ts: its own latest
        proc_image, else its parent's (a child of fork runs its parent's
        program); None if none is known."""
        seen = set()
        while pid is not None and pid not in seen:
            seen.add(pid)
            images = self.images.get(pid)
            if images:
                i = bisect.bisect_right(images, (ts, "\uffff", 0))
                if i:
                    return images[i - 1][1:]
                ts = images[0][0]   # before its exec: its parent's image
            pid = self.parent_of(pid)
        return None

    def key(self, event):
        """(program file, address in it of the call) of the event's site;
        None if it has none or its program is not known."""
        # The process that recorded it (LTTng's vpid: a child of fork has
        # its parent's, whose program it runs), not the one it is about
        # (the watcher's proc_state is about another).
        site, pid = event.get("site"), event.get(EMITTER, event.get("pid"))
        if not site or pid is None:
            return None
        image = self.image(pid, event["ts"])
        if image is None:
            return None
        path, base = image
        return path, site - base - 1    # the call, not the return address

    def line(self, event):
        """The line that made event ('lessons/01-fork/fork.c:48 (main)'),
        or whose code it was ('pool worker loop (runtime/src/pool/
        worker.c:88, worker_main)'); None if the event has no site or its
        program or debug info is not known."""
        key = self.key(event)
        if key is None:
            return None
        if key not in self.known:
            self.resolve([key] + [self.key(e) for e in self.events])
            self.events = ()
        return self.known.get(key)

    def resolve_events(self, events):
        """Resolves these events' lines together (one addr2line per
        program file), so that line() of each then asks no one."""
        self.resolve(self.key(event) for event in events)

    def lines_from(self, sites):
        """{(pid, site): [(from ts, the line of an event pid recorded at
        site from then on, or None)]} of these (pid, site): the first
        from the start of time (FIRST), then one where pid's program, or
        an ancestor's it ran, changed.  All resolved together."""
        keys = {}
        for pid, site in sites:
            keys[pid, site] = [(ts, self.key({"ts": ts, "pid": pid,
                                               "site": site}))
                               for ts in [FIRST] + self.changes(pid)]
        self.resolve(key for found in keys.values() for _, key in found)
        return {place: [(ts, self.known.get(key) if key else None)
                        for ts, key in found]
                for place, found in keys.items()}

    def changes(self, pid):
        """The times at which image(pid, ts) may change, in order: pid's
        proc_image times and its ancestors'."""
        times, seen = set(), set()
        while pid is not None and pid not in seen:
            seen.add(pid)
            times.update(ts for ts, _, _ in self.images.get(pid, ()))
            pid = self.parent_of(pid)
        return sorted(times)

    def resolve(self, keys):
        """These keys' lines (None keys skipped), one addr2line per
        program file."""
        wanted = defaultdict(set)
        for key in keys:
            if key is not None and key not in self.known:
                wanted[key[0]].add(key[1])
        for path, addresses in wanted.items():
            addresses = sorted(addresses)
            if self.rebuilt(path):
                for address in addresses:
                    self.known[path, address] = REBUILT.format(
                        os.path.basename(path))
                continue
            for address, text in zip(addresses, self.addr2line(path,
                                                               addresses)):
                self.known[path, address] = text

    def rebuilt(self, path):
        """Whether the file at path changed after the trace last saw it
        start: its lines would be another build's.  (Only for times on
        LTTng's clock, from the Unix epoch: a made-up trace's are not.)"""
        seen = max((ts for images in self.images.values()
                    for ts, p, _ in images if p == path), default=0)
        try:
            return seen > 10**18 and os.stat(path).st_mtime_ns > seen
        except OSError:
            return False

    def addr2line(self, path, addresses):
        """The text of each address in the file at path (None each if the
        file or addr2line is missing)."""
        if not os.path.isfile(path):
            return [None] * len(addresses)
        try:
            done = subprocess.run(
                ["addr2line", "-f", "-C", "-e", path],
                input="".join(f"{a:#x}\n" for a in addresses),
                capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return [None] * len(addresses)
        if done.returncode != 0:
            return [None] * len(addresses)
        out = done.stdout.splitlines()
        return [self.said(path, out[2 * i], out[2 * i + 1])
                if 2 * i + 1 < len(out) else None
                for i in range(len(addresses))]

    def said(self, path, function, where):
        """How a line is shown: the lesson's 'file:line (function)', or
        'owner (file:line)' for the runtime's own code."""
        file, _, line = where.rpartition(":")
        line = line.split()[0] if line else "?"
        if file in ("", "??") or line in ("?", "0"):
            return OUTSIDE.format(os.path.basename(path))
        shown = os.path.relpath(file, self.top) \
            if file.startswith(self.top + os.sep) else file
        ours = shown[shown.find("/runtime/") + 1:] \
            if "/runtime/" in shown else shown    # built in another copy
        for start, owner in OWNERS:
            if ours.startswith(start):
                return f"{owner} ({ours}:{line}, {function})"
        return f"{shown}:{line} ({function})"
