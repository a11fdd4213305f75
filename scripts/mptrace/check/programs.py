"""Questions about any program, as the preload records it: children,
zombies, execs, bytes through pipes, pipe ends left open across an exec,
threads, printed lines."""

from collections import Counter, defaultdict

from ..words import size
from .checker import Answer, No, ids, plural, question


@question("children", "PARENT K", "PARENT had exactly K children: "
          "forked (fork, vfork) or started for it by the C library "
          "(system, popen, posix_spawn)")
def _children(c, parent, k):
    proc = c.proc(parent)
    kids = [c.procs[p] for p in proc.children if p in c.procs]
    said = (f"{c.who(parent)} had {plural(len(kids), 'child', 'ren')}"
            + (f": {ids(p.pid for p in kids)}" if kids else ""))
    return Answer(len(kids) == k, said)


@question("zombie", "PID [MIN_MS]", "the process was a zombie: it ended "
          "(the watcher saw it Z after its exit, else its exit) before it "
          "was collected, for at least MIN_MS (default: any time at all)")
def _zombie(c, pid, min_ms=0.0):
    proc = c.proc(pid)
    ended = proc.ended_ts
    if ended is None:
        return Answer(False, f"{c.who(pid)}'s end is not in the trace")
    if proc.reap_ts is None:
        return Answer(False, f"{c.who(pid)} ended at {c.ms(ended)} "
                      "and was never collected")
    length = (proc.reap_ts - ended) / 1e6
    said = (f"{c.who(pid)} ended at {c.ms(ended)} and was collected "
            f"at {c.ms(proc.reap_ts)} by {c.who(proc.reaper)}: a zombie "
            f"for {length:.1f} ms")
    return Answer(length > 0 and length >= min_ms, said)


@question("execd", "PID PROGRAM", "the process exec'd PROGRAM (a name or "
          "a path) and the exec succeeded")
def _execd(c, pid, program):
    proc = c.proc(pid)
    if not proc.execs:
        return Answer(False, f"{c.who(pid)} exec'd nothing")
    said = "; ".join(f"exec {e.path} at {c.ms(e.ts)}"
                     + (f": failed, errno {e.error}" if e.error else
                        f", then {e.new_name or 'not entered'}")
                     for e in proc.execs)
    ok = any(not e.error and program in (e.path, e.new_name,
                                         e.path.rsplit("/", 1)[-1])
             for e in proc.execs)
    return Answer(ok, f"{c.who(pid)}: {said}")


@question("pipe-bytes", "WRITER READER [K]", "bytes went from WRITER to "
          "READER through a pipe (each read matched with the writes it "
          "took, by byte range); with K, exactly K bytes in all")
def _pipe_bytes(c, writer, reader, k=None):
    c.proc(writer), c.proc(reader)
    moved = [t for t in c.trace.transfers
             if t.writer == writer and t.reader == reader]
    if not moved:
        return Answer(False, f"no byte went from {c.who(writer)} to "
                      f"{c.who(reader)} through a pipe")
    total = sum(t.bytes for t in moved)
    streams = sorted({t.stream for t in moved})
    said = (f"{c.who(writer)} wrote {total} bytes ({size(total)}) that "
            f"{c.who(reader)} read, through pipe(s) {ids(streams)}, from "
            f"{c.ms(moved[0].write_ts)} to {c.ms(moved[-1].read_ts)}")
    return Answer(k is None or total == k, said)


@question("closed-before-exec", "[PID]", "every exec (of PID, or of every "
          "process) happened with no pipe end open but stdin, stdout and "
          "stderr, as the trace knows the ends: made or inherited, and "
          "not closed (an end made close-on-exec, as Python makes them, "
          "counts as open: the trace does not know the flag)")
def _closed_before_exec(c, pid=None):
    procs = [c.proc(pid)] if pid is not None else \
        [p for p in c.lanes if p.execs]
    execs = [(p, e) for p in procs for e in p.execs if not e.error]
    if not execs:
        raise No("no process exec'd a program" + (f": {c.who(pid)}"
                                                   if pid else ""))
    for p, e in execs:
        held = [(fd, ino, end) for fd, ino, end in e.held if fd > 2]
        if held:
            return Answer(False, f"{c.who(p.pid)} exec'd {e.path} at "
                          f"{c.ms(e.ts)} holding "
                          + ", ".join(f"fd {fd} (the {end} end of pipe {ino})"
                                      if end in ("read", "write") else
                                      f"fd {fd} ({end} {ino})"
                                      for fd, ino, end in held)
                          + ": the program it became keeps them open")
    return Answer(True, f"{plural(len(execs), 'exec')}, none holding a pipe "
                  "end but 0, 1, 2")


@question("threads-started", "PID [K]", "the process started threads; "
          "with K, exactly K")
def _threads_started(c, pid, k=None):
    proc = c.proc(pid)
    said = (f"{c.who(pid)} started {plural(len(proc.threads), 'thread')}"
            + (": " + ", ".join(f"{t.tid} at {c.ms(t.start_ts)}"
                                for t in proc.threads)
               if proc.threads else ""))
    return Answer(bool(proc.threads) and (k is None or len(proc.threads)
                                          == k), said)


@question("printed", "PID TEXT", "the process wrote the line TEXT to its "
          "stdout or stderr (or printed it with mp_printf), not into a "
          "pipe another process of the trace read")
def _printed(c, pid, text):
    proc = c.proc(pid)
    said = [(o.ts, o.fd) for o in proc.out_lines
            if o.text == text and not o.piped]
    said += [(p.ts, 1) for p in proc.prints if p.text == text]
    if said:
        ts, fd = min(said)
        return Answer(True, f"{c.who(pid)} wrote {text!r} to "
                      f"{'stdout' if fd == 1 else 'stderr'} at {c.ms(ts)}")
    others = defaultdict(list)
    for p in c.lanes:
        for o in p.out_lines:
            if o.text == text:
                others[p.pid].append(o.ts)
    if others:
        who = ", ".join(f"{c.who(p)} at {c.ms(ts[0])}"
                        for p, ts in others.items())
        return Answer(False, f"{c.who(pid)} did not write {text!r}; {who} "
                      "did")
    lines = Counter(o.fd for o in proc.out_lines)
    return Answer(False, f"nobody wrote {text!r}; {c.who(pid)} wrote "
                  f"{lines[1]} line(s) to stdout, {lines[2]} to stderr")
