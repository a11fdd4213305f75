/*
 * internal.h - what the runtime's files share and the lessons never see.
 * Public names are mp_*; names private to the runtime are mp__*.
 */
#ifndef MP_INTERNAL_H
#define MP_INTERNAL_H

#include "mp.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

/*
 * mp__tp(event, args...) records one event of the "mp" provider.  Built with
 * -DMP_TRACING=OFF, it compiles to nothing and its arguments are not
 * evaluated; built with it ON but run where LTTng or its session daemon is
 * missing, it costs one test of a flag.
 */
#if MP_TRACING
#include "mp-tp.h"
#define mp__tp(event, ...) lttng_ust_tracepoint(mp, event, __VA_ARGS__)
#else
#define mp__tp(event, ...) ((void)0)
#endif

/* trace.c: LTTng's fork hooks, used only when MP_TRACE_FORK_HOOKS=1. */
void mp__trace_before_fork(sigset_t *saved);
void mp__trace_after_fork_parent(sigset_t *saved);
void mp__trace_after_fork_child(sigset_t *saved);

/* syscalls.c: the name the next fork()'s child gets ("child" if unset). */
void mp__set_next_child_name(const char *name);

/* process.c */
void mp__after_fork_child(const char *name);	/* a fresh child's bookkeeping */
int mp__exitcode_from_status(int wstatus);

/* log.c */
extern int mp__log_level;			/* 0: logging off */

/* Monotonic time in nanoseconds. */
static inline int64_t mp__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Retries a system call while it fails with EINTR: `r = MP__NOINTR(read(...))`. */
#define MP__NOINTR(call) ({                                  \
	__typeof__(call) mp__r;                              \
	do { mp__r = (call); } while (mp__r == -1 && errno == EINTR); \
	mp__r; })

#endif /* MP_INTERNAL_H */
