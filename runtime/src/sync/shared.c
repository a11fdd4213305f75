/*
 * shared.c - shared memory, robust mutexes and futexes (sync.h).
 *
 * On memory shared between processes:
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
#include "sync/sync.h"
#include "base/time.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

void *mp__shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *mp__shared_new(size_t handle_size, size_t size)
{
	static struct mp__shared *handles;
	struct mp__shared *h = calloc(1, handle_size);

	if (h == NULL)
		return NULL;
	h->mem = mp__shared_alloc(size);
	if (h->mem == NULL) {
		free(h);
		return NULL;
	}
	h->size = size;
	h->next = handles;
	handles = h;
	return h;
}

void *mp__shared_new_locked(size_t handle_size, size_t size, int type)
{
	struct mp__shared *h = mp__shared_new(handle_size, size);

	if (h != NULL && mp__mutex_init(h->mem, type) == -1) {
		int err = errno;

		mp__shared_close(h);	/* the handle stays, closed */
		errno = err;
		return NULL;
	}
	return h;
}

int mp__shared_close(void *handle)
{
	struct mp__shared *h = handle;

	if (mp__shared_mem(h) == NULL)
		return -1;
	munmap(h->mem, h->size);
	h->mem = NULL;
	return 0;
}

int mp__mutex_init(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t attr;
	int err;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_settype(&attr, type);
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

int mp__futex_wait(uint32_t *word, uint32_t expected, int64_t deadline)
{
	struct timespec abs = mp__timespec(deadline);

	/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, so a
	 * wait that EINTR or a spurious wake restarts keeps its deadline.
	 * Not FUTEX_PRIVATE_FLAG: the word is shared between processes. */
	if (syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, deadline >= 0 ? &abs : NULL,
		    NULL, FUTEX_BITSET_MATCH_ANY) == -1) {
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
