/*
 * worker.c - a pool's worker: how it is started, and what it does.
 *
 * A worker is a daemon Process that loops: take a job from the shared
 * queue, run its tasks, write the answers to its own pipe.  It takes a job
 * with mp__queue_get_claim(), which writes the job's number into the
 * worker's slot in shared memory before the job leaves the queue, under
 * the queue's lock: whenever a worker dies, its slot says which job it had
 * (loop.c fails that job; CPython's pool waits for it forever, gh-66587).
 */
#define _GNU_SOURCE
#include "pool/pool.h"
#include "messages/messages.h"
#include "base/fd.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static char task_message[256];	/* set by mp_task_error() */

ssize_t mp_task_error(int errnum, const char *fmt, ...)
{
	MP__SITE();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(task_message, sizeof(task_message), fmt, ap);
	va_end(ap);
	errno = errnum;
	return -1;
}

/* A task's events, out of line: the loop that runs a job's tasks, inlined
 * into it, keeps its registers for the tasks (docs/measurements.md). */
static __attribute__((noinline)) void record_start(const mp_pool *pool, uint64_t task)
{
	mp__tp(task_start, mp__pid(), pool->id, task);
}

static __attribute__((noinline)) void record_end(const mp_pool *pool, uint64_t task,
						 const struct task_answer *a)
{
	mp__tp(task_end, mp__pid(), pool->id, task, a->error, a->error ? 0 : a->len);
}

/* A failed task (r: what fn returned): its errno and message in *a, the
 * message written at `result`. */
static __attribute__((noinline, cold)) void task_failed(ssize_t r, unsigned char *result,
						       struct task_answer *a)
{
	a->error = r < 0 ? (errno ? errno : EIO) : EMSGSIZE;
	if (task_message[0] == '\0')
		snprintf(task_message, sizeof(task_message), "%s", strerror(a->error));
	a->len = (uint32_t)strlen(task_message);
	memcpy(result, task_message, a->len);
}

/* Runs task k of job m, its result written at `result` (room for
 * MP_TASK_RESULT_MAX bytes); a failed task's message is written there
 * instead.  err is errno's address, looked up once per job: errno is a
 * call each time it is named. */
static inline struct task_answer run_task(const mp_pool *pool, const struct job_msg *m,
					  uint32_t k, unsigned char *result, int *err)
{
	uint64_t task = m->first_task + k;
	struct task_answer a;
	ssize_t r;

	task_message[0] = '\0';
	if (mp__tp_on(task_start))
		record_start(pool, task);
	*err = 0;
	r = m->fn(m->args + (size_t)k * m->arg_size, m->arg_size, result, MP_TASK_RESULT_MAX);
	a = (struct task_answer){ 0, (uint32_t)r };
	if (__builtin_expect(r < 0 || (size_t)r > MP_TASK_RESULT_MAX, 0))
		task_failed(r, result, &a);
	if (mp__tp_on(task_end))
		record_end(pool, task, &a);
	return a;
}

/* Tasks k.. of job m, answered one by one: each one's head, then its bytes. */
static int run_each(mp_pool *pool, const struct job_msg *m, uint32_t k, struct mp__buf *out)
{
	int *err = &errno;

	for (; k < m->count; k++) {
		struct task_answer a;

		if (mp__buf_reserve(out, sizeof(a) + MP_TASK_RESULT_MAX) == -1)
			return -1;
		a = run_task(pool, m, k, out->data + out->len + sizeof(a), err);
		memcpy(out->data + out->len, &a, sizeof(a));
		out->len += sizeof(a) + a.len;
	}
	return 0;
}

/* Runs job m and appends its answer to out: packed (1) while every task of
 * a map gives a result of the map's size, else task by task (0): at the
 * first task that fails or answers another size, the results so far are
 * written again as answers, and the rest go one by one.  -1 and errno if
 * out cannot grow. */
