"""One exercise, from the student's file to its score: read its checks
(and a teacher's extra ones), compile, run traced, ask, and draw the
timeline with each failed check marked."""

import os
import shlex
from typing import NamedTuple, Optional

from .. import draw
from ..check import Checker, checksfile
from ..errors import TraceError
from ..read.load import load
from .build import compile_c
from .run import run
from .score import ask_all, none_counted


class Graded(NamedTuple):
    """An exercise graded."""
    exercise: object
    """Its Exercise."""
    checks: object
    """Its ChecksFile, a teacher's extra checks added."""
    shown: str
    """The graded file, as the student names it."""
    built: object
    """What compiling gave (build.Built)."""
    log_path: str
    """The compiler's log, as the student names it."""
    ran: Optional[object]
    """The run (run.Ran); None if it did not compile."""
    results: list
    """[score.Result], one per check."""
    picture: Optional[str] = None
    """The marked timeline, if one was drawn."""

    @property
    def score(self):
        return sum(r.score for r in self.results)

    @property
    def max_score(self):
        return self.checks.points


def read_checks(exercise, extra=None):
    """The exercise's ChecksFile, with the checks of the file extra (a
    teacher's, kept outside the student's copy) after its own."""
    checks = checksfile.read(exercise.checks)
    if extra:
        more = checksfile.read(extra, checks_only=True)
        checks = checks._replace(checks=checks.checks + more.checks)
    return checks


def grade(top, build_dir, exercise, out_dir, checks, source=None,
          echo=False, picture=False):
    """Graded: exercise's source (or another file, a hand-in's) built and
    run into out_dir, checked by checks; picture: draw the timeline."""
    source = source or exercise.source
    shown = exercise.relpath if source == exercise.source else source
    os.makedirs(out_dir, exist_ok=True)
    _clean(out_dir)
    program = os.path.join(out_dir, f"exercise-{exercise.name}")
    built = compile_c(source, program, build_dir, shown)
    log_path = os.path.join(out_dir, "build.log")
    with open(log_path, "w") as f:
        f.write(built.log)
    made = Graded(exercise, checks, shown, built, shown_path(top, log_path),
                  None, [])
    if built.program is None:
        return made._replace(results=none_counted(
            checks.checks, "not checked: the program does not compile"))
    ran = run(top, build_dir, program, out_dir, checks, echo)
    made = made._replace(ran=ran)
    if ran.trace_dir is None or not ran.started:
        return made._replace(results=none_counted(
            checks.checks, f"the program {ran.how}: nothing to check"))
    try:
        trace = load(ran.trace_dir)
    except TraceError as error:
        return made._replace(results=none_counted(
            checks.checks, f"its trace cannot be read: {error}"))
    results = ask_all(Checker(trace, output=ran.stdout), checks.checks, ran,
                      shown_path(top, os.path.join(out_dir, "stdout.txt")))
    made = made._replace(results=results)
    if picture and trace.lanes:
        made = made._replace(picture=_draw(trace, made, out_dir))
    return made


def shown_path(top, path):
    """path from the top of the suite, as a student would type it (as it
    is, if it is outside)."""
    rel = os.path.relpath(os.path.abspath(path), top)
    return path if rel.startswith("..") else rel


def marked(trace, graded):
    """The timeline of a graded run as a rendered draw.layout Script: the
    failed checks marked, numbered as in the table."""
    marks = [m._replace(text=f"{i}: {m.text}")
             for i, r in enumerate(graded.results, 1) for m in r.marks]
    args = graded.checks.args
    title = f"exercise {graded.exercise.name} - " \
        f"{graded.checks.title or graded.shown}" \
        + (f" ({shlex.join(args)})" if args else "")
    return draw.layout(trace, title, graded.ran.trace_dir, violations=marks)


def _draw(trace, graded, out_dir):
    """The timeline with the failed checks marked (marked()); its path,
    or None if it could not be drawn."""
    try:
        made = marked(trace, graded)
        draw.write(out_dir, made.text, trace, draw.hover(made, trace))
    except draw.DrawError:
        return None
    return os.path.join(out_dir, "timeline.png")


def _clean(out_dir):
    """An earlier run's files out of the way: a stale picture or trace
    must not pass for this run's."""
    for name in ("timeline.png", "timeline.svg", "timeline.gp",
                 "events.tsv", "stdout.txt", "stderr.txt", "build.log"):
        path = os.path.join(out_dir, name)
        if os.path.exists(path):
            os.remove(path)
