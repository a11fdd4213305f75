/*
 * trace/events/sem.h - the `mp` events of POSIX semaphores processes share
 * (Python's Lock, Semaphore, Condition, Event), in sync.h's `sync` class.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* A semaphore processes share is opened (sem_open: `name`) or made
 * (sem_init with pshared: name ""); `value` its value then. */
LTTNG_UST_TRACEPOINT_EVENT(mp, sem_open,
	MP_TP_ARGS(int, pid, uint64_t, sem, const char *, name, int, value),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, sem, sem)
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(int, value, value)))

/* Semaphore `obj` (the `sync` class): waiting begins (arg: timeout in ms,
 * -1 none) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_wait,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... taken (arg 1 after a wait, 0 at once) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_acquire,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... the wait gave up (arg: ETIMEDOUT, EINTR) ... */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_timeout,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
/* ... or posted (arg 0). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, sync, mp, sem_post,
	MP_TP_ARGS(int, pid, uint64_t, obj, int, arg))
