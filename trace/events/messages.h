/*
 * trace/events/messages.h - the `mp` events of messages through queues,
 * pipes and connections: a channel made, a message sent and received, a
 * wait.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* A channel (queue, pipe end, connection) is made: kind "queue", "pipe",
 * ...; capacity 0 for unbounded. */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_open,
	MP_TP_ARGS(int, pid, uint64_t, chan, const char *, kind, int64_t, capacity),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_string(kind, kind)
		lttng_ust_field_integer(int64_t, capacity, capacity)))

LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, msg,
	MP_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_integer(uint64_t, msg, msg)
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_string(op, op)))

/* A message leaves `pid` ("put", "send"); the same `msg` id comes back in
 * msg_recv, so a plot can draw the arrow. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, msg, mp, msg_send,
	MP_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op))

/* A message arrives at `pid` ("get", "recv"). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, msg, mp, msg_recv,
	MP_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op))

/* `pid` must wait on the channel: op "put" (full), "get" (empty) ... */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_block,
	MP_TP_ARGS(int, pid, uint64_t, chan, const char *, op),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_string(op, op)))

/* `pid` saw end-of-file on the channel: every writer is gone. */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_eof,
	MP_TP_ARGS(int, pid, uint64_t, chan),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)))

/* Another operation on a channel: "task_done" (arg: tasks still
 * unfinished), "join" (arg 0: waiting begins), "joined" (arg 1: every task
 * done; 0: the timeout ran out), "close". */
LTTNG_UST_TRACEPOINT_EVENT(mp, chan_op,
	MP_TP_ARGS(int, pid, uint64_t, chan, const char *, op, int64_t, arg),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_string(op, op)
		lttng_ust_field_integer(int64_t, arg, arg)))
