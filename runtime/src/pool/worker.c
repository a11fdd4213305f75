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

/* Runs one job's tasks and appends their answers to the frame in out. */
static int run_job(mp_pool *pool, const struct job_msg *m, unsigned char *result,
		   struct mp__buf *out)
{
	for (uint32_t k = 0; k < m->count; k++) {
		uint64_t task = m->first_task + k;
		struct task_answer a = { 0, 0 };
		const void *bytes = result;
		ssize_t r;

		task_message[0] = '\0';
		mp__tp(task_start, mp__pid(), pool->id, task);
		errno = 0;
		r = m->fn(m->args + (size_t)k * m->arg_size, m->arg_size, result, MP_TASK_RESULT_MAX);
		if (r < 0 || (size_t)r > MP_TASK_RESULT_MAX) {
			a.error = r < 0 ? (errno ? errno : EIO) : EMSGSIZE;
			if (task_message[0] == '\0')
				snprintf(task_message, sizeof(task_message), "%s", strerror(a.error));
			bytes = task_message;
			a.len = (uint32_t)strlen(task_message);
		} else {
			a.len = (uint32_t)r;
		}
		mp__tp(task_end, mp__pid(), pool->id, task, a.error, a.error ? 0 : a.len);
		if (mp__buf_append(out, &a, sizeof(a)) == -1 || mp__buf_append(out, bytes, a.len) == -1)
			return -1;
	}
	return 0;
}

/* The body of every worker: take a job, run it, answer; until a stop.
 * 0 after a stop, 1 if it could not go on (the parent gone, no memory). */
static int worker_main(void *arg)
{
	struct worker *me = arg;
	mp_pool *pool = me->pool;
	struct mp__buf in = { 0 }, out = { 0 };
	unsigned char *result = malloc(MP_TASK_RESULT_MAX);
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
	if (result == NULL || mp__buf_reserve(&in, 65536) == -1)
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

		struct frame_head h = { m->job, 0 };
		out.len = 0;
		if (mp__buf_append(&out, &h, sizeof(h)) == -1 || run_job(pool, m, result, &out) == -1)
			break;
		h.frame_len = out.len;
		memcpy(out.data, &h, sizeof(h));
		if (mp__write_all(me->wfd, out.data, out.len, -1, 0) == -1)
			break;	/* the parent is gone */
	}
out:
	free(result);
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
