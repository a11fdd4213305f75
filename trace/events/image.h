/*
 * trace/events/image.h - where a program is: the one event the scripts
 * need to turn the `site` of the others into a file and a line.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* Once per program, as it starts (after an exec too): its file and the
 * address it was loaded at (a PIE's load bias; 0 for a fixed one), so
 * that a site minus `base` is an address in `path`'s debug info.  A
 * child of fork() has its parent's. */
LTTNG_UST_TRACEPOINT_EVENT(mp, proc_image,
	MP_TP_ARGS(int, pid, uint64_t, base, const char *, path),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer_hex(uint64_t, base, base)
		lttng_ust_field_string(path, path)))
