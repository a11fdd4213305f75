"""A checks file's questions asked of one run: points, evidence, where to
look on the timeline."""

from typing import NamedTuple

from ..check import lookup
from ..errors import UsageError


class Result(NamedTuple):
    """One check, graded."""
    check: object
    """The Check (mptrace.check.checksfile)."""
    score: float
    """Its points, or 0."""
    passed: bool
    """The answer was yes (and it counted)."""
    evidence: str
    """Why, in the trace's terms."""
    note: str
    """Why it scored 0 without its answer counting (the program did not
    compile, did not end, was not traced), else ""."""
    marks: tuple
    """[Mark] where its evidence is on the timeline."""
    where: str
    """Where to look, in words."""


def ask_all(checker, checks, ran=None, output_file=None):
    """[Result] of every Check asked of checker's trace; ran (a Ran) says
    whether the program ended by itself; output_file is where its output
    was kept (said for the checks about it)."""
    results = []
    for check in checks:
        prop = lookup(check.prop)
        try:
            answer = checker(check.prop, *check.args)
            yes, evidence, marks = answer.yes, answer.evidence, answer.marks
        except UsageError as error:   # a process named that is not there
            yes, evidence, marks = False, str(error), ()
        note = ""
        if ran is not None and not ran.ended and prop.needs_end:
            note = (f"the program {ran.how}; this check needs its end, so "
                    "it scores 0")
            evidence = f"so far: {'yes' if yes else 'no'}: {evidence}"
            yes = False
        where = _where(checker, marks)
        if not where and prop.basis == "output" and output_file:
            where = f"what the program printed ({output_file})"
        results.append(Result(check, check.points if yes else 0, yes,
                              evidence, note, marks if not yes else (),
                              where))
    return results


def none_counted(checks, note):
    """[Result], every check 0, for a program that could not be checked
    (it did not compile, or nothing was recorded): note says why."""
    return [Result(c, 0, False, "", note, (), "") for c in checks]


def _where(checker, marks):
    said = []
    for m in marks[:4]:
        when = checker.ms(m.ts) if m.end_ts is None else \
            f"{checker.ms(m.ts)} to {checker.ms(m.end_ts)}"
        said.append(f"lane {checker.who(m.pid)} at {when}")
    more = f" and {len(marks) - 4} more" if len(marks) > 4 else ""
    return "; ".join(said) + more

