"""The one way in: a path to a Trace.

    trace = mptrace.load("build/lessons/2/trace")   # or a .json event list

`read(path)` is the one place that touches the recording's files; it
returns a Recording (the events, sorted), and everything else is made from
that.  A cache (a converted form kept beside the trace) slips in here:
`read` looks for it first, and writes it after a real read; no caller
changes.
"""

import os

from ..trace import Trace
from . import ctf, jsonlist


def load(path):
    """The Trace of the recording at path: a trace directory, or a JSON
    file holding a list of events.  Raises TraceError."""
    return Trace(*read(path))


def read(path):
    """The Recording at path (see mptrace.read.recording)."""
    if os.path.isfile(path):
        return jsonlist.read(path)
    return ctf.read(path)
