/*
 * mp-tp.h - the LTTng-UST provider "mp": every event the suite records.
 *
 * One header, read twice by LTTng's macros (the multi-read guard below), as
 * in lttng-ust's doc/examples/easy-ust.  trace/README.md describes each
 * event and field; keep the two in step.
 *
 * Rules every event follows:
 *   - `pid` is the process that did the thing, taken from getpid() at the
 *     call.  LTTng's vpid/procname contexts are inherited unchanged by a child
 *     forked without exec, so the scripts trust the payload, not the context.
 *   - Ids of things shared between processes (channels, messages, locks,
 *     pools, tasks) are 64-bit numbers chosen so that two processes never
 *     pick the same one: (creator pid << 32) | sequence number.
 *   - Times are LTTng's own timestamps; no event carries a clock of its own.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER mp

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "mp-tp.h"

#if !defined(MP_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define MP_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

/* ---- processes ------------------------------------------------------- */

/* A process starts running runtime code: the main program at start-up, a
 * child right after fork.  `name` is its lane's label. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_start,
	LTTNG_UST_TP_ARGS(int, pid, int, ppid, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, ppid, ppid)
		lttng_ust_field_string(name, name)))

/* The parent's side of fork: the edge from `pid` to `child`. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_fork,
	LTTNG_UST_TP_ARGS(int, pid, int, child, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_string(name, name)))

/* A process is about to _exit(code).  A process killed by a signal has no
 * proc_exit; its proc_reap says which signal. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_exit,
	LTTNG_UST_TP_ARGS(int, pid, int, code),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, code, code)))

/* `pid` collected `child` with wait: exitcode in Python's convention (the
 * exit status, or minus the signal number), wstatus as the kernel gave it. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_reap,
	LTTNG_UST_TP_ARGS(int, pid, int, child, int, exitcode, int, wstatus),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int, exitcode, exitcode)
		lttng_ust_field_integer(int, wstatus, wstatus)))

/* `pid` sent signal `signo` to `target`. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_signal,
	LTTNG_UST_TP_ARGS(int, pid, int, target, int, signo),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, target, target)
		lttng_ust_field_integer(int, signo, signo)))

/* join: `pid` starts waiting for `child` (timeout_us -1: no limit) ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_join,
	LTTNG_UST_TP_ARGS(int, pid, int, child, int64_t, timeout_us),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int64_t, timeout_us, timeout_us)))

/* ... and stops: ended 1 if the child has ended, 0 if the timeout ran out. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_joined,
	LTTNG_UST_TP_ARGS(int, pid, int, child, int, ended),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int, ended, ended)))

/* The watcher saw `pid` in /proc with this state letter (R, S, D, T, Z, ...)
 * and parent; emitted when either changes. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_state,
	LTTNG_UST_TP_ARGS(int, pid, int, ppid, const char *, state),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, ppid, ppid)
		lttng_ust_field_string(state, state)))

/* ---- what the lesson says -------------------------------------------- */

/* One line of text with the process that produced it. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, text_line,
	LTTNG_UST_TP_ARGS(int, pid, const char *, text),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(text, text)))

/* A line the lesson printed on stdout (mp_printf). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, text_line, mp, print,
	LTTNG_UST_TP_ARGS(int, pid, const char *, text))

/* A phase the lesson names for the timeline without printing it. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, text_line, mp, mark,
	LTTNG_UST_TP_ARGS(int, pid, const char *, text))

/* A log record (mp_log), level as in mp.h: 10 DEBUG ... 50 CRITICAL. */
LTTNG_UST_TRACEPOINT_EVENT(mp, log,
	LTTNG_UST_TP_ARGS(int, pid, int, level, const char *, text),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, level, level)
		lttng_ust_field_string(text, text)))

/* ---- pools ------------------------------------------------------------ */

LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, task,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, pool, pool)
		lttng_ust_field_integer(uint64_t, task, task)))

/* The parent hands task `task` to pool `pool`. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, task, mp, task_submit,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task))

/* Worker `pid` begins the task. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, task, mp, task_start,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task))

/* Worker `pid` finished the task: error 0 and the result's size, or an errno. */
LTTNG_UST_TRACEPOINT_EVENT(mp, task_end,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task,
		int, error, uint64_t, result_size),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, pool, pool)
		lttng_ust_field_integer(uint64_t, task, task)
		lttng_ust_field_integer(int, error, error)
		lttng_ust_field_integer(uint64_t, result_size, result_size)))

/* A pool-wide operation: "create", "close", "join", "terminate",
 * "worker_died"; `arg` is its number (workers, a pid, ...). */
LTTNG_UST_TRACEPOINT_EVENT(mp, pool_op,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, pool, const char *, op, int64_t, arg),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, pool, pool)
		lttng_ust_field_string(op, op)
		lttng_ust_field_integer(int64_t, arg, arg)))

/* ---- messages: queues, pipes, connections ----------------------------- */

/* A channel (queue, pipe end, connection) is made: kind "queue", "pipe",
 * ...; capacity 0 for unbounded. */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_open,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, const char *, kind, int64_t, capacity),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_string(kind, kind)
		lttng_ust_field_integer(int64_t, capacity, capacity)))

LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, msg,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_integer(uint64_t, msg, msg)
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_string(op, op)))

/* A message leaves `pid` ("put", "send"); the same `msg` id comes back in
 * msg_recv, so a plot can draw the arrow. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, msg, mp, msg_send,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op))

/* A message arrives at `pid` ("get", "recv"). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, msg, mp, msg_recv,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op))

/* `pid` must wait on the channel: op "put" (full), "get" (empty) ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_block,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, const char *, op),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_string(op, op)))

/* `pid` saw end-of-file on the channel: every writer is gone. */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_eof,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)))

/* Another operation on a channel: "task_done" (arg: tasks still
 * unfinished), "join" (arg 0: waiting begins), "joined" (arg 1: every task
 * done; 0: the timeout ran out), "close". */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_op,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, const char *, op, int64_t, arg),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_string(op, op)
		lttng_ust_field_integer(int64_t, arg, arg)))

/* ---- synchronisation: locks and events -------------------------------- */

LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, sync,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, obj, obj)
		lttng_ust_field_integer(int, arg, arg)))

/* Lock `obj`: waiting begins (arg 0) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_wait,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... held (arg 1 if the previous owner died holding it) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_acquire,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... let go (arg 0), or the wait gave up (lock_timeout, arg 0). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_release,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_timeout,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))

/* Event `obj`: wait begins (arg: timeout in ms, -1 none), wait ends (arg 1
 * if the event was set, 0 on timeout), set, clear. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_wait,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_woke,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_set,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_clear,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))

/* ---- managers --------------------------------------------------------- */

/* Client `pid` asks manager `mgr` to do `op` ("get", "set", ...) on `key`
 * with `value` (text, "" if none); `req` pairs it with mgr_reply. */
LTTNG_UST_TRACEPOINT_EVENT(mp, mgr_request,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, mgr, uint64_t, req,
		const char *, op, const char *, key, const char *, value),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, mgr, mgr)
		lttng_ust_field_integer(uint64_t, req, req)
		lttng_ust_field_string(op, op)
		lttng_ust_field_string(key, key)
		lttng_ust_field_string(value, value)))

/* The reply reaches client `pid`: status 0 or an errno, value as text. */
LTTNG_UST_TRACEPOINT_EVENT(mp, mgr_reply,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, mgr, uint64_t, req,
		int, status, const char *, value),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, mgr, mgr)
		lttng_ust_field_integer(uint64_t, req, req)
		lttng_ust_field_integer(int, status, status)
		lttng_ust_field_string(value, value)))

/* ---- other programs (subprocess) -------------------------------------- */

/* `pid` started `child` running `cmd` (the argument vector joined by
 * spaces, or the shell line); exec failures arrive as errno != 0. */
LTTNG_UST_TRACEPOINT_EVENT(mp, sub_spawn,
	LTTNG_UST_TP_ARGS(int, pid, int, child, const char *, cmd, int, error),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_string(cmd, cmd)
		lttng_ust_field_integer(int, error, error)))

/* `pid` moved `bytes` through a pipe to or from its child `child`: stream
 * 0 written to the child's stdin, 1 read from its stdout, 2 from its
 * stderr (communicate(): one event per wake-up, per stream). */
LTTNG_UST_TRACEPOINT_EVENT(mp, sub_io,
	LTTNG_UST_TP_ARGS(int, pid, int, child, int, stream, uint64_t, bytes),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int, stream, stream)
		lttng_ust_field_integer(uint64_t, bytes, bytes)))

/* ---- any program, seen through libmp-preload.so (runtime/src/interpose) */

/* `pid` is about to replace its program: `path` as given to exec, `argv`
 * joined by spaces.  If it succeeds, the new program's proc_start follows
 * (same pid); if not, proc_exec_fail. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_exec,
	LTTNG_UST_TP_ARGS(int, pid, const char *, path, const char *, argv),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(path, path)
		lttng_ust_field_string(argv, argv)))

/* The exec failed with errno `error`; `pid` goes on running its program. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_exec_fail,
	LTTNG_UST_TP_ARGS(int, pid, const char *, path, int, error),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(path, path)
		lttng_ust_field_integer(int, error, error)))

/* `pid` starts a blocking wait (wait, waitpid, wait3, wait4, waitid without
 * WNOHANG) for `target`: a child's pid, -1 any child, 0 or -pgid a group.
 * It ends with the proc_reap it collects (or nothing, if interrupted). */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_wait,
	LTTNG_UST_TP_ARGS(int, pid, int, target),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, target, target)))

/* A pipe ("pipe": fd0 reads, fd1 writes, one inode) or a socketpair
 * ("socketpair": two sockets, an inode each) is made. */
LTTNG_UST_TRACEPOINT_EVENT(mp, fd_pipe,
	LTTNG_UST_TP_ARGS(int, pid, const char *, kind, int, fd0, int, fd1,
		uint64_t, ino0, uint64_t, ino1),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(kind, kind)
		lttng_ust_field_integer(int, fd0, fd0)
		lttng_ust_field_integer(int, fd1, fd1)
		lttng_ust_field_integer(uint64_t, ino0, ino0)
		lttng_ust_field_integer(uint64_t, ino1, ino1)))

