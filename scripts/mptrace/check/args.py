"""A question's arguments: checked against its parameters (with or without
a trace: a checks file is checked before anything runs) and turned into
values.

Parameters are words in a Property's `params`: "PID STATES [T1_MS T2_MS]".
The kind of value each wants follows from its name: a process (PID,
PARENT, ...; a pid, `main`, `runner` or a name only one process has), a
whole number (K, N, CODE, BYTES, STREAM, PCT), an id (POOL, CHAN, OBJ), a
time in ms (MS, *_MS), a signal, a word from a short list, a regular expression
(*REGEX, some with named groups: GROUPS) or text (KEY).
"""

import math
import re
import signal

from ..errors import UsageError

PROCESSES = ("PID", "REAPER", "PARENT", "SENDER", "WRITER", "READER")
WHOLE = ("K", "N", "CODE", "BYTES", "STREAM", "PCT")
IDS = ("POOL", "CHAN", "OBJ")
WORDS = {"HOW": ("set", "timeout"), "WHO": ("forker", "adopter")}

# The longest time a question may name: a year, in ms (a trace's times are
# ns in 64 bits: 584 years).
MAX_MS = 365 * 24 * 3600 * 1000


def parameters(prop):
    """([parameter names], how many are required)."""
    params, required, optional = [], 0, False
    for word in prop.params.split():
        optional = optional or word.startswith("[")
        params.append(word.strip("[]"))
        required += not optional
    return params, required


def check(prop, args):
    """Raises UsageError if args cannot be prop's (their number, or a
    value of the wrong kind); processes are only checked to be named."""
    convert(prop, args, _named)


def convert(prop, args, pid):
    """args as values for prop; pid(spec) turns a process's name into its
    pid."""
    params, required = parameters(prop)
    if not required <= len(args) <= len(params):
        raise UsageError(f"{prop.name} wants {prop.params or 'nothing'}"
                         f", got {len(args)} argument(s)")
    return [_value(p, a, pid) for p, a in zip(params, args)]


def _named(spec):
    if not str(spec).strip():
        raise ValueError
    return spec


def _value(param, arg, pid):
    try:
        if param in PROCESSES:
            return pid(arg)
        if param in WHOLE:
            return int(arg)
        if param in IDS:
            return int(arg, 0) if isinstance(arg, str) else int(arg)
        if param == "MS" or param.endswith("_MS"):
            ms = float(arg)
            if not math.isfinite(ms) or abs(ms) > MAX_MS:
                raise ValueError
            return ms
        if param == "SIGNAL":
            return _signo(arg)
        if param in WORDS:
            if arg not in WORDS[param]:
                raise ValueError
            return arg
        if param == "STATES":
            if not str(arg).isalpha():
                raise ValueError
            return str(arg)
        if param.endswith("REGEX"):
            return _regex(param, arg)
    except (ValueError, TypeError, KeyError, re.error):
        raise UsageError(f"{param}: {arg!r} is not one") from None
    return arg


# A regular expression's named groups, by the parameter's name.
GROUPS = {"PAIR_REGEX": ("pid", "ppid"), "NUMBER_REGEX": ("n",)}


def _regex(param, arg):
    pattern = re.compile(arg)
    missing = [g for g in GROUPS.get(param, ()) if g not in pattern.groupindex]
    if missing:
        raise UsageError(f"{param}: {arg!r} has no group "
                         + " or ".join(f"(?P<{g}>...)" for g in missing))
    return arg


def _signo(arg):
    if isinstance(arg, int) or str(arg).isdigit():
        return int(arg)
    name = str(arg).upper()
    return int(signal.Signals[name if name.startswith("SIG")
                              else "SIG" + name])
