"""The Checker: asks one trace any number of yes-or-no questions.

Each answer is yes or no and says why, in terms a student can look up on
the timeline: times in ms since the lesson's main process started, pids,
task, message and lock ids.  A process (PID, REAPER, ...) may be named by
its pid, by its name when only one process has it (`producer`,
`MainProcess`), or as `main` or `runner` (mprun).  Only the lesson's
processes count (see mptrace.trace).

The questions register themselves with @question (in lives.py,
messages.py, work.py, programs.py); PROPERTIES lists them in that order.
"""

import math
import signal
import textwrap
from typing import NamedTuple

from ..errors import UsageError


class Answer(NamedTuple):
    """yes or no, and the evidence."""
    yes: bool
    """The answer."""
    evidence: str
    """Why, in the trace's own terms."""

    def __bool__(self):
        return self.yes

    def __str__(self):
        return ("yes: " if self.yes else "no: ") + self.evidence


class No(Exception):
    """Raised by a question that can answer no before it starts: what it
    asks about is not in the trace (the message is the evidence)."""


class Property(NamedTuple):
    """One question trace-check can ask."""
    name: str
    """Its name on the command line: "max-concurrent-tasks"."""
    params: str
    """Its arguments: "K [POOL]"; brackets mark the optional ones."""
    doc: str
    """What a yes means."""
    ask: object
    """function(Checker, *args) -> Answer."""


PROPERTIES = {}

# The longest time a question may name: a year, in ms (a trace's times are
# ns in 64 bits: 584 years).
MAX_MS = 365 * 24 * 3600 * 1000

# The one question an empty trace can answer: the others would answer yes
# about nothing (no message lost of none sent).
ABOUT_THE_RECORDING = ("lost-events",)


def question(name, params, doc):
    """Registers the decorated function as the property `name`."""
    def register(function):
        PROPERTIES[name] = Property(name, params, doc, function)
        return function
    return register


def usage_lines():
    """Every property and what it means, for --list."""
    return [f"  {p.name}{' ' + p.params if p.params else ''}\n"
            + textwrap.fill(p.doc, 78, initial_indent=" " * 6,
                            subsequent_indent=" " * 6)
            for p in PROPERTIES.values()]


class Checker:
    """Answers questions about one trace: checker(property, *args)."""

    def __init__(self, trace):
        self.trace = trace
        self.procs = trace.procs
        self.lanes = trace.lanes
        self.pids = trace.lesson_pids

    def __call__(self, name, *args):
        prop = PROPERTIES.get(name)
        if prop is None:
            raise UsageError(f"no property {name!r}; the properties are: "
                             + ", ".join(PROPERTIES))
        args = self._convert(prop, args)
        if not self.trace.event_count and name not in ABOUT_THE_RECORDING:
            return Answer(False, "the trace holds no event: nothing to "
                          "check (was the lesson traced?)")
        try:
            return prop.ask(self, *args)
        except No as no:
            return Answer(False, str(no))

    # -- arguments --

    def _convert(self, prop, args):
        params, required, optional = [], 0, False
        for word in prop.params.split():
            optional = optional or word.startswith("[")
            params.append(word.strip("[]"))
            required += not optional
        if not required <= len(args) <= len(params):
            raise UsageError(f"{prop.name} wants {prop.params or 'nothing'}"
                             f", got {len(args)} argument(s)")
        return [self._value(p, a) for p, a in zip(params, args)]

    def _value(self, param, arg):
        try:
            if param in ("PID", "REAPER", "PARENT", "SENDER", "WRITER",
                         "READER"):
                return self.pid(arg)
            if param in ("K", "CODE"):
                return int(arg)
            if param in ("POOL", "CHAN", "OBJ"):
                return int(arg, 0) if isinstance(arg, str) else int(arg)
            if param.endswith("_MS"):
                ms = float(arg)
                if not math.isfinite(ms) or abs(ms) > MAX_MS:
                    raise ValueError
                return ms
            if param == "SIGNAL":
                return _signo(arg)
            if param == "HOW":
                if arg not in ("set", "timeout"):
                    raise ValueError
                return arg
            if param == "STATES":
                if not str(arg).isalpha():
                    raise ValueError
                return str(arg)
        except (ValueError, TypeError, KeyError):
            raise UsageError(f"{param}: {arg!r} is not one") from None
        return arg

    def pid(self, spec):
        """A pid from a number, `main`, `runner` or a process's name."""
        if isinstance(spec, int):
            return spec
        if spec == "main" and self.trace.main is not None:
            return self.trace.main
        if spec == "runner" and self.trace.runner is not None:
            return self.trace.runner
        if spec.isdigit():
            return int(spec)
        named = [p.pid for p in self.lanes if p.name == spec]
        if len(named) != 1:
            raise UsageError(f"{len(named) or 'no'} processes are called "
                             f"{spec!r}: give a pid")
        return named[0]

    def proc(self, pid):
        """The Proc of pid; the answer is no if there is none."""
        proc = self.procs.get(pid)
        if proc is None:
            raise No(f"no process {pid} in the trace")
        return proc

    # -- words for the evidence --

    def ms(self, ts):
        if ts is None:
            return "never"
        origin = self.trace.t0 if self.trace.t0 is not None else 0
        return f"{(ts - origin) / 1e6:.1f} ms"

    def ts(self, ms):
        origin = self.trace.t0 if self.trace.t0 is not None else 0
        return origin + round(ms * 1e6)

    def who(self, pid):
        proc = self.procs.get(pid)
        return f"{proc.name} ({pid})" if proc is not None else str(pid)

    def end_of(self, proc):
        """When a process ended: its exit, else its collection."""
        return proc.exit_ts if proc.exit_ts is not None else proc.reap_ts

    def named(self, events):
        return self.trace.lesson_named(events)


def _signo(arg):
    if isinstance(arg, int) or str(arg).isdigit():
        return int(arg)
    name = str(arg).upper()
    return int(signal.Signals[name if name.startswith("SIG")
                              else "SIG" + name])


def plural(n, word, suffix="s"):
    """'1 task', '2 tasks'."""
    return f"{n} {word}" + ("" if n == 1 else suffix)


def ids(values, limit=8):
    """'1,2,3' and, past limit, ' and N more'."""
    values = [str(i) for i in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ",".join(values[:limit]) + more
