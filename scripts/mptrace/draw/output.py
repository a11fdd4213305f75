"""The timeline's files: the gnuplot script, the events table, and the
pictures gnuplot draws from the script."""

import os
import subprocess
import sys

from ..table import table


class DrawError(Exception):
    """The pictures could not be made (exit status 1)."""


def write(out_dir, script, trace):
    """Writes timeline.gp and events.tsv into out_dir (made if missing) and
    runs gnuplot there, which writes timeline.png and timeline.svg."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "timeline.gp"), "w") as gp:
            gp.write(script)
        with open(os.path.join(out_dir, "events.tsv"), "w") as tsv:
            table(trace, tsv)
    except OSError as error:
        raise DrawError(f"cannot write to {out_dir}: {error.strerror}")
    try:
        done = subprocess.run(["gnuplot", "timeline.gp"], cwd=out_dir,
                              capture_output=True, text=True)
    except FileNotFoundError:
        raise DrawError("gnuplot is not installed")
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise DrawError(f"gnuplot failed on "
                        f"{os.path.join(out_dir, 'timeline.gp')}")
