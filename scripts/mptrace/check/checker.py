"""The Checker: asks one trace any number of yes-or-no questions.

Each answer is yes or no and says why, in terms a student can look up on
the timeline: times in ms since the lesson's main process started, pids,
task, message and lock ids.  A process (PID, REAPER, ...) may be named by
its pid, by its name when only one process has it (`producer`,
`MainProcess`), or as `main` or `runner` (mprun).  Only the lesson's
processes count (see mptrace.trace).

The questions register themselves with @question (in lives.py,
messages.py, work.py, programs.py, witness.py, output.py, pipes.py);
PROPERTIES lists them in that order.  Each says what it rests on (its
`basis`): the runner's own records, which no process of the lesson can
write (witness.py), the runtime's records in the lesson's processes, or
what the program printed.
"""

import textwrap
from functools import cached_property
from typing import NamedTuple, Optional

from ..errors import UsageError
from .args import convert


class Mark(NamedTuple):
    """Where on the timeline an answer's evidence is: a lane, and a moment
    or a stretch of time (a violation is drawn there)."""
    pid: int
    """The lane's process."""
    ts: int
    """When it starts (ns, the trace's clock)."""
    end_ts: Optional[int]
    """When it ends; None: a moment."""
    text: str
    """A few words drawn beside it."""


class Answer(NamedTuple):
    """yes or no, and the evidence."""
    yes: bool
    """The answer."""
    evidence: str
    """Why, in the trace's own terms."""
    marks: tuple = ()
    """[Mark]: where to look (a no's marks are drawn as violations)."""

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
    basis: str
    """What the answer rests on (a key of BASES)."""
    needs_end: bool
    """The answer means something only if the program ended by itself (a
    program ended at its time limit answers no); False for a question
    about every moment ("never more than K at once"), which a program cut
    short can already fail."""


# What an answer rests on: who wrote the events it reads.
BASES = {
    "runner": "the runner's own records (mprun's fork and reaps, its "
              "watcher's /proc states), told apart by LTTng's vpid "
              "context: no process of the lesson can write them",
    "runner+runtime": "the runner's own records, and the runtime's in the "
                      "lesson's processes where the runner saw nothing",
    "runtime": "the runtime's records in the lesson's own processes",
    "output": "what the program printed (and, for times, its print "
              "records)",
    "trace": "the recording itself",
}


PROPERTIES = {}

# The one question an empty trace can answer: the others would answer yes
# about nothing (no message lost of none sent).
ABOUT_THE_RECORDING = ("lost-events",)


def question(name, params, doc, basis="runtime", needs_end=True):
    """Registers the decorated function as the property `name`."""
    assert basis in BASES, basis
    if name in PROPERTIES:      # two modules asking under one name
        raise ValueError(f"property {name!r} is defined twice")

    def register(function):
        PROPERTIES[name] = Property(name, params, doc, function, basis,
                                    needs_end)
        return function
    return register


def usage_lines():
    """Every property and what it means, for --list."""
    return [f"  {p.name}{' ' + p.params if p.params else ''}\n"
            + textwrap.fill(p.doc + f" [rests on: {p.basis}]", 78,
                            initial_indent=" " * 6,
                            subsequent_indent=" " * 6)
            for p in PROPERTIES.values()]


def lookup(name):
    """The Property called name; UsageError naming the nearest if none."""
    prop = PROPERTIES.get(name)
    if prop is None:
        import difflib
        near = difflib.get_close_matches(name, PROPERTIES, 1)
        raise UsageError(f"no property {name!r}"
                         + (f" (did you mean {near[0]!r}?)" if near else
                            " (trace-check --list shows them)"))
    return prop


class Checker:
    """Answers questions about one trace: checker(property, *args).
    output: what the program printed on stdout, for the questions about
    it (none if not given: they answer no)."""

    def __init__(self, trace, output=None):
        self.trace = trace
        self.output = output
        self.procs = trace.procs
        self.lanes = trace.lanes
        self.pids = trace.lesson_pids
        self.cache = {}     # what several questions share (witness.py)

    @cached_property
    def events(self):
        """The lesson's events: read (from the trace's database) only by
        the questions that walk them all."""
        return self.trace.lesson_events

    def __call__(self, name, *args):
        prop = lookup(name)
        args = convert(prop, args, self.pid)
        if not self.trace.event_count and name not in ABOUT_THE_RECORDING:
            return Answer(False, "the trace holds no event: nothing to "
                          "check (was the lesson traced?)")
        try:
            answer = prop.ask(self, *args)
        except No as no:
            return Answer(False, str(no))
        lines = self.lines_at(answer.marks)
        if lines:
            answer = answer._replace(evidence=answer.evidence
                                     + "; the line: " + "; ".join(lines))
        return answer

    def lines_at(self, marks, most=3):
        """The program's lines that made the events the marks stand on
        (mptrace.sites), each once, at most so many."""
        if not marks:
            return []
        at = {(m.pid, m.ts) for m in marks}
        events = {(e.get("pid"), e["ts"]): e for e in self.trace.events_of(
            pids={pid for pid, _ in at}) if (e.get("pid"), e["ts"]) in at}
        lines = []
        for mark in marks:
            event = events.get((mark.pid, mark.ts))
            line = self.trace.sites.line(event) if event else None
            if line and line not in lines:
                lines.append(line)
        return lines[:most]

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

    def mark(self, pid, ts, end_ts=None, text=""):
        """A Mark on pid's lane (see Mark)."""
        return Mark(pid, ts, end_ts, text)


def plural(n, word, suffix="s"):
    """'1 task', '2 tasks'."""
    return f"{n} {word}" + ("" if n == 1 else suffix)


def ids(values, limit=8):
    """'1,2,3' and, past limit, ' and N more'."""
    values = [str(i) for i in values]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ",".join(values[:limit]) + more
