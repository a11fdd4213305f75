"""The checks a run failed, where their evidence is: a dashed box around
the lane over the stretch of time, or a ring at the moment, in a colour
nothing else uses, with the check's number and a few words.  Drawn first,
so their words get the room."""

from ..style import STATUS_ROWS, TEXT_ROWS

# Narrower than this (pixels): a ring at its middle instead of a box.
RING_UNDER_PX = 8


def violations(d):
    """Every violation (Drawing.violations: records with pid, ts, end_ts
    and text) on its lane; a note for one whose process has no lane."""
    for v in d.violations:
        lane = d.lane_of.get(v.pid)
        if lane is None:
            d.pic.notes.append(f"Failed check: {v.text} (pid {v.pid}, not "
                               "on this picture)")
            continue
        x0 = d.ms(v.ts)
        x1 = d.ms(v.end_ts) if v.end_ts is not None else x0
        scale = d.pic.scale
        if scale.px(x1) - scale.px(x0) < RING_UNDER_PX:
            d.pic.add("violation_rings", (x0 + x1) / 2, lane)
        else:
            d.pic.add("violations", x0, x1, lane)
        d.pic.legend.add("violation")
        d.pic.text(lane, x0, v.text, STATUS_ROWS + TEXT_ROWS, "violation",
                   either_side=True)
