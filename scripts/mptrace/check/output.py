"""Questions about what the program printed on stdout (the Checker's
`output`), some of them against what the trace says: a pid a process
printed against the parent the watcher saw it with."""

import re

from .checker import Answer, No, plural, question
from .witness import adoptions, parent_of


def _lines(c):
    if c.output is None:
        raise No("the program's output was not given (trace-check "
                 "--output FILE)")
    return c.output.splitlines()


def _shown(line, most=60):
    return repr(line if len(line) <= most else line[:most - 3] + "...")


def _at_print(c, pid, line):
    """A Mark where pid printed line (its print record), else at its
    start; None if pid has no lane."""
    proc = c.procs.get(pid)
    if proc is None or pid not in c.pids:
        return None
    said = next((p.ts for p in proc.prints if p.text == line), None)
    ts = said if said is not None else proc.begin_ts
    return c.mark(pid, ts, text="printed this") if ts is not None else None


@question("output-has", "REGEX [N]", "a line the program printed matches "
          "REGEX (Python's re.search); with N, exactly N lines do",
          basis="output")
def _output_has(c, regex, n=None):
    lines = _lines(c)
    found = [(i, line) for i, line in enumerate(lines, 1)
             if re.search(regex, line)]
    if not found:
        last = f"; the last: {_shown(lines[-1])}" if lines else ""
        return Answer(False, f"no line matches {regex!r} "
                      f"({plural(len(lines), 'line')} printed{last})")
    said = f"{plural(len(found), 'line')} match {regex!r}, the first " \
        f"line {found[0][0]}: {_shown(found[0][1])}"
    if n is not None and len(found) != n:
        return Answer(False, said + f"; asked: {n}")
    return Answer(True, said)


@question("output-parent", "PAIR_REGEX [WHO]", "every line that matches "
          "PAIR_REGEX (its groups pid and ppid) names as ppid the "
          "process's parent: the one that made it (WHO forker, the "
          "default: its fork, and the watcher's first sight of it), or the "
          "one that adopted it (adopter: the watcher saw its parent change "
          "to that one)", basis="runner+runtime")
def _output_parent(c, regex, who="forker"):
    found = [m for m in map(re.compile(regex).search, _lines(c)) if m]
    if not found:
        raise No(f"no line matches {regex!r}")
    wrong, marks = [], []
    for m in found:
        pid, said = int(m["pid"]), int(m["ppid"])
        if pid not in c.procs:
            wrong.append(f"{_shown(m.string)}: no process {pid} in the "
                         "trace")
            continue
        if who == "forker":
            real = parent_of(c, pid)
            how = "was made by"
        else:
            moves = adoptions(c, pid)
            real = moves[-1][2] if moves else None
            how = "was adopted by" if moves else "was never adopted"
        if real != said:
            wrong.append(f"{c.who(pid)} printed {_shown(m.string)}, but it "
                         f"{how}" + (f" {c.who(real)}" if real else ""))
            mark = _at_print(c, pid, m.string)
            if mark:
                marks.append(mark._replace(text=f"printed {said}"))
    if wrong:
        return Answer(False, "; ".join(wrong), tuple(marks))
    return Answer(True, f"{plural(len(found), 'line')}, each naming the "
                  f"process's {'parent' if who == 'forker' else 'adopter'}")


@question("output-in-order", "NUMBER_REGEX", "the lines that match "
          "NUMBER_REGEX come in the order of their numbers (its group n): "
          "0, 1, 2, ... each once, none missing", basis="output")
def _output_in_order(c, regex):
    numbers = [(int(m["n"]), m.string) for m in
               map(re.compile(regex).search, _lines(c)) if m]
    if not numbers:
        raise No(f"no line matches {regex!r}")
    got = [n for n, _ in numbers]
    if got != list(range(len(got))):
        first = next(i for i, n in enumerate(got) if n != i)
        return Answer(False, f"line {first + 1} of those that match is "
                      f"{_shown(numbers[first][1])}, number {got[first]} "
                      f"where {first} was due (the order printed: "
                      + ", ".join(map(str, got[:12]))
                      + (", ..." if len(got) > 12 else "") + ")")
    return Answer(True, f"{plural(len(got), 'line')}, numbers 0 to "
                  f"{len(got) - 1} in order")
