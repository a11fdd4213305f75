/*
 * messages/queue.h - a queue's layout, shared by queue.c and joinable.c.
 */
#ifndef MP_MESSAGES_QUEUE_H
#define MP_MESSAGES_QUEUE_H

#include "mp.h"
#include "sync/sync.h"

#include <pthread.h>
#include <stdint.h>

#define RING_SIZE ((size_t)16 << 20)	/* a power of two, > MP_QUEUE_MSG_MAX */
#define HEADER_SIZE 16

struct header {
	uint64_t len;
	uint64_t msg_id;
};

struct shared_queue {
	pthread_mutex_t lock;	/* first (mp__shared_new_locked); guards all below */
	uint32_t data_seq;	/* futex: bumped by every put */
	uint32_t space_seq;	/* futex: bumped by every get */
	uint32_t done_seq;	/* futex: bumped when `unfinished` reaches 0 */
	uint32_t get_waiters, put_waiters;	/* asleep, or about to be */
	uint32_t get_woken, put_woken;		/* wakes sent, not yet taken */
	uint64_t head, tail;	/* bytes ever taken, ever put */
	int64_t count;		/* messages in the ring */
	int64_t maxsize;	/* 0: no limit but the ring */
	int64_t unfinished;	/* JoinableQueue: put, not yet task_done */
	bool joinable;
	bool quiet;		/* the runtime's own (a pool's tasks): no events */
	uint64_t id;
	unsigned char ring[];
};

struct mp_queue {
	struct mp__shared h;	/* a struct shared_queue and its ring */
};

/* Takes the queue's lock, repairing the count if its last holder died.
 * Returns the shared part, or NULL and errno (EINVAL, EBADF after close). */
struct shared_queue *mp__queue_lock(mp_queue *q);

#endif /* MP_MESSAGES_QUEUE_H */
