/*
 * trace/events/text.h - the `mp` events of what the lesson says: the lines
 * it printed, the moments it named, its log records.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* One line of text with the process that produced it. */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, text_line,
	MP_TP_ARGS(int, pid, const char *, text),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(text, text)))

/* A line the lesson printed on stdout (mp_printf). */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, text_line, mp, print,
	MP_TP_ARGS(int, pid, const char *, text))

/* A phase the lesson names for the timeline without printing it. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, text_line, mp, mark,
	MP_TP_ARGS(int, pid, const char *, text))

/* A log record (mp_log), level as in mp.h: 10 DEBUG ... 50 CRITICAL. */
LTTNG_UST_TRACEPOINT_EVENT(mp, log,
	MP_TP_ARGS(int, pid, int, level, const char *, text),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, level, level)
		lttng_ust_field_string(text, text)))