/* The pipe or socket `ino` open as `oldfd` is now also `newfd`. */
LTTNG_UST_TRACEPOINT_EVENT(mp, fd_dup,
	LTTNG_UST_TP_ARGS(int, pid, int, oldfd, int, newfd, uint64_t, ino),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, oldfd, oldfd)
		lttng_ust_field_integer(int, newfd, newfd)
		lttng_ust_field_integer(uint64_t, ino, ino)))

/* `pid` closed `fd`, an end of pipe or socket `ino` (close, or the fd a
 * dup2/dup3 replaced). */
LTTNG_UST_TRACEPOINT_EVENT(mp, fd_close,
	LTTNG_UST_TP_ARGS(int, pid, int, fd, uint64_t, ino),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, ino, ino)))

/* Bytes through a pipe or socket: `stream` is the inode the bytes travel
 * in (a pipe's; for a socketpair, the writing socket's), `offset` where
 * they begin in it, counted across every process of the run; `call` the
 * function ("write", "send", "stdio", ...). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, io,
	LTTNG_UST_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, const char *, call),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, stream, stream)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(int64_t, bytes, bytes)
		lttng_ust_field_string(call, call)))

/* Recorded before the write: `bytes` asked for.  If fewer went, an
 * io_short follows. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, io, mp, io_write,
	LTTNG_UST_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, const char *, call))

/* Recorded after the read: `bytes` read, 0 at end of file. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, io, mp, io_read,
	LTTNG_UST_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, const char *, call))

/* The io_write at (stream, offset) moved only `bytes` (0: it failed);
 * `hole` bytes of offsets stay unused, shifting the stream's later ones. */
LTTNG_UST_TRACEPOINT_EVENT(mp, io_short,
	LTTNG_UST_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, int64_t, hole),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, stream, stream)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(int64_t, bytes, bytes)
		lttng_ust_field_integer(int64_t, hole, hole)))

/* One line `pid` wrote to its stdout (fd 1) or stderr (fd 2), recorded
 * when written: when stdio flushed it, not when printf was called. */
LTTNG_UST_TRACEPOINT_EVENT(mp, out_line,
	LTTNG_UST_TP_ARGS(int, pid, int, fd, const char *, text),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_string(text, text)))

/* Signal `signo` reached a handler `pid` installed: `sender` and `code`
 * from its siginfo (sender 0 for the kernel's own). */
LTTNG_UST_TRACEPOINT_EVENT(mp, sig_handle,
	LTTNG_UST_TP_ARGS(int, pid, int, signo, int, sender, int, code),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, signo, signo)
		lttng_ust_field_integer(int, sender, sender)
		lttng_ust_field_integer(int, code, code)))

/* A semaphore processes share is opened (sem_open: `name`) or made
 * (sem_init with pshared: name ""); `value` its value then. */
LTTNG_UST_TRACEPOINT_EVENT(mp, sem_open,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, sem, const char *, name, int, value),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, sem, sem)
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(int, value, value)))

/* Semaphore `obj` (the `sync` class): waiting begins (arg: timeout in ms,
 * -1 none) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_wait,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... taken (arg 1 after a wait, 0 at once) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_acquire,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... the wait gave up (arg: ETIMEDOUT, EINTR) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_timeout,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... or posted (arg 0). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_post,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, obj, int, arg))

/* Thread `tid` of `pid` starts, made by thread `creator`, ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, thread_start,
	LTTNG_UST_TP_ARGS(int, pid, int, tid, int, creator),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, tid, tid)
		lttng_ust_field_integer(int, creator, creator)))

/* ... and ends (its function returned, pthread_exit, or cancellation). */
LTTNG_UST_TRACEPOINT_EVENT(mp, thread_end,
	LTTNG_UST_TP_ARGS(int, pid, int, tid),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, tid, tid)))

/* `pid` enters a C-library call that starts or collects a child it never
 * names ("system", "popen", "pclose"), with its text ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, lib_call,
	LTTNG_UST_TP_ARGS(int, pid, const char *, call, const char *, text),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(call, call)
		lttng_ust_field_string(text, text)))

/* ... and leaves it: `result` its return value (a wait status for system
 * and pclose, the stream's fd for popen, -1 on failure). */
LTTNG_UST_TRACEPOINT_EVENT(mp, lib_return,
	LTTNG_UST_TP_ARGS(int, pid, const char *, call, int, result),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(call, call)
		lttng_ust_field_integer(int, result, result)))

/* What the preload could not follow: `what` is "static" or "setuid" (an
 * exec of a program a preload cannot enter), "environment" (an exec whose
 * environment drops LD_PRELOAD), "lines" (the output line limit), and
 * `detail` the program or limit. */
LTTNG_UST_TRACEPOINT_EVENT(mp, untraced,
	LTTNG_UST_TP_ARGS(int, pid, const char *, what, const char *, detail),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(what, what)
		lttng_ust_field_string(detail, detail)))

#endif /* MP_TP_H */

#include <lttng/tracepoint-event.h>
