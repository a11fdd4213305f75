"""The timeline's files: the gnuplot script, the events table, and the
pictures gnuplot draws from the script.

All four are made in a folder of their own inside OUT_DIR, then moved into
place together, with Ctrl-C held off while they move: an interrupted or
failed drawing leaves the previous four (or nothing), never a PNG without
its SVG.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile

from ..table import table

FILES = ("timeline.gp", "events.tsv", "timeline.png", "timeline.svg")


class DrawError(Exception):
    """The pictures could not be made (exit status 1)."""


def write(out_dir, script, trace):
    """Writes timeline.gp and events.tsv into out_dir (made if missing) and
    runs gnuplot there, which writes timeline.png and timeline.svg."""
    made = not os.path.isdir(out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".timeline-", dir=out_dir)
    except OSError as error:
        raise DrawError(f"cannot write to {out_dir}: {error.strerror}")
    done = False
    try:
        _draw(work, script, trace)
        _move(work, out_dir)
        done = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if made and not done:
            try:
                os.rmdir(out_dir)
            except OSError:
                pass


def _draw(work, script, trace):
    try:
        with open(os.path.join(work, "timeline.gp"), "w", encoding="utf-8",
                  errors="replace") as gp:
            gp.write(script)
        with open(os.path.join(work, "events.tsv"), "w", encoding="utf-8",
                  errors="replace") as tsv:
            table(trace, tsv)
    except OSError as error:
        raise DrawError(f"cannot write to {work}: {error.strerror}")
    try:
        done = subprocess.run(["gnuplot", "timeline.gp"], cwd=work,
                              capture_output=True, text=True)
    except FileNotFoundError:
        raise DrawError("gnuplot is not installed")
    sys.stderr.write(done.stderr)
    missing = [f for f in FILES if not os.path.isfile(os.path.join(work, f))]
    if done.returncode != 0 or missing:
        raise DrawError("gnuplot failed on timeline.gp")


def _move(work, out_dir):
    """The four files into out_dir, with SIGINT and SIGTERM held until all
    four are there."""
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        for name in FILES:
            os.replace(os.path.join(work, name), os.path.join(out_dir, name))
    except OSError as error:
        raise DrawError(f"cannot write to {out_dir}: {error.strerror}")
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
