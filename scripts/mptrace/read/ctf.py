"""A CTF trace directory read with babeltrace2's Python bindings (bt2,
Debian's python3-bt2: in /usr/bin/python3, not in a python3 of one's own).

LTTng writes one sub-trace (a directory with a `metadata` file) per user
or per process.  They are read together; if that fails, each is read on
its own and those babeltrace2 cannot read are skipped.  (Handing
babeltrace2 the top directory instead lets it find them itself, but
babeltrace 2.0.4 then aborts the whole program on one bad sub-trace.)

A trace is a classroom's: it must never hang a tool.  Before babeltrace2
reads a sub-trace, damage.py looks for what makes its reader loop forever
or read nothing (metadata or streams cut short); the reading itself runs
in a child process under a time limit (bounded.py) for what nobody has
seen yet, and every event read is checked against the schema.
"""

import os
import sys

from ..errors import TraceError
from . import bounded, damage, schema
from .recording import EMITTER, Recording, field_name


# The time a reading may take: this, and READ_S_PER_MIB more for every MiB
# of the trace (a normal lesson's reads in a tenth of a second).
READ_S, READ_S_PER_MIB = 30, 10


def read(trace_dir):
    """The Recording of the trace under trace_dir: its events sorted by
    time, the count LTTng lost, and runner.pid's pid."""
    found = subtraces(trace_dir)
    if not found:
        return Recording([], 0, None)  # a session that recorded nothing
    events, discarded = bounded.call(limit(found), trace_dir,
                                     _read_all, trace_dir, found)
    schema.check(events, trace_dir)
    events.sort(key=lambda event: event["ts"])
    return Recording(events, discarded, runner_pid(trace_dir))


def subtraces(trace_dir):
    """The sub-traces (directories with a metadata file) under trace_dir,
    each checked for damage first; [] for a session that recorded
    nothing.  TraceError if trace_dir holds no LTTng trace, or a damaged
    one."""
    found = sorted(root for root, _, files in os.walk(trace_dir)
                   if "metadata" in files)
    if not found and not os.path.isdir(os.path.join(trace_dir, "ust")):
        raise TraceError(f"{trace_dir}: no LTTng trace in it")
    for subtrace in found:
        damage.check(subtrace)
    return found


def limit(subtraces):
    """Seconds the reading may take: MP_TRACE_READ_SECONDS, else READ_S
    and READ_S_PER_MIB of the trace's files."""
    try:
        return float(os.environ["MP_TRACE_READ_SECONDS"])
    except (KeyError, ValueError):
        pass
    size = sum(os.path.getsize(os.path.join(root, name))
               for subtrace in subtraces
               for root, _, names in os.walk(subtrace) for name in names)
    return READ_S + READ_S_PER_MIB * size / (1 << 20)


def _read_all(trace_dir, subtraces):
    """(events, discarded) of all the sub-traces, read together, or one by
    one if that fails."""
    import bt2      # here: the JSON traces need no babeltrace2
    try:
        return _read(bt2, subtraces)
    except Exception:  # bt2 reports failures as bt2._Error, RuntimeError...
        return _read_each(bt2, trace_dir, subtraces)


def _read(bt2, subtraces):
    """All events of these CTF sub-traces, and how many LTTng lost."""
    specs = [bt2.ComponentSpec.from_named_plugin_and_component_class(
        "ctf", "fs", {"inputs": [path]}) for path in subtraces]
    events, discarded = [], 0
    for msg in bt2.TraceCollectionMessageIterator(specs):
        if type(msg) is bt2._EventMessageConst:
            events.append(_event_dict(bt2, msg))
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
    return events, discarded


def _read_each(bt2, trace_dir, subtraces):
    """Read the sub-traces one by one, skipping those that fail."""
    events, discarded, read = [], 0, 0
    for path in subtraces:
        try:
            more, lost = _read(bt2, [path])
        except Exception as error:
            print(f"mptrace: skipping unreadable sub-trace {path} "
                  f"({_reason(bt2, error)})", file=sys.stderr)
            continue
        events += more
        discarded += lost
        read += 1
    if not read:
        raise TraceError(f"{trace_dir}: no readable LTTng trace in it")
    return events, discarded


def _reason(bt2, error):
    """babeltrace2's most specific complaint, on one line."""
    causes = [cause.message for cause in error] \
        if isinstance(error, bt2._Error) else []
    lines = (causes[0] if causes else str(error)).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _event_dict(bt2, msg):
    """The event as a dict; with "vtid", the thread that recorded it, when
    the session added that context (scripts/trace-lesson does)."""
    name = msg.event.name.split(":", 1)[-1]
    event = {"ts": msg.default_clock_snapshot.ns_from_origin, "name": name}
    for key, value in msg.event.payload_field.items():
        event[field_name(name, key)] = _value(bt2, value)
    # The thread that recorded it; and who emitted it, as LTTng saw it:
    # what the runner emitted (its watcher's states, its reaps) is told
    # from what the lesson's own processes could write by this, never by
    # the payload's pid.
    context = msg.event.common_context_field
    if context is not None and "vtid" in context:
        event["vtid"] = int(context["vtid"])
    if context is not None and "vpid" in context:
        event[EMITTER] = int(context["vpid"])
    return event


def _value(bt2, value):
    if isinstance(value, bt2._IntegerFieldConst):
        return int(value)
    if isinstance(value, bt2._RealFieldConst):
        return float(value)
    return str(value)


def runner_pid(trace_dir):
    """The pid in TRACE_DIR/runner.pid, or None."""
    try:
        with open(os.path.join(trace_dir, "runner.pid")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None
