"""The look of a timeline: sizes, colours, the legend, text widths, and
the Geometry (normal or thin lanes) a picture is drawn with."""

from dataclasses import dataclass

WIDTH = 1280                 # pixels; the height grows with the lanes
FONT = "DejaVu Sans"
MONO_FONT = "DejaVu Sans Mono"   # printed lines in columns (ps's table)
MONO_EM = 0.61                   # its advance width, rounded up
TEXT_PT, TICK_PT, TITLE_PT = 9, 10, 11
PX_PER_PT = 96 / 72          # pngcairo draws at 96 dpi
THIN_OVER = 16               # more lanes than this: thin lanes (Geometry)
TOP_PX = 44                  # the title, above the plot
ABOVE_PX, BELOW_PX = 40, 44  # room above the first lane, below the last
RIGHT_PX = 36
LABEL_MAX_PX = 250           # the widest lane name
ROW_DY = {2: -29, 1: -15,           # text rows around a lane's bar; rows 3
          -1: 16, -2: 30}           # and up only above the first lane, which
TOP_ONLY_ROWS = tuple(range(3, 19))  # has no lane above it (the picture
ROW_DY.update({row: -15 - 14 * (row - 1)   # grows upwards as they are used)
               for row in TOP_ONLY_ROWS})
ON_BAR = 0                   # the row on the bar itself: the zombie's label
ON_BAR_PAD_PX = 10           # bar left visible on each side of that label
TEXT_ROWS = (1, 2)           # above: printed lines
STATUS_ROWS = (-1, -2)       # below: exit, reap, join
PAD_PX = 4                   # between a marker and its text
GAP_PX = 8                   # between two texts on a row
LINE_CLEAR_PX = 6            # between a text and an arrow it must not hide
MIN_BAR_PX = 2               # the shortest bar still drawn
BUSY_PRINTS = 30             # a lane that printed more: no footnotes for them
BURST_PX, BURST_JOIN = 12, " | "  # lines printed so close together: one text,
                                 # joined so, where it fits
LEGEND_MIN_PX = 6            # the shortest bar worth a legend entry
FOOTNOTE_PX, MAX_FOOTNOTES = 16, 40  # texts that did not fit, listed below
LEGEND_SAMPLE_PX, LEGEND_GAP_PX = 34, 36  # a legend entry's sample; between
LEGEND_ROW_PX = 18           # from one legend row to the next
ADOPT_DASHES = "(20,14)"     # gnuplot's dash pattern of adoption arrows
DASHES = {"adopt": ADOPT_DASHES, "handoff": "(9,5)", "msg_main": "(6,4)",
          "pill": "(2,3)", "pipe_io": "(4,3)", "bytes": "(12,4)"}  # arrows drawn dashed: in the picture and legend
VIOLATION_DASHES = "(8,5)"   # and of a failed check's box
MANY_MESSAGES = 60           # more message arrows than this: thinner, paler,
                             # and texts may cover them
ARROWS_DRAWN = 2000          # past this many messages, an even sample of this
                             # many is drawn (the picture says so): 100,000
                             # arrows took gnuplot 0.9 s and Python 1.5 s, to
                             # draw what 1280 pixels show as one blue band
ARROW_GAP_PX = 5             # between a lane's centre and an arrow's end
SPREAD_PX = 5                # message arrows that would coincide: apart
BAND_MIN = 8                 # so many arrows in a row, each within SPREAD_PX
                             # of the last at both ends: a density band
BAND_BIN_PX = 4              # a band's slice: so many pixels of send time
BAND_SHADES = 5              # its shades, palest to darkest (band1..band5)
PIPE_BURST_PX = 6            # a pipe's reads or writes so close: one arrow
IDLE_SHARE = 0.85            # a stretch with no event this share of the time
IDLE_SHOWN = 0.08            # is drawn this share of the width (with message
                             # arrows only: a burst of them would be a blob)
STEEP_SPAN_PX = 8            # an arrow crossing a text row within so many
                             # pixels: no text may cover it there
NEAR_END_PX = 22             # (an upright one: only this near its ends)
DEPTH_TOP, DEPTH_BASE = -19, 22  # a queue lane's depth plot: the capacity
                                 # (full) and 0, pixels from the lane centre
QUEUE_KINDS = ("queue", "joinable_queue")
MAX_LANES = 48               # process lanes drawn at most; a note says how
                             # many more there were (a fork of 500)
MAX_THREAD_LANES = 6         # a process with more threads: marks, no lanes

# Okabe and Ito's palette (safe for the common colour-vision deficiencies)
# for what must be told apart; each such kind also differs in shape, dash
# or words (the legend's samples show them).
OKABE_ITO = {"orange": "#e69f00", "sky": "#56b4e9", "green": "#009e73",
             "yellow": "#f0e442", "blue": "#0072b2", "vermillion": "#d55e00",
             "purple": "#cc79a7", "black": "#000000"}

