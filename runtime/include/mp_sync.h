/*
 * mp_sync.h - Lock, RLock and Event, shared between processes.  (Part of
 * mp.h, whose conventions hold here: include mp.h.)
 *
 *     Python                                     C
 *     lock = Lock(); rlock = RLock()             mp_lock *lock = mp_lock_new(); mp_rlock_new();
 *     lock.acquire(); ...; lock.release()        mp_lock_acquire(lock); ...; mp_lock_release(lock);
 *     lock.acquire(timeout=0.5)                  mp_lock_acquire_timeout(lock, 0.5)
 *     e = Event()                                mp_event *e = mp_event_new();
 *     e.set(); e.clear(); e.is_set()             mp_event_set(e); mp_event_clear(e); mp_event_is_set(e);
 *     e.wait(); e.wait(0.5)                      mp_event_wait(e); mp_event_wait_timeout(e, 0.5);
 *
 * Like the other shared objects, a lock or an event is made in the parent
 * and used by the processes started after it.
 */
#ifndef MP_SYNC_H
#define MP_SYNC_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Lock and RLock ------------------------------------------------------ */

/*
 * A robust, process-shared mutex in shared memory.  A lock belongs to the
 * process (the thread) that acquired it: only that one may release it.
 * If the owner dies holding it, the next process to acquire it gets it
 * (no deadlock) and is told: the acquire returns 1 instead of 0, and the
 * lock_acquire event says so.  What the lock guarded may be half-updated
 * then: the new owner repairs it.  Each acquire is traced (lock_wait when
 * it has to wait, lock_acquire, lock_release, lock_timeout).
 */
typedef struct mp_lock mp_lock;

/* Python's Lock() and RLock() (an RLock may be acquired again by its
 * owner; it is free once released as many times).  NULL and errno
 * (ENOMEM). */
mp_lock *mp_lock_new(void);
mp_lock *mp_rlock_new(void);

/* Waits until the lock is free, then holds it.  0, or 1 when its previous
 * owner died holding it (the lock is now yours and consistent again).
 * -1 and errno: EDEADLK (a Lock, not an RLock, already held by the
 * caller), EAGAIN (an RLock acquired too many times), EBADF after close,
 * EINVAL (NULL); the _timeout twin ETIMEDOUT if it is still held then
 * (Python's acquire() returning False). */
int mp_lock_acquire(mp_lock *l);

int mp_lock_acquire_timeout(mp_lock *l, double seconds);

/* Lets go.  -1 and errno EPERM if the caller does not hold it (Python's
 * RuntimeError/ValueError), EBADF after close, EINVAL (NULL). */
int mp_lock_release(mp_lock *l);

/* This process is done with the lock: later calls on l fail with EBADF. */
int mp_lock_close(mp_lock *l);

/* ---- Event ---------------------------------------------------------------- */

typedef struct mp_event mp_event;

/* Python's Event: a flag that processes can wait for.  Starts clear.
 * NULL and errno (ENOMEM). */
mp_event *mp_event_new(void);
int mp_event_set(mp_event *e);		/* wakes every waiter */
int mp_event_clear(mp_event *e);
bool mp_event_is_set(mp_event *e);

/* 0 once the flag is set; the _timeout twin -1 ETIMEDOUT if it was not set
 * within `seconds` (Python's wait() returning False). */
int mp_event_wait(mp_event *e);
int mp_event_wait_timeout(mp_event *e, double seconds);

/* This process is done with the event: later calls on e fail with EBADF. */
int mp_event_close(mp_event *e);

#ifdef __cplusplus
}
#endif

#endif /* MP_SYNC_H */
