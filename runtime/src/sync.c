/*
 * sync.c - what shared objects are built from, and Event.
 *
 * A queue or an event lives in memory shared by the processes that use it:
 * an anonymous MAP_SHARED mapping made before the children are forked, so
 * every child finds it at the same address.  On it:
 *
 *   - robust, process-shared pthread mutexes for short critical sections:
 *     if a process dies holding one, the next locker is told (EOWNERDEAD)
 *     and repairs the state instead of waiting forever;
 *   - futexes for waiting: a process sleeps in the kernel on a 32-bit word
 *     until another changes it and wakes it.  Unlike a process-shared
 *     pthread_cond_t, a futex keeps no record of its waiters, so a waiter
 *     killed in its sleep cannot block anyone who signals later.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

void *mp__shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int mp__mutex_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t attr;
	int err;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	err = pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

int mp__mutex_lock(pthread_mutex_t *m)
{
	int err = pthread_mutex_lock(m);

	if (err == EOWNERDEAD)
		return 1;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}

void mp__mutex_consistent(pthread_mutex_t *m)
{
	pthread_mutex_consistent(m);
}

void mp__mutex_unlock(pthread_mutex_t *m)
{
	pthread_mutex_unlock(m);
}

int mp__futex_wait(uint32_t *word, uint32_t expected, int64_t deadline_ns)
{
	struct timespec abs, *timeout = NULL;

	if (deadline_ns >= 0) {
		abs.tv_sec = deadline_ns / 1000000000;
		abs.tv_nsec = deadline_ns % 1000000000;
		timeout = &abs;
	}
	/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, so a
	 * wait that EINTR or a spurious wake restarts keeps its deadline.
	 * Not FUTEX_PRIVATE_FLAG: the word is shared between processes. */
	if (syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, timeout, NULL,
		    FUTEX_BITSET_MATCH_ANY) == -1) {
		if (errno == EAGAIN)
			return 0;	/* *word had changed already */
		return errno;
	}
	return 0;
}

void mp__futex_wake(uint32_t *word, int how_many)
{
	syscall(SYS_futex, word, FUTEX_WAKE, how_many, NULL, NULL, 0);
}

int64_t mp__deadline(double seconds)
{
	if (!(seconds >= 0)) {
		errno = EINVAL;
		return -2;
	}
	if (seconds > MP__NO_LIMIT)	/* MP_FOREVER too */
		return -1;
	return mp__now_ns() + (int64_t)(seconds * 1e9);
}

int64_t mp__timeout_us(double seconds)
{
	return seconds >= 0 && seconds <= MP__NO_LIMIT ? (int64_t)(seconds * 1e6) : -1;
}

uint64_t mp__new_id(void)
{
	static _Atomic uint32_t counter;

	return ((uint64_t)getpid() << 32) | (atomic_fetch_add(&counter, 1) + 1);
}

/* ---- Event --------------------------------------------------------------- */

struct shared_event {
	_Atomic uint32_t flag;	/* 1: set; the futex word waiters sleep on */
	uint64_t id;
};

struct mp_event {
	struct shared_event *sh;
	bool closed;
	struct mp_event *next;	/* every handle stays reachable (see queue.c) */
};

static struct mp_event *events;

static struct shared_event *shared_of(mp_event *e)
{
	if (e == NULL || e->closed) {
		errno = e == NULL ? EINVAL : EBADF;
		return NULL;
	}
	return e->sh;
}

mp_event *mp_event_new(void)
{
	mp_event *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->sh = mp__shared_alloc(sizeof(*e->sh));
	if (e->sh == NULL) {
		free(e);
		return NULL;
	}
	e->sh->id = mp__new_id();
	e->next = events;
	events = e;
	mp__tp(chan_open, getpid(), e->sh->id, "event", 0);
	return e;
}

int mp_event_set(mp_event *e)
{
	struct shared_event *sh = shared_of(e);

	if (sh == NULL)
		return -1;
	/* Recorded first, so no waiter's event_woke comes before it. */
	mp__tp(event_set, getpid(), sh->id, 0);
	atomic_store(&sh->flag, 1);
	mp__futex_wake((uint32_t *)&sh->flag, INT_MAX);
	return 0;
}

int mp_event_clear(mp_event *e)
{
	struct shared_event *sh = shared_of(e);

	if (sh == NULL)
		return -1;
	atomic_store(&sh->flag, 0);
	mp__tp(event_clear, getpid(), sh->id, 0);
	return 0;
}

bool mp_event_is_set(mp_event *e)
{
	struct shared_event *sh = shared_of(e);

	return sh != NULL && atomic_load(&sh->flag) == 1;
}

int mp_event_wait_timeout(mp_event *e, double seconds)
{
	struct shared_event *sh = shared_of(e);
	int64_t deadline = mp__deadline(seconds);
	int r = 0;

	if (sh == NULL || deadline == -2)
		return -1;
	int64_t ms = mp__timeout_us(seconds) / 1000;
	mp__tp(event_wait, getpid(), sh->id, deadline < 0 ? -1 : ms > INT_MAX ? INT_MAX : (int)ms);
	while (atomic_load(&sh->flag) == 0 && r != ETIMEDOUT) {
		if (deadline >= 0 && mp__now_ns() >= deadline)
			r = ETIMEDOUT;
		else
			r = mp__futex_wait((uint32_t *)&sh->flag, 0, deadline);
	}
	bool set = atomic_load(&sh->flag) == 1;
	mp__tp(event_woke, getpid(), sh->id, set);
	if (!set) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

int mp_event_wait(mp_event *e)
{
	return mp_event_wait_timeout(e, MP_FOREVER);
}

int mp_event_close(mp_event *e)
{
	if (shared_of(e) == NULL)
		return -1;
	munmap(e->sh, sizeof(*e->sh));
	e->sh = NULL;
	e->closed = true;
	return 0;
}
