/*
 * loop.c - the parent's side of a pool: results and deaths of workers.
 *
 * There is no thread in the parent.  The workers take jobs by themselves,
 * so work goes on while the parent does anything else; the parent reads
 * results and notices deaths inside the pool's own calls (mp__pool_pump()),
 * waiting in one poll() on every worker's pipe and pidfd.  A worker's
 * pidfd turns readable when it dies: the parent takes in whatever it sent
 * before dying, fails the job it had claimed if no answer came, and starts
 * a new worker in its place.
 *
 * Without pidfds (a kernel before 5.3, a seccomp filter, valgrind) a death
 * cannot wake the poll(): the parent then naps at most BLIND_NAP_NS in it
 * and asks each worker with no pidfd whether it has ended (waitid's
 * WNOWAIT, which collects nothing).  Results still wake it at once.
 */
#define _GNU_SOURCE
#include "pool/pool.h"
#include "process/process.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLIND_NAP_NS 10000000	/* 10 ms: a death's latency without pidfds */

static void finish(mp_pool *pool, struct job *j)
{
	j->done = true;
	pool->undone--;
	if (j->map != NULL)
		j->map->jobs_left--;
}

/* Records that task i of a map failed with err; the first (in argument
 * order) is the map's error. */
static void map_failed(struct map_call *m, size_t i, int err)
{
	if (i < m->first_error) {
		m->first_error = i;
		m->error = err;
	}
}

void mp__pool_fail_job(mp_pool *pool, struct job *j, int err, const char *message)
{
	if (j->done)
		return;
	if (j->r != NULL) {
		j->r->error = err;
		j->r->message = strdup(message);
		j->r->done = true;
	} else if (j->map != NULL) {
		memset(j->map->results + j->first_index * j->map->result_size, 0,
		       j->count * j->map->result_size);
		map_failed(j->map, j->first_index, err);
	}
	finish(pool, j);
}

/* Delivers one task's answer to whoever waits for it. */
static void deliver(struct job *j, uint32_t k, const struct task_answer *a, const unsigned char *bytes)
{
	if (j->r != NULL) {
		mp_async_result *r = j->r;

		r->error = a->error;
		if (a->error) {
			char text[512];
			snprintf(text, sizeof(text), "task %llu failed: %.*s",
				 (unsigned long long)r->task, (int)a->len, bytes);
			r->message = strdup(text);
		} else if (a->len > 0 && (r->data = malloc(a->len)) != NULL) {
			memcpy(r->data, bytes, a->len);
			r->len = a->len;
		} else if (a->len > 0) {
			r->error = ENOMEM;
		}
		r->done = true;
		return;
	}
	if (j->map == NULL)
		return;		/* a map that gave up: nobody waits */
	struct map_call *m = j->map;
	size_t i = j->first_index + k;
	unsigned char *slot = m->results + i * m->result_size;
	int err = a->error ? a->error : a->len > m->result_size ? EMSGSIZE : 0;

	if (err == 0) {
		memcpy(slot, bytes, a->len);
		if (a->len < m->result_size)
			memset(slot + a->len, 0, m->result_size - a->len);
	} else {
		memset(slot, 0, m->result_size);
		map_failed(m, i, err);
	}
}

/* Delivers a packed answer: every task's result, result_size bytes each,
 * straight into the map's array. */
static void deliver_packed(struct job *j, const unsigned char *bytes, size_t len)
{
	struct map_call *m = j->map;

	if (m == NULL)
		return;		/* a map that gave up: nobody waits */
	if (len == j->count * m->result_size)
		memcpy(m->results + j->first_index * m->result_size, bytes, len);
	else
		map_failed(m, j->first_index, EPROTO);
}

/* Takes in the whole frames in w's buffer. */
static void parse(mp_pool *pool, struct worker *w)
{
	const unsigned char *in = w->in.data;
	size_t at = 0;

	while (w->in.len - at >= sizeof(struct frame_head)) {
		struct frame_head h;

		memcpy(&h, in + at, sizeof(h));
		if (w->in.len - at < h.frame_len)
			break;
		if (h.job >= 1 && h.job <= pool->n_jobs && !pool->jobs[h.job - 1].done) {
			struct job *j = &pool->jobs[h.job - 1];
			size_t off = at + sizeof(h);

			if (h.packed)
				deliver_packed(j, in + off, h.frame_len - sizeof(h));
			for (uint32_t k = 0; !h.packed && k < j->count && off < at + h.frame_len; k++) {
				struct task_answer a;

				memcpy(&a, in + off, sizeof(a));
				deliver(j, k, &a, in + off + sizeof(a));
				off += sizeof(a) + a.len;
			}
			finish(pool, j);
		}
		at += h.frame_len;
	}
	mp__buf_consume(&w->in, at);
}

/* Reads what w has sent (until its pipe would block, or its end). */
static void read_worker(mp_pool *pool, struct worker *w)
{
	while (w->rfd >= 0) {
		if (mp__buf_reserve(&w->in, 65536) == -1)
			return;
		ssize_t n = MP__NOINTR(read(w->rfd, w->in.data + w->in.len, w->in.cap - w->in.len));

		if (n <= 0) {
			if (n == 0)	/* the worker is gone */
				mp__close(&w->rfd);
			break;
		}
		w->in.len += (size_t)n;
		parse(pool, w);
	}
}

