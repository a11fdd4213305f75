/*
 * event.c - Event: a flag in shared memory that processes wait for.
 *
 * The flag is itself the futex word: a waiter sleeps while it is 0, and
 * set() stores 1 and wakes every sleeper.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "sync/sync.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <unistd.h>

struct shared_event {
	_Atomic uint32_t flag;	/* 1: set; the futex word waiters sleep on */
	uint64_t id;
};

struct mp_event {
	struct mp__shared h;	/* a struct shared_event */
};

static struct shared_event *shared_of(mp_event *e)
{
	return mp__shared_mem(e);
}

mp_event *mp_event_new(void)
{
	MP__SITE();
	mp_event *e = mp__shared_new(sizeof(*e), sizeof(struct shared_event));
	struct shared_event *sh;

	if (e == NULL)
		return NULL;
	sh = shared_of(e);
	sh->id = mp__new_id();
	mp__tp(chan_open, mp__pid(), sh->id, "event", 0);
	return e;
}

int mp_event_set(mp_event *e)
{
	MP__SITE();
	struct shared_event *sh = shared_of(e);

	if (sh == NULL)
		return -1;
	/* Recorded first, so no waiter's event_woke comes before it. */
	mp__tp(event_set, mp__pid(), sh->id, 0);
	atomic_store(&sh->flag, 1);
	mp__futex_wake((uint32_t *)&sh->flag, INT_MAX);
	return 0;
}

int mp_event_clear(mp_event *e)
{
	MP__SITE();
	struct shared_event *sh = shared_of(e);

	if (sh == NULL)
		return -1;
	atomic_store(&sh->flag, 0);
	mp__tp(event_clear, mp__pid(), sh->id, 0);
	return 0;
}

bool mp_event_is_set(mp_event *e)
{
	MP__SITE();
	struct shared_event *sh = shared_of(e);

	return sh != NULL && atomic_load(&sh->flag) == 1;
}

int mp_event_wait_timeout(mp_event *e, double seconds)
{
	MP__SITE();
	struct shared_event *sh = shared_of(e);
	int64_t deadline = mp__deadline(seconds), ms = mp__timeout_us(seconds) / 1000;
	int r = 0;

	if (sh == NULL || deadline == -2)
		return -1;
	mp__tp(event_wait, mp__pid(), sh->id, deadline < 0 ? -1 : ms > INT_MAX ? INT_MAX : (int)ms);
	while (atomic_load(&sh->flag) == 0 && r != ETIMEDOUT) {
		if (deadline >= 0 && mp__now_ns() >= deadline)
			r = ETIMEDOUT;
		else
			r = mp__futex_wait((uint32_t *)&sh->flag, 0, deadline);
	}
	bool set = atomic_load(&sh->flag) == 1;
	mp__tp(event_woke, mp__pid(), sh->id, set);
	if (!set) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

int mp_event_wait(mp_event *e)
{
	MP__SITE();
	return mp_event_wait_timeout(e, MP_FOREVER);
}

int mp_event_close(mp_event *e)
{
	MP__SITE();
	return mp__shared_close(e);
}