COLOURS = {
    "life": "#c4cad3",       # grey bar: the process is alive (no watcher)
    "unseen": "#e1e4e9",     # paler: alive, the watcher did not look yet
    "running": OKABE_ITO["green"],  # state R
    "sleeping": "#c4cad3",   # grey, "alive, idle": state S
    "disk": OKABE_ITO["yellow"],    # state D, uninterruptible disk wait
    "stopped": OKABE_ITO["sky"],    # state T, stopped by a signal
    "zombie": OKABE_ITO["purple"],  # exited, not yet reaped (a tall bar)
    "zombie_quiet": "#ecd3e2",  # the same, receding: a thin pale bar, where
                                # zombies are not the subject (thin lanes)
    "zombie_text": "#9e4a7c",   # its label, dark enough to read
    "adopt": "#7b4397",      # purple: an orphan handed to a new parent
    "fork": OKABE_ITO["black"],     # fork arrows, joins, reaps
    "signal": OKABE_ITO["vermillion"],
    "text": "#222222",
    "faint": "#707b8a",      # exit-to-reap links, secondary text
    "mark": "#1f618d",       # phases the lesson named (mark events)
    "msg": OKABE_ITO["blue"],  # message arrows, solid
    "msg_many": "#93b3d6",   # paler, when there are many
    "msg_main": OKABE_ITO["sky"],   # a message to the main process (a
                                    # result), dashed
    "pill": "#555555",       # an empty message (a poison pill), dotted
    # a density band's shades: more messages per pixel, darker
    "band1": "#d6e4f2", "band2": "#aac7e4", "band3": "#7aa6d2",
    "band4": "#4a82bd", "band5": "#1f5a99",
    "put_wait": "#c0504d",   # red hatch: a put waiting on a full queue
    "depth": "#b4c8e2",      # a bounded queue's depth
    "depth_line": "#5b84b8",   # its outline
    "capacity": "#5d6d7e",   # its capacity line
    "event": "#168a78",      # teal: an Event's waits, sets, releases
    "lock_hold": "#7d3c98",  # purple: a Lock held, acquire to release
    "lock_wait": "#c39bd3",  # pale purple: waiting for it
    "mgr_window": "#e67e22",  # orange: a manager get .. set of one key
    "mgr_ops": "#a04000",    # a manager request
    "eof": "#3a78b8",
    "on_task": "#ffffff",    # a task bar's label
    "task_wait": "#c0504d",  # red hatch: a task queued, every worker busy
    "handoff": OKABE_ITO["orange"],  # a task handed from its submitter to
                                     # a worker: dashed, unlike a fork
    "queue_join": OKABE_ITO["blue"],  # join() of a JoinableQueue: hollow
    "pipe_io": OKABE_ITO["sky"],  # bytes through a child's stdin/stdout/
                                  # stderr: dashed, unlike a signal
    "violation": "#f000ff",  # magenta: a failed check's evidence (a dashed
                             # box or a ring: no other mark has that shape)
    "bytes": "#d68910",      # orange: bytes through a pipe, write to read
    "bytes_many": "#f0c27b",  # paler, when there are many
    "thread": "#8395a7",     # a thread's thin bar, under its process
    "exec": "#117a65",       # an exec: the lane's program changes
    "sem_wait": "#a9cce3",   # pale blue: waiting for a semaphore (not a lock)
    "lib_call": "#7f8c8d",   # in system() or popen()
}

# Task bars, one colour per task id (cycling), dark enough for white text.
TASK_COLOURS = ("#8e44ad", "#16a085", "#2e86c1", "#ca6f1e", "#b7950b",
                "#c0397b", "#5d6d7e", "#1e8449")
COLOURS.update({f"task{i}": c for i, c in enumerate(TASK_COLOURS)})
TASK_BLOCKS = tuple(f"task{i}" for i in range(len(TASK_COLOURS)))

# The watcher's state letters (ps's) drawn as bars; Z is the zombie bar, X
# the end, any other letter leaves the plain bar.
STATE_BARS = {"R": "running", "S": "sleeping", "D": "disk", "T": "stopped",
              "t": "stopped"}

