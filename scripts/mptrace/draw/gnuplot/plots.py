"""How gnuplot draws each data block of a Picture: bars, vectors, points,
polygons; and quoting text for it."""

from ..style import (BAND_SHADES, DASHES, LEGEND_POINTS, TASK_BLOCKS,
                     VIOLATION_DASHES)


def bar_plot(colour, half_px=4.0):
    return (f"using (($1+$2)/2):3:1:2:($3-{half_px}/lane_px):"
            f"($3+{half_px}/lane_px) with boxxyerror fs solid 1.0 noborder "
            f"fc rgb c_{colour}")


# data block -> how gnuplot draws it, in drawing order; the task bars go in
# after "zombie" (plots())
BASE_PLOTS = {
    "life": bar_plot("life"),
    "unseen": bar_plot("unseen"),
    "sleeping": bar_plot("sleeping"),
    "running": bar_plot("running"),
    "disk": bar_plot("disk"),
    "stopped": bar_plot("stopped"),
    "zombie": bar_plot("zombie"),
    "zombie_quiet": bar_plot("zombie_quiet", 1.5),
    "put_wait": "using (($1+$2)/2):3:1:2:($3-6.0/lane_px):($3+6.0/lane_px) "
                "with boxxyerror fs pattern 4 border lc rgb c_put_wait "
                "lw 1 fc rgb c_put_wait",
    "depth": "using 1:2 with filledcurves closed fs solid 1.0 noborder "
             "fc rgb c_depth",
    "depth_top": "using 1:2 with lines lw 1 lc rgb c_depth_line",
    "baseline": "using 1:2:3:4 with vectors nohead lw 1 lc rgb c_capacity",
    "capacity": "using 1:2:3:4 with vectors nohead dt (6,6) lw 1 "
                "lc rgb c_capacity",
    "join": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):($3+1.5/lane_px) "
            "with boxxyerror fs solid 1.0 noborder fc rgb c_fork",
    "queue_join": "using (($1+$2)/2):3:1:2:($3-3.0/lane_px):"
                  "($3+3.0/lane_px) with boxxyerror fs empty border "
                  "lc rgb c_queue_join lw 1.2",
    "event_wait": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):"
                  "($3+1.5/lane_px) with boxxyerror fs solid 1.0 noborder "
                  "fc rgb c_event",
    "lock_wait": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):"
                 "($3+1.5/lane_px) with boxxyerror fs solid 1.0 noborder "
                 "fc rgb c_lock_wait",
    "thread": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):($3+1.5/lane_px) "
              "with boxxyerror fs solid 1.0 noborder fc rgb c_thread",
    "wait": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):($3+1.5/lane_px) "
            "with boxxyerror fs solid 1.0 noborder fc rgb c_fork",
    "lib_call": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):"
                "($3+1.5/lane_px) with boxxyerror fs solid 1.0 noborder "
                "fc rgb c_lib_call",
    "sem_wait": "using (($1+$2)/2):3:1:2:($3-1.5/lane_px):"
                "($3+1.5/lane_px) with boxxyerror fs solid 1.0 noborder "
                "fc rgb c_sem_wait",
    "mgr_window": bar_plot("mgr_window", 3.0),
    "lock_hold": bar_plot("lock_hold", 6.0),
    "links": "using 1:2:3:4 with vectors nohead dt 3 lw 1 lc rgb c_faint",
    "forks": "using 1:2:3:4 with vectors head filled size screen 0.006,25 "
             "lw 1.2 lc rgb c_fork",
    "adopts": "using 1:2:3:4 with vectors head filled size screen 0.006,25 "
              f"dt {DASHES['adopt']} lw 1.5 lc rgb c_adopt",
    **{f"band{i}": "using 1:2 with filledcurves closed fs solid 1.0 "
                   f"noborder fc rgb c_band{i}"
       for i in range(1, BAND_SHADES + 1)},
    "msg_many": "using 1:2:3:4 with vectors head filled size screen "
                "0.004,25 lw 0.7 lc rgb c_msg_many",
    "msg": "using 1:2:3:4 with vectors head filled size screen 0.005,25 "
           "lw 1 lc rgb c_msg",
    "msg_main": "using 1:2:3:4 with vectors head filled size screen "
                f"0.005,25 dt {DASHES['msg_main']} lw 1.3 lc rgb c_msg_main",
    "pill": "using 1:2:3:4 with vectors head filled size screen 0.005,25 "
            f"dt {DASHES['pill']} lw 1.5 lc rgb c_pill",
    "pipe_io": "using 1:2:3:4 with vectors head filled size screen "
               f"0.005,25 dt {DASHES['pipe_io']} lw 1.3 lc rgb c_pipe_io",
    "bytes_many": "using 1:2:3:4 with vectors head filled size screen "
                  "0.004,25 lw 0.7 lc rgb c_bytes_many",
    "bytes": "using 1:2:3:4 with vectors head filled size screen "
             f"0.005,25 dt {DASHES['bytes']} lw 1.2 lc rgb c_bytes",
    "thread_starts": "using 1:2:3:4 with vectors head filled size screen "
                     "0.004,25 lw 0.8 lc rgb c_thread",
    "event_sets": "using 1:2:3:4 with vectors head filled size screen "
                  "0.006,25 lw 1.2 lc rgb c_event",
    "signals": "using 1:2:3:4 with vectors head filled size screen 0.006,25 "
               "lw 1.5 lc rgb c_signal",
    "prints": "using 1:2 with points pt 7 ps 0.4 lc rgb c_text",
    "marks": "using 1:2 with points pt 13 ps 0.55 lc rgb c_mark",
    "exits": "using 1:2 with points pt 2 ps 0.8 lw 1.5 lc rgb c_text",
    # exit with a status other than 0, or killed by a signal:
    "bad_ends": "using 1:2 with points pt 2 ps 0.8 lw 1.5 lc rgb c_signal",
    "reaps": "using 1:2 with points pt 5 ps 0.5 lc rgb c_fork",
    "eofs": f"using 1:2 with points pt {LEGEND_POINTS['eof']} ps 0.8 "
            "lc rgb c_eof",
    "event_ops": "using 1:2 with points pt 7 ps 0.6 lc rgb c_event",
    "failed_sends": "using 1:2 with points pt 12 ps 0.8 lc rgb c_signal",
    "mgr_ops": "using 1:2 with points pt 9 ps 0.5 lc rgb c_mgr_ops",
    "execs": f"using 1:2 with points pt {LEGEND_POINTS['exec']} ps 0.9 "
             "lw 1.5 lc rgb c_exec",
    "exec_fails": f"using 1:2 with points pt {LEGEND_POINTS['exec']} "
                  "ps 0.9 lw 1.5 lc rgb c_signal",
    "handled": f"using 1:2 with points pt {LEGEND_POINTS['handled']} "
               "ps 0.8 lw 1.2 lc rgb c_signal",
    "thread_marks": "using 1:2 with points pt 1 ps 0.6 lc rgb c_thread",
    "task_wait": "using (($1+$2)/2):3:1:2:($3-9.0/lane_px):($3+9.0/lane_px) "
                 "with boxxyerror fs pattern 4 border lc rgb c_task_wait "
                 "lw 1 fc rgb c_task_wait",
    "handoffs": "using 1:2:3:4 with vectors head filled size screen "
                f"0.006,25 dt {DASHES['handoff']} lw 1.3 lc rgb c_handoff",
    # a failed check's evidence, over everything else
    "violations": "using (($1+$2)/2):3:1:2:($3-15.0/lane_px):"
                  "($3+15.0/lane_px) with boxxyerror fs empty "
                  f"lc rgb c_violation lw 2.5 dt {VIOLATION_DASHES}",
    "violation_rings": "using 1:2 with points pt 6 ps 2.6 lw 2.5 "
                       "lc rgb c_violation",
}
# A task bar: tall (Geometry.task_half_px), with a thin dark border so two
# tasks in a row part; drawn over the life and state bars, under everything
# else.
_AFTER = list(BASE_PLOTS).index("zombie") + 1


