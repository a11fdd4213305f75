"""mptrace - the suite's LTTng traces (provider `mp`), read once into a
model every tool shares: the timeline, the checks, the Perfetto export.

    import mptrace
    trace = mptrace.load("build/lessons/2/trace")   # or a .json event list
    for proc in trace.lanes:                         # the lesson's processes
        print(proc.label, (proc.start_ts - trace.t0) / 1e6)

The map:
    read/        the one loader: CTF (babeltrace2, checked for damage
                 first, read under a time limit) or a JSON event list;
                 every event checked against the schema
    model/       the records: Proc, Message, Task, Hold, ... (a docstring
                 per field)
    trace.py     Trace: the events and the model made of them, lazily
    procs.py     events -> processes;  pairing.py  events -> messages,
                 tasks, lock holds, manager requests, queue items
    check/       trace-check's yes-or-no questions
    perfetto.py  trace-json's export;  table.py  events.tsv
    draw/        the timeline: style, scale, layout, lanes, marks, gnuplot
    cli.py       what the three commands share
"""

from .errors import TraceError, UsageError
from .read.load import load
from .trace import Trace

__all__ = ["Trace", "TraceError", "UsageError", "load"]
