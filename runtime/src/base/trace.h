/*
 * base/trace.h - recording events of the "mp" provider (trace/).
 *
 * mp__tp(event, args...) records one event.  Built with -DMP_TRACING=OFF,
 * it compiles to nothing and its arguments are not evaluated; built with it
 * ON but run where LTTng or its session daemon is missing, it costs one test
 * of a flag.  The tracepoints themselves are defined in process/start.c.
 */
#ifndef MP_BASE_TRACE_H
#define MP_BASE_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#if MP_TRACING
#include "mp-tp.h"
#define mp__tp(event, ...) lttng_ust_tracepoint(mp, event, __VA_ARGS__)
#else
#define mp__tp(event, ...) ((void)0)
#endif

/* Loads the provider library (once, before main: process/start.c, and
 * the preload's start).  false if tracing stays off: built without it,
 * MP_TRACE=0, or no provider or LTTng to load. */
bool mp__trace_load(void);

/* LTTng's fork hooks, around every fork(); they do nothing unless
 * MP_TRACE_FORK_HOOKS=1. */
void mp__trace_before_fork(sigset_t *saved);
void mp__trace_after_fork_parent(sigset_t *saved);
void mp__trace_after_fork_child(sigset_t *saved);

/* An id no other process will pick, to pair events (a message's put and
 * get) or name an object on the timeline: (pid << 32) | a counter. */
uint64_t mp__new_id(void);

#endif /* MP_BASE_TRACE_H */
