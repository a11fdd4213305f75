/*
 * trace/events/threads.h - the `mp` events of the threads a program starts.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* Thread `tid` of `pid` starts, made by thread `creator`, ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, thread_start,
	MP_TP_ARGS(int, pid, int, tid, int, creator),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, tid, tid)
		lttng_ust_field_integer(int, creator, creator)))

/* ... and ends (its function returned, pthread_exit, or cancellation). */
LTTNG_UST_TRACEPOINT_EVENT(mp, thread_end,
	MP_TP_ARGS(int, pid, int, tid),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, tid, tid)))
