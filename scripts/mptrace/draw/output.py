"""The timeline's files: the gnuplot script, the events table, and the
pictures gnuplot draws from the script; or two timelines stacked into one
picture (write_pair: a lesson's C run above its Python run).

All are made in a folder of their own inside OUT_DIR, then moved into
place together, with Ctrl-C held off while they move: an interrupted or
failed drawing leaves the previous files (or nothing), never a PNG without
its SVG.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from ..table import table
from .page import page
from .svgfonts import fix_file

FILES = ("timeline.gp", "events.tsv", "timeline.png", "timeline.svg")


class DrawError(Exception):
    """The pictures could not be made (exit status 1)."""


def write(out_dir, script, trace, hover=None):
    """Writes timeline.gp and events.tsv into out_dir (made if missing) and
    runs gnuplot there, which writes timeline.png and timeline.svg; with
    hover (a draw.hover.Hover), timeline.html too: the SVG with it."""
    made = not os.path.isdir(out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".timeline-", dir=out_dir)
    except OSError as error:
        raise DrawError(f"cannot write to {out_dir}: {error.strerror}")
    done = False
    try:
        _draw(work, script, trace)
        files = FILES
        if hover is not None:
            _page(work, hover)
            files += ("timeline.html",)
        _move(work, out_dir, files)
        done = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if made and not done:
            try:
                os.rmdir(out_dir)
            except OSError:
                pass


def write_pair(out_dir, scripts, name="compare"):
    """NAME.png and NAME.svg in out_dir: the pictures the gnuplot scripts
    draw, each under the one before (ImageMagick's convert stacks the
    PNGs; the SVGs are nested in one)."""
    try:
        os.makedirs(out_dir, exist_ok=True)
        work = tempfile.mkdtemp(prefix=".compare-", dir=out_dir)
    except OSError as error:
        raise DrawError(f"cannot write to {out_dir}: {error.strerror}")
    try:
        parts = []
        for i, script in enumerate(scripts):
            part = os.path.join(work, str(i))
            os.mkdir(part)
            _gnuplot(part, script)
            parts.append(part)
        try:
            done = subprocess.run(
                ["convert"] + [os.path.join(p, "timeline.png") for p in parts]
                + ["-append", os.path.join(work, name + ".png")],
                capture_output=True, text=True)
        except FileNotFoundError:
            raise DrawError("ImageMagick's convert is missing: apt-get "
                            "install imagemagick (or make deps)") from None
        if done.returncode != 0:
            raise DrawError(f"convert failed: {done.stderr.strip()}")
        with open(os.path.join(work, name + ".svg"), "w") as svg:
            svg.write(_stacked_svg([os.path.join(p, "timeline.svg")
                                    for p in parts]))
        _move(work, out_dir, (name + ".png", name + ".svg"))
    except OSError as error:
        raise DrawError(f"cannot write to {work}: {error.strerror}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _stacked_svg(paths):
    """One SVG document holding these, each under the one before."""
    inner, y, width = [], 0, 0
    for path in paths:
        with open(path) as f:
            text = f.read()
        text = text[text.index("<svg"):]       # no XML declaration, DOCTYPE
        w, h = (float(re.search(fr'\b{a}="([\d.]+)', text)[1])
                for a in ("width", "height"))
        inner.append(text.replace("<svg", f'<svg x="0" y="{y:g}"', 1))
        y, width = y + h, max(width, w)
    return ('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
            f'<svg width="{width:g}" height="{y:g}" viewBox="0 0 {width:g} '
            f'{y:g}" xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            + "\n".join(inner) + "</svg>\n")


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
    _gnuplot(work, None)


def _page(work, hover):
    try:
        with open(os.path.join(work, "timeline.svg"), encoding="utf-8",
                  errors="replace") as svg:
            text = page(svg.read(), hover)
        with open(os.path.join(work, "timeline.html"), "w",
                  encoding="utf-8") as html:
            html.write(text)
    except OSError as error:
        raise DrawError(f"cannot write to {work}: {error.strerror}")


def _gnuplot(work, script):
    """gnuplot on work/timeline.gp (written first if script is given): it
    writes timeline.png and timeline.svg there."""
    if script is not None:
        with open(os.path.join(work, "timeline.gp"), "w", encoding="utf-8",
                  errors="replace") as gp:
            gp.write(script)
    try:
        done = subprocess.run(["gnuplot", "timeline.gp"], cwd=work,
                              capture_output=True, text=True)
    except FileNotFoundError:
        raise DrawError("gnuplot is not installed")
    sys.stderr.write(done.stderr)
    missing = [f for f in ("timeline.png", "timeline.svg")
               if not os.path.isfile(os.path.join(work, f))]
    if done.returncode != 0 or missing:
        raise DrawError("gnuplot failed on timeline.gp")
    fix_file(os.path.join(work, "timeline.svg"))


def _move(work, out_dir, files=FILES):
    """The files into out_dir, with SIGINT and SIGTERM held until all are
    there."""
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        for name in files:
            os.replace(os.path.join(work, name), os.path.join(out_dir, name))
    except OSError as error:
        raise DrawError(f"cannot write to {out_dir}: {error.strerror}")
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
