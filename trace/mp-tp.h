/*
 * mp-tp.h - the LTTng-UST provider "mp": every event the suite records.
 *
 * The provider's header, read more than once by LTTng's macros (the
 * multi-read guard below), as in lttng-ust's doc/examples/easy-ust.  The
 * events themselves are in events/, a header per concept, each read from
 * inside the guard; their order below is the order of their ids in a
 * trace, so a new event goes at the end.  trace/README.md describes each
 * event and field; keep the two in step.
 *
 * Rules every event follows:
 *   - `pid` is the process that did the thing, taken from getpid() at the
 *     call.  LTTng's vpid/procname contexts are inherited unchanged by a child
 *     forked without exec, so the scripts trust the payload, not the context.
 *   - Ids of things shared between processes (channels, messages, locks,
 *     pools, tasks) are 64-bit numbers chosen so that two processes never
 *     pick the same one: (creator pid << 32) | sequence number.
 *   - Times are LTTng's own timestamps; no event carries a clock of its own.
 *   - `site`, last in every event, is the address in the program that made
 *     the call: the return address of the public function (or interposed
 *     system call) the program called, or, outside any, of the function
 *     that recorded the event (runtime/src/base/trace.h).  The scripts turn
 *     it into a file and line with the program's debug info and its load
 *     base from proc_image.  The events below write MP_TP_ARGS and
 *     MP_TP_FIELDS for LTTng's own two macros, which add it.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER mp

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "mp-tp.h"

#if !defined(MP_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define MP_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

#undef MP_TP_ARGS
#define MP_TP_ARGS(...) LTTNG_UST_TP_ARGS(__VA_ARGS__, uint64_t, site)
#undef MP_TP_FIELDS
#define MP_TP_FIELDS(...) LTTNG_UST_TP_FIELDS(__VA_ARGS__ \
	lttng_ust_field_integer_hex(uint64_t, site, site))

#include "events/process.h"
#include "events/text.h"
#include "events/pool.h"
#include "events/messages.h"
#include "events/sync.h"
#include "events/manager.h"
#include "events/subprocess.h"
#include "events/exec.h"
#include "events/io.h"
#include "events/signals.h"
#include "events/sem.h"
#include "events/threads.h"
#include "events/lib.h"
#include "events/image.h"

#endif /* MP_TP_H */

#include <lttng/tracepoint-event.h>
