/*
 * base/trace.h - recording events of the "mp" provider (trace/).
 *
 * mp__tp(event, args...) records one event.  Built with -DMP_TRACING=OFF,
 * it compiles to nothing and its arguments are not evaluated; built with it
 * ON but run where LTTng or its session daemon is missing, it costs one test
 * of a flag, and so it does while no session records that event.  The
 * tracepoints are defined in process/start.c (and, hidden, in the preload
 * library: interpose/preload.c).
 *
 * Shared by the runtime and the interposition layer (interpose/), which
 * records the system calls a program makes: while a thread records an
 * event, the layer must not record the calls LTTng makes inside the
 * tracepoint (it wakes its consumer with a write() to a pipe).  So mp__tp
 * raises mp__quiet_depth around the tracepoint, as the layer's quiet
 * sections do (interpose/interpose.h).
 */
#ifndef MP_BASE_TRACE_H
#define MP_BASE_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Thread-local storage reached without a function call: safe in a signal
 * handler and in a vfork child, in a program or in a preloaded library. */
#define MP__TLS __attribute__((tls_model("initial-exec")))

/* > 0: the interposition layer records nothing this thread does but a
 * process's life (fork, exit, reap): it is inside a tracepoint, in a quiet
 * section, or one of LTTng's own threads (which keep 1 for life). */
extern __thread int mp__quiet_depth MP__TLS;

#if MP_TRACING
#include "mp-tp.h"
/* Whether a session records `event` now: a load and a test. */
#define mp__tp_on(event) lttng_ust_tracepoint_enabled(mp, event)
#define mp__tp(event, ...) do {						\
		if (mp__tp_on(event)) {					\
			mp__quiet_depth++;				\
			lttng_ust_do_tracepoint(mp, event, __VA_ARGS__,	\
				mp__site ? mp__site :			\
				(uintptr_t)__builtin_return_address(0)); \
			mp__quiet_depth--;				\
		}							\
	} while (0)
#else
#define mp__tp_on(event) 0
#define mp__tp(event, ...) ((void)0)
#endif

/* Loads the provider library (once: before main, by the interposition
 * layer's start, interpose/start.c; in mprun, once the lesson has
 * started).  Then, in the program mprun started, waits for mprun's gate
 * (base/trace.c).  false if tracing stays off: built without it,
 * MP_TRACE=0, or no provider or LTTng to load. */
bool mp__trace_load(void);

/* The environment variable naming mprun's gate (mprun/gate.c), which
 * mp__trace_load() waits for. */
#define MP_RUNNER_GATE "MP_RUNNER_GATE"

/* Records proc_image: the program's file and load base, once as it
 * starts (just before proc_start). */
void mp__trace_image(void);

/* LTTng's fork hooks, around every fork(): its locks taken before and
 * released after, in both processes; the child registers again only if
 * MP_TRACE_FORK_HOOKS=1 (base/trace.c says why). */
void mp__trace_before_fork(sigset_t *saved);
void mp__trace_after_fork_parent(sigset_t *saved);
void mp__trace_after_fork_child(sigset_t *saved);

/*
 * mp__pid(): the calling process's pid, which every event carries, without
 * a system call (getpid() is one: about 125 ns here, as much again as the
 * rest of a recorded event).  The interposition layer keeps it right: it
 * sets it at start-up and in every child of fork (interpose/process.c).
 * A vfork child runs in its parent's memory, so the thread that calls
 * vfork marks itself unsure until it has its memory back; after a
 * clone(CLONE_VM) that is not a thread, every call asks the kernel.
 */
extern pid_t mp__pid_cached;		/* 0: not known yet */
extern __thread bool mp__pid_unsure MP__TLS;
extern bool mp__pid_ask;
pid_t mp__pid_slow(void);

static inline pid_t mp__pid(void)
{
	if (__builtin_expect(mp__pid_unsure || mp__pid_ask || mp__pid_cached == 0, 0))
		return mp__pid_slow();
	return mp__pid_cached;
}

/* An id no other process will pick, to pair events (a message's put and
 * get) or name an object on the timeline: (pid << 32) | a counter. */
uint64_t mp__new_id(void);

/*
 * The site of an event: the address in the program that made the call it
 * records, which the scripts turn into a file and line (trace/README.md).
 * MP__SITE(), first in each public function and interposed system call,
 * keeps its caller's return address in mp__site for as long as it runs;
 * the outermost one wins, so the runtime calling itself keeps the
 * program's line.  An event recorded outside any (a pool worker's loop)
 * has the return address of the function that records it.  A child of
 * fork starts with none.  A child of vfork leaves it alone: it runs in
 * its parent's memory, which an exec would leave holding the child's.
 * Each costs a few loads and stores of thread-local memory.
 */
extern __thread uintptr_t mp__site MP__TLS;

static inline uintptr_t mp__site_enter(uintptr_t caller)
{
	uintptr_t outer = mp__site;

	if (outer == 0 && !mp__pid_unsure)
		mp__site = caller;
	return outer;
}

static inline void mp__site_leave(const uintptr_t *outer)
{
	mp__site = *outer;
}

#define MP__SITE()							\
	__attribute__((cleanup(mp__site_leave), unused)) uintptr_t	\
	mp__site_outer = mp__site_enter((uintptr_t)__builtin_return_address(0))

#endif /* MP_BASE_TRACE_H */
