/*
 * trace/events/sync.h - the `mp` events of locks and events.  The `sync`
 * class is defined here; sem.h's semaphore events are instances of it too.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, sync,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, obj, obj)
		lttng_ust_field_integer(int, arg, arg)))

/* Lock `obj`: waiting begins (arg 0) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_wait,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... held (arg 1 if the previous owner died holding it) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_acquire,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... let go (arg 0), or the wait gave up (lock_timeout, arg 0). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_release,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, lock_timeout,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))

/* Event `obj`: wait begins (arg: timeout in ms, -1 none), wait ends (arg 1
 * if the event was set, 0 on timeout), set, clear. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_wait,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_woke,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_set,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, event_clear,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
