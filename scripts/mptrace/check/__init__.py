"""trace-check's questions: ask a trace yes or no, get the evidence.

    from mptrace.check import Checker
    ask = Checker(mptrace.load("build/lessons/2/trace"))
    answer = ask("max-concurrent-tasks", 4)
    print(answer)          # "no: 5 tasks ran at once at 12.3 ms: ..."
    if answer: ...         # an Answer is true when the answer is yes

PROPERTIES lists every question with its arguments (trace-check --list).
"""

# They register themselves, in this order (trace-check --list's).
from . import lives, messages, programs, work  # noqa: F401  # isort: skip
from . import family, timing, output, pipes  # noqa: F401  # isort: skip
from .checker import (BASES, PROPERTIES, Answer, Checker, Mark, lookup,
                      usage_lines)

__all__ = ["BASES", "PROPERTIES", "Answer", "Checker", "Mark", "lookup",
           "usage_lines"]
