/*
 * sync/sync.h - what shared objects are built from (shared.c), for the
 * queues (messages/), Lock and Event (this folder) and the pool.
 *
 * A shared object lives in memory shared by the processes that use it: an
 * anonymous MAP_SHARED mapping made before the children are forked, so
 * every child finds it at the same address.
 */
#ifndef MP_SYNC_INTERNAL_H
#define MP_SYNC_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Memory shared with every process forked after this call, zero-filled.
 * NULL and errno. */
void *mp__shared_alloc(size_t size);

/*
 * A process's handle on an object in shared memory: a Queue, a Lock, an
 * Event is a struct whose first member is this.  Closing unmaps the memory
 * in this process only (the others keep theirs).  The handle itself is
 * never freed: it stays on a list for the life of the process, so a call
 * on a closed handle finds it closed (EBADF), not freed memory.
 */
struct mp__shared {
	void *mem;		/* the shared memory; NULL once closed */
	size_t size;
	struct mp__shared *next;
};

/* A new handle of handle_size bytes (its first member a struct
 * mp__shared) on `size` bytes of fresh shared memory.  NULL and errno. */
void *mp__shared_new(size_t handle_size, size_t size);

/* As mp__shared_new(), for an object whose shared memory begins with a
 * robust mutex (mp__mutex_init) of `type`. */
void *mp__shared_new_locked(size_t handle_size, size_t size, int type);

/* The shared memory of a handle: NULL and errno EINVAL (handle NULL) or
 * EBADF (closed).  (Inline: every put and get asks.) */
static inline void *mp__shared_mem(void *handle)
{
	struct mp__shared *h = handle;

	if (h == NULL || h->mem == NULL) {
		errno = h == NULL ? EINVAL : EBADF;
		return NULL;
	}
	return h->mem;
}

/* Unmaps the handle's memory here.  0, or -1 and errno (EINVAL, EBADF). */
int mp__shared_close(void *handle);

/* A pthread mutex that works across processes and survives its owner's
 * death (robust), of `type` (PTHREAD_MUTEX_NORMAL, _ERRORCHECK,
 * _RECURSIVE).  0, or -1 and errno. */
int mp__mutex_init(pthread_mutex_t *m, int type);

/* Locks m: 0, or 1 when its owner died holding it (the caller must repair
 * what the lock guards, then call mp__mutex_consistent), -1 and errno. */
int mp__mutex_lock(pthread_mutex_t *m);
void mp__mutex_consistent(pthread_mutex_t *m);
void mp__mutex_unlock(pthread_mutex_t *m);

/* Sleeps while *word == expected, until woken or deadline (base/time.h;
 * -1: no limit).  0 when woken (or *word had changed), ETIMEDOUT, or
 * EINTR: callers re-check their condition in a loop. */
int mp__futex_wait(uint32_t *word, uint32_t expected, int64_t deadline);
void mp__futex_wake(uint32_t *word, int how_many);

#endif /* MP_SYNC_INTERNAL_H */
