"""The model of a trace: processes and what passed between them.

Every record is a NamedTuple (or, for Proc, a dataclass) with a docstring
per field.  They are made by mptrace.procs (Proc and what hangs on it) and
mptrace.pairing (messages, tasks, lock holds, manager requests, queue
items), and reached through a Trace (mptrace.trace).
"""

from .messages import (Block, Channel, ChanOp, Eof, EventOp, EventWait,
                       Message, QueueItem, QueueJoin)
from .process import Adoption, Join, Line, Log, Proc, Signal, State
from .work import Hold, LockWait, MgrRequest, PoolOp, Task

__all__ = ["Adoption", "Block", "ChanOp", "Channel", "Eof", "EventOp",
           "EventWait", "Hold", "Join", "Line", "LockWait", "Log", "Message",
           "MgrRequest", "PoolOp", "Proc", "QueueItem", "QueueJoin", "Signal",
           "State", "Task"]
