"""A JSON file holding a list of events as mptrace makes them
({"ts": ns, "name": "task_start", "pid": ..., ...}): the tests' synthetic
traces, of events no lesson recorded when they were made.  An event
{"name": "discarded", "count": N} stands for N events LTTng lost;
proc_start's and proc_fork's `name` field is called "proc_name"."""

import json

from ..errors import TraceError
from .recording import Recording


def read(path):
    """The Recording of the JSON event list in the file at path."""
    try:
        with open(path) as f:
            events = json.load(f)
    except (OSError, ValueError) as error:
        raise TraceError(f"{path}: not a JSON list of events ({error})")
    if not isinstance(events, list):
        raise TraceError(f"{path}: not a JSON list of events")
    lost = sum(e.get("count", 0) for e in events if e["name"] == "discarded")
    events = sorted((dict(e) for e in events if e["name"] != "discarded"),
                    key=lambda e: e["ts"])
    return Recording(events, lost, None)
