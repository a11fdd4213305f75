/*
 * trace/events/pool.h - the `mp` events of pools: a task submitted, started
 * and ended, and the pool-wide steps.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, task,
	MP_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, pool, pool)
		lttng_ust_field_integer(uint64_t, task, task)))

/* The parent hands task `task` to pool `pool`. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, task, mp, task_submit,
	MP_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task))

/* Worker `pid` begins the task. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, task, mp, task_start,
	MP_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task))

/* Worker `pid` finished the task: error 0 and the result's size, or an errno. */
LTTNG_UST_TRACEPOINT_EVENT(mp, task_end,
	MP_TP_ARGS(int, pid, uint64_t, pool, uint64_t, task,
		int, error, uint64_t, result_size),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, pool, pool)
		lttng_ust_field_integer(uint64_t, task, task)
		lttng_ust_field_integer(int, error, error)
		lttng_ust_field_integer(uint64_t, result_size, result_size)))

/* A pool-wide operation: "create", "close", "join", "terminate",
 * "worker_died"; `arg` is its number (workers, a pid, ...). */
LTTNG_UST_TRACEPOINT_EVENT(mp, pool_op,
	MP_TP_ARGS(int, pid, uint64_t, pool, const char *, op, int64_t, arg),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, pool, pool)
		lttng_ust_field_string(op, op)
		lttng_ust_field_integer(int64_t, arg, arg)))
