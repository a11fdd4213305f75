/*
 * sem.c - POSIX semaphores that processes share: Python's Lock, RLock,
 * Semaphore, Condition and Event are made of them.
 *
 *   sem_open     a shared semaphore is opened (sem_open) or made (sem_init
 *                with pshared); its id, name and value
 *   sem_wait     a wait begins: the semaphore was 0 (arg: timeout in ms, -1)
 *   sem_acquire  taken (arg 1 after waiting, 0 at once)
 *   sem_timeout  the wait gave up (arg: ETIMEDOUT or EINTR)
 *   sem_post     released, recorded before it happens so that the waiter
 *                it wakes records after it
 *
 * Only semaphores processes share are recorded.  Python's interpreter
 * makes its thread locks of private semaphores too, and uses them all the
 * time: a Pool(4) running 5 tasks posts about 1100 of them and tries about
 * 1150 in its main process, against a few dozen operations on the shared
 * ones.  Those thread locks say nothing about processes and would drown the
 * rest; they pass through after one look in the table below.
 *
 * A blocking wait tries first (sem_trywait), so the trace shows a wait only
 * when there was one; a failed sem_trywait of the program's own is not
 * recorded (it is a poll, and nothing changed).
 *
 * The table holds each shared semaphore's address and id.  A forked child
 * inherits both, and the mapping.  A named semaphore's id comes from its
 * name, so processes that open it separately agree; an unnamed one's is
 * (pid << 32) | count, as every shared id in the trace.
 */
#include "layer.h"

#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>

#define SEMS 256		/* a power of two */

static struct sem_slot {
	_Atomic(sem_t *) sem;	/* NULL: free; GONE: closed; BUSY: being filled */
	uint64_t id;
} sems[SEMS];
#define GONE ((sem_t *)1)
#define BUSY ((sem_t *)2)
static _Atomic uint32_t unnamed_count;

static uint32_t hash(const sem_t *sem)
{
	return (uint32_t)(((uintptr_t)sem * 0x9e3779b97f4a7c15ull) >> 56) & (SEMS - 1);
}

/* The id of `sem` if it is shared, else 0.  Lock-free: sem_post may run in
 * a signal handler. */
static uint64_t shared_id(sem_t *sem)
{
	for (uint32_t i = 0, h = hash(sem); i < SEMS; i++) {
		struct sem_slot *s = &sems[(h + i) & (SEMS - 1)];
		sem_t *seen = atomic_load_explicit(&s->sem, memory_order_acquire);

		if (seen == sem)
			return s->id;
		if (seen == NULL)
			return 0;
	}
	return 0;
}

static void remember(sem_t *sem, uint64_t id)
{
	for (uint32_t i = 0, h = hash(sem); i < SEMS; i++) {
		struct sem_slot *s = &sems[(h + i) & (SEMS - 1)];
		sem_t *seen = atomic_load(&s->sem);

		if (seen == sem) {
			s->id = id;
			return;
		}
		/* Claimed first, then the id, then the address: a reader
		 * that finds the address finds its id. */
		if ((seen == NULL || seen == GONE) &&
		    atomic_compare_exchange_strong(&s->sem, &seen, BUSY)) {
			s->id = id;
			atomic_store_explicit(&s->sem, sem, memory_order_release);
			return;
		}
	}
}

static void forget(sem_t *sem)
{
	for (uint32_t i = 0, h = hash(sem); i < SEMS; i++) {
		struct sem_slot *s = &sems[(h + i) & (SEMS - 1)];
		sem_t *seen = atomic_load(&s->sem);

		if (seen == sem) {
			atomic_store(&s->sem, GONE);
			return;
		}
		if (seen == NULL)
			return;
	}
}

static uint64_t name_id(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ull;
	return h | (1ull << 63);	/* apart from the (pid << 32) ids */
}

/* ---- making and ending -------------------------------------------------- */

