"""What the commands (scripts/timeline, trace-check, trace-json) share:
one line on stderr and an exit status for every failure, never a
traceback."""

import os
import sqlite3
import sys

from .errors import TraceError
from .read.load import load


class Failed(Exception):
    """Ends a command: the message, then exit with status."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def open_trace(path):
    """The Trace at path; Failed (status 2) if it is missing or
    unreadable."""
    if not os.path.exists(path):
        raise Failed(2, f"{path}: no such trace")
    try:
        return load(path)
    except TraceError as error:
        raise Failed(2, str(error))


def run(tool, main, argv):
    """main(argv)'s exit status; a Failed said on stderr as "tool: ...";
    a Ctrl-C ends it quietly, with status 130 as a shell says it."""
    try:
        return main(argv)
    except Failed as failed:
        print(f"{tool}: {failed}", file=sys.stderr)
        return failed.status
    except sqlite3.Error as error:  # its database, sealed, changed since
        print(f"{tool}: the trace's database could not be read ({error}): "
              "run again to make it anew", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        return 130
