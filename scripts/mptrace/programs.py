"""What the preload (libmp-preload.so) records of any program, put on its
Proc: threads, execs (with the pipe ends held at each), the lines it wrote
to stdout and stderr, signals its handlers got, its blocking waits, its
system() and popen() calls, and what the preload could not follow.  A
read of 0 bytes from a pipe is an end of file (Proc.eofs).

Which pipe end each process holds is followed through the events in time
order: a pipe's ends belong to the process that made it (fd_pipe); a
child starts with a copy of its parent's (at its proc_fork, or at its own
proc_start for the children the C library starts without fork: vfork,
system, popen); dup2 adds one, close removes one.
"""

import os

from .model import (Eof, Exec, Handled, LibCall, OutLine, Thread, Untraced,
                    Wait)

# untraced's `what` for an exec into a program that runs without the
# preload: its name is then the exec's, with no proc_start of its own.
EXEC_UNTRACED = ("static", "setuid", "environment")


def apply(procs, events):
    """Fills the Procs' threads, execs, out_lines, handled, waits,
    lib_calls, untraced and pipe eofs from the events."""
    _threads(procs, events)
    read = {e["stream"] for e in events
            if e["name"] == "io_read" and e["bytes"] > 0}
    follow = _Follow(procs, read)
    for event in events:
        follow.event(event)
    follow.finish()


def _threads(procs, events):
    for e in events:
        proc = procs.get(e.get("pid"))
        if proc is None:
            continue
        if e["name"] == "thread_start":
            proc.threads.append(Thread(e["tid"], e["creator"], e["ts"], None))
        elif e["name"] == "thread_end":
            for i in range(len(proc.threads) - 1, -1, -1):
                if proc.threads[i].tid == e["tid"] \
                        and proc.threads[i].end_ts is None:
                    proc.threads[i] = proc.threads[i]._replace(
                        end_ts=e["ts"])
                    break


class _Follow:
    """One pass over the events: fd tables, names, execs, the rest."""

    def __init__(self, procs, read_streams):
        self.procs, self.read = procs, read_streams
        self.fds = {}           # pid -> {fd: inode} of its pipe ends
        self.name = {}          # pid -> its name now
        self.pending = {}       # pid -> Exec not yet known to have run
        self.handlers = {}      # event name -> its on_ method, or None

    def table(self, pid, parent=None):
        if pid not in self.fds:
            self.fds[pid] = dict(self.fds.get(parent, {}))
        return self.fds[pid]

    def event(self, e):
        name = e["name"]
        try:
            handler = self.handlers[name]
        except KeyError:        # looked up once per name
            handler = self.handlers[name] = getattr(self, "on_" + name, None)
        if handler is not None:
            proc = self.procs.get(e.get("pid"))
            tid = proc.thread_of(e.get("vtid"), e["ts"]) if proc else None
            handler(e, proc, tid)

    # -- processes and their names --

    def on_proc_fork(self, e, proc, tid):
        self.table(e["child"], e["pid"])
        self.name.setdefault(e["child"], e["proc_name"])

    def on_proc_start(self, e, proc, tid):
        pid = e["pid"]
        self.table(pid, e["ppid"])
        exec_ = self.pending.pop(pid, None)
        if exec_ is not None and proc is not None:
            self.executed(proc, exec_._replace(new_name=e["proc_name"]))
        self.name[pid] = e["proc_name"]

    def on_proc_exec(self, e, proc, tid):
        if proc is None:
            return
        self.flush(e["pid"])
        held = self.held(e["pid"])
        self.pending[e["pid"]] = Exec(e["ts"], e["path"], e["argv"],
                                      self.name.get(e["pid"], proc.name),
                                      None, 0, held)

    def on_proc_exec_fail(self, e, proc, tid):
        if proc is None:
            return
        exec_ = self.pending.pop(e["pid"], None) or Exec(
            e["ts"], e["path"], "", self.name.get(e["pid"], proc.name),
            None, 0, self.held(e["pid"]))
        proc.execs.append(exec_._replace(error=e["error"]))

    def held(self, pid):
        """((fd, inode, end), ...) of the pipe ends pid has open now."""
        return tuple(sorted((fd, ino, end) for fd, (ino, end)
                            in self.table(pid).items()))

    def on_untraced(self, e, proc, tid):
        if proc is None:
            return
        proc.untraced.append(Untraced(e["ts"], e["what"], e["detail"]))
        exec_ = self.pending.get(e["pid"])
        if exec_ is not None and e["what"] in EXEC_UNTRACED:
            del self.pending[e["pid"]]
            new = os.path.basename(exec_.path) or exec_.path
            self.executed(proc, exec_._replace(new_name=new))
            proc.name = self.name[e["pid"]] = new

    def executed(self, proc, exec_):
        """An exec that ran: the lane's name changes with it."""
        proc.execs.append(exec_)
        if proc.first_name is None and exec_.new_name != exec_.old_name:
            proc.first_name = exec_.old_name

    def flush(self, pid):
        """An exec still pending when the next one comes (or the trace
        ends) ran without a proc_start of its own: not entered."""
        exec_ = self.pending.pop(pid, None)
        if exec_ is not None:
            self.procs[pid].execs.append(exec_)

    def finish(self):
        for pid in list(self.pending):
            self.flush(pid)

    # -- pipe ends --

    def on_fd_pipe(self, e, proc, tid):
        table = self.table(e["pid"])
        ends = ("read", "write") if e["kind"] == "pipe" else \
            ("socket", "socket")
        table[e["fd0"]] = (e["ino0"], ends[0])
        table[e["fd1"]] = (e["ino1"], ends[1])

    def on_fd_dup(self, e, proc, tid):
        table = self.table(e["pid"])
        old = table.get(e["oldfd"])
        end = old[1] if old is not None and old[0] == e["ino"] else "end"
        table[e["newfd"]] = (e["ino"], end)

    def on_fd_close(self, e, proc, tid):
        self.table(e["pid"]).pop(e["fd"], None)

    def on_io_read(self, e, proc, tid):
        if proc is not None and e["bytes"] == 0:
            proc.eofs.append(Eof(e["ts"], e["stream"]))

    # -- what the program said and did --

    def on_out_line(self, e, proc, tid):
        if proc is None:
            return
        piped = self.table(e["pid"]).get(e["fd"], (None,))[0] in self.read
        proc.out_lines.append(OutLine(e["ts"], e["fd"], e["text"], tid,
                                      piped))

    def on_sig_handle(self, e, proc, tid):
        if proc is not None:
            proc.handled.append(Handled(e["ts"], e["signo"], e["sender"],
                                        e["code"]))

    def on_proc_wait(self, e, proc, tid):
        if proc is not None:
            proc.waits.append(Wait(e["ts"], None, e["target"], tid))

    def on_proc_reap(self, e, proc, tid):
        if proc is None:
            return
        for i, wait in enumerate(proc.waits):
            if wait.end_ts is None and wait.tid == tid:
                proc.waits[i] = wait._replace(end_ts=e["ts"])
                break

    def on_lib_call(self, e, proc, tid):
        if proc is not None:
            proc.lib_calls.append(LibCall(e["ts"], None, e["call"],
                                          e["text"], None))

    def on_lib_return(self, e, proc, tid):
        if proc is None:
            return
        for i in range(len(proc.lib_calls) - 1, -1, -1):
            call = proc.lib_calls[i]
            if call.call == e["call"] and call.end_ts is None:
                proc.lib_calls[i] = call._replace(end_ts=e["ts"],
                                                  result=e["result"])
                break
