#!/usr/bin/python3
"""keep_trace.py - a recorded lesson's events as a small JSON event list
(the format of tests/traces/*.json), for the layout test to draw.

usage: PYTHONPATH=scripts tests/layout/keep_trace.py TRACE_DIR OUT.json

Only the lesson's own events are kept: those of its process tree and its
mprun (by pid, by the emitter's vpid, or naming one as child), so other
programs' events in the same LTTng session are left out.  Times are kept
as they were; the drawing measures from the lesson's start."""

import json
import sys

from mptrace.read.load import load


def main(argv):
    if len(argv) != 2:
        print("usage: tests/layout/keep_trace.py TRACE_DIR OUT.json",
              file=sys.stderr)
        return 2
    trace = load(argv[0])
    pids = trace.lesson_pids
    kept = [e for e in trace.events
            if pids & {e.get("pid"), e.get("vpid"), e.get("child")}]
    with open(argv[1], "w") as out:
        out.write("[\n" + ",\n".join(json.dumps(e, separators=(",", ":"))
                                     for e in kept) + "\n]\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
