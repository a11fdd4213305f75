"""What the preload records of any program, in trace-json's export
(mptrace.perfetto): each thread a track of its own (its real tid) with
its life as a slice, execs, printed lines, handled signals and
untraced notes as instants, waits for a child and system()/popen() calls
as slices, and each write's bytes joined to the reads that took them by
a flow arrow.

    programs(export)        # called by Export.run()
"""

from .words import signal_name, size

WRITE_SLICE_NS = 1000       # a write's or a read's slice, at most


def programs(x):
    """Adds every process's preload events to the Export x."""
    for p in x.lanes:
        for t in p.threads:
            x.thread_names[p.pid, t.tid] = f"thread {t.tid}"
            x.slice(f"thread {t.tid}", "thread", t.start_ts, t.end_ts,
                    p.pid, t.tid, {"creator": t.creator})
        for e in p.execs:
            what = f"exec failed ({e.error})" if e.error else "exec"
            x.instant(f"{what}: {e.argv or e.path}", "exec", e.ts, p.pid,
                      {"path": e.path, "held": [list(h) for h in e.held]})
        for o in p.out_lines:
            if not o.piped:
                x.add("i", o.text, "stdout" if o.fd == 1 else "stderr",
                      o.ts, p.pid, o.tid or p.pid, s="t")
        for h in p.handled:
            x.instant(f"handled {signal_name(h.signo)}", "signal", h.ts,
                      p.pid, {"sender": h.sender, "code": h.code})
        for u in p.untraced:
            x.instant(f"untraced: {u.what} {u.detail}", "untraced", u.ts,
                      p.pid)
        for w in p.waits:
            x.slice("wait for a child", "wait", w.ts, w.end_ts, p.pid,
                    w.tid or x.tid(p.pid, "waits"), {"target": w.target})
        for c in p.lib_calls:
            x.slice(f"{c.call}({c.text})", "libc", c.ts, c.end_ts, p.pid,
                    x.tid(p.pid, "waits"), {"result": c.result})
    transfers(x)


def transfers(x):
    """A short slice where bytes were written and where they were read,
    on the thread that did it, and a flow arrow between the two."""
    pids = x.pids
    moved = [t for t in x.trace.transfers
             if t.writer in pids and t.reader in pids]
    ends = {}
    for t in moved:
        ends[t.write_ts, t.writer, t.writer_tid] = ("write", t.stream)
        ends[t.read_ts, t.reader, t.reader_tid] = ("read", t.stream)
    by_track = {}
    for (ts, pid, tid), what in sorted(ends.items(),
                                       key=lambda e: e[0][0]):
        track = tid or x.tid(pid, "messages")
        by_track.setdefault((pid, track), []).append((ts, what))
    for (pid, track), mine in by_track.items():
        for (ts, (what, stream)), nxt in zip(mine, mine[1:] + [None]):
            dur = WRITE_SLICE_NS if nxt is None else \
                min(WRITE_SLICE_NS, (nxt[0] - ts) / 2)
            x.slice(f"{what} pipe {stream}", "pipe", ts, ts + dur, pid,
                    track, {"stream": stream})
    for t in moved:
        x.flow(size(t.bytes), "pipe",
               t.write_ts, t.writer, t.writer_tid or x.tid(t.writer,
                                                           "messages"),
               t.read_ts, t.reader, t.reader_tid or x.tid(t.reader,
                                                          "messages"))
