"""A checks file: the questions an exercise is graded by, with their
points, and how its program is run.

    # lessons/06-zombie/exercise-a.checks
    title       Reap the zombie from a SIGCHLD handler
    timeout     10          # seconds before mprun ends the program
    max-procs   16          # tasks the program may have at once
    args        --linger 300
    preload     no          # yes: mprun --preload, for a program's own
                            # system calls (pipe, dup2, exec)
    4  zombies-under 5 main  -- no child of main is a zombie for 5 ms
    2  reaped-by-parent main

A line is a setting (a keyword and its value) or a check: its points, a
trace-check property and its arguments (shell words: quote a regular
expression with spaces), then, after `--`, what it checks in words (else
the property's own description).  `visibility` (Gradescope's: visible,
hidden, after_due_date, after_published) applies to the checks after it.
`#` starts a comment, unless it is quoted.  Every line
is checked before anything runs: a typo is an error that names its line.
"""

import math
import shlex
from typing import NamedTuple

from ..errors import UsageError
from .args import check as check_args
from .checker import lookup

SETTINGS = ("title", "timeout", "max-procs", "args", "preload",
            "visibility")
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
DEFAULTS = {"title": "", "timeout": 10.0, "max-procs": 32, "args": (),
            "preload": False}


class Check(NamedTuple):
    """One graded question."""
    points: float
    """What it is worth."""
    prop: str
    """The trace-check property."""
    args: tuple
    """Its arguments, as written."""
    text: str
    """What it checks, in words."""
    visibility: str
    """Gradescope's visibility of its result."""
    where: str
    """"FILE:LINE", for messages."""

    @property
    def question(self):
        """The property and its arguments, as trace-check takes them."""
        return shlex.join((self.prop,) + self.args)


class ChecksFile(NamedTuple):
    """A parsed checks file."""
    path: str
    title: str
    timeout: float
    """Seconds the program may run (mprun --timeout)."""
    max_procs: int
    """Tasks the program may have at once (mprun --max-procs)."""
    args: tuple
    """The program's arguments."""
    preload: bool
    """Run it with the interposition layer preloaded (mprun --preload)."""
    checks: list
    """[Check] in the file's order."""

    @property
    def points(self):
        return sum(c.points for c in self.checks)


def read(path, checks_only=False):
    """The ChecksFile at path; UsageError "PATH:LINE: problem" for the
    first line that is wrong.  checks_only: settings other than
    visibility are refused (a teacher's extra checks share the run)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None
    settings, checks, visibility = {}, [], "visible"
    for n, line in enumerate(lines, 1):
        where = f"{path}:{n}"
        try:
            words, text = _split(line)
        except ValueError as error:
            raise UsageError(f"{where}: {error}") from None
        if not words:
            continue
        if words[0] in SETTINGS:
            if checks_only and words[0] != "visibility":
                raise UsageError(f"{where}: a file of extra checks holds "
                                 f"checks only, not {words[0]!r}")
            value = _setting(where, words[0], words[1:], settings)
            if words[0] == "visibility":
                visibility = value
            else:
                settings[words[0]] = value
            continue
        checks.append(_check(where, words, text, visibility))
    if not checks:
        raise UsageError(f"{path}: no check in it (a check: POINTS "
                         "PROPERTY [ARG...] [-- WHAT IT CHECKS])")
    values = {**DEFAULTS, **settings}
    return ChecksFile(path, values["title"], values["timeout"],
                      values["max-procs"], tuple(values["args"]),
                      values["preload"], checks)


def _setting(where, key, words, seen):
    if key in seen:
        raise UsageError(f"{where}: {key} is set twice")
    if key == "args":
        return tuple(words)
    if not words:
        raise UsageError(f"{where}: {key} wants a value")
    if key == "title":
        return " ".join(words)
    if len(words) != 1:
        raise UsageError(f"{where}: {key} wants one value, not "
                         f"{' '.join(words)!r}")
    value = words[0]
    if key == "preload":
        if value not in ("yes", "no"):
            raise UsageError(f"{where}: preload wants yes or no, not "
                             f"{value!r}")
        return value == "yes"
    if key == "visibility":
        if value not in VISIBILITIES:
            raise UsageError(f"{where}: visibility wants one of "
                             f"{', '.join(VISIBILITIES)}, not {value!r}")
        return value
    try:
        number = float(value) if key == "timeout" else int(value)
    except ValueError:
        number = math.nan
    lo, hi = (0.1, 3600) if key == "timeout" else (1, 10000)
    if not lo <= number <= hi:
        raise UsageError(f"{where}: {key} wants a "
                         f"{'number' if key == 'timeout' else 'whole number'}"
                         f" from {lo:g} to {hi:g}, not {value!r}")
    return number


def _split(line):
    """(shell words, the text after a lone `--`, as written)."""
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    words = []
    for word in iter(lexer.get_token, None):
        if word == "--":
            return words, line[lexer.instream.tell():].strip()
        words.append(word)
    return words, ""


def _check(where, words, text, visibility):
    if not words[1:] and text:
        raise UsageError(f"{where}: {words[0]} points for what? (POINTS "
                         "PROPERTY [ARG...] -- WHAT IT CHECKS)")
    try:
        points = float(words[0])
    except ValueError:
        points = math.nan
    if not 0 <= points <= 1000:
        raise UsageError(f"{where}: {words[0]!r} is neither a setting ("
                         f"{', '.join(SETTINGS)}) nor a check's points (a "
                         "number from 0 to 1000, then PROPERTY [ARG...])")
    if len(words) < 2:
        raise UsageError(f"{where}: {words[0]} points for what? (POINTS "
                         "PROPERTY [ARG...])")
    try:
        prop = lookup(words[1])
        check_args(prop, words[2:])
    except UsageError as error:
        raise UsageError(f"{where}: {error}") from None
    return Check(points, prop.name, tuple(words[2:]), text or prop.doc,
                 visibility, where)
