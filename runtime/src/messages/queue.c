/*
 * queue.c - Queue and JoinableQueue: a ring of bytes in shared memory.
 *
 * Python builds its Queue from a pipe, a lock and a feeder thread.  This one
 * is a ring buffer in memory shared by the processes (sync/shared.c): a put
 * copies the message into the ring, a get copies it out, each under a short
 * robust mutex; a process sleeps on a futex only when it has to wait, so a
 * message that finds the other side busy costs no system call at all.
 *
 * Each message in the ring is a 16-byte header (length, message id) and the
 * bytes, padded to 8.  `head` and `tail` count bytes ever taken and ever
 * put; [head, tail) is what the ring holds.  A message is either wholly in
 * the ring or not at all: the writer copies it in, then moves `tail`; the
 * reader copies it out, then moves `head`.  So a process killed in the
 * middle of a put or a get leaves no half message: the next process to take
 * the lock is told its owner died, recounts the ring, and goes on.
 *
 * Events are recorded while the lock is held, so the trace's order is the
 * order things happened in: a message's put before its get, the last
 * task_done before the join it releases.
 *
 * No waiter ever blocks the others: the futexes (`data_seq`, `space_seq`,
 * `done_seq`) are counters bumped under the lock, and a waiter sleeps only
 * while the counter still has the value it read under the lock, so no wake
 * is lost.  The counts of sleepers (*_waiters) and of wakes already sent to
 * them (*_woken) save system calls: a put wakes a getter only if some
 * sleeper has not been woken yet, so a burst of puts to a consumer that is
 * already on its way costs one wake, not one each.  A waiter killed in its
 * sleep leaves the counts one too high: a spare wake now and then, never a
 * hang.
 */
#define _GNU_SOURCE
#include "messages/messages.h"
#include "messages/queue.h"
#include "sync/sync.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>

#include <limits.h>
#include <string.h>
#include <unistd.h>

static size_t footprint(size_t len)
{
	return HEADER_SIZE + ((len + 7) & ~(size_t)7);
}

static void ring_write(struct shared_queue *sh, uint64_t at, const void *src, size_t n)
{
	size_t off = at & (RING_SIZE - 1), first = n < RING_SIZE - off ? n : RING_SIZE - off;

	memcpy(sh->ring + off, src, first);
	memcpy(sh->ring, (const unsigned char *)src + first, n - first);
}

static void ring_read(const struct shared_queue *sh, uint64_t at, void *dst, size_t n)
{
	size_t off = at & (RING_SIZE - 1), first = n < RING_SIZE - off ? n : RING_SIZE - off;

	memcpy(dst, sh->ring + off, first);
	memcpy((unsigned char *)dst + first, sh->ring, n - first);
}

/* Caller holds the lock of a queue whose last holder died: its copy may
 * have stopped between moving head/tail and the count. */
static void recount(struct shared_queue *sh)
{
	struct header h;
	int64_t n = 0;

	for (uint64_t at = sh->head; at < sh->tail; at += footprint(h.len)) {
		ring_read(sh, at, &h, sizeof(h));
		n++;
	}
	sh->count = n;
}

struct shared_queue *mp__queue_lock(mp_queue *q)
{
	struct shared_queue *sh = mp__shared_mem(q);

	if (sh == NULL)
		return NULL;
	switch (mp__mutex_lock(&sh->lock)) {
	case 1:
		recount(sh);
		mp__mutex_consistent(&sh->lock);
		/* fall through */
	case 0:
		return sh;
	}
	return NULL;
}

