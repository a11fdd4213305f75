"""A trace as Chrome trace-event JSON, to open in https://ui.perfetto.dev
(drop the file on it) or chrome://tracing: scripts/trace-json.

One process per process of the lesson (pid = its real pid, named as the
lesson named it), sorted as the timeline's lanes, each with up to four
tracks (threads):
  NAME        its life as one slice (fork or start to exit, then "zombie"
              until collected), the states mprun's /proc watcher saw
              (running, sleeping, ...) nested in it, and instant markers
              for what it printed, marked or logged, its exit, the
              signals it got and the children it collected
  tasks       the pool tasks it ran, one slice each ("task 3")
  locks       its lock waits and holds
  waits       joins, Event waits, queue puts and gets that had to wait
  messages    a short slice for each message it put, sent, got or
              received; a flow arrow joins each send to its receive (the
              same message id), each fork to the child's life and each
              task_submit to its task
and, for what the preload records of any program, a track per thread it
started (mptrace.perfetto_program: execs, printed lines, bytes through
pipes with a flow arrow from each write to the reads that took them).
Times are microseconds from the first event shown (Perfetto shows them
from 0).  The events are written as they are made, a batch at a time (a
million-event trace makes millions of them), the names of the processes
and tracks last.

    with open("trace.json", "w") as f:
        Export(trace).write(f)
"""

import json

from .perfetto_c import messages_c, received, sent
from .perfetto_program import programs
from .words import short_id, signal_name

# Extra tracks of a process: tid = pid + TRACK * this (pids stay below
# 2^22 = 4194304, so they never meet a real tid).
TRACK_STRIDE = 10_000_000
TRACKS = {"tasks": 1, "locks": 2, "waits": 3, "messages": 4}
STATE_NAMES = {"R": "running", "S": "sleeping", "D": "disk wait",
               "T": "stopped", "t": "traced", "Z": "zombie", "I": "idle"}
MSG_SLICE_NS = 1000         # a message's slice, shorter if the next is near
BATCH = 4096                # events encoded at once (by json's C encoder)
SEPARATORS = (",", ":")
# A message's slice and arrow as json.dumps(..., separators=SEPARATORS)
# writes them: ints as %d, floats as repr (%r), the name a JSON string.
MESSAGE = ('{"name":%s,"cat":"message","ph":"X","ts":%r,"pid":%d,"tid":%d,'
           '"dur":%r,"args":{"msg":%d,"chan":%d,"size":%d}}')
FLOW = ('{"name":"message","cat":"message","ph":"s","ts":%r,"pid":%d,'
        '"tid":%d,"id":%d},{"name":"message","cat":"message","ph":"f",'
        '"ts":%r,"pid":%d,"tid":%d,"id":%d,"bp":"e"}')


