"""Questions about pipes made by hand (pipe, fork, dup2, exec: `ls | wc
-l`), from the interposition layer's records (trace/README.md, "Any
program"): fd_pipe, fd_dup, fd_close, proc_exec, io_write, io_short,
io_read, out_line, proc_wait.  They are read here as they come, event by
event: the pipe ends each process holds, followed through fork (a child
starts with its parent's), dup2, close, exec (ends are kept: the trace
does not know close-on-exec) and exit.  (The ends held at each exec are
the model's: closed-before-exec, check/programs.py.)"""

import re

from .checker import Answer, No, plural, question

END = {0: "read", 1: "write"}


def _ends(c):
    """{pid: {fd: (ino, end)}} as it changes, and the moments the
    questions need: [(ts, pid, path, ends)] at each exec, {pid: (ts, ends)}
    at each process's first wait, in one pass over the events."""
    if "pipes" in c.cache:
        return c.cache["pipes"]
    held, execs, waits = {}, [], {}

    def of(pid):
        if pid not in held:     # a child starts with its parent's ends
            proc = c.procs.get(pid)
            parent = proc.parent if proc is not None else None
            held[pid] = dict(held.get(parent, {})) if parent != pid else {}
        return held[pid]

    for e in c.events:
        name, pid = e["name"], e.get("pid")
        if name == "proc_fork":
            of(pid)
            of(e["child"])
        elif name == "fd_pipe" and e["kind"] == "pipe":
            of(pid).update({e["fd0"]: (e["ino0"], 0), e["fd1"]: (e["ino1"], 1)})
        elif name == "fd_dup":
            mine = of(pid)
            mine[e["newfd"]] = mine.get(e["oldfd"], (e["ino"], None))
        elif name == "fd_close":
            of(pid).pop(e["fd"], None)
        elif name == "proc_exec":
            execs.append((e["ts"], pid, e["path"], dict(of(pid))))
        elif name in ("proc_wait", "proc_reap") and pid not in waits:
            waits[pid] = (e["ts"], dict(of(pid)))
        elif name == "proc_exit":
            of(pid).clear()
    c.cache["pipes"] = held, execs, waits
    return c.cache["pipes"]


def _said(ends):
    return ", ".join(f"fd {fd} (the {END.get(end, 'copied')} end of pipe "
                     f"{ino})" for fd, (ino, end) in sorted(ends.items()))


def _failed_execs(c):
    return {e["pid"] for e in c.events if e["name"] == "proc_exec_fail"}


@question("exec-count", "N", "exactly N programs were exec'd by the "
          "lesson's processes, each exec recorded by the interposition "
          "layer (mprun --preload)")
def _exec_count(c, n):
    _, execs, _ = _ends(c)
    failed = _failed_execs(c)
    done = [(ts, pid, path) for ts, pid, path, _ in execs
            if pid not in failed]
    if not done and not failed:
        raise No("no exec in the trace (is the interposition layer "
                 "recording? the checks file wants `preload yes`)")
    said = f"{plural(len(done), 'program')} exec'd" + (": " + "; ".join(
        f"{c.who(pid)} exec'd {path} at {c.ms(ts)}"
        for ts, pid, path in done) if done else "") + \
        (f"; {len(failed)} exec(s) failed" if failed else "")
    return Answer(len(done) == n, said + f" (asked: {n})", () if len(done)
                  == n else tuple(c.mark(pid, ts, text="exec")
                                  for ts, pid, _ in done))


@question("pipe-ends-closed", "PID", "the process held no pipe end when it "
          "began waiting for its children (its first wait): a reader of "
          "the pipe sees end of file only once every write end is closed")
def _pipe_ends_closed(c, pid):
    c.proc(pid)
    _, _, waits = _ends(c)
    if pid not in waits:
        raise No(f"{c.who(pid)} never waited for a child")
    ts, ends = waits[pid]
    if ends:
        return Answer(False, f"{c.who(pid)} began waiting at {c.ms(ts)} "
                      f"still holding {_said(ends)}",
                      (c.mark(pid, ts, text="waits with pipe ends open"),))
    return Answer(True, f"{c.who(pid)} began waiting at {c.ms(ts)} holding "
                  "no pipe end")


def _streams(c):
    """{stream: [bytes written, bytes read, eof seen by, writers,
    readers]} of the pipes the lesson made."""
    pipes = {e["ino0"] for e in c.events
             if e["name"] == "fd_pipe" and e["kind"] == "pipe"}
    seen = {ino: [0, 0, set(), set(), set()] for ino in pipes}
    asked = {}          # (pid, fd) -> bytes its last write asked for
    for e in c.events:
        s = seen.get(e.get("stream"))
        if s is None:
            continue
        if e["name"] == "io_write":
            s[0] += e["bytes"]
            s[3].add(e["pid"])
            asked[e["pid"], e["fd"]] = e["bytes"]
        elif e["name"] == "io_short":    # fewer went than were asked
            s[0] -= asked.get((e["pid"], e["fd"]), e["bytes"]) - e["bytes"]
        elif e["name"] == "io_read":
            s[1] += e["bytes"]
            s[4].add(e["pid"])
            if e["bytes"] == 0:
                s[2].add(e["pid"])
    return seen


@question("pipe-eof", "", "every pipe the lesson made carried some bytes, "
          "its readers read all of them, and each reader then saw end of "
          "file (a read of 0 bytes: every write end closed)")
def _pipe_eof(c):
    seen = _streams(c)
    if not seen:
        raise No("no pipe was made in the trace")
    wrong, marks = [], []
    for ino, (wrote, read, eof, writers, readers) in seen.items():
        who = ", ".join(c.who(p) for p in sorted(readers)) or "nobody"
        if not wrote or read != wrote:
            wrong.append(f"pipe {ino}: {wrote} bytes written, {read} read "
                         f"(by {who})")
        for pid in sorted(readers - eof):
            wrong.append(f"pipe {ino}: {c.who(pid)} never saw end of file")
            proc = c.procs.get(pid)
            if proc is not None and proc.last_ts is not None:
                marks.append(c.mark(pid, proc.last_ts, text="no EOF"))
    if wrong:
        return Answer(False, "; ".join(wrong), tuple(marks))
    return Answer(True, "; ".join(
        f"pipe {ino}: {wrote} bytes written, all read, then end of file"
        for ino, (wrote, *_rest) in seen.items()))


@question("pipe-lines", "NUMBER_REGEX", "the number the program printed "
          "(the group n of the line that matches) is the number of lines "
          "written into the lesson's pipes (out_line records of their "
          "writers' stdout)", basis="runtime")
def _pipe_lines(c, regex):
    if c.output is None:
        raise No("the program's output was not given")
    found = [m for m in map(re.compile(regex).search,
                            c.output.splitlines()) if m]
    if not found:
        raise No(f"no line matches {regex!r}")
    writers = set().union(*(s[3] for s in _streams(c).values())) \
        if _streams(c) else set()
    lines = sum(1 for e in c.events if e["name"] == "out_line"
                and e["pid"] in writers and e["fd"] == 1)
    said = int(found[-1]["n"])
    return Answer(said == lines, f"the program printed {said}; "
                  f"{plural(lines, 'line')} went into the pipe")
