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
#include <stdint.h>
#include <sys/types.h>

#if MP_TRACING
#include "mp-tp.h"
#define mp__tp(event, ...) lttng_ust_tracepoint(mp, event, __VA_ARGS__)
#else
#define mp__tp(event, ...) ((void)0)
#endif

/* Loads the provider library (once, before main: process/start.c). */
void mp__trace_load(void);

/* LTTng's fork hooks, around every fork(); they do nothing unless
 * MP_TRACE_FORK_HOOKS=1. */
void mp__trace_before_fork(sigset_t *saved);
void mp__trace_after_fork_parent(sigset_t *saved);
void mp__trace_after_fork_child(sigset_t *saved);

/* This process's pid without a system call: getpid() costs 150-250 ns on
 * a virtual machine, more than LTTng takes to record the event it goes
 * into.  Read once, and again in the child of every fork() that runs the
 * C library's fork handlers (the runtime's and the C library's own fork();
 * not vfork() or a bare clone(), whose child must not call the runtime). */
extern pid_t mp__pid_cache;
pid_t mp__pid_slow(void);

static inline pid_t mp__pid(void)
{
	pid_t pid = mp__pid_cache;

	return __builtin_expect(pid != 0, 1) ? pid : mp__pid_slow();
}

/* An id no other process will pick, to pair events (a message's put and
 * get) or name an object on the timeline: (pid << 32) | a counter. */
uint64_t mp__new_id(void);

#endif /* MP_BASE_TRACE_H */
