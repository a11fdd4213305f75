"""Questions about messages, queues and Events."""

from collections import defaultdict

from ..errors import UsageError
from . import bysql
from .checker import Answer, No, question


# -- messages --

def _channel_filter(c, chan):
    if chan is not None and chan not in c.trace.channels:
        if not any(m.chan == chan for m in c.trace.messages):
            raise UsageError(f"no channel {chan:#x} in the trace")
    return lambda e: chan is None or e["chan"] == chan


@question("messages-once", "[CHAN]", "every message put or sent (and not "
          "refused) was got or received exactly once, whole (the same "
          "size); none was received that was not sent")
def _messages_once(c, chan=None):
    mine = _channel_filter(c, chan)
    counted = bysql.messages_once(c.trace, chan)
    if counted is not None:
        return _all_once(*counted)
    sends = [e for e in c.named(("msg_send",)) if mine(e)]
    recvs = defaultdict(list)
    for e in c.named(("msg_recv",)):
        if mine(e):
            recvs[e["msg"]].append(e)
    failed = {m.msg for m in c.trace.messages if m.failed}
    sent = {e["msg"]: e for e in sends}
    for e in sends:
        got = recvs.get(e["msg"], [])
        if e["msg"] in failed:
            if got:
                return Answer(False, f"message {e['msg']:#x} failed to send "
                              f"but {c.who(got[0]['pid'])} received it")
            continue
        if len(got) != 1:
            return Answer(False, f"message {e['msg']:#x} {e['op']} by "
                          f"{c.who(e['pid'])} at {c.ms(e['ts'])} was "
                          f"received {len(got)} times"
                          + "".join(f", by {c.who(g['pid'])} at "
                                    f"{c.ms(g['ts'])}" for g in got),
                          (c.mark(e["pid"], e["ts"],
                                  text=f"got {len(got)} times"),))
        if got[0]["size"] != e["size"]:
            return Answer(False, f"message {e['msg']:#x}: {e['size']} bytes "
                          f"sent, {got[0]['size']} received")
    unsent = [m for m in recvs if m not in sent]
    if unsent:
        g = recvs[unsent[0]][0]
        return Answer(False, f"{len(unsent)} message(s) received but never "
                      f"sent, the first {unsent[0]:#x} by {c.who(g['pid'])} "
                      f"at {c.ms(g['ts'])}")
    refused = len(failed & set(sent))
    return _all_once(len(sends) - refused, refused)


def _all_once(n, refused):
    return Answer(True, f"{n} messages, each received once"
                  + (f" ({refused} refused by the system, never sent)"
                     if refused else ""))


@question("messages-fifo", "[CHAN]", "on each channel, every sender's "
          "messages were received in the order it sent them")
def _messages_fifo(c, chan=None):
    mine = _channel_filter(c, chan)
    order = defaultdict(list)       # (chan, sender) -> [msg] sent
    for e in c.named(("msg_send",)):
        if mine(e):
            order[e["chan"], e["pid"]].append(e["msg"])
    sender = {m: key for key, msgs in order.items() for m in msgs}
    got = defaultdict(list)         # the same, in the order received
    for e in c.named(("msg_recv",)):
        if mine(e) and e["msg"] in sender:
            got[sender[e["msg"]]].append((e["msg"], e["ts"]))
    for key, received in got.items():
        rank = {m: i for i, m in enumerate(order[key])}
        for (m1, _), (m2, ts2) in zip(received, received[1:]):
            if rank[m2] < rank[m1]:
                return Answer(False, f"on channel {key[0]:#x}, "
                              f"{c.who(key[1])}'s message {m2:#x} was "
                              f"received at {c.ms(ts2)}, after {m1:#x} that "
                              "it sent later")
    n = sum(len(r) for r in got.values())
    return Answer(True, f"{n} messages from {len(got)} sender(s) on "
                  f"{len({k[0] for k in got})} channel(s), each sender's "
                  "in order")


@question("queue-bounded", "[CHAN]", "no bounded queue the lesson made "
          "ever held more messages than its maxsize")
def _queue_bounded(c, chan=None):
    queues = [ch for ch in c.trace.channels.values()
              if ch.kind in ("queue", "joinable_queue") and ch.capacity > 0
              and ch.creator in c.pids and (chan is None or ch.chan == chan)]
    if not queues:
        return Answer(False, "no bounded queue in the trace"
                      + (f" with id {chan:#x}" if chan is not None else ""))
    said = []
    for q in queues:
        depth = c.trace.queue_depth(q.chan)
        most = max((n for _, n in depth), default=0)
        at = next((ts for ts, n in depth if n == most), None)
        if most > q.capacity:
            return Answer(False, f"queue {q.chan:#x} (maxsize {q.capacity}) "
                          f"held {most} at {c.ms(at)}")
        said.append(f"queue {q.chan:#x} (maxsize {q.capacity}) held at most "
                    f"{most}" + (f", first at {c.ms(at)}" if most else ""))
    return Answer(True, "; ".join(said))


@question("event-wait", "PID HOW", "every wait of the process for an Event "
          "ended HOW: set (released by a set() recorded before the wake) or "
          "timeout (gave up, no set() of that Event before)")
