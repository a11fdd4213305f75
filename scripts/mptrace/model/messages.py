"""Channels (Queue, JoinableQueue, Pipe, Event) and what went through them."""

from typing import NamedTuple, Optional


class Channel(NamedTuple):
    """A channel, from its chan_open.  An Event is one too: its `obj` is its
    chan id."""
    chan: int
    """Its id: (creator pid << 32) | sequence."""
    kind: str
    """"queue", "joinable_queue", "pipe" (duplex), "pipe-oneway" or
    "event"."""
    capacity: int
    """A queue's maxsize; 0: unbounded."""
    creator: int
    """The pid that opened it."""
    open_ts: int
    """When."""


class Message(NamedTuple):
    """One message id: its msg_send and msg_recv.  Either side is None when
    its event is not in the trace (a message never taken).  The runtime
    records a send before its receive, but traces from before it did may
    have recv_ts a few microseconds before send_ts."""
    chan: int
    """The channel it went through."""
    msg: int
    """Its id, the same in msg_send and msg_recv."""
    sender: Optional[int]
    """The pid that put or sent it; None: no msg_send in the trace."""
    send_ts: Optional[int]
    """When."""
    receiver: Optional[int]
    """The pid that got or received it; None: never received."""
    recv_ts: Optional[int]
    """When."""
    size: int
    """Its bytes."""
    op: str
    """The sender's "put" or "send", else the receiver's "get" or "recv"."""
    failed: bool = False
    """The sender's next chan_op was "send_failed": a pipe's write failed,
    the message never left."""


class Block(NamedTuple):
    """A wait on a queue (chan_block): a put on a full one, a get on an
    empty one.  It ends at the process's next msg_send (put) or msg_recv
    (get) on that channel, or at its next chan_block there (the earlier
    wait gave up)."""
    ts: int
    """chan_block: the wait begins."""
    end_ts: Optional[int]
    """Its end; None if none came."""
    chan: int
    """The queue."""
    op: str
    """"put": the queue was full; "get": it was empty."""


class Eof(NamedTuple):
    """End of file seen (chan_eof): every writer is gone."""
    ts: int
    """When."""
    chan: int
    """On which channel."""


class ChanOp(NamedTuple):
    """Any other channel operation (chan_op)."""
    ts: int
    """When."""
    chan: int
    """On which channel."""
    op: str
    """task_done, join, joined, close or send_failed."""
    arg: int
    """task_done: tasks unfinished; joined: 1 all done, 0 timed out;
    send_failed: the errno."""


class QueueJoin(NamedTuple):
    """A wait in a JoinableQueue's join (chan_op join to joined)."""
    ts: int
    """chan_op join."""
    end_ts: Optional[int]
    """chan_op joined; None if it never came."""
    chan: int
    """The queue."""
    done: Optional[int]
    """joined's arg: 1 all tasks done, 0 timed out."""


class QueueItem(NamedTuple):
    """An item a consumer got from a JoinableQueue, until its task_done()."""
    pid: int
    """The consumer."""
    chan: int
    """The queue."""
    msg: int
    """The message it got."""
    get_ts: int
    """Its msg_recv."""
    done_ts: int
    """Its chan_op task_done."""
    place: int
    """The message's place among the queue's, from 0 (by message id)."""
    size: int
    """The item's bytes; 0: an empty item (a poison pill)."""


class EventWait(NamedTuple):
    """A wait for an Event (event_wait to event_woke)."""
    ts: int
    """event_wait."""
    end_ts: Optional[int]
    """event_woke; None if it never came."""
    obj: int
    """The Event."""
    timeout_ms: int
    """The limit; -1: none."""
    woke: Optional[int]
    """1: set, 0: timed out, None: never woke."""
    set_by: Optional[int] = None
    """For a wait woken set: who did the event_set that released it (the
    last at or before the wake, unless that one is older than the wait and
    a set comes at most SET_SLACK_NS after the wake: traces from runtimes
    that recorded a set after waking the waiters); else None."""
    set_ts: Optional[int] = None
    """When that set was recorded."""


class EventOp(NamedTuple):
    """An event_set or event_clear."""
    ts: int
    """When."""
    obj: int
    """The Event."""
    op: str
    """"set" or "clear"."""
