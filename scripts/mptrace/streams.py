"""Bytes through pipes and sockets: the pipes made (fd_pipe), and each
write matched with the reads that took its bytes, by byte range.

The preload counts each stream's bytes across every process of the run: a
write reserves [offset, offset + bytes) and records io_write before it
writes (io_short after, if fewer went); a read records io_read after it
read, with the range it took.  A write and a read whose ranges overlap
are one Transfer.  Exact with one writer and one reader at a time (or
several under a lock, as Python's queues are); approximate with
concurrent writers or readers (runtime/src/interpose/README.md).
"""

import bisect
from collections import defaultdict

from .model import Pipe, Transfer

# The offset the preload records when its table of streams is full.
NO_OFFSET = (1 << 64) - 1


def pipes(events):
    """inode -> Pipe, for every fd_pipe (a socketpair gives two)."""
    found = {}
    for e in events:
        if e["name"] != "fd_pipe":
            continue
        if e["kind"] == "socketpair":
            for ino, fd, peer in ((e["ino0"], e["fd0"], e["ino1"]),
                                  (e["ino1"], e["fd1"], e["ino0"])):
                found.setdefault(ino, Pipe(ino, e["kind"], e["pid"], e["ts"],
                                           (fd,), peer))
        else:
            found.setdefault(e["ino0"], Pipe(e["ino0"], e["kind"], e["pid"],
                                             e["ts"], (e["fd0"], e["fd1"])))
    return found


def transfers(events, procs):
    """[Transfer] in the order of the reads: for every io_read of some
    bytes, one per io_write whose range it overlaps.  Only through the
    pipes and socketpairs made in the trace (fd_pipe): a connected socket
    records its reads and its writes under its own inode, but they are
    not the same bytes (its peer is not known)."""
    made = {ino for e in events if e["name"] == "fd_pipe"
            for ino in (e["ino0"], e["ino1"])}
    writes = {stream: ws for stream, ws in _writes(events).items()
              if stream in made}
    starts = {stream: [w["offset"] for w in ws]
              for stream, ws in writes.items()}
    found = []
    for r in events:
        if r["name"] != "io_read" or r["bytes"] <= 0 \
                or r["offset"] == NO_OFFSET or r["stream"] not in writes:
            continue
        ws, begin, end = writes[r["stream"]], r["offset"], \
            r["offset"] + r["bytes"]
        i = max(bisect.bisect_right(starts[r["stream"]], begin) - 1, 0)
        for w in ws[i:]:
            if w["offset"] >= end:
                break
            shared = min(end, w["offset"] + w["bytes"]) - max(begin,
                                                              w["offset"])
            if shared > 0:
                found.append(Transfer(
                    r["stream"], w["pid"], w["ts"], r["pid"], r["ts"],
                    max(begin, w["offset"]), shared,
                    _thread(procs, w), _thread(procs, r), w["call"]))
    return found


def _writes(events):
    """stream -> its io_writes (dicts with the bytes that really went),
    sorted by offset."""
    by_key, writes = {}, defaultdict(list)
    for e in events:
        if e["name"] == "io_write" and e["offset"] != NO_OFFSET:
            w = {k: e[k] for k in ("ts", "pid", "offset", "bytes", "call",
                                   "stream")}
            w["vtid"] = e.get("vtid")
            by_key[e["pid"], e["stream"], e["offset"]] = w
            writes[e["stream"]].append(w)
        elif e["name"] == "io_short":
            w = by_key.get((e["pid"], e["stream"], e["offset"]))
            if w is not None:
                w["bytes"] = e["bytes"]
    for ws in writes.values():
        ws.sort(key=lambda w: w["offset"])
    return writes


def _thread(procs, event):
    proc = procs.get(event["pid"])
    return proc.thread_of(event.get("vtid"), event["ts"]) if proc else None
