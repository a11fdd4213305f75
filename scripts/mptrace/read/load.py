"""The one way in: a path to a Trace.

    trace = mptrace.load("build/lessons/2/trace")   # or a .json event list

A CTF trace is read once (cache.py): the first tool converts it into a
database beside it, with the model's parts, and the tools after it open
that.  Without the converter (trace/sql/) the bindings read it every time
(ctf.py).  A JSON event list is read as it is.
"""

import os

from ..trace import Trace
from . import cache, ctf, jsonlist
from .recording import Recording


def load(path):
    """The Trace of the recording at path: a trace directory, or a JSON
    file holding a list of events.  Raises TraceError."""
    if os.path.isfile(path):
        return Trace(*jsonlist.read(path))
    trace = cache.load(path)
    return trace if trace is not None else Trace(*ctf.read(path))


def read(path):
    """The Recording at path: its events, all in memory."""
    trace = load(path)
    return Recording(trace.events, trace.discarded, trace.runner_pid)
