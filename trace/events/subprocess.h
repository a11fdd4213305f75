/*
 * trace/events/subprocess.h - the `mp` events of other programs the runtime
 * starts (subprocess): the spawn, and the bytes communicate() moves.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* `pid` started `child` running `cmd` (the argument vector joined by
 * spaces, or the shell line); exec failures arrive as errno != 0. */
LTTNG_UST_TRACEPOINT_EVENT(mp, sub_spawn,
	MP_TP_ARGS(int, pid, int, child, const char *, cmd, int, error),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_string(cmd, cmd)
		lttng_ust_field_integer(int, error, error)))

/* `pid` moved `bytes` through a pipe to or from its child `child`: stream
 * 0 written to the child's stdin, 1 read from its stdout, 2 from its
 * stderr (communicate(): one event per wake-up, per stream). */
LTTNG_UST_TRACEPOINT_EVENT(mp, sub_io,
	MP_TP_ARGS(int, pid, int, child, int, stream, uint64_t, bytes),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, child, child)
		lttng_ust_field_integer(int, stream, stream)
		lttng_ust_field_integer(uint64_t, bytes, bytes)))