static mp_queue *queue_new(int maxsize, bool joinable, bool quiet)
{
	struct shared_queue *sh;
	mp_queue *q;

	if (maxsize < 0) {
		errno = EINVAL;
		return NULL;
	}
	q = mp__shared_new_locked(sizeof(*q), sizeof(*sh) + RING_SIZE, PTHREAD_MUTEX_DEFAULT);
	if (q == NULL)
		return NULL;
	sh = mp__shared_mem(q);
	sh->maxsize = maxsize;
	sh->joinable = joinable;
	sh->quiet = quiet;
	sh->id = mp__new_id();
	if (!quiet)
		mp__tp(chan_open, mp__pid(), sh->id, joinable ? "joinable_queue" : "queue", maxsize);
	return q;
}

mp_queue *mp_queue_new(int maxsize)
{
	MP__SITE();
	return queue_new(maxsize, false, false);
}

mp_queue *mp__queue_new_quiet(void)
{
	return queue_new(0, false, true);
}

mp_queue *mp_joinable_queue_new(int maxsize)
{
	MP__SITE();
	return queue_new(maxsize, true, false);
}

static bool has_room(const struct shared_queue *sh, size_t need)
{
	return (sh->maxsize == 0 || sh->count < sh->maxsize) && sh->tail - sh->head + need <= RING_SIZE;
}

/*
 * Waits on *seq (with the lock held on entry) until the caller's condition
 * may have changed.  0 to re-check, the lock held again; -1 with errno
 * EAGAIN when the deadline has passed, the lock still held; -2 with errno
 * if the lock could not be taken again (it is not held then).
 */
static int wait_turn(mp_queue *q, uint32_t *seq, uint32_t *waiters, uint32_t *woken,
		     int64_t deadline, bool *announced, const char *op)
{
	struct shared_queue *sh = mp__shared_mem(q);
	uint32_t seen = *seq;

	if (deadline >= 0 && mp__now_ns() >= deadline) {
		errno = EAGAIN;
		return -1;
	}
	if (!*announced && !sh->quiet) {
		mp__tp(chan_block, mp__pid(), sh->id, op);
		*announced = true;
	}
	(*waiters)++;
	mp__mutex_unlock(&sh->lock);
	mp__futex_wait(seq, seen, deadline);
	if (mp__queue_lock(q) == NULL)
		return -2;
	(*waiters)--;
	if (*woken > 0)
		(*woken)--;
	return 0;
}

/* Ends a put or get that wait_turn() failed (r < 0): unlocks if held. */
static int unlock_fail(struct shared_queue *sh, int r)
{
	int err = errno;

	if (r == -1)
		mp__mutex_unlock(&sh->lock);
	errno = err;
	return -1;
}

/* Caller holds the lock: true if a sleeper needs waking (and counts it). */
static bool needs_wake(uint32_t *waiters, uint32_t *woken)
{
	if (*waiters <= *woken)
		return false;
	(*woken)++;
	return true;
}

