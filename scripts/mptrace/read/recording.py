"""What a reader hands over: the events of one recording."""

from typing import NamedTuple, Optional

# The payload field `name` would clash with the event's own name: it is
# stored as "sem_name" for sem_open, as "proc_name" for the others
# (proc_start and proc_fork).
RENAMED_FIELDS = {"name": "proc_name"}
RENAMED_BY_EVENT = {("sem_open", "name"): "sem_name"}
ORIGINAL_NAMES = {"proc_name": "name", "sem_name": "name"}


def field_name(event, key):
    """The key under which event's payload field `key` is stored."""
    return RENAMED_BY_EVENT.get((event, key)) or RENAMED_FIELDS.get(key, key)

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
