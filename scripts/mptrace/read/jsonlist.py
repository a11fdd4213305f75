"""A JSON file holding a list of events as mptrace makes them
({"ts": ns, "name": "task_start", "pid": ..., ...}): the tests' synthetic
traces, of events no lesson recorded when they were made.  An event
{"ts": 0, "name": "discarded", "count": N} stands for N events LTTng lost;
proc_start's and proc_fork's `name` field is called "proc_name".  Every
event is checked (schema.py) before it is used."""

import json

from ..errors import TraceError
from . import schema
from .recording import Recording


def read(path):
    """The Recording of the JSON event list in the file at path."""
    try:
        with open(path) as f:
            events = json.load(f, parse_constant=_refuse)
    except RecursionError:
        raise TraceError(f"{path}: not a JSON list of events (nested too "
                         "deep)") from None
    except (OSError, ValueError) as error:
        raise TraceError(f"{path}: not a JSON list of events ({error})") \
            from None
    if not isinstance(events, list):
        raise TraceError(f"{path}: not a JSON list of events")
    schema.check(events, path)
    negative = next((i for i, e in enumerate(events)
                     if e["name"] == "discarded" and e["count"] < 0), None)
    if negative is not None:
        raise TraceError(f"{path}: event {negative} (discarded): a count "
                         "below 0")
    lost = sum(e["count"] for e in events if e["name"] == "discarded")
    events = sorted((dict(e) for e in events if e["name"] != "discarded"),
                    key=lambda e: e["ts"])
    return Recording(events, lost, None)


def _refuse(constant):
    """NaN, Infinity and -Infinity are not JSON, whatever Python's json
    module accepts."""
    raise ValueError(f"{constant} is not a JSON number")
