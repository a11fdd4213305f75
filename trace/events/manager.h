/*
 * trace/events/manager.h - the `mp` events of a manager's requests and
 * their replies.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* Client `pid` asks manager `mgr` to do `op` ("get", "set", ...) on `key`
 * with `value` (text, "" if none); `req` pairs it with mgr_reply. */
LTTNG_UST_TRACEPOINT_EVENT(mp, mgr_request,
	MP_TP_ARGS(int, pid, uint64_t, mgr, uint64_t, req,
		const char *, op, const char *, key, const char *, value),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, mgr, mgr)
		lttng_ust_field_integer(uint64_t, req, req)
		lttng_ust_field_string(op, op)
		lttng_ust_field_string(key, key)
		lttng_ust_field_string(value, value)))

/* The reply reaches client `pid`: status 0 or an errno, value as text. */
LTTNG_UST_TRACEPOINT_EVENT(mp, mgr_reply,
	MP_TP_ARGS(int, pid, uint64_t, mgr, uint64_t, req,
		int, status, const char *, value),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, mgr, mgr)
		lttng_ust_field_integer(uint64_t, req, req)
		lttng_ust_field_integer(int, status, status)
		lttng_ust_field_string(value, value)))
