"""The model of a trace: processes and what passed between them.

Every record is a NamedTuple (or, for Proc, a dataclass) with a docstring
per field.  They are made by mptrace.procs (Proc and what hangs on it),
mptrace.programs (what the preload records of any program), mptrace.pairing
(messages, tasks, lock holds, manager requests, queue items) and
mptrace.streams (bytes through pipes), and reached through a Trace
(mptrace.trace).
"""

from .messages import (Block, Channel, ChanOp, Eof, EventOp, EventWait,
                       Message, QueueItem, QueueJoin)
from .pipes import Pipe, Transfer
from .process import Adoption, Join, Line, Log, Proc, Signal, State
from .program import (Exec, Handled, LibCall, OutLine, Thread, Untraced,
                      Wait)
from .work import Hold, LockWait, MgrRequest, PoolOp, Task

__all__ = ["Adoption", "Block", "ChanOp", "Channel", "Eof", "EventOp",
           "EventWait", "Exec", "Handled", "Hold", "Join", "LibCall", "Line",
           "LockWait", "Log", "Message", "MgrRequest", "OutLine", "Pipe",
           "PoolOp", "Proc", "QueueItem", "QueueJoin", "Signal", "State",
           "Task", "Thread", "Transfer", "Untraced", "Wait"]
