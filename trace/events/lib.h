/*
 * trace/events/lib.h - the `mp` events of children the C library starts
 * without naming them (system, popen), and what the interposition layer
 * cannot follow.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* `pid` enters a C-library call that starts or collects a child it never
 * names ("system", "popen", "pclose"), with its text ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, lib_call,
	MP_TP_ARGS(int, pid, const char *, call, const char *, text),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(call, call)
		lttng_ust_field_string(text, text)))

/* ... and leaves it: `result` its return value (a wait status for system
 * and pclose, the stream's fd for popen, -1 on failure). */
LTTNG_UST_TRACEPOINT_EVENT(mp, lib_return,
	MP_TP_ARGS(int, pid, const char *, call, int, result),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(call, call)
		lttng_ust_field_integer(int, result, result)))

/* What the preload could not follow: `what` is "static" or "setuid" (an
 * exec of a program a preload cannot enter), "environment" (an exec whose
 * environment drops LD_PRELOAD), "lines" (the output line limit), and
 * `detail` the program or limit. */
LTTNG_UST_TRACEPOINT_EVENT(mp, untraced,
	MP_TP_ARGS(int, pid, const char *, what, const char *, detail),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(what, what)
		lttng_ust_field_string(detail, detail)))
