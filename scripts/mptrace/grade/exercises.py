"""The exercises: every lessons/NN-name/exercise-X.c with its checks file
beside it, named by lesson number and letter ("6a")."""

import glob
import os
import re
from typing import NamedTuple

from ..errors import UsageError

SOURCE = re.compile(r"(?P<nn>\d\d)-[^/]+/exercise-(?P<letter>[a-z])\.c$")


class Exercise(NamedTuple):
    """One exercise of the suite."""
    name: str
    """Lesson number and letter: "6a"."""
    source: str
    """The starter, which the student edits in place."""
    checks: str
    """Its checks file (exercise-a.checks)."""

    @property
    def lesson_dir(self):
        return os.path.dirname(self.source)

    @property
    def relpath(self):
        """The source's path from the top of the suite:
        lessons/06-zombie/exercise-a.c."""
        return os.path.join("lessons", os.path.basename(self.lesson_dir),
                            os.path.basename(self.source))


def all_exercises(top, checked=True):
    """Every Exercise under top/lessons, in lesson then letter order; with
    checked, only those with a checks file beside them."""
    found = []
    for path in glob.glob(os.path.join(top, "lessons", "[0-9][0-9]-*",
                                       "exercise-[a-z].c")):
        m = SOURCE.search(path)
        if m is None or (checked and not os.path.isfile(path[:-2]
                                                         + ".checks")):
            continue
        found.append(Exercise(f"{int(m['nn'])}{m['letter']}", path,
                              path[:-2] + ".checks"))
    return sorted(found, key=lambda e: (int(e.name[:-1]), e.name[-1]))


def select(top, names):
    """The exercises named ("6a", "exercise-6a"; all of them if none);
    UsageError for a name that is not one."""
    known = {e.name: e for e in all_exercises(top)}
    if not names:
        return list(known.values())
    chosen = []
    for name in names:
        key = name.removeprefix("exercise-")
        unchecked = {e.name: e for e in all_exercises(top, checked=False)}
        if key not in known and key in unchecked:
            raise UsageError(f"{unchecked[key].relpath} has no checks file "
                             f"beside it ({os.path.basename(unchecked[key].checks)}"
                             "): nothing to grade it by")
        if key not in known:
            raise UsageError(f"no exercise {name!r}; the exercises are: "
                             + " ".join(known))
        chosen.append(known[key])
    return chosen


def submitted(exercise, folder):
    """The student's file for exercise in a hand-in folder: its path as in
    the suite (lessons/06-zombie/exercise-a.c, at any depth, as a cloned
    repository or a zip has it), or a flat exercise-6a.c; None if the
    hand-in has neither."""
    tail = exercise.relpath.split(os.sep)[-2:]
    flat = f"exercise-{exercise.name}.c"
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if flat in files:
            found.append((1, os.path.join(root, flat)))
        if tail[1] in files and os.path.basename(root) == tail[0]:
            found.append((0, os.path.join(root, tail[1])))
    return min(found)[1] if found else None


def extra_checks(exercise, folder):
    """A teacher's extra checks for exercise: FOLDER/6a.checks, or None."""
    if folder is None:
        return None
    path = os.path.join(folder, f"{exercise.name}.checks")
    return path if os.path.isfile(path) else None