LEGEND = {                   # legend entry: (text, sample drawn), in order
    "running": ("running (R)", "bar"),
    "sleeping": ("sleeping (S)", "bar"),
    "disk": ("disk wait (D)", "bar"),
    "stopped": ("stopped (T)", "bar"),
    "life": ("process alive", "bar"),
    "unseen": ("alive, state not sampled", "bar"),
    "zombie": ("zombie (exited, not yet reaped)", "bar"),
    "zombie_quiet": ("zombie (exited, not yet reaped)", "thin bar"),
    "join": ("waiting in join (a process)", "thin bar"),
    "queue_join": ("waiting in join (a queue's tasks)", "hollow bar"),
    "fork": ("fork", "arrow"),
    "reap": ("reaped by its parent (wait)", "point"),
    "adopt": ("adopted by a new parent", "dashed arrow"),
    "signal": ("signal", "arrow"),
    "msg": ("message", "arrow"),
    "msg_many": ("message", "thin arrow"),
    "msg_main": ("message to the main process", "dashed arrow"),
    "pill": ("empty message (a pill)", "dotted arrow"),
    "band": ("many messages: darker, more per ms", "bar"),
    "put_wait": ("put waits: queue full", "hatch"),
    "depth": ("queue depth", "bar"),
    "eof": ("end of file (EOF)", "point"),
    "event_wait": ("waiting for an event", "thin bar"),
    "event_set": ("event set", "arrow"),
    "lock_wait": ("waiting for the lock", "thin bar"),
    "lock_hold": ("holding the lock", "bar"),
    "mgr_window": ("manager get .. set of one key", "bar"),
    "task": ("task running", "bar"),
    "queue_task": ("item got .. task_done()", "bar"),
    "handoff": ("task handed to a worker", "dashed arrow"),
    "task_wait": ("task queued: every worker busy", "hatch"),
    "pipe_io": ("bytes through a child's pipe", "dashed arrow"),
    "violation": ("failed check (numbered as in the score table)", "box"),
    "bytes": ("bytes through a pipe, write \u2192 read", "dashed arrow"),
    "bytes_many": ("bytes through a pipe", "thin arrow"),
    "thread": ("thread alive", "thin bar"),
    "exec": ("exec: a new program", "point"),
    "exec_failed": ("exec failed", "point"),
    "wait": ("waiting for a child (wait)", "thin bar"),
    "sem_wait": ("waiting for a semaphore", "thin bar"),
    "lib_call": ("in system() or popen()", "thin bar"),
    "handled": ("signal handled", "point"),
}

LEGEND_COLOURS = {"band": "band4", "join": "fork", "reap": "fork",
                  "event_wait": "event", "task": "task0",
                  "queue_task": "task0", "wait": "fork",
                  "exec_failed": "signal", "handled": "signal",
                  "event_set": "event"}   # else the key's own colour
LEGEND_POINTS = {"eof": 11, "exec": 8, "exec_failed": 8, "reap": 5,
                 "handled": 6}          # point samples: gnuplot's types

# DejaVu Sans advance widths in em, rounded up; other characters 0.7 em.
EM_WIDTHS = {
    0.30: "'ijlIJ", 0.35: " ,./:;\\|f-", 0.40: "()[]t!r", 0.50: '"*_`',
    0.55: "szc?L", 0.60: "FkvxyP", 0.65: "TYaoeESbdghnpqu$0123456789{}K",
    0.70: "AVBRXZC", 0.80: "UHNDG&OQw", 0.85: "#+<=>^~M", 1.00: "%mW@",
}
EM = {ch: em for em, chars in EM_WIDTHS.items() for ch in chars}


def text_px(text, pt, mono=False):
    """Estimated width of text in pixels (rounded up); mono: in
    MONO_FONT."""
    if mono:
        return pt * PX_PER_PT * MONO_EM * len(text)
    return pt * PX_PER_PT * sum(EM.get(ch, 0.7) for ch in text)


@dataclass(frozen=True)
class Geometry:
    """How tightly the lanes are drawn.  A picture of more than THIN_OVER
    lanes (the race lesson's 42) is thin: lanes 32 px apart instead of 78,
    one text row above each bar (three above the first lane), smaller task
    bars; the drawing leaves out the fork arrows and exit-to-reap links
    that would cross every lane, and the "exit 0" and zombie texts (the
    exit's mark and the zombie's bar stay)."""
    lane_px: int
    """Pixels from one lane to the next."""
    task_half_px: int
    """A task bar's half height, in pixels."""
    thin: bool
    """The thin drawing, with its omissions."""
    above: int = 2
    """Text rows above every lane (the first has TOP_ONLY_ROWS more):
    more, lanes further apart, for a picture whose texts did not fit
    (draw.layout tries it)."""


NORMAL = Geometry(lane_px=78, task_half_px=11, thin=False)
THIN = Geometry(lane_px=32, task_half_px=7, thin=True)


def geometry(lanes, above=2):
    """The Geometry of a picture of so many lanes, with so many text rows
    above each (the lanes 14 px further apart for each row past 2), unless
    they are thin."""
    if lanes > THIN_OVER:
        return THIN
    return Geometry(lane_px=NORMAL.lane_px + 14 * (above - 2),
                    task_half_px=NORMAL.task_half_px, thin=False,
                    above=above)
