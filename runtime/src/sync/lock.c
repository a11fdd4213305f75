/*
 * lock.c - Lock and RLock: a robust pthread mutex in shared memory.
 *
 * Python's multiprocessing.Lock is a POSIX semaphore.  A semaphore does not
 * know who holds it, so a process killed while holding one leaves it held
 * for ever, and every other process waiting for it waits for ever.  A
 * robust mutex does know: the kernel keeps a list of the robust mutexes
 * each thread holds and, when the thread dies, marks them "owner died" and
 * wakes one waiter.  That waiter gets the lock with EOWNERDEAD; we make the
 * mutex consistent again and tell the caller (acquire returns 1), who must
 * assume what the lock guarded is half-updated.
 *
 * The price of knowing the owner: only the owner may release (EPERM for
 * anyone else), where Python's Lock lets any process release it.
 *
 * The mutex is PTHREAD_MUTEX_ERRORCHECK for a Lock, so acquiring it twice
 * is EDEADLK rather than a silent self-deadlock, and RECURSIVE for an
 * RLock.  Timed waits use pthread_mutex_clocklock() on CLOCK_MONOTONIC, so
 * a change of the wall clock does not stretch them.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "sync/sync.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <pthread.h>

#include <unistd.h>

struct shared_lock {
	pthread_mutex_t mutex;
	uint64_t id;
};

struct mp_lock {
	struct mp__shared h;	/* a struct shared_lock */
};

/* This thread's id, for release's owner check: gettid() is a system call
 * that would cost more than the whole uncontended lock.  A fork's child
 * is a new thread with the same memory, so it forgets the cached id. */
static __thread pid_t my_tid;

static void forget_tid(void)
{
	my_tid = 0;
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, forget_tid);
}

static pid_t tid(void)
{
	if (my_tid == 0)
		my_tid = gettid();
	return my_tid;
}

static mp_lock *lock_new(int type)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	mp_lock *l;
	struct shared_lock *sh;

	pthread_once(&once, watch_forks);	/* before a lock can be held */
	l = mp__shared_new_locked(sizeof(*l), sizeof(*sh), type);
	if (l == NULL)
		return NULL;
	sh = mp__shared_mem(l);
	sh->id = mp__new_id();
	return l;
}

mp_lock *mp_lock_new(void)
{
	MP__SITE();
	return lock_new(PTHREAD_MUTEX_ERRORCHECK);
}

mp_lock *mp_rlock_new(void)
{
	MP__SITE();
	return lock_new(PTHREAD_MUTEX_RECURSIVE);
}

static struct shared_lock *shared_of(mp_lock *l)
{
	return mp__shared_mem(l);
}

/* What pthread said, as acquire's result: 0, 1 (owner died), -1.  Out of
 * line, as is the waiting: the uncontended, untraced path saves no
 * registers for them. */
static __attribute__((noinline)) int acquired(struct shared_lock *sh, int err)
{
	switch (err) {
	case EOWNERDEAD:
		pthread_mutex_consistent(&sh->mutex);
		mp__tp(lock_acquire, mp__pid(), sh->id, 1);
		return 1;
	case 0:
		mp__tp(lock_acquire, mp__pid(), sh->id, 0);
		return 0;
	case ETIMEDOUT:
		mp__tp(lock_timeout, mp__pid(), sh->id, 0);
		break;
	}
	errno = err;
	return -1;
}

/* The lock was not free at once (trylock said err): wait for it until
 * deadline (-1: no limit), or not at all. */
static __attribute__((noinline)) int contended(struct shared_lock *sh, int err, int64_t deadline,
					       bool may_wait)
{
	if (err != EBUSY)
		return acquired(sh, err);	/* owner died, EDEADLK, ... */
	if (!may_wait)
		return acquired(sh, ETIMEDOUT);
	mp__tp(lock_wait, mp__pid(), sh->id, 0);
	if (deadline < 0) {
		err = pthread_mutex_lock(&sh->mutex);
	} else {
		struct timespec abs = mp__timespec(deadline);

		err = pthread_mutex_clocklock(&sh->mutex, CLOCK_MONOTONIC, &abs);
	}
	return acquired(sh, err);
}

/* Both acquires, inlined into each.  The usual case, a lock nobody holds,
 * is the robust mutex's trylock, the handle's test before it and the
 * tracepoint's after it (docs/measurements.md: what robustness costs). */
static inline __attribute__((always_inline)) int acquire(mp_lock *l, int64_t deadline,
							 bool may_wait)
{
	struct shared_lock *sh = shared_of(l);
	int err;

	if (sh == NULL)
		return -1;
	err = pthread_mutex_trylock(&sh->mutex);
	if (__builtin_expect(err != 0, 0))
		return contended(sh, err, deadline, may_wait);
	if (mp__tp_on(lock_acquire))
		return acquired(sh, 0);
	return 0;
}

int mp_lock_acquire_timeout(mp_lock *l, double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);

	if (deadline == -2)
		return -1;
	return acquire(l, deadline, seconds != 0);
}

int mp_lock_acquire(mp_lock *l)
{
	MP__SITE();
	return acquire(l, -1, true);
}

/* Records a release about to be made.  Before the unlock, so the next
 * owner's lock_acquire never comes before it in the trace; and only by
 * the owner (glibc keeps its thread id in the mutex), so a refused release
 * is not recorded (untraced, the unlock's own check refuses it).  0, or
 * -1 and errno EPERM. */
static __attribute__((noinline)) int released(struct shared_lock *sh)
{
	if (sh->mutex.__data.__owner != tid()) {
		errno = EPERM;
		return -1;
	}
	mp__tp(lock_release, mp__pid(), sh->id, 0);
	return 0;
}

int mp_lock_release(mp_lock *l)
{
	MP__SITE();
	struct shared_lock *sh = shared_of(l);
	int err;

	if (sh == NULL)
		return -1;
	if (mp__tp_on(lock_release) && released(sh) == -1)
		return -1;
	err = pthread_mutex_unlock(&sh->mutex);
	if (__builtin_expect(err != 0, 0)) {
		errno = err;	/* EPERM: not the owner */
		return -1;
	}
	return 0;
}

int mp_lock_close(mp_lock *l)
{
	MP__SITE();
	return mp__shared_close(l);
}
