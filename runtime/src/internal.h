/*
 * internal.h - what the runtime's files share and the lessons never see.
 * Public names are mp_*; names private to the runtime are mp__*.
 */
#ifndef MP_INTERNAL_H
#define MP_INTERNAL_H

#include "mp.h"

#include <errno.h>
#include <pthread.h>
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

/* queue.c: a queue for the runtime's own use, which records no events, and
 * a get that, before the message leaves the ring and under its lock, stores
 * the message's first 8 bytes in *claim (shared memory): a pool worker
 * killed at any moment has either not taken a task or has it in *claim. */
mp_queue *mp__queue_new_quiet(void);
ssize_t mp__queue_get_claim(mp_queue *q, void *buf, size_t size, double seconds,
			    uint64_t *claim);

/* ---- sync.c: what queues, pipes and events are built from ---- */

/* Memory shared with every process forked after this call (MAP_SHARED |
 * MAP_ANONYMOUS), zero-filled.  NULL and errno. */
void *mp__shared_alloc(size_t size);

/* A pthread mutex that works across processes and survives its owner's
 * death: locking it after the owner died returns 1 (the caller must repair
 * what the lock guards, then call mp__mutex_consistent), 0 normally, -1 and
 * errno on error. */
int mp__mutex_init(pthread_mutex_t *m);
int mp__mutex_lock(pthread_mutex_t *m);
void mp__mutex_consistent(pthread_mutex_t *m);
void mp__mutex_unlock(pthread_mutex_t *m);

/* Sleeps while *word == expected, until woken or deadline_ns (mp__now_ns()
 * clock; -1: no limit).  0 when woken (or *word had changed), ETIMEDOUT,
 * or EINTR: callers re-check their condition in a loop. */
int mp__futex_wait(uint32_t *word, uint32_t expected, int64_t deadline_ns);
void mp__futex_wake(uint32_t *word, int how_many);

/* The one timeout rule.  The deadline on the mp__now_ns() clock for a
 * timeout in seconds: 0 is now; MP_FOREVER, or more than MP__NO_LIMIT
 * seconds (31 years), is no limit (-1); negative or NaN is -2 with errno
 * EINVAL. */
#define MP__NO_LIMIT 1e9
int64_t mp__deadline(double seconds);

/* A timeout as events record it: microseconds, -1 for no limit. */
int64_t mp__timeout_us(double seconds);

/* An id no other process will pick: (pid << 32) | a counter. */
uint64_t mp__new_id(void);

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