def _event_wait(c, pid, how):
    proc = c.proc(pid)
    if not proc.event_waits:
        return Answer(False, f"{c.who(pid)} never waited for an Event",
                      (c.mark(pid, proc.begin_ts, c.end_of(proc),
                              "no wait for the Event"),)
                      if proc.begin_ts is not None else ())
    sets = defaultdict(list)
    for p in c.procs.values():
        if p.pid in c.pids:
            for op in p.event_sets:
                if op.op == "set":
                    sets[op.obj].append((op.ts, p.pid))
    said = []
    for w in proc.event_waits:
        began = f"{c.who(pid)} waited from {c.ms(w.ts)}"
        where = (c.mark(pid, w.ts, w.end_ts, "this wait"),)
        if w.end_ts is None:
            return Answer(False, began + " and never woke", where)
        if how == "set":
            setter = max((s for s in sets[w.obj] if s[0] <= w.end_ts),
                         default=None)
            if w.woke != 1 or setter is None:
                return Answer(False, began + f", woke at {c.ms(w.end_ts)} "
                              + ("timed out" if w.woke == 0
                                 else "with no set() before"), where)
            said.append(began + f", woke at {c.ms(w.end_ts)}: set by "
                        f"{c.who(setter[1])} at {c.ms(setter[0])}")
        else:
            early = [s for s in sets[w.obj] if s[0] <= w.end_ts]
            if w.woke != 0 or early:
                return Answer(False, began + f", woke at {c.ms(w.end_ts)} "
                              + ("set" if w.woke == 1 else "") +
                              (f" (set by {c.who(early[-1][1])} at "
                               f"{c.ms(early[-1][0])})" if early else ""),
                              where)
            later = next((s for s in sets[w.obj] if s[0] > w.end_ts), None)
            said.append(began + f", timed out at {c.ms(w.end_ts)} "
                        f"(limit {w.timeout_ms} ms)"
                        + (f", before the set() at {c.ms(later[0])}"
                           if later else ""))
    return Answer(True, "; ".join(said))


# -- bounded queues and poison pills --

def _queues(c, chan, bounded):
    found = [ch for ch in c.trace.channels.values()
             if ch.kind in ("queue", "joinable_queue")
             and ch.creator in c.pids and (chan is None or ch.chan == chan)
             and (ch.capacity > 0 or not bounded)]
    if not found:
        raise No(("no bounded queue" if bounded else "no queue")
                 + " in the trace"
                 + (f" with id {chan:#x}" if chan is not None else ""))
    return {ch.chan: ch for ch in found}


@question("put-waited", "[CHAN]", "a put waited on a full bounded queue "
          "at least once: the queue's bound held the producer back",
          basis="runtime")
def _put_waited(c, chan=None):
    queues = _queues(c, chan, bounded=True)
    waits = [(p, b) for p in c.lanes for b in p.blocks
             if b.op == "put" and b.chan in queues]
    if not waits:
        return Answer(False, "no put ever waited: "
                      + "; ".join(f"queue {q:#x} (maxsize {ch.capacity}) "
                                  "was never full"
                                  for q, ch in queues.items()))
    p, b = waits[0]
    end = c.ms(b.end_ts) if b.end_ts is not None else "the end"
    return Answer(True, f"{c.who(p.pid)} waited to put on queue {b.chan:#x} "
                  f"(maxsize {queues[b.chan].capacity}) from {c.ms(b.ts)} "
                  f"to {end}"
                  + (f", and {len(waits) - 1} more waits"
                     if len(waits) > 1 else ""))


@question("stopped-on-pill", "[CHAN]", "every process that got from a "
          "queue (or CHAN) stopped getting at its first empty message (a "
          "poison pill) and then ended by itself, with exitcode 0",
          basis="runtime")
def _stopped_on_pill(c, chan=None):
    queues = _queues(c, chan, bounded=False)
    got = defaultdict(list)
    for m in c.trace.messages:
        if m.chan in queues and m.receiver in c.pids \
                and m.recv_ts is not None:
            got[m.receiver].append(m)
    if not got:
        raise No("nobody got anything from " + ", ".join(
            f"queue {q:#x}" for q in queues))
    wrong, marks = [], []
    for pid, msgs in got.items():
        msgs.sort(key=lambda m: m.recv_ts)
        proc = c.procs[pid]
        pill = next((i for i, m in enumerate(msgs) if m.size == 0), None)
        if pill is None:
            ended = c.end_of(proc) or msgs[-1].recv_ts
            wrong.append(f"{c.who(pid)} got {len(msgs)} items and no pill, "
                         f"the last at {c.ms(msgs[-1].recv_ts)}")
            marks.append(c.mark(pid, msgs[-1].recv_ts, ended, "no pill"))
        elif pill + 1 < len(msgs):
            after = msgs[pill + 1]
            wrong.append(f"{c.who(pid)} got its pill at "
                         f"{c.ms(msgs[pill].recv_ts)} and went on getting "
                         f"(at {c.ms(after.recv_ts)})")
            marks.append(c.mark(pid, after.recv_ts, text="after its pill"))
        elif proc.exitcode != 0:
            how = "was never collected" if proc.exitcode is None \
                else f"ended with exitcode {proc.exitcode}"
            wrong.append(f"{c.who(pid)} got its pill at "
                         f"{c.ms(msgs[pill].recv_ts)} but {how}")
            marks.append(c.mark(pid, c.end_of(proc) or msgs[pill].recv_ts,
                                text=f"exitcode {proc.exitcode}"))
    if wrong:
        return Answer(False, "; ".join(wrong), tuple(marks))
    return Answer(True, f"{len(got)} processes got from the queue; each "
                  "stopped at its pill and ended with exitcode 0")
