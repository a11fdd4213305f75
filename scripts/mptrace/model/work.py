"""Work shared between processes: pool tasks, locks, manager requests."""

from typing import NamedTuple, Optional


class Task(NamedTuple):
    """One task of a pool: its task_submit, task_start and task_end."""
    pool: int
    """The pool's id."""
    task: int
    """The task's id (short_id() gives the number a student counts)."""
    submitter: Optional[int]
    """The pid that submitted it; None: not in the trace."""
    submit_ts: Optional[int]
    """When."""
    worker: Optional[int]
    """The pid that ran it; None: it never started."""
    start_ts: Optional[int]
    """Its first task_start."""
    end_ts: Optional[int]
    """Its first task_end; None: it never ended (its worker died?)."""
    error: Optional[int]
    """0, or the errno it failed with."""
    size: Optional[int]
    """Its result's bytes."""
    starts: int = 0
    """task_start events: 1, unless it ran twice (its first worker died
    just as it took it)."""
    ends: int = 0
    """task_end events."""


class PoolOp(NamedTuple):
    """A pool-wide step (pool_op)."""
    ts: int
    """When."""
    pid: int
    """Who did it."""
    op: str
    """create, close, join, joined, terminate, worker_died."""
    arg: int
    """create: the workers; worker_died: its pid."""


class Hold(NamedTuple):
    """A process holding a lock: lock_acquire to its end."""
    obj: int
    """The lock."""
    pid: int
    """The holder."""
    wait_ts: Optional[int]
    """Its lock_wait; None if it took the lock at once."""
    ts: int
    """lock_acquire."""
    end_ts: Optional[int]
    """lock_release, or the next owner's lock_acquire with arg 1 (the
    holder died holding it); None: never released."""
    how: str
    """"released", "died" (the next owner was told its previous owner
    died) or "open" (no end in the trace)."""
    inherited: bool
    """acquire's arg was 1: the previous owner died holding it."""
    tid: Optional[int] = None
    """The holding thread (Thread.tid); None: the main thread, or not
    known."""
    sem: bool = False
    """A POSIX semaphore of value 1 (Python's Lock: sem_acquire to
    sem_post, seen by the preload), not the runtime's Lock."""


class LockWait(NamedTuple):
    """A wait for a lock: lock_wait to lock_acquire or lock_timeout."""
    obj: int
    """The lock."""
    pid: int
    """The waiter."""
    ts: int
    """lock_wait."""
    end_ts: int
    """The acquire, or the timeout."""
    got: bool
    """True: it took the lock; False: it gave up."""
    tid: Optional[int] = None
    """The waiting thread; None: the main thread, or not known."""
    sem: bool = False
    """A wait for a POSIX semaphore (sem_wait): Python's Lock, or a
    semaphore that counts (a Condition's, a bounded Queue's)."""


class MgrRequest(NamedTuple):
    """A client's request to a manager and its reply (mgr_request and
    mgr_reply of the same request id)."""
    pid: int
    """The client."""
    mgr: int
    """The manager."""
    req: int
    """The request's id."""
    ts: int
    """mgr_request."""
    end_ts: Optional[int]
    """mgr_reply; None: never answered."""
    op: str
    """get, set, ... (`d["count"] -= 1` is a get then a set)."""
    key: str
    """The key."""
    value: str
    """The value sent (a set's)."""
    reply: Optional[str]
    """The value the reply carried (a get's)."""
    status: Optional[int]
    """The reply's status: 0 or an errno."""