class Export:
    def __init__(self, trace):
        self.trace = trace
        self.procs = trace.procs
        self.lanes = list(trace.lanes)
        if trace.runner is not None and trace.runner not in \
                {p.pid for p in self.lanes}:
            self.lanes.insert(0, self.procs[trace.runner])
        self.pids = trace.lesson_pids
        self.out = []               # events made, not yet written
        self.file = None
        self.written = False        # an event was written already
        self.used_tracks = set()
        self.thread_names = {}          # (pid, tid) -> the track's name
        self.flow_id = 0
        stamps = list(trace.lesson_span or ())
        stamps += [s.ts for p in self.lanes for s in p.states]
        self.origin = min(stamps) if stamps else 0
        self.end = max(stamps) if stamps else 0

    def us(self, ts):
        if type(ts) is int:     # n / 1000 is n ns in us, as round() says
            return (ts - self.origin) / 1000
        return round((ts - self.origin) / 1000, 3)

    def tid(self, pid, track=None):
        if track is None:
            return pid
        self.used_tracks.add((pid, track))
        return pid + self.tid_offset(track)

    @staticmethod
    def tid_offset(track):
        """What a track's tid adds to its process's pid."""
        return TRACKS[track] * TRACK_STRIDE

    def add(self, ph, name, cat, ts, pid, tid, **more):
        event = {"name": name, "cat": cat, "ph": ph, "ts": self.us(ts),
                 "pid": pid, "tid": tid}
        event.update(more)
        self.keep(event)
        return event

    def keep(self, event):
        """Keeps an event to write.  The one kept before it is complete by
        now: its maker may add to it until then."""
        if len(self.out) >= BATCH:
            self.flush()
        self.out.append(event)

    def flush(self):
        """Writes the events made so far."""
        if self.out:
            self._write([json.dumps(self.out, separators=SEPARATORS)[1:-1]])
            self.out.clear()

    def write_text(self, texts):
        """Events given as JSON text already (an iterable), written after
        those made so far, a batch at a time."""
        self.flush()
        batch = []
        for text in texts:
            batch.append(text)
            if len(batch) >= BATCH:
                self._write(batch)
        self._write(batch)

    def _write(self, texts):
        """Writes texts (events in JSON, a list), and empties it."""
        if texts:
            self.file.write(("," if self.written else "") + ",".join(texts))
            self.written = True
            texts.clear()

    def slice(self, name, cat, ts, end_ts, pid, tid, args=None):
        if end_ts is None:
            end_ts = self.end
        # dur from the rounded ends, so that slices that touch still touch
        if type(ts) is int and type(end_ts) is int:   # the same, sooner
            dur = (end_ts - ts) / 1000 if end_ts != ts else 0.0
            dur = max(dur, 0)
        else:
            dur = round(max(self.us(end_ts) - self.us(ts), 0), 3)
        event = self.add("X", name, cat, ts, pid, tid, dur=dur)
        if args:
            event["args"] = args
        return event

    def instant(self, name, cat, ts, pid, args=None):
        event = self.add("i", name, cat, ts, pid, pid, s="t")
        if args:
            event["args"] = args

    def flow(self, name, cat, ts1, pid1, tid1, ts2, pid2, tid2):
        """An arrow from the slice around (ts1, tid1) to the one around
        (ts2, tid2): Perfetto binds "s" to its enclosing slice, and "f"
        with bp "e" too."""
        self.flow_id += 1
        self.add("s", name, cat, ts1, pid1, tid1, id=self.flow_id)
        self.add("f", name, cat, ts2, pid2, tid2, id=self.flow_id, bp="e")

    # ---- what gets drawn ----

    def write(self, f):
        """The export, as JSON, into the text file f."""
        self.file = f
        f.write('{"traceEvents":[')
        for index, proc in enumerate(self.lanes):
            self.process(index, proc)
        self.messages()
        self.tasks()
        self.locks()
        programs(self)
        self.names()
        self.flush()
        other = {"lost_events": self.trace.discarded,
                 "origin_ns": self.origin}
        f.write('],"displayTimeUnit":"ms","otherData":'
                + json.dumps(other, separators=SEPARATORS) + "}")

    def process(self, index, p):
        pid = p.pid
        begin = p.begin_ts if p.begin_ts is not None else p.last_ts
        if begin is None:
            return
        end = p.exit_ts if p.exit_ts is not None else p.reap_ts
        end = end if end is not None else (p.last_ts or self.end)
        gone = p.reap_ts if p.reap_ts is not None and p.reap_ts > end else end
        status = ({"exitcode": p.exitcode} if p.exitcode is not None else {})
        self.slice(p.name, "process", begin, gone, pid, pid,
                   dict(status, ppid=p.parent, pid=pid))
        # Nested in it: the watcher's states, cut to the life.
        for s, nxt in zip(p.states, p.states[1:] + [None]):
            s_end = nxt.ts if nxt is not None else gone
            a, b = max(s.ts, begin), min(s_end, gone)
            if s.state == "X" or b <= a:
                continue
            self.slice(STATE_NAMES.get(s.state, s.state), "state", a, b,
                       pid, pid, {"state": s.state, "ppid": s.ppid})
        if not p.states and p.reap_ts is not None and p.exit_ts is not None \
                and p.reap_ts > p.exit_ts:
            self.slice("zombie", "state", p.exit_ts, p.reap_ts, pid, pid)
        for line in p.prints:
            self.instant(line.text, "print", line.ts, pid)
        for line in p.marks:
            self.instant(line.text, "mark", line.ts, pid)
        for log in p.logs:
            self.instant(log.text, "log", log.ts, pid, {"level": log.level})
        if p.exit_ts is not None:
            self.instant(f"exit {p.exit_code}", "exit", p.exit_ts, pid)
        for sig in p.signals:
            self.instant(signal_name(sig.signo), "signal", sig.ts,
                         pid, {"from": sig.sender})
        for child in p.children + p.adopted:
            c = self.procs.get(child)
            if c is not None and c.reaper == pid:
                self.instant(f"collected {c.name} ({child}): exitcode "
                             f"{c.exitcode}", "reap", c.reap_ts, pid)
        parent = self.procs.get(p.parent)
        if parent is not None and parent.pid in self.pids \
                and p.fork_ts is not None and parent.begin_ts is not None:
            self.flow("fork", "fork", p.fork_ts, parent.pid, parent.pid,
                      begin, pid, pid)
        self.waits(p)

    def waits(self, p):
        tid = None
        for j in p.joins:
            tid = self.tid(p.pid, "waits")
            child = self.procs.get(j.child)
            name = f"join {child.name if child else j.child}"
            self.slice(name, "join", j.ts, j.end_ts, p.pid, tid,
                       {"child": j.child, "ended": j.ended})
        for w in p.event_waits:
            tid = self.tid(p.pid, "waits")
            how = {1: "set", 0: "timed out"}.get(w.woke, "never woke")
            self.slice(f"Event wait: {how}", "event", w.ts, w.end_ts, p.pid,
                       tid, {"event": w.obj, "timeout_ms": w.timeout_ms})
        for b in p.blocks:
            tid = self.tid(p.pid, "waits")
            what = "queue full" if b.op == "put" else "queue empty"
            self.slice(f"{b.op} waits: {what}", "queue", b.ts, b.end_ts,
                       p.pid, tid, {"chan": b.chan})
        for q in p.queue_joins:
            tid = self.tid(p.pid, "waits")
            self.slice("JoinableQueue join", "queue", q.ts, q.end_ts, p.pid,
                       tid, {"chan": q.chan, "done": q.done})

    def messages(self):
        """A short slice at each end of a message, and the arrow.  There
        may be a million: written as text made here (what json would make
        of the same events), not as events to encode; from the trace's
        database by the converter (messages_c), else by message_texts."""
        if not messages_c(self):
            self.write_text(self.message_texts())

    def message_texts(self):
        ends = []       # (ts, pid, name, (msg, chan, size))
        for m in self.trace.messages:
            args = (m.msg, m.chan, m.size)
            if m.sender in self.pids:
                ends.append((m.send_ts, m.sender,
                             sent(m.op, m.size, m.failed), args))
            if m.receiver in self.pids:
                ends.append((m.recv_ts, m.receiver, received(m.op, m.size),
                             args))
        names, origin = {}, self.origin
        for ts, end, pid, tid, name, args in self.short_ends(ends):
            if name not in names:
                names[name] = json.dumps(name)
            yield MESSAGE % ((names[name], (ts - origin) / 1000, pid, tid,
                              (end - ts) / 1000 if end != ts else 0.0)
                             + args)
        tids = {}
        for m in self.trace.messages:
            if m.sender in self.pids and m.receiver in self.pids \
                    and not m.failed:
                for pid in (m.sender, m.receiver):
                    if pid not in tids:
                        tids[pid] = self.tid(pid, "messages")
                self.flow_id += 1
                yield FLOW % ((m.send_ts - origin) / 1000, m.sender,
                              tids[m.sender], self.flow_id,
                              (m.recv_ts - origin) / 1000, m.receiver,
                              tids[m.receiver], self.flow_id)

    def short_ends(self, ends):
        """(ts, end ts, pid, tid, name, args) of a short slice at each of
        ends ((ts, pid, name, args)): MSG_SLICE_NS long, or half the way to
        the process's next one."""
        by_pid = {}
        for end in sorted(ends, key=lambda e: e[0]):
            by_pid.setdefault(end[1], []).append(end)
        for pid, mine in by_pid.items():
            tid = self.tid(pid, "messages")
            for (ts, _, name, args), nxt in zip(mine, mine[1:] + [None]):
                dur = MSG_SLICE_NS
                if nxt is not None:     # whole ns: round() is slow
                    dur = min(dur, (nxt[0] - ts) // 2)
                yield ts, ts + dur, pid, tid, name, args

    def tasks(self):
        found = self.trace.tasks
        submits = []
        for t in found:
            label = f"task {short_id(t.task)}"
            args = {"pool": t.pool, "task": t.task}
            if t.worker in self.pids and t.start_ts is not None:
                self.slice(label, "task", t.start_ts, t.end_ts, t.worker,
                           self.tid(t.worker, "tasks"),
                           dict(args, error=t.error))
            if t.submitter in self.pids:
                submits.append((t.submit_ts, t.submitter, "submit " + label,
                                args))
        for ts, end, pid, tid, name, args in self.short_ends(submits):
            self.slice(name, "task", ts, end, pid, tid, args)
        for t in found:
            if t.submitter in self.pids and t.worker in self.pids \
                    and t.start_ts is not None:
                self.flow("task", "task", t.submit_ts, t.submitter,
                          self.tid(t.submitter, "messages"), t.start_ts,
                          t.worker, self.tid(t.worker, "tasks"))

    def locks(self):
        for h in self.trace.holds:
            if h.pid not in self.pids:
                continue
            tid = h.tid or self.tid(h.pid, "locks")
            lock = f"lock {short_id(h.obj)}"
            if h.wait_ts is not None and h.wait_ts < h.ts:
                self.slice(f"wait {lock}", "lock", h.wait_ts, h.ts, h.pid,
                           tid, {"obj": h.obj})
            self.slice(f"hold {lock}", "lock", h.ts, h.end_ts, h.pid, tid,
                       {"obj": h.obj, "ended": h.how,
                        "previous_owner_died": h.inherited})

    def names(self):
        meta = []
        for index, p in enumerate(self.lanes):
            name = p.name + (" - subreaper" if p.subreaper else "")
            meta += [
                {"ph": "M", "name": "process_name", "pid": p.pid,
                 "tid": p.pid, "args": {"name": name}},
                {"ph": "M", "name": "process_sort_index", "pid": p.pid,
                 "tid": p.pid, "args": {"sort_index": index}},
                {"ph": "M", "name": "thread_name", "pid": p.pid,
                 "tid": p.pid, "args": {"name": p.name}},
                {"ph": "M", "name": "thread_sort_index", "pid": p.pid,
                 "tid": p.pid, "args": {"sort_index": 0}}]
        for (pid, tid), name in sorted(self.thread_names.items()):
            meta += [
                {"ph": "M", "name": "thread_name", "pid": pid, "tid": tid,
                 "args": {"name": name}},
                {"ph": "M", "name": "thread_sort_index", "pid": pid,
                 "tid": tid, "args": {"sort_index": 1}}]
        for pid, track in sorted(self.used_tracks):
            meta += [
                {"ph": "M", "name": "thread_name", "pid": pid,
                 "tid": pid + TRACKS[track] * TRACK_STRIDE,
                 "args": {"name": track}},
                {"ph": "M", "name": "thread_sort_index", "pid": pid,
                 "tid": pid + TRACKS[track] * TRACK_STRIDE,
                 "args": {"sort_index": TRACKS[track]}}]
        for event in meta:
            self.keep(event)