int mp_queue_put_timeout(mp_queue *q, const void *msg, size_t len, double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);
	struct shared_queue *sh;
	bool announced = false, wake;
	struct header h;
	size_t need;

	if (deadline == -2 || (msg == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	if (len > MP_QUEUE_MSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if ((sh = mp__queue_lock(q)) == NULL)
		return -1;
	need = footprint(len);
	while (!has_room(sh, need)) {
		int r = wait_turn(q, &sh->space_seq, &sh->put_waiters, &sh->put_woken, deadline,
				  &announced, "put");
		if (r < 0)
			return unlock_fail(sh, r);
	}
	h.len = len;
	h.msg_id = mp__new_id();
	ring_write(sh, sh->tail, &h, sizeof(h));
	if (len > 0)	/* an empty message may come as NULL */
		ring_write(sh, sh->tail + HEADER_SIZE, msg, len);
	sh->tail += need;
	sh->count++;
	if (sh->joinable)
		sh->unfinished++;
	sh->data_seq++;
	wake = needs_wake(&sh->get_waiters, &sh->get_woken);
	/* Recorded under the lock: a get's event cannot come first. */
	if (!sh->quiet)
		mp__tp(msg_send, mp__pid(), sh->id, h.msg_id, len, "put");
	mp__mutex_unlock(&sh->lock);
	if (wake)
		mp__futex_wake(&sh->data_seq, 1);
	return 0;
}

int mp_queue_put(mp_queue *q, const void *msg, size_t len)
{
	MP__SITE();
	return mp_queue_put_timeout(q, msg, len, MP_FOREVER);
}

/* A get; with `claim`, the message's first 8 bytes are also stored there
 * before the message leaves the ring, while the lock is held (pool/worker.c). */
static ssize_t queue_get(mp_queue *q, void *buf, size_t size, double seconds,
			 uint64_t *claim)
{
	int64_t deadline = mp__deadline(seconds);
	struct shared_queue *sh;
	bool announced = false, wake;
	struct header h;

	if (deadline == -2 || (buf == NULL && size > 0)) {
		errno = EINVAL;
		return -1;
	}
	if ((sh = mp__queue_lock(q)) == NULL)
		return -1;
	while (sh->count == 0) {
		int r = wait_turn(q, &sh->data_seq, &sh->get_waiters, &sh->get_woken, deadline,
				  &announced, "get");
		if (r < 0)
			return unlock_fail(sh, r);
	}
	ring_read(sh, sh->head, &h, sizeof(h));
	if (h.len > size) {
		mp__mutex_unlock(&sh->lock);
		errno = EMSGSIZE;	/* it stays for a get with a bigger buffer */
		return -1;
	}
	if (h.len > 0)	/* an empty message may go to NULL */
		ring_read(sh, sh->head + HEADER_SIZE, buf, h.len);
	if (claim != NULL && h.len >= sizeof(*claim))
		memcpy(claim, buf, sizeof(*claim));
	sh->head += footprint(h.len);
	sh->count--;
	sh->space_seq++;
	wake = needs_wake(&sh->put_waiters, &sh->put_woken);
	if (!sh->quiet)
		mp__tp(msg_recv, mp__pid(), sh->id, h.msg_id, h.len, "get");
	mp__mutex_unlock(&sh->lock);
	if (wake)
		mp__futex_wake(&sh->space_seq, 1);
	return (ssize_t)h.len;
}

ssize_t mp_queue_get_timeout(mp_queue *q, void *buf, size_t size, double seconds)
{
	MP__SITE();
	return queue_get(q, buf, size, seconds, NULL);
}

ssize_t mp__queue_get_claim(mp_queue *q, void *buf, size_t size, double seconds,
			    uint64_t *claim)
{
	return queue_get(q, buf, size, seconds, claim);
}

ssize_t mp_queue_get(mp_queue *q, void *buf, size_t size)
{
	MP__SITE();
	return mp_queue_get_timeout(q, buf, size, MP_FOREVER);
}

/* mp_queue_put_str, _str_timeout, _int, _int_timeout, and the same of
 * mp_queue_get (messages.h). */
MP__TYPED_SEND(mp_queue, mp_queue_put, mp_queue_put_timeout)
MP__TYPED_RECV(mp_queue, mp_queue_get, mp_queue_get_timeout)

int mp_queue_qsize(mp_queue *q)
{
	MP__SITE();
	struct shared_queue *sh = mp__queue_lock(q);
	int64_t n;

	if (sh == NULL)
		return -1;
	n = sh->count;
	mp__mutex_unlock(&sh->lock);
	return n > INT_MAX ? INT_MAX : (int)n;
}

bool mp_queue_empty(mp_queue *q)
{
	MP__SITE();
	return mp_queue_qsize(q) == 0;
}

bool mp_queue_full(mp_queue *q)
{
	MP__SITE();
	struct shared_queue *sh = mp__shared_mem(q);
	int n = mp_queue_qsize(q);

	return n >= 0 && sh->maxsize > 0 && n >= sh->maxsize;
}

int mp_queue_close(mp_queue *q)
{
	MP__SITE();
	return mp__shared_close(q);
}
