/*
 * pool/pool.h - a Pool's parts, shared by the pool folder's files.
 *
 *   worker.c  a worker: how it is started, and its loop (take a job, run
 *             it, answer)
 *   loop.c    the parent's loop: results and deaths of workers
 *   async.c   AsyncResult: apply_async, get, wait, ready
 *   pool.c    the pool's life (new, close, join, terminate, free), its
 *             jobs, and map
 *
 * The shape is Python's: the parent puts jobs on one queue, every idle
 * worker takes the next, and results come back on a pipe per worker.  A
 * job is one message on the queue: a function, a first task number and one
 * or more arguments (map sends `chunksize` at a time).  A worker answers a
 * job with one frame on its pipe: the job number, then each task's error
 * and result - or, for a map whose tasks all gave a result of the map's
 * result size, those results alone, packed (half the bytes for 8-byte
 * results, and one copy into the caller's array).
 */
#ifndef MP_POOL_INTERNAL_H
#define MP_POOL_INTERNAL_H

#include "mp.h"
#include "base/buf.h"

#include <stdint.h>

/* ---- what goes to the workers and back -------------------------------- */

struct job_msg {		/* one message on the task queue */
	uint64_t job;		/* first: what the worker's claim slot gets; 0 = stop */
	mp_task_fn fn;
	uint64_t first_task;
	uint32_t count;		/* tasks in this job */
	uint32_t arg_size;	/* each task's argument, bytes */
	uint64_t result_size;	/* a map's result size (0: apply_async) */
	unsigned char args[];	/* count x arg_size */
};

struct frame_head {		/* a worker's answer to one job, on its pipe */
	uint64_t job;
	uint64_t frame_len;	/* the whole frame, this head included */
	uint64_t packed;	/* 1: count x result_size bytes follow, every task's */
};

struct task_answer {		/* then, for each task of the job: */
	int32_t error;		/* 0, or the errno it failed with */
	uint32_t len;		/* bytes of result, or of the error's message */
};

#define MAX_ARG (MP_QUEUE_MSG_MAX - sizeof(struct job_msg))

/* ---- the parent's books ---------------------------------------------- */

enum pool_state { RUN, CLOSE, STOPPING, DONE, TERMINATED };

struct map_call {		/* one mp_pool_map() in progress */
	unsigned char *results;
	size_t result_size;
	size_t jobs_left;
	size_t first_error;	/* index of the first failed task; SIZE_MAX none */
	int error;
};

struct job {
	mp_async_result *r;	/* apply_async: its result ... */
	struct map_call *map;	/* ... or map: the call, */
	size_t first_index;	/*     and its first argument's index */
	uint64_t first_task;
	uint32_t count;
	bool done;
};

struct mp_async_result {
	mp_pool *pool;
	uint64_t task;
	bool done;
	int error;
	char *message;
	void *data;
	size_t len;
	mp_async_result *next;	/* the pool's list, for mp_pool_free */
};

struct worker {
	mp_process proc;
	mp_pool *pool;
	int index;
	bool running;
	int rfd, wfd;		/* its result pipe; wfd only until it starts */
	int pidfd;
	struct mp__buf in;	/* bytes read from rfd, not yet whole frames */
};

struct mp_pool {
	uint64_t id;
	pid_t owner;
	enum pool_state state;
	int n;
	struct worker *workers;
	uint64_t *claims;	/* shared: the job each worker took last */
	mp_queue *tasks;
	mp_init_fn init;
	void *initarg;
	struct job *jobs;	/* job j is jobs[j - 1] */
	size_t n_jobs, cap_jobs, undone;
	uint64_t next_task;
	struct mp__buf msg;	/* the next message to the queue */
	unsigned submits;
	int start_error;	/* why a worker could not be started */
	mp_async_result *results;
};

/* ---- worker.c ---- */

/* Starts worker i (again).  0, or -1 and errno. */
int mp__pool_start_worker(mp_pool *pool, int i);

/* Closes the parent's ends of a worker that has been collected. */
void mp__pool_worker_gone(struct worker *w);

/* ---- loop.c ---- */

/* Fails every task of job j with err and a message (if not done yet). */
void mp__pool_fail_job(mp_pool *pool, struct job *j, int err, const char *message);

/* Waits (at most timeout_ns; -1 no limit, 0 just a look) for anything from
 * the workers, and takes in all that has come: results and deaths. */
int mp__pool_turn(mp_pool *pool, int64_t timeout_ns);

/* Turns until done(pool, ctx) or the deadline (base/time.h: -1 none):
 * 0, or -1 and errno ETIMEDOUT. */
int mp__pool_pump(mp_pool *pool, int64_t deadline, bool (*done)(mp_pool *, void *), void *ctx);

/* Workers running now. */
int mp__pool_running(const mp_pool *pool);

/* ---- pool.c ---- */

/* Checks a pool may be used by this process; `submit`: and take tasks.
 * 0, or -1 and errno (EINVAL, ECHILD). */
int mp__pool_check(mp_pool *pool, bool submit);

/* A new job of `count` tasks: its number, or 0 and errno. */
uint64_t mp__pool_new_job(mp_pool *pool, uint32_t count);

/* Puts job `job` on the queue: count arguments of arg_size bytes, each
 * result result_size bytes (a map's; 0 for apply_async). */
int mp__pool_send_job(mp_pool *pool, uint64_t job, mp_task_fn fn, const void *args,
		      uint32_t count, size_t arg_size, size_t result_size);

#endif /* MP_POOL_INTERNAL_H */
