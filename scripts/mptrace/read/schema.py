"""The fields every `mp` event carries (trace/mp-tp.h), and the check that
each event read has them, of the right type, before the model trusts it.

A JSON list of events is anyone's writing, and a CTF trace whose metadata
was damaged can name its fields otherwise: both are refused with the first
event that is wrong, not with a traceback from deep in the model.  An
event of a name not listed here (a newer provider's) passes with only its
time, its name and, if it has one, its pid checked.
"""

from ..errors import TraceError
from .recording import EMITTER

_INT = (-(1 << 63), 1 << 64)       # what a CTF integer field can hold
_TEXT_LINE = ("pid", "text")
_TASK = ("pid", "pool", "task")
_MSG = ("pid", "chan", "msg", "size", "op")
_SYNC = ("pid", "obj", "arg")
_IO = ("pid", "fd", "stream", "offset", "bytes", "call")
STRINGS = {"proc_name", "state", "text", "op", "kind", "key", "value", "cmd",
           "path", "argv", "call", "what", "detail", "sem_name"}
# Fields of these names that are numbers in one event, strings elsewhere.
NUMBERS = {("sem_open", "value")}
# Fields an event may have besides its own: the thread that recorded it
# (LTTng's vtid context); the address of the call that made it (site: in
# every event of a trace recorded since the field came).
OPTIONAL = ("vtid", EMITTER, "site")

FIELDS = {
    "proc_start": ("pid", "ppid", "proc_name"),
    "proc_fork": ("pid", "child", "proc_name"),
    "proc_exit": ("pid", "code"),
    "proc_reap": ("pid", "child", "exitcode", "wstatus"),
    "proc_signal": ("pid", "target", "signo"),
    "proc_join": ("pid", "child", "timeout_us"),
    "proc_joined": ("pid", "child", "ended"),
    "proc_state": ("pid", "ppid", "state"),
    "print": _TEXT_LINE, "mark": _TEXT_LINE,
    "log": ("pid", "level", "text"),
    "task_submit": _TASK, "task_start": _TASK,
    "task_end": _TASK + ("error", "result_size"),
    "pool_op": ("pid", "pool", "op", "arg"),
    "chan_open": ("pid", "chan", "kind", "capacity"),
    "msg_send": _MSG, "msg_recv": _MSG,
    "chan_block": ("pid", "chan", "op"),
    "chan_eof": ("pid", "chan"),
    "chan_op": ("pid", "chan", "op", "arg"),
    "mgr_request": ("pid", "mgr", "req", "op", "key", "value"),
    "mgr_reply": ("pid", "mgr", "req", "status", "value"),
    "sub_spawn": ("pid", "child", "cmd", "error"),
    "sub_io": ("pid", "child", "stream", "bytes"),
    # any program, through the preload (runtime/src/interpose/)
    "proc_exec": ("pid", "path", "argv"),
    "proc_exec_fail": ("pid", "path", "error"),
    "proc_wait": ("pid", "target"),
    "fd_pipe": ("pid", "kind", "fd0", "fd1", "ino0", "ino1"),
    "fd_dup": ("pid", "oldfd", "newfd", "ino"),
    "fd_close": ("pid", "fd", "ino"),
    "io_write": _IO, "io_read": _IO,
    "io_short": ("pid", "fd", "stream", "offset", "bytes", "hole"),
    "out_line": ("pid", "fd", "text"),
    "sig_handle": ("pid", "signo", "sender", "code"),
    "sem_open": ("pid", "sem", "sem_name", "value"),
    "thread_start": ("pid", "tid", "creator"),
    "thread_end": ("pid", "tid"),
    "lib_call": ("pid", "call", "text"),
    "lib_return": ("pid", "call", "result"),
    "untraced": ("pid", "what", "detail"),
    "proc_image": ("pid", "base", "path"),
}
# Not LTTng's: in a JSON list, N events LTTng lost.
FIELDS["discarded"] = ("count",)
FIELDS.update({name: _SYNC for name in (
    "lock_wait", "lock_acquire", "lock_release", "lock_timeout",
    "event_wait", "event_woke", "event_set", "event_clear",
    "sem_wait", "sem_acquire", "sem_timeout", "sem_post")})


def check(events, where):
    """Raises TraceError naming the first event (its index in events) that
    is not a dict with an integer ts (ns, 64 bits), a string name,
    and every field its name calls for.  Text that is not valid UTF-8 (a
    damaged trace's bytes, a JSON "\\udcfe") is kept with U+FFFD in place
    of what cannot be written."""
    for i, event in enumerate(events):
        problem = _problem(event)
        if problem:
            name = event.get("name") if isinstance(event, dict) else None
            said = f" ({name})" if isinstance(name, str) else ""
            raise TraceError(f"{where}: event {i}{said}: {problem}")
        for key, value in event.items():
            if type(value) is str and not value.isascii():
                event[key] = _writable(value)


def _problem(event):
    """What is wrong with one event, or None."""
    if not isinstance(event, dict):
        return f"{_shown(event)} is not an event " \
            '({"ts": ..., "name": ...})'
    ts, name = event.get("ts"), event.get("name")
    if type(ts) is not int or not _INT[0] <= ts < _INT[1]:
        return f"ts {_shown(ts)} is not a time in ns"
    if type(name) is not str:
        return f"name {_shown(name)} is not an event's name"
    fields = FIELDS.get(name, ("pid",) if "pid" in event else ())
    fields += tuple(f for f in OPTIONAL if f in event)
    for field in fields:
        if field not in event:
            return f"no field {field}"
        value = event[field]
        if field in STRINGS and (name, field) not in NUMBERS:
            if type(value) is not str:
                return f"{field} {_shown(value)} is not a string"
        elif type(value) is not int or not _INT[0] <= value < _INT[1]:
            return f"{field} {_shown(value)} is not a 64-bit integer"
    return None


def _writable(text):
    """text, with U+FFFD for what UTF-8 cannot encode: lone surrogates
    (invalid bytes decoded with surrogateescape, or a JSON "\\ud800")."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch
                       for ch in text)


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# What is wrong with one event, or None: store.py checks a database's
# events with it.
problem = _problem
