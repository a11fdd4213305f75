/*
 * trace/events/exec.h - the `mp` events of a process that replaces its
 * program (exec), and a blocking wait for a child, as the interposition
 * layer sees them.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* `pid` is about to replace its program: `path` as given to exec, `argv`
 * joined by spaces.  If it succeeds, the new program's proc_start follows
 * (same pid); if not, proc_exec_fail. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_exec,
	MP_TP_ARGS(int, pid, const char *, path, const char *, argv),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(path, path)
		lttng_ust_field_string(argv, argv)))

/* The exec failed with errno `error`; `pid` goes on running its program. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_exec_fail,
	MP_TP_ARGS(int, pid, const char *, path, int, error),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(path, path)
		lttng_ust_field_integer(int, error, error)))

/* `pid` starts a blocking wait (wait, waitpid, wait3, wait4, waitid without
 * WNOHANG) for `target`: a child's pid, -1 any child, 0 or -pgid a group.
 * It ends with the proc_reap it collects (or nothing, if interrupted). */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_wait,
	MP_TP_ARGS(int, pid, int, target),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, target, target)))
