"""Events paired into what they describe together: one pairing each for
messages (send and receive), tasks (submit, start, end), lock holds
(acquire to release, or to the holder's death; a POSIX semaphore of value
1, Python's Lock, from sem_acquire to sem_post), manager requests (request
and reply) and queue items (get to task_done).  Each takes the events in
time order and returns records of mptrace.model.
"""

from collections import defaultdict

from .model import (Channel, Hold, LockWait, Message, MgrRequest, PoolOp,
                    QueueItem, Task)


def channels(events):
    """chan id -> Channel, from the chan_open events."""
    found = {}
    for event in events:
        if event["name"] == "chan_open" and event["chan"] not in found:
            found[event["chan"]] = Channel(event["chan"], event["kind"],
                                           event["capacity"], event["pid"],
                                           event["ts"])
    return found


def messages(events):
    """[Message], one per msg id, in the order of its first event: its
    first msg_send and its first msg_recv."""
    first, sends, recvs = {}, {}, {}      # msg id -> event
    failed = set()
    last_send = {}          # (pid, chan) -> msg id of its latest msg_send
    for e in events:
        name = e["name"]
        if name == "msg_send":
            first.setdefault(e["msg"], e)
            sends.setdefault(e["msg"], e)
            last_send[e["pid"], e["chan"]] = e["msg"]
        elif name == "msg_recv":
            first.setdefault(e["msg"], e)
            recvs.setdefault(e["msg"], e)
        elif name == "chan_op" and e["op"] == "send_failed":
            sent = last_send.get((e["pid"], e["chan"]))
            if sent is not None:
                failed.add(sent)
    return [_message(e, sends.get(msg), recvs.get(msg), msg in failed)
            for msg, e in first.items()]


def _message(first, send, recv, failed):
    """The Message of one msg id: its channel from its first event, its
    size and op from the send (else the receive)."""
    said = send or first
    return Message(first["chan"], first["msg"],
                   send["pid"] if send else None,
                   send["ts"] if send else None,
                   recv["pid"] if recv else None,
                   recv["ts"] if recv else None,
                   said["size"], said["op"], failed)


def queue_depth(messages, chan):
    """[(ts, n)]: how many messages chan held from ts on, one entry per
    change: a message counts from its send until its receive (to the end
    if never received; not at all if its receive is recorded first, its
    send is missing or failed)."""
    steps = []
    for msg in messages:
        if msg.chan != chan or msg.send_ts is None or msg.failed:
            continue
        if msg.recv_ts is None:
            steps.append((msg.send_ts, 1))
        elif msg.recv_ts > msg.send_ts:
            steps += [(msg.send_ts, 1), (msg.recv_ts, -1)]
    depth, out = 0, []
    for ts, change in sorted(steps):
        depth += change
        if out and out[-1][0] == ts:
            out[-1] = (ts, depth)
        else:
            out.append((ts, depth))
    return out


def tasks(events):
    """[Task] in submit order (pool, then task id): each task's submit,
    start and end.  A task started twice (its first worker died just as it
    took it) keeps its first start, and counts both."""
    found = {}
    for event in events:
        name = event["name"]
        if name not in ("task_submit", "task_start", "task_end"):
            continue
        key = (event["pool"], event["task"])
        task = found.get(key) or Task(event["pool"], event["task"], None,
                                      None, None, None, None, None, None)
        if name == "task_submit" and task.submit_ts is None:
            task = task._replace(submitter=event["pid"], submit_ts=event["ts"])
        elif name == "task_start":
            if task.start_ts is None:
                task = task._replace(worker=event["pid"], start_ts=event["ts"])
            task = task._replace(starts=task.starts + 1)
        elif name == "task_end":
            if task.end_ts is None:
                task = task._replace(end_ts=event["ts"],
                                     error=event.get("error"),
                                     size=event.get("result_size"))
            task = task._replace(ends=task.ends + 1)
        found[key] = task
    return [found[key] for key in sorted(found)]


def pool_ops(events):
    """{pool id: [PoolOp]}: create, close, join, joined, terminate,
    worker_died, in time order."""
    ops = {}
    for event in events:
        if event["name"] == "pool_op":
            ops.setdefault(event["pool"], []).append(
                PoolOp(event["ts"], event["pid"], event["op"], event["arg"]))
    return ops