static void describe_end(char *buf, size_t size, int code)
{
	if (code < 0)
		snprintf(buf, size, "was killed by SIG%s", sigabbrev_np(-code) ? sigabbrev_np(-code) : "?");
	else
		snprintf(buf, size, "exited with code %d", code);	/* not by itself */
}

/* Worker i has ended (its pidfd said so): collect it, settle its job,
 * and start another in its place while the pool has work to do. */
static void worker_ended(mp_pool *pool, int i)
{
	struct worker *w = &pool->workers[i];
	uint64_t claimed = pool->claims[i];
	pid_t pid = w->proc.pid;
	char how[64];

	read_worker(pool, w);	/* the results it sent before it went */
	mp__pool_worker_gone(w);
	mp_process_join(&w->proc);
	if (pool->state == STOPPING)
		return;		/* it took its stop: a normal end */

	describe_end(how, sizeof(how), mp_process_exitcode(&w->proc));
	mp__tp(pool_op, mp__pid(), pool->id, "worker_died", pid);
	if (claimed >= 1 && claimed <= pool->n_jobs && !pool->jobs[claimed - 1].done) {
		struct job *j = &pool->jobs[claimed - 1];
		char text[256];

		if (j->count == 1)
			snprintf(text, sizeof(text), "worker %s (pid %d) %s while running task %llu",
				 w->proc.name, pid, how, (unsigned long long)j->first_task);
		else
			snprintf(text, sizeof(text), "worker %s (pid %d) %s while running tasks %llu-%llu",
				 w->proc.name, pid, how, (unsigned long long)j->first_task,
				 (unsigned long long)(j->first_task + j->count - 1));
		mp_log(MP_WARNING, "%s", text);
		mp__pool_fail_job(pool, j, EOWNERDEAD, text);
	}
	if (mp__pool_start_worker(pool, i) == -1)
		pool->start_error = errno;
}

int mp__pool_running(const mp_pool *pool)
{
	int n = 0;

	for (int i = 0; i < pool->n; i++)
		n += pool->workers[i].running;
	return n;
}

/* When no worker runs and none can be started, nothing will ever finish
 * the jobs left: fail them rather than wait forever. */
static void fail_orphaned_jobs(mp_pool *pool)
{
	char text[128];

	if (pool->undone == 0 || mp__pool_running(pool) > 0)
		return;
	snprintf(text, sizeof(text), "no worker could be started: %s", strerror(pool->start_error));
	for (size_t j = 0; j < pool->n_jobs; j++)
		mp__pool_fail_job(pool, &pool->jobs[j], pool->start_error ? pool->start_error : ECHILD,
				  text);
}

int mp__pool_turn(mp_pool *pool, int64_t timeout_ns)
{
	struct pollfd fds[2 * pool->n];
	int who[2 * pool->n], nfds = 0;
	bool blind = false;	/* a running worker without a pidfd */

	for (int i = 0; i < pool->n; i++) {
		struct worker *w = &pool->workers[i];

		if (!w->running)
			continue;
		if (w->rfd >= 0) {
			fds[nfds] = (struct pollfd){ .fd = w->rfd, .events = POLLIN };
			who[nfds++] = i;
		}
		if (w->pidfd >= 0) {
			fds[nfds] = (struct pollfd){ .fd = w->pidfd, .events = POLLIN };
			who[nfds++] = -1 - i;
		} else {
			blind = true;
		}
	}
	if (nfds == 0 && !blind)
		return 0;
	if (blind && (timeout_ns < 0 || timeout_ns > BLIND_NAP_NS))
		timeout_ns = BLIND_NAP_NS;
	struct timespec ts = mp__timespec(timeout_ns);
	int ready = ppoll(fds, (nfds_t)nfds, timeout_ns < 0 ? NULL : &ts, NULL);
	if (ready == -1)
		return errno == EINTR ? 0 : -1;

	/* Results first, deaths after: a dead worker's last answer counts. */
	for (int k = 0; k < nfds; k++)
		if (who[k] >= 0 && fds[k].revents)
			read_worker(pool, &pool->workers[who[k]]);
	for (int k = 0; k < nfds; k++)
		if (who[k] < 0 && fds[k].revents)
			worker_ended(pool, -1 - who[k]);
	for (int i = 0; blind && i < pool->n; i++) {
		struct worker *w = &pool->workers[i];

		if (w->running && w->pidfd < 0 && mp__child_ended(w->proc.pid))
			worker_ended(pool, i);
	}
	fail_orphaned_jobs(pool);
	return 0;
}

int mp__pool_pump(mp_pool *pool, int64_t deadline, bool (*done)(mp_pool *, void *), void *ctx)
{
	int64_t wait = 0;

	for (;;) {
		if (mp__pool_turn(pool, wait) == -1)
			return -1;
		if (done(pool, ctx))
			return 0;
		int64_t now = mp__now_ns();
		if (deadline >= 0 && now >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		wait = deadline < 0 ? -1 : deadline - now;
	}
}
