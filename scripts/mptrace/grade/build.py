"""Compiling a student's file the way the lessons are compiled: the
compiler, flags and libraries CMake wrote into BUILD/exercises/compile.json
(so a hand-in is built on its own, and one that does not compile breaks
nothing else)."""

import json
import os
import re
import subprocess
from typing import NamedTuple, Optional

from ..errors import UsageError

FLAGS = os.path.join("exercises", "compile.json")
COMPILE_S = 120
# What a first error looks like: the compiler's, the linker's.
ERROR = re.compile(r"(: (fatal )?error: |undefined reference to |"
                   r"collect2: error|cannot find -l)")


class Built(NamedTuple):
    """What compiling gave."""
    program: Optional[str]
    """The program, or None if it did not compile."""
    log: str
    """Everything the compiler said."""
    first_error: Optional[str]
    """Its first error, on one line (None if it compiled)."""
    warnings: int
    """How many warnings it gave."""


def flags(build_dir):
    """The compile.json CMake wrote in build_dir; UsageError if missing."""
    path = os.path.join(build_dir, FLAGS)
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        raise UsageError(f"{path}: missing: build first (make build, or "
                         "cmake --build BUILD --target exercise-tools)") \
            from None


def _link_options(options):
    """CMake's INTERFACE_LINK_OPTIONS (a ;-list) as compiler arguments:
    LINKER:a,b is -Wl,a,b."""
    return ["-Wl," + o[len("LINKER:"):] if o.startswith("LINKER:") else o
            for o in options.split(";") if o]


def compile_c(source, program, build_dir, shown=None):
    """Compiles source into program; shown is the source's name as the
    student knows it (in the first error)."""
    how = flags(build_dir)
    os.makedirs(os.path.dirname(program) or ".", exist_ok=True)
    if os.path.exists(program):
        os.remove(program)
    cmd = [how["cc"], *how["cflags"], "-o", program, source, *how["libs"],
           *_link_options(how.get("link_options", ""))]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True,
                              errors="replace", timeout=COMPILE_S)
        log, ok = done.stdout + done.stderr, done.returncode == 0
    except subprocess.TimeoutExpired:
        log, ok = f"the compiler took longer than {COMPILE_S} s", False
    except OSError as error:
        log, ok = f"cannot run the compiler {how['cc']}: {error}", False
    if shown:
        log = log.replace(source, shown)
    warnings = len(re.findall(r": warning: ", log))
    if ok and os.path.isfile(program):
        return Built(program, log, None, warnings)
    first = next((line.strip() for line in log.splitlines()
                  if ERROR.search(line)), None)
    if first is None:
        lines = [line.strip() for line in log.splitlines() if line.strip()]
        first = lines[0] if lines else "the compiler failed and said nothing"
    return Built(None, log, first, warnings)