def plots(geo):
    """Data block -> how gnuplot draws it, in drawing order, for a picture
    of this Geometry."""
    half_px = geo.task_half_px
    return dict(
        list(BASE_PLOTS.items())[:_AFTER]
        + [(block, f"using (($1+$2)/2):3:1:2:($3-{half_px}.0/lane_px):"
                   f"($3+{half_px}.0/lane_px) with boxxyerror fs solid 1.0 "
                   f'border lc rgb "#333333" lw 0.6 fc rgb c_{block}')
           for block in TASK_BLOCKS]
        + list(BASE_PLOTS.items())[_AFTER:])


BARS = TASK_BLOCKS + ("task_wait", "life", "unseen", "sleeping", "running",
                      "disk", "stopped", "zombie", "zombie_quiet", "join",
                      "queue_join", "put_wait",
                      "event_wait", "lock_wait", "mgr_window", "lock_hold",
                      "thread", "wait", "lib_call", "sem_wait",
                      "violations")
VECTORS = ("links", "forks", "adopts", "signals", "msg", "msg_many",
           "msg_main", "pill",
           "handoffs", "pipe_io", "event_sets", "baseline", "capacity",
           "bytes", "bytes_many", "thread_starts")
POLYGONS = ("depth", "depth_top") + tuple(
    f"band{i}" for i in range(1, BAND_SHADES + 1))


def quote(text, spaces=False):
    """text as a gnuplot double-quoted string (its runs of spaces as one,
    unless spaces)."""
    # (kept as no-break spaces: a left-aligned text keeps its leading
    # ones; the renderer drops those at the end, so the Script never
    # right-aligns such a text)
    text = str(text).rstrip().replace(" ", "\u00a0") if spaces \
        else " ".join(str(text).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