def locks(events):
    """([Hold] in the order the locks were taken, [LockWait] in the order
    the waits ended).  A hold ends at its owner's lock_release, or when
    the next owner acquires the lock with arg 1: its owner died holding
    it.  An RLock taken again by its holder is the same hold, ended by
    the release that matches its first acquire.  A wait ends at the
    waiter's lock_acquire or lock_timeout."""
    holds, waits = [], []
    waiting, open_ = {}, {}        # open_: obj -> [index in holds]
    depth = {}                     # (obj, pid) -> acquires within its hold
    for e in events:
        name = e["name"]
        if not name.startswith("lock_"):
            continue
        key = (e["obj"], e["pid"])
        if name == "lock_wait":
            waiting[key] = e["ts"]
            continue
        if name in ("lock_acquire", "lock_timeout"):
            wait_ts = waiting.pop(key, None)
            if wait_ts is not None:
                waits.append(LockWait(e["obj"], e["pid"], wait_ts, e["ts"],
                                      name == "lock_acquire"))
        if name == "lock_acquire":
            inherited = e.get("arg") == 1
            if inherited:   # whoever held it died: that hold ended now
                for i in open_.get(e["obj"], []):
                    holds[i] = holds[i]._replace(end_ts=e["ts"], how="died")
                    depth.pop((e["obj"], holds[i].pid), None)
                open_[e["obj"]] = []
            if depth.get(key):          # an RLock, again: the same hold
                depth[key] += 1
                continue
            depth[key] = 1
            holds.append(Hold(e["obj"], e["pid"], wait_ts, e["ts"], None,
                              "open", inherited))
            open_.setdefault(e["obj"], []).append(len(holds) - 1)
        elif name == "lock_release":
            if depth.get(key, 0) > 1:
                depth[key] -= 1
                continue
            depth.pop(key, None)
            mine = [i for i in open_.get(e["obj"], [])
                    if holds[i].pid == e["pid"]]
            if mine:
                i = mine[-1]
                holds[i] = holds[i]._replace(end_ts=e["ts"], how="released")
                open_[e["obj"]].remove(i)
    return holds, waits


def semaphores(events):
    """sem id -> its value when first opened (sem_open): 1 for Python's
    Lock and RLock, 0 for a Condition's or an Event's, maxsize for a
    bounded Queue's."""
    found = {}
    for e in events:
        if e["name"] == "sem_open":
            found.setdefault(e["sem"], e["value"])
    return found


def sem_locks(events, values, procs):
    """([Hold], [LockWait]) of POSIX semaphores, like locks(): a hold of
    each semaphore of value 1 (values: semaphores()) from sem_acquire to
    the sem_post that gives it back (its holder's, else anyone's); a wait
    (sem_wait to sem_acquire or sem_timeout) on any semaphore.  Each with
    the thread that did it (procs: pid -> Proc)."""
    holds, waits, waiting, open_ = [], [], {}, defaultdict(list)
    for e in events:
        name = e["name"]
        if not name.startswith("sem_") or name == "sem_open":
            continue
        proc = procs.get(e["pid"])
        tid = proc.thread_of(e.get("vtid"), e["ts"]) if proc else None
        key, obj = (e["obj"], e["pid"], tid), e["obj"]
        if name == "sem_wait":
            waiting[key] = e["ts"]
            continue
        wait_ts = waiting.pop(key, None) if name != "sem_post" else None
        if wait_ts is not None:
            waits.append(LockWait(obj, e["pid"], wait_ts, e["ts"],
                                  name == "sem_acquire", tid, True))
        if values.get(obj) != 1:
            continue
        if name == "sem_acquire":
            holds.append(Hold(obj, e["pid"], wait_ts, e["ts"], None, "open",
                              False, tid, True))
            open_[obj].append(len(holds) - 1)
        elif name == "sem_post" and open_[obj]:
            mine = [i for i in open_[obj] if holds[i].pid == e["pid"]
                    and holds[i].tid == tid] or open_[obj]
            i = mine[0]
            holds[i] = holds[i]._replace(end_ts=e["ts"], how="released")
            open_[obj].remove(i)
    return holds, waits


def mgr_requests(events):
    """[MgrRequest] in the order they were made, each with its reply (the
    client's mgr_reply of the same request id) if it came."""
    found, pending = [], {}        # pending: (pid, req) -> index in found
    for e in events:
        name = e["name"]
        if name == "mgr_request":
            pending[e["pid"], e["req"]] = len(found)
            found.append(MgrRequest(e["pid"], e["mgr"], e["req"], e["ts"],
                                    None, e["op"], e["key"], e["value"],
                                    None, None))
        elif name == "mgr_reply" and (e["pid"], e["req"]) in pending:
            i = pending.pop((e["pid"], e["req"]))
            found[i] = found[i]._replace(end_ts=e["ts"], reply=e["value"],
                                         status=e["status"])
    return found


def queue_items(events, channels, messages):
    """[QueueItem]: each item a process got from a JoinableQueue, until its
    task_done() for it, in the order of the task_done()s."""
    chans = {chan for chan, c in channels.items()
             if c.kind == "joinable_queue"}
    place, count = {}, defaultdict(int)
    for m in sorted(messages, key=lambda m: m.msg):
        if m.chan in chans:
            place[m.msg] = count[m.chan]
            count[m.chan] += 1
    out, got = [], {}
    for e in events:
        pid = e.get("pid")
        if e.get("chan") not in chans:
            continue
        if e["name"] == "msg_recv":
            got[pid, e["chan"]] = e
        elif e["name"] == "chan_op" and e["op"] == "task_done" \
                and (pid, e["chan"]) in got:
            g = got.pop((pid, e["chan"]))
            out.append(QueueItem(pid, e["chan"], g["msg"], g["ts"], e["ts"],
                                 place.get(g["msg"], 0), g["size"]))
    return out
