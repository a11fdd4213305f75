/*
 * trace/events/signals.h - the `mp` events of a signal reaching a handler
 * the program installed.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* Signal `signo` reached a handler `pid` installed: `sender` and `code`
 * from its siginfo (sender 0 for the kernel's own). */
LTTNG_UST_TRACEPOINT_EVENT(mp, sig_handle,
	MP_TP_ARGS(int, pid, int, signo, int, sender, int, code),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, signo, signo)
		lttng_ust_field_integer(int, sender, sender)
		lttng_ust_field_integer(int, code, code)))
