/*
 * joinable.c - JoinableQueue: a Queue that also counts unfinished tasks.
 *
 * Every put adds one to `unfinished` (queue.c); task_done() takes one off,
 * and the one that brings it to 0 bumps the futex `done_seq` and wakes
 * every join() sleeping on it.
 */
#include "messages/queue.h"
#include "sync/sync.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

int mp_queue_task_done(mp_queue *q)
{
	MP__SITE();
	struct shared_queue *sh = mp__queue_lock(q);

	if (sh == NULL)
		return -1;
	if (!sh->joinable || sh->unfinished <= 0) {
		mp__mutex_unlock(&sh->lock);
		errno = EINVAL;	/* Python: "task_done() called too many times" */
		return -1;
	}
	int64_t left = --sh->unfinished;
	if (left == 0)
		sh->done_seq++;
	mp__tp(chan_op, mp__pid(), sh->id, "task_done", left);	/* before join's "joined" */
	mp__mutex_unlock(&sh->lock);
	if (left == 0)
		mp__futex_wake(&sh->done_seq, INT_MAX);
	return 0;
}

int mp_queue_join_timeout(mp_queue *q, double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);
	struct shared_queue *sh;

	if (deadline == -2)
		return -1;
	if ((sh = mp__queue_lock(q)) == NULL)
		return -1;
	if (!sh->joinable) {
		mp__mutex_unlock(&sh->lock);
		errno = EINVAL;
		return -1;
	}
	mp__tp(chan_op, mp__pid(), sh->id, "join", 0);
	while (sh->unfinished > 0) {
		uint32_t seen = sh->done_seq;

		mp__mutex_unlock(&sh->lock);
		if (deadline >= 0 && mp__now_ns() >= deadline) {
			mp__tp(chan_op, mp__pid(), sh->id, "joined", 0);
			errno = ETIMEDOUT;
			return -1;
		}
		mp__futex_wait(&sh->done_seq, seen, deadline);
		if (mp__queue_lock(q) == NULL)
			return -1;
	}
	mp__tp(chan_op, mp__pid(), sh->id, "joined", 1);
	mp__mutex_unlock(&sh->lock);
	return 0;
}

int mp_queue_join(mp_queue *q)
{
	MP__SITE();
	return mp_queue_join_timeout(q, MP_FOREVER);
}
