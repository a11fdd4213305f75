/*
 * pool.c - Pool: workers forked once, taking jobs from a shared queue.
 *
 * This file is the pool's life (new, close, join, terminate, free), its
 * jobs, and map; pool.h says where the rest is.  Unlike Python's Pool, a
 * worker that dies does not hang the pool: the job it had claimed fails
 * with EOWNERDEAD and a new worker takes its place (worker.c, loop.c).
 */
#define _GNU_SOURCE
#include "pool/pool.h"
#include "messages/messages.h"
#include "sync/sync.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int mp__pool_check(mp_pool *pool, bool submit)
{
	if (pool == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (pool->owner != getpid()) {
		errno = ECHILD;		/* a copy of another process's pool */
		return -1;
	}
	if (submit && pool->state != RUN) {
		errno = EINVAL;		/* Python: "Pool not running" */
		return -1;
	}
	return 0;
}

mp_pool *mp_pool_new_init(int processes, mp_init_fn initializer, void *initarg)
{
	MP__SITE();
	mp_pool *pool;

	if (processes < 1) {
		errno = EINVAL;
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (pool == NULL)
		return NULL;
	pool->id = mp__new_id();
	pool->owner = getpid();
	pool->n = processes;
	pool->init = initializer;
	pool->initarg = initarg;
	pool->workers = calloc((size_t)processes, sizeof(*pool->workers));
	pool->claims = mp__shared_alloc((size_t)processes * sizeof(uint64_t));
	pool->tasks = mp__queue_new_quiet();
	if (pool->workers == NULL || pool->claims == NULL || pool->tasks == NULL)
		goto fail;
	for (int i = 0; i < processes; i++)
		pool->workers[i].rfd = pool->workers[i].pidfd = -1;
	mp__tp(pool_op, mp__pid(), pool->id, "create", processes);
	for (int i = 0; i < processes; i++)
		if (mp__pool_start_worker(pool, i) == -1)
			goto fail;
	return pool;
fail:;
	int err = errno;
	mp_pool_free(pool);
	errno = err;
	return NULL;
}

mp_pool *mp_pool_new(int processes)
{
	MP__SITE();
	return mp_pool_new_init(processes, NULL, NULL);
}

uint64_t mp__pool_new_job(mp_pool *pool, uint32_t count)
{
	if (mp__grow(&pool->jobs, &pool->cap_jobs, pool->n_jobs + 1, sizeof(*pool->jobs)) == -1)
		return 0;
	struct job *j = &pool->jobs[pool->n_jobs++];
	*j = (struct job){ .first_task = pool->next_task, .count = count };
	pool->next_task += count;
	pool->undone++;
	return pool->n_jobs;
}

static bool never(mp_pool *pool, void *ctx)
{
	return false;
}

int mp__pool_send_job(mp_pool *pool, uint64_t job, mp_task_fn fn, const void *args,
		      uint32_t count, size_t arg_size, size_t result_size)
{
	struct job *j = &pool->jobs[job - 1];
	size_t len = sizeof(struct job_msg) + count * arg_size;

	pool->msg.len = 0;
	if (mp__buf_reserve(&pool->msg, len) == -1)
		return -1;
	struct job_msg *m = (struct job_msg *)pool->msg.data;
	*m = (struct job_msg){ job, fn, j->first_task, count, (uint32_t)arg_size, result_size };
	if (count * arg_size > 0)
		memcpy(m->args, args, count * arg_size);
	if (mp__tp_on(task_submit))
		for (uint32_t k = 0; k < count; k++)
			mp__tp(task_submit, mp__pid(), pool->id, j->first_task + k);

	/* The ring (16 MiB) full of tasks: let the workers answer, and retry. */
	while (mp_queue_put_timeout(pool->tasks, m, len, 0) == -1) {
		if (errno != EAGAIN)
			return -1;
		if (mp__pool_pump(pool, mp__now_ns() + 10000000, never, NULL) == -1 && errno != ETIMEDOUT)
			return -1;
	}
	/* Now and then take results in, so no worker waits on a full pipe. */
	if (++pool->submits % 64 == 0)
		mp__pool_turn(pool, 0);
	return 0;
}

static bool map_done(mp_pool *pool, void *m)
{
	return ((struct map_call *)m)->jobs_left == 0;
}

/* Python's chunksize for map when none is given: count / (4 x workers),
 * rounded up, but no job of more than AUTO_JOB_BYTES of arguments or of
 * results.  Past that a job's fixed cost (a put, a wake, a write, a poll)
 * is spread thin already, and the bigger its message the less of its
 * copies stay in the CPU's cache: a map of 8-byte tasks in jobs of 4 MiB
 * ran at 0.8 times the speed of jobs of 64 KiB (docs/measurements.md).
 * Always at least 1, and no more than one message holds. */
#define AUTO_JOB_BYTES ((size_t)64 << 10)

static size_t chunk_size(const mp_pool *pool, size_t chunksize, size_t count, size_t arg_size,
			 size_t result_size)
{
	if (chunksize == 0) {
		size_t per = 4 * (size_t)pool->n, task = arg_size > result_size ? arg_size : result_size;

		chunksize = count / per + (count % per != 0);
		if (task > 0 && chunksize > AUTO_JOB_BYTES / task)
			chunksize = AUTO_JOB_BYTES / task;
	}
	if (chunksize == 0)
		chunksize = 1;
	if (arg_size > 0 && chunksize > MAX_ARG / arg_size)
		chunksize = MAX_ARG / arg_size;
	return chunksize > UINT32_MAX ? UINT32_MAX : chunksize;
}

int mp_pool_map(mp_pool *pool, mp_task_fn fn, const void *args, size_t arg_size, size_t count,
		void *results, size_t result_size, size_t chunksize)
{
	MP__SITE();
	struct map_call m = { results, result_size, 0, SIZE_MAX, 0 };
	const unsigned char *arg = args;
	size_t first_job = pool ? pool->n_jobs + 1 : 0;

	if (mp__pool_check(pool, true) == -1)
		return -1;
	if (fn == NULL || (count > 0 && ((args == NULL && arg_size > 0) ||
					 (results == NULL && result_size > 0)))) {
		errno = EINVAL;
		return -1;
	}
	if (arg_size > MAX_ARG) {
		errno = EMSGSIZE;
		return -1;
	}
	chunksize = chunk_size(pool, chunksize, count, arg_size, result_size);
	for (size_t i = 0; i < count; i += chunksize) {
		uint32_t n = (uint32_t)(count - i < chunksize ? count - i : chunksize);
		uint64_t job = mp__pool_new_job(pool, n);

		if (job == 0)
			goto gave_up;
		pool->jobs[job - 1].map = &m;
		pool->jobs[job - 1].first_index = i;
		m.jobs_left++;
		if (mp__pool_send_job(pool, job, fn, arg + i * arg_size, n, arg_size, result_size) == -1)
			goto gave_up;
	}
	if (mp__pool_pump(pool, -1, map_done, &m) == -1)
		goto gave_up;
	if (m.first_error != SIZE_MAX) {
		errno = m.error;
		return -1;
	}
	return 0;
gave_up:;
	/* The jobs already queued still run; their answers go nowhere. */
	int err = errno;
	for (size_t j = first_job; j <= pool->n_jobs; j++)
		pool->jobs[j - 1].map = NULL;
	errno = err;
	return -1;
}

int mp_pool_close(mp_pool *pool)
{
	MP__SITE();
	if (mp__pool_check(pool, false) == -1)
		return -1;
	if (pool->state == RUN) {
		pool->state = CLOSE;
		mp__tp(pool_op, mp__pid(), pool->id, "close", 0);
	}
	return 0;
}

static bool all_done(mp_pool *pool, void *ctx)
{
	return pool->undone == 0;
}

static bool all_stopped(mp_pool *pool, void *ctx)
{
	return mp__pool_running(pool) == 0;
}

int mp_pool_join(mp_pool *pool)
{
	MP__SITE();
	if (mp__pool_check(pool, false) == -1)
		return -1;
	if (pool->state == RUN) {
		errno = EINVAL;		/* Python: close() or terminate() first */
		return -1;
	}
	if (pool->state != CLOSE)
		return 0;	/* terminated, or joined already */
	mp__tp(pool_op, mp__pid(), pool->id, "join", pool->undone);
	if (mp__pool_pump(pool, -1, all_done, NULL) == -1)
		return -1;

	/* One stop per worker: each takes one and exits. */
	struct job_msg stop = { 0 };
	int n = mp__pool_running(pool);
	pool->state = STOPPING;
	for (int i = 0; i < n; i++)
		if (mp_queue_put(pool->tasks, &stop, sizeof(stop)) == -1)
			return -1;
	if (mp__pool_pump(pool, -1, all_stopped, NULL) == -1)
		return -1;
	pool->state = DONE;
	mp__tp(pool_op, mp__pid(), pool->id, "joined", 0);
	return 0;
}

int mp_pool_terminate(mp_pool *pool)
{
	MP__SITE();
	int64_t deadline = mp__now_ns() + 200000000;	/* SIGTERM's grace: 200 ms */

	if (mp__pool_check(pool, false) == -1)
		return -1;
	if (pool->state == DONE || pool->state == TERMINATED)
		return 0;
	mp__tp(pool_op, mp__pid(), pool->id, "terminate", 0);
	mp__pool_turn(pool, 0);		/* results already sent still count */
	pool->state = TERMINATED;
	for (int i = 0; i < pool->n; i++)
		if (pool->workers[i].running)
			mp_process_terminate(&pool->workers[i].proc);
	for (int i = 0; i < pool->n; i++) {
		struct worker *w = &pool->workers[i];

		if (!w->running)
			continue;
		double left = (double)(deadline - mp__now_ns()) / 1e9;

		if (mp_process_join_timeout(&w->proc, left > 0 ? left : 0) == -1) {
			mp_process_kill(&w->proc);	/* stuck, or ignoring SIGTERM */
			mp_process_join(&w->proc);
		}
		mp__pool_worker_gone(w);
	}
	for (size_t j = 0; j < pool->n_jobs; j++) {
		struct job *job = &pool->jobs[j];
		char text[96];

		if (job->done)
			continue;
		snprintf(text, sizeof(text), "task %llu cancelled: the pool was terminated",
			 (unsigned long long)job->first_task);
		mp__pool_fail_job(pool, job, ECANCELED, text);
	}
	return 0;
}

void mp_pool_free(mp_pool *pool)
{
	MP__SITE();
	if (pool == NULL)
		return;
	if (pool->owner == getpid() && pool->workers != NULL && pool->claims != NULL &&
	    pool->tasks != NULL)
		mp_pool_terminate(pool);
	else if (pool->workers != NULL)
		for (int i = 0; i < pool->n; i++)
			if (pool->workers[i].running)	/* a half-made pool */
				mp_process_kill(&pool->workers[i].proc),
				mp_process_join(&pool->workers[i].proc);
	for (mp_async_result *r = pool->results, *next; r != NULL; r = next) {
		next = r->next;
		free(r->message);
		free(r->data);
		free(r);
	}
	for (int i = 0; pool->workers != NULL && i < pool->n; i++) {
		mp__pool_worker_gone(&pool->workers[i]);
		mp__buf_free(&pool->workers[i].in);
	}
	if (pool->tasks != NULL)
		mp_queue_close(pool->tasks);
	if (pool->claims != NULL)
		munmap(pool->claims, (size_t)pool->n * sizeof(uint64_t));
	free(pool->workers);
	free(pool->jobs);
	mp__buf_free(&pool->msg);
	free(pool);
}
