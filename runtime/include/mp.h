/*
 * mp.h - a small C mirror of Python's multiprocessing and subprocess,
 * traced by LTTng.  Include this one header; it includes one header per
 * concept, each with the Python beside the C at its top:
 *
 *     mp_process.h     Process, current_process(), cpu_count()
 *     mp_log.h         print with a trace, log_to_stderr()
 *     mp_messages.h    Queue, JoinableQueue, Pipe
 *     mp_sync.h        Lock, RLock, Event
 *     mp_pool.h        Pool, AsyncResult
 *     mp_manager.h     Manager, BaseManager, dict and queue proxies
 *     mp_subprocess.h  os.system, os.popen, subprocess.run, Popen
 *     mp_watch.h       process states from /proc, as ps sees them
 *
 * Names: mp_TYPE_METHOD, as Python's type.method: mp_queue_put,
 * mp_conn_send, mp_dict_proxy_get_int.  (The runtime's own names are
 * mp__*.)
 *
 * Errors: a call that fails returns -1 (or NULL, or false) and sets errno.
 * No call exits the program on the caller's behalf.
 *
 * Waiting: a call that waits for another process - for a message, a
 * result, a process's end, a lock, an event, room in a queue - waits
 * without limit.  Its twin NAME_timeout takes a timeout in seconds, a
 * double, as its last argument but one, or its last:
 *
 *     0            do not wait: answer at once
 *     > 0          wait at most that long (more than 1e9 s: no limit)
 *     MP_FOREVER   no limit, as the plain call
 *     negative, NaN  -1 with errno EINVAL, whatever else holds
 *
 * When the time runs out: -1 with errno EAGAIN for a message that did not
 * come or a queue that stayed full (Python's Empty and Full), ETIMEDOUT for
 * anything else (Python's TimeoutError, or wait() returning False).
 * Exceptions, each said where it is declared: mp_conn_poll() is itself a
 * question with a time limit; a pipe's send has no timeout (a message half
 * written cannot be taken back); calls that end when their own work ends
 * (apply, map, a pool's join, run, system) take none, as in Python, and
 * mp_run's timeout is an option.
 *
 * Every call records LTTng-UST events of the provider "mp"
 * (trace/README.md), and so do the system calls a program linked with this
 * library makes in plain sight: fork, exec, wait, _exit, pipe, dup2,
 * close, reads and writes on pipes and sockets, kill, sigaction, POSIX
 * semaphores, pthread_create, and the lines it writes to stdout and stderr
 * (the interposition layer, runtime/src/interpose/README.md).  A line
 * mp_printf() prints is recorded as `print`, any other as `out_line`.
 */
#ifndef MP_H
#define MP_H

/* No limit, for any timeout. */
#define MP_FOREVER (1.0 / 0.0)

#include "mp_process.h"
#include "mp_log.h"
#include "mp_messages.h"
#include "mp_sync.h"
#include "mp_pool.h"
#include "mp_manager.h"
#include "mp_subprocess.h"
#include "mp_watch.h"

#endif /* MP_H */