sem_t *sem_open(const char *name, int oflag, ...)
{
	MP__SITE();
	unsigned value = 0;
	mode_t mode = 0;
	va_list ap;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		value = va_arg(ap, unsigned);
		va_end(ap);
	}
	sem_t *sem = REAL(sem_open)(name, oflag, mode, value);

	if (sem != SEM_FAILED && ip_ready) {
		int err = errno, now = 0;

		remember(sem, name_id(name));
		if (ip_may(IP_CALLER) && mp__tp_on(sem_open)) {
			sem_getvalue(sem, &now);
			mp__tp(sem_open, mp__pid(), name_id(name), name, now);
		}
		errno = err;
	}
	return sem;
}

int sem_init(sem_t *sem, int pshared, unsigned value)
{
	MP__SITE();
	int r = REAL(sem_init)(sem, pshared, value);

	if (r == 0 && pshared && ip_ready) {
		uint64_t id = ((uint64_t)getpid() << 32) | atomic_fetch_add(&unnamed_count, 1);

		remember(sem, id);
		if (ip_may(IP_CALLER))
			mp__tp(sem_open, mp__pid(), id, "", (int)value);
	} else if (r == 0 && ip_ready) {
		forget(sem);	/* memory a shared one used before */
	}
	return r;
}

int sem_close(sem_t *sem)
{
	MP__SITE();
	forget(sem);
	return REAL(sem_close)(sem);
}

int sem_destroy(sem_t *sem)
{
	MP__SITE();
	forget(sem);
	return REAL(sem_destroy)(sem);
}

/* ---- waiting and posting ----------------------------------------------- */

/* The id to record `sem` under, or 0: private, or nobody records. */
static uint64_t watched(sem_t *sem, const void *caller)
{
	return mp__tp_on(sem_acquire) && ip_may(caller) ? shared_id(sem) : 0;
}

static int ms_until(clockid_t clock, const struct timespec *deadline)
{
	struct timespec now;

	if (deadline == NULL || clock_gettime(clock, &now) == -1)
		return -1;
	int64_t ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;

	return ms < 0 ? 0 : ms > INT32_MAX ? INT32_MAX : (int)ms;
}

/* The shape of every blocking wait: try; if it would block, record the
 * wait, wait, and record how it ended. */
#define WAIT_BODY(sem, wait_call, timeout_ms) do {			\
		uint64_t id_ = watched(sem, IP_CALLER);			\
		if (id_ == 0)						\
			return wait_call;				\
		if (REAL(sem_trywait)(sem) == 0) {			\
			mp__tp(sem_acquire, mp__pid(), id_, 0);		\
			return 0;					\
		}							\
		mp__tp(sem_wait, mp__pid(), id_, timeout_ms);		\
		int r_ = wait_call, err_ = errno;			\
		if (r_ == 0)						\
			mp__tp(sem_acquire, mp__pid(), id_, 1);		\
		else							\
			mp__tp(sem_timeout, mp__pid(), id_, err_);	\
		errno = err_;						\
		return r_;						\
	} while (0)

int sem_wait(sem_t *sem)
{
	MP__SITE();
	WAIT_BODY(sem, REAL(sem_wait)(sem), -1);
}

int sem_timedwait(sem_t *sem, const struct timespec *deadline)
{
	MP__SITE();
	WAIT_BODY(sem, REAL(sem_timedwait)(sem, deadline), ms_until(CLOCK_REALTIME, deadline));
}

int sem_clockwait(sem_t *sem, clockid_t clock, const struct timespec *deadline)
{
	MP__SITE();
	WAIT_BODY(sem, REAL(sem_clockwait)(sem, clock, deadline), ms_until(clock, deadline));
}

int sem_trywait(sem_t *sem)
{
	MP__SITE();
	uint64_t id = watched(sem, IP_CALLER);
	int r = REAL(sem_trywait)(sem);

	if (r == 0 && id != 0) {
		int err = errno;

		mp__tp(sem_acquire, mp__pid(), id, 0);
		errno = err;
	}
	return r;
}

int sem_post(sem_t *sem)
{
	MP__SITE();
	uint64_t id = watched(sem, IP_CALLER);

	if (id != 0) {
		int err = errno;

		mp__tp(sem_post, mp__pid(), id, 0);
		errno = err;
	}
	return REAL(sem_post)(sem);
}
