/*
 * trace/events/process.h - the `mp` events of processes: start, fork, exit,
 * reap, a signal sent, join, and the state the /proc watcher sees.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* A process starts running runtime code: the main program at start-up, a
 * child right after fork.  `name` is its lane's label. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_start,
	MP_TP_ARGS(int, pid, int, ppid, const char *, name),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, ppid, ppid)
		lttng_ust_field_string(name, name)))

/* The parent's side of fork: the edge from `pid` to `child`. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_fork,
	MP_TP_ARGS(int, pid, int, child, const char *, name),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_string(name, name)))

/* A process is about to _exit(code).  A process killed by a signal has no
 * proc_exit; its proc_reap says which signal. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_exit,
	MP_TP_ARGS(int, pid, int, code),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, code, code)))

/* `pid` collected `child` with wait: exitcode in Python's convention (the
 * exit status, or minus the signal number), wstatus as the kernel gave it. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_reap,
	MP_TP_ARGS(int, pid, int, child, int, exitcode, int, wstatus),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int, exitcode, exitcode)
		lttng_ust_field_integer(int, wstatus, wstatus)))

/* `pid` sent signal `signo` to `target`. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_signal,
	MP_TP_ARGS(int, pid, int, target, int, signo),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, target, target)
		lttng_ust_field_integer(int, signo, signo)))

/* join: `pid` starts waiting for `child` (timeout_us -1: no limit) ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_join,
	MP_TP_ARGS(int, pid, int, child, int64_t, timeout_us),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int64_t, timeout_us, timeout_us)))

/* ... and stops: ended 1 if the child has ended, 0 if the timeout ran out. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_joined,
	MP_TP_ARGS(int, pid, int, child, int, ended),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int, ended, ended)))

/* The watcher saw `pid` in /proc with this state letter (R, S, D, T, Z, ...)
 * and parent; emitted when either changes. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_state,
	MP_TP_ARGS(int, pid, int, ppid, const char *, state),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, ppid, ppid)
		lttng_ust_field_string(state, state)))
