"""What a reader hands over: the events of one recording."""

from typing import NamedTuple, Optional

# The payload field `name` (of proc_start and proc_fork) would clash with
# the event's own name, so it is stored as "proc_name".
RENAMED_FIELDS = {"name": "proc_name"}

# The LTTng vpid context of the process that emitted the event, kept as
# this key when the recording has it (a JSON list may give it too).
EMITTER = "vpid"


class Recording(NamedTuple):
    """The events of one recording, as every reader returns them."""
    events: list
    """Event dicts sorted by "ts" (see Trace.events)."""
    discarded: int
    """Events LTTng reported lost."""
    runner_pid: Optional[int]
    """The runner's pid as the recorder wrote it down (runner.pid)."""