static int run_job(mp_pool *pool, const struct job_msg *m, struct mp__buf *out)
{
	static struct mp__buf redo;	/* the packed results, while rewritten */
	size_t size = m->result_size, base = out->len;
	struct task_answer a = { 0, 0 };
	int *err = &errno;
	uint32_t k;

	if (size == 0 || size > MP_TASK_RESULT_MAX)
		return run_each(pool, m, 0, out);
	if (mp__buf_reserve(out, m->count * size + MP_TASK_RESULT_MAX) == -1)
		return -1;
	for (k = 0; k < m->count; k++) {
		a = run_task(pool, m, k, out->data + base + k * size, err);
		if (a.error != 0 || a.len != size)
			break;
	}
	out->len = base + (size_t)k * size;
	if (k == m->count)
		return 1;
	redo.len = 0;
	if (mp__buf_append(&redo, out->data + base, (size_t)k * size + a.len) == -1)
		return -1;
	out->len = base;
	for (uint32_t i = 0; i <= k; i++) {
		struct task_answer ai = i < k ? (struct task_answer){ 0, (uint32_t)size } : a;

		if (mp__buf_append(out, &ai, sizeof(ai)) == -1 ||
		    mp__buf_append(out, redo.data + i * size, ai.len) == -1)
			return -1;
	}
	return run_each(pool, m, k + 1, out);
}

/* The body of every worker: take a job, run it, answer; until a stop.
 * 0 after a stop, 1 if it could not go on (the parent gone, no memory). */
static int worker_main(void *arg)
{
	struct worker *me = arg;
	mp_pool *pool = me->pool;
	struct mp__buf in = { 0 }, out = { 0 };
	int code = 1;

	/* A worker has nothing to tidy up: when its parent dies, even
	 * killed outright, it dies too, whatever its tasks do with SIGTERM
	 * (the death signal every daemon child gets first, process.c). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The other workers' pipes and pidfds are the parent's business. */
	for (int i = 0; i < pool->n; i++) {
		mp__close(&pool->workers[i].rfd);
		mp__close(&pool->workers[i].pidfd);
	}
	if (mp__buf_reserve(&in, 65536) == -1)
		goto out;
	if (pool->init != NULL)
		pool->init(pool->initarg);

	for (;;) {
		ssize_t n = mp__queue_get_claim(pool->tasks, in.data, in.cap, MP_FOREVER,
						&pool->claims[me->index]);
		if (n == -1 && errno == EMSGSIZE) {
			if (mp__buf_reserve(&in, 2 * in.cap) == -1)
				break;
			continue;
		}
		if (n < (ssize_t)sizeof(struct job_msg))
			break;
		const struct job_msg *m = (const struct job_msg *)in.data;
		if (m->job == 0) {
			code = 0;	/* the pool is joining: stop */
			break;
		}

		struct frame_head h = { m->job, 0, 0 };
		int packed;

		out.len = 0;
		if (mp__buf_append(&out, &h, sizeof(h)) == -1 || (packed = run_job(pool, m, &out)) == -1)
			break;
		h.frame_len = out.len;
		h.packed = (uint64_t)packed;
		memcpy(out.data, &h, sizeof(h));
		if (mp__write_all(me->wfd, out.data, out.len, -1, 0) == -1)
			break;	/* the parent is gone */
	}
out:
	mp__buf_free(&in);
	mp__buf_free(&out);
	return code;
}

int mp__pool_start_worker(mp_pool *pool, int i)
{
	struct worker *w = &pool->workers[i];
	int fds[2];

	if (mp__own_pipe(fds, O_CLOEXEC) == -1)	/* task_end records what it carries */
		return -1;
	w->pool = pool;
	w->index = i;
	w->rfd = fds[0];
	w->wfd = fds[1];
	w->pidfd = -1;
	w->in.len = 0;
	pool->claims[i] = 0;
	mp_process_init(&w->proc, worker_main, w, NULL);
	/* Python's name, numbered like any other process this one made. */
	snprintf(w->proc.name, sizeof(w->proc.name), "ForkPoolWorker-%s", w->proc.mp__identity);
	w->proc.daemon = true;	/* a pool's workers never outlive their program */
	if (mp_process_start(&w->proc) == -1) {
		int err = errno;
		mp__close(&w->rfd);
		mp__close(&w->wfd);
		errno = err;
		return -1;
	}
	mp__close(&w->wfd);
	mp__nonblock(w->rfd);
	w->pidfd = mp__pidfd_open(w->proc.pid);
	w->running = true;
	mp__tp(pool_op, mp__pid(), pool->id, "worker", w->proc.pid);
	return 0;
}

void mp__pool_worker_gone(struct worker *w)
{
	mp__close(&w->rfd);
	mp__close(&w->pidfd);
	w->running = false;
}
