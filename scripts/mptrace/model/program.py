"""What any program did, as the preload (libmp-preload.so) records it:
its execs, threads, printed lines, handled signals, waits, the C
library's calls that start children, and what it could not follow.  A
program linked with the runtime records the runtime's events instead
(model/process.py); both kinds hang on the same Proc."""

from typing import NamedTuple, Optional


class Exec(NamedTuple):
    """An exec: the process replaced its program (proc_exec, and
    proc_exec_fail if it failed)."""
    ts: int
    """proc_exec: the moment before the exec."""
    path: str
    """The program as given to exec ("ls", "/usr/bin/python3")."""
    argv: str
    """Its arguments joined by spaces (at most 511 bytes)."""
    old_name: str
    """The process's name before: its parent's program after a plain
    fork."""
    new_name: Optional[str]
    """The new program's name from its proc_start; None if it failed, or
    ran where the preload could not enter (a static program)."""
    error: int = 0
    """exec's errno if it failed (proc_exec_fail), else 0."""
    held: tuple = ()
    """((fd, ino, end), ...): the pipe and socket ends the process had
    open when it exec'd, as the trace knows them: pipes it made or
    inherited, minus those it closed.  `end` is "read" or "write" (a
    pipe's), "socket", or "end" (a dup of an end the trace did not see
    made).  An end opened close-on-exec (O_CLOEXEC, as
    Python makes every pipe) closes at the exec by itself; the trace does
    not say which."""


class Thread(NamedTuple):
    """A thread the process started (thread_start, thread_end).  The main
    thread has none: its events are those whose thread is not one of
    these (a forked child's main thread is recorded with its parent's
    forking thread's tid: LTTng's fork hooks are off)."""
    tid: int
    """Its thread id."""
    creator: int
    """The thread that made it."""
    start_ts: int
    """thread_start."""
    end_ts: Optional[int]
    """thread_end; None: it ran to the end of the process (or the trace)."""


class OutLine(NamedTuple):
    """A line the process wrote to its stdout or stderr (out_line): bytes
    that reached the fd, recorded when stdio flushed them (not when printf
    was called)."""
    ts: int
    """When it was written."""
    fd: int
    """1: stdout; 2: stderr."""
    text: str
    """The line, without its newline."""
    tid: Optional[int] = None
    """The thread that wrote it (Thread.tid); None: the main thread."""
    piped: bool = False
    """The fd was then a pipe another process of the trace read: the line
    is data on its way there (`ls | wc`), not text printed."""


class Handled(NamedTuple):
    """A signal that reached a handler the process installed
    (sig_handle)."""
    ts: int
    """When the handler began."""
    signo: int
    """The signal."""
    sender: int
    """Who sent it (from its siginfo); 0: the kernel."""
    code: int
    """siginfo's code: 0 kill(), -6 tgkill()/raise(), > 0 the kernel."""


class Wait(NamedTuple):
    """A blocking wait for a child (proc_wait), until the proc_reap that
    ended it."""
    ts: int
    """proc_wait: the wait begins."""
    end_ts: Optional[int]
    """The proc_reap it collected; None if none came (interrupted)."""
    target: int
    """The pid waited for; -1 any child; 0 or -pgid a group."""
    tid: Optional[int] = None
    """The thread that waited; None: the main thread."""


class LibCall(NamedTuple):
    """system(), popen() or pclose(): a C library call that starts or
    collects a child it never names (lib_call to lib_return)."""
    ts: int
    """lib_call."""
    end_ts: Optional[int]
    """lib_return; None: it never returned."""
    call: str
    """"system", "popen" or "pclose"."""
    text: str
    """The command (system, popen), "fd N" (pclose)."""
    result: Optional[int]
    """The wait status (system, pclose), the stream's fd (popen), -1."""


class Untraced(NamedTuple):
    """Something the preload could not follow (untraced)."""
    ts: int
    """When it knew."""
    what: str
    """"static" or "setuid" (a program no preload enters), "environment"
    (an exec whose environment dropped LD_PRELOAD), "lines" (the output
    line limit was reached)."""
    detail: str
    """The program, or the limit."""
