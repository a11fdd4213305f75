"""What the preload saw any program do, beyond its life: its execs, its
threads (a thin lane each, or marks), its waits for children, its
system() and popen() calls, the signals its handlers got, and a note for
what it could not follow."""

import os

from ...words import signal_name
from ..style import STATUS_ROWS, TEXT_ROWS

UNTRACED_WORDS = {
    "static": "a static binary, which no preload enters",
    "setuid": "a set-uid or set-gid program, whose loader ignores the "
              "preload",
    "environment": "its environment dropped LD_PRELOAD",
}


def execs(d, proc):
    """A mark where the lane's program changed, "exec ARGV" beside it; a
    red one, "exec failed: ERROR", where it did not."""
    lane = d.lane_of[proc.pid]
    for exec_ in proc.execs:
        t = d.ms(exec_.ts)
        if exec_.error:
            d.pic.add("exec_fails", t, lane)
            d.pic.legend.add("exec_failed")
            d.status(lane, t, f"exec {exec_.path} failed: "
                     f"{os.strerror(exec_.error)}", "signal")
            continue
        d.pic.add("execs", t, lane)
        d.pic.legend.add("exec")
        d.pic.text(lane, t, f"exec {exec_.argv or exec_.path}", TEXT_ROWS,
                   "exec", optional=True, either_side=True)


def threads(d, proc):
    """Each thread on its own lane (a thin bar from its start to its end,
    a thin arrow from the thread that made it), or, for a process with too
    many, a mark at each start and a note."""
    end = d.life[proc.pid][1]
    marked = [t for t in proc.threads
              if (proc.pid, t.tid) not in d.thread_lane]
    for thread in proc.threads:
        lane = d.thread_lane.get((proc.pid, thread.tid))
        if lane is None:
            continue
        start = d.ms(thread.start_ts)
        stop = d.ms(thread.end_ts) if thread.end_ts is not None else end
        d.pic.bar("thread", lane, start, max(stop, start))
        d.pic.legend.add("thread")
        creator = d.lane_for(proc.pid, proc.thread_of(thread.creator,
                                                      thread.start_ts))
        if creator is not None and creator != lane:
            d.arrow("thread_starts", start, creator, start, lane,
                    reserve=False)
    for thread in marked:
        d.pic.add("thread_marks", d.ms(thread.start_ts), d.lane_of[proc.pid])
    if marked:
        d.pic.notes.append(f"{proc.label} started {len(marked)} threads: "
                           "each a + on its lane (too many for a lane "
                           "each).")


def waits(d, proc):
    """Blocking waits for a child (wait, waitpid): a thin dark bar, on
    the lane of the thread that waited."""
    for wait in proc.waits:
        lane = d.lane_for(proc.pid, wait.tid)
        d.pic.bar("wait", lane, *d.span(proc, wait))


def lib_calls(d, proc):
    """system() and popen() (and pclose()): a thin bar while the call
    lasts, the command under it."""
    lane = d.lane_of[proc.pid]
    for call in proc.lib_calls:
        start, end = d.span(proc, call)
        d.pic.bar("lib_call", lane, start, end)
        text = f"{call.call}({call.text})" if call.call != "pclose" \
            else "pclose()"
        d.pic.text(lane, start, text, STATUS_ROWS, "faint", optional=True,
                   either_side=True)


def handled(d, proc):
    """A signal that reached a handler: a ring where the handler ran,
    "handled SIGUSR1" beside it, and who sent it when not itself (the
    kernel, for a signal siginfo says it sent: code > 0)."""
    lane = d.lane_of[proc.pid]
    for h in proc.handled:
        t = d.ms(h.ts)
        d.pic.add("handled", t, lane)
        d.pic.legend.add("handled")
        sender = "" if h.sender == proc.pid and h.code <= 0 else \
            " from the kernel" if h.code > 0 else f" from {h.sender}"
        d.pic.text(lane, t, f"handled {signal_name(h.signo)}{sender}",
                   STATUS_ROWS, "signal", optional=True, either_side=True)


def untraced_notes(d, proc):
    """A plain word under the picture for what ran without the preload."""
    for u in proc.untraced:
        if u.what == "lines":
            d.pic.notes.append(f"{proc.label} printed more than {u.detail} "
                               "lines: the rest are not on the picture.")
        else:
            why = UNTRACED_WORDS.get(u.what, u.what)
            d.pic.notes.append(f"{proc.label} ran {u.detail} without the "
                               f"preload ({why}): only the watcher saw it.")
