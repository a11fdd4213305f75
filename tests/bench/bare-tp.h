/*
 * bare-tp.h - the provider "mp_bare": one event shaped as the runtime's
 * msg_send / msg_recv (trace/events/messages.h: the msg class), for measuring what
 * LTTng-UST itself costs per event (event_bare.c).  Not part of the suite's
 * schema; nothing reads it back.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER mp_bare

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./bare-tp.h"

#if !defined(MP_BARE_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define MP_BARE_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(mp_bare, msg,
	LTTNG_UST_TP_ARGS(int, pid, uint64_t, chan, uint64_t, msg,
		uint64_t, size, const char *, op),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(uint64_t, chan, chan)
		lttng_ust_field_integer(uint64_t, msg, msg)
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_string(op, op)))

#endif /* MP_BARE_TP_H */

#include <lttng/tracepoint-event.h>
