"""leftover.py - what the exercise tests ask of /proc: the processes still
running a graded program (none should be, once its run has ended)."""

import os


def running(program):
    """pids of processes whose executable is program."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/exe") == program:
                found.append(int(pid))
        except OSError:
            pass
    return found
