/*
 * pool.c - Pool: workers forked once, taking tasks from a shared queue.
 *
 * The shape is Python's: the parent puts tasks on one queue, every idle
 * worker takes the next, and results come back on a pipe per worker.  What
 * Python's pool lacks is an account of who runs what, so a dead worker's
 * task is waited for forever (CPython gh-66587).  Here a worker takes a task
 * with mp__queue_get_claim(), which writes the task's job number into the
 * worker's slot in shared memory before the task leaves the queue, under
 * the queue's lock: whenever a worker dies, its slot says which job it had.
 * The parent sees the death on the worker's pidfd, takes in whatever the
 * worker sent before dying, fails the job it had claimed if no result came,
 * and starts a new worker in its place.
 *
 * A job is one message on the queue: a function, a first task number and
 * one or more arguments (map sends `chunksize` at a time).  A worker answers
 * a job with one frame on its pipe: the job number, then each task's error
 * and result.
 *
 * There is no thread in the parent.  The workers take tasks by themselves,
 * so work goes on while the parent does anything else; the parent reads
 * results and notices deaths inside the pool's own calls (pump() below),
 * waiting in one poll() on every worker's pipe and pidfd.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- what goes to the workers and back -------------------------------- */

struct job_msg {		/* one message on the task queue */
	uint64_t job;		/* first: what the worker's claim slot gets; 0 = stop */
	mp_task_fn fn;
	uint64_t first_task;
	uint32_t count;		/* tasks in this job */
	uint32_t arg_size;	/* each task's argument, bytes */
	unsigned char args[];	/* count x arg_size */
};

struct frame_head {		/* a worker's answer to one job, on its pipe */
	uint64_t job;
	uint64_t frame_len;	/* the whole frame, this head included */
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
	unsigned char *buf;	/* bytes read from rfd, not yet whole frames */
	size_t len, cap;
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
	unsigned char *msg;	/* the next message to the queue */
	size_t msg_cap;
	unsigned submits;
	int start_error;	/* why a worker could not be started */
	mp_async_result *results;
};

/* ---- in the worker ---------------------------------------------------- */

static char task_message[256];	/* set by mp_task_error() */

ssize_t mp_task_error(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(task_message, sizeof(task_message), fmt, ap);
	va_end(ap);
	errno = errnum;
	return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = MP__NOINTR(write(fd, p, len));

		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Grows *buf to hold at least `need` bytes. */
static int reserve(unsigned char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t size = *cap ? *cap : 4096;
	while (size < need)
		size *= 2;
	unsigned char *bigger = realloc(*buf, size);
	if (bigger == NULL)
		return -1;
	*buf = bigger;
	*cap = size;
	return 0;
}

/* Runs one job's tasks and appends their answers to the frame in *out. */
static int run_job(mp_pool *pool, const struct job_msg *m, unsigned char *result,
		   unsigned char **out, size_t *out_len, size_t *out_cap)
{
	for (uint32_t k = 0; k < m->count; k++) {
		uint64_t task = m->first_task + k;
		struct task_answer a = { 0, 0 };
		const void *bytes = result;
		ssize_t r;

		task_message[0] = '\0';
		mp__tp(task_start, getpid(), pool->id, task);
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
		mp__tp(task_end, getpid(), pool->id, task, a.error, a.error ? 0 : a.len);
		if (reserve(out, out_cap, *out_len + sizeof(a) + a.len) == -1)
			return -1;
		memcpy(*out + *out_len, &a, sizeof(a));
		memcpy(*out + *out_len + sizeof(a), bytes, a.len);
		*out_len += sizeof(a) + a.len;
	}
	return 0;
}

/* The body of every worker: take a job, run it, answer; until a stop. */
static int worker_main(void *arg)
{
	struct worker *me = arg;
	mp_pool *pool = me->pool;
	unsigned char *in = NULL, *out = NULL, *result = malloc(MP_TASK_RESULT_MAX);
	size_t in_cap = 0, out_cap = 0;

	/* The other workers' pipes and pidfds are the parent's business. */
	for (int i = 0; i < pool->n; i++) {
		if (pool->workers[i].rfd >= 0)
			close(pool->workers[i].rfd);
		if (pool->workers[i].pidfd >= 0)
			close(pool->workers[i].pidfd);
	}
	if (result == NULL || reserve(&in, &in_cap, 65536) == -1)
		return 1;
	if (pool->init != NULL)
		pool->init(pool->initarg);

	for (;;) {
		ssize_t n = mp__queue_get_claim(pool->tasks, in, in_cap, MP_FOREVER,
						&pool->claims[me->index]);
		if (n == -1 && errno == EMSGSIZE) {
			if (reserve(&in, &in_cap, 2 * in_cap) == -1)
				return 1;
			continue;
		}
		if (n < (ssize_t)sizeof(struct job_msg))
			return 1;
		const struct job_msg *m = (const struct job_msg *)in;
		if (m->job == 0)
			return 0;	/* the pool is joining: stop */

		size_t out_len = sizeof(struct frame_head);
		if (reserve(&out, &out_cap, out_len) == -1 ||
		    run_job(pool, m, result, &out, &out_len, &out_cap) == -1)
			return 1;
		struct frame_head h = { m->job, out_len };
		memcpy(out, &h, sizeof(h));
		if (write_all(me->wfd, out, out_len) == -1)
			return 1;	/* the parent is gone */
	}
}

/* ---- starting and losing workers -------------------------------------- */

static int start_worker(mp_pool *pool, int i)
{
	struct worker *w = &pool->workers[i];
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	w->pool = pool;
	w->index = i;
	w->rfd = fds[0];
	w->wfd = fds[1];
	w->pidfd = -1;
	w->len = 0;
	pool->claims[i] = 0;
	mp_process_init(&w->proc, worker_main, w, NULL);
	/* Python's name, numbered like any other process this one made. */
	snprintf(w->proc.name, sizeof(w->proc.name), "ForkPoolWorker-%s", w->proc.mp__identity);
	w->proc.daemon = true;	/* a pool's workers never outlive their program */
	if (mp_process_start(&w->proc) == -1) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		w->rfd = -1;
		errno = err;
		return -1;
	}
	close(fds[1]);
	w->wfd = -1;
	fcntl(w->rfd, F_SETFL, O_NONBLOCK);
	w->pidfd = (int)syscall(SYS_pidfd_open, w->proc.pid, 0);
	w->running = true;
	mp__tp(pool_op, getpid(), pool->id, "worker", w->proc.pid);
	return 0;
}

static void finish(mp_pool *pool, struct job *j)
{
	j->done = true;
	pool->undone--;
	if (j->map != NULL)
		j->map->jobs_left--;
}

/* Fails every task of job j with err and a message. */
static void fail_job(mp_pool *pool, struct job *j, int err, const char *message)
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
		if (j->first_index < j->map->first_error) {
			j->map->first_error = j->first_index;
			j->map->error = err;
		}
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
		memset(slot + a->len, 0, m->result_size - a->len);
	} else {
		memset(slot, 0, m->result_size);
		if (i < m->first_error) {
			m->first_error = i;
			m->error = err;
		}
	}
}

/* Takes in the whole frames in w's buffer. */
static void parse(mp_pool *pool, struct worker *w)
{
	size_t at = 0;

	while (w->len - at >= sizeof(struct frame_head)) {
		struct frame_head h;

		memcpy(&h, w->buf + at, sizeof(h));
		if (w->len - at < h.frame_len)
			break;
		if (h.job >= 1 && h.job <= pool->n_jobs && !pool->jobs[h.job - 1].done) {
			struct job *j = &pool->jobs[h.job - 1];
			size_t off = at + sizeof(h);

			for (uint32_t k = 0; k < j->count && off < at + h.frame_len; k++) {
				struct task_answer a;

				memcpy(&a, w->buf + off, sizeof(a));
				deliver(j, k, &a, w->buf + off + sizeof(a));
				off += sizeof(a) + a.len;
			}
			finish(pool, j);
		}
		at += h.frame_len;
	}
	memmove(w->buf, w->buf + at, w->len - at);
	w->len -= at;
}

/* Reads what w has sent (until its pipe would block, or its end). */
static void read_worker(mp_pool *pool, struct worker *w)
{
	while (w->rfd >= 0) {
		if (reserve(&w->buf, &w->cap, w->len + 65536) == -1)
			return;
		ssize_t n = MP__NOINTR(read(w->rfd, w->buf + w->len, w->cap - w->len));

		if (n <= 0) {
			if (n == 0) {	/* the worker is gone */
				close(w->rfd);
				w->rfd = -1;
			}
			break;
		}
		w->len += (size_t)n;
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
	if (w->rfd >= 0)
		close(w->rfd);
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->rfd = w->pidfd = -1;
	w->running = false;
	mp_process_join(&w->proc);
	if (pool->state == STOPPING)
		return;		/* it took its stop: a normal end */

	describe_end(how, sizeof(how), mp_process_exitcode(&w->proc));
	mp__tp(pool_op, getpid(), pool->id, "worker_died", pid);
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
		fail_job(pool, j, EOWNERDEAD, text);
	}
	if (start_worker(pool, i) == -1)
		pool->start_error = errno;
}

static int running_workers(const mp_pool *pool)
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

	if (pool->undone == 0 || running_workers(pool) > 0)
		return;
	snprintf(text, sizeof(text), "no worker could be started: %s", strerror(pool->start_error));
	for (size_t j = 0; j < pool->n_jobs; j++)
		fail_job(pool, &pool->jobs[j], pool->start_error ? pool->start_error : ECHILD, text);
}

/*
 * Waits (at most timeout_ns; -1 no limit, 0 just a look) for anything from
 * the workers, and takes in all that has come: results and deaths.
 */
static int turn(mp_pool *pool, int64_t timeout_ns)
{
	struct pollfd fds[2 * pool->n];
	int who[2 * pool->n], nfds = 0;

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
		}
	}
	if (nfds == 0)
		return 0;
	struct timespec ts = { timeout_ns / 1000000000, timeout_ns % 1000000000 };
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
	fail_orphaned_jobs(pool);
	return 0;
}

/* Turns until done(pool, ctx) or the deadline (mp__deadline()'s clock:
 * -1 none, 0 now): 0, or -1 and errno ETIMEDOUT. */
static int pump(mp_pool *pool, int64_t deadline, bool (*done)(mp_pool *, void *), void *ctx)
{
	int64_t wait = 0;

	for (;;) {
		if (turn(pool, wait) == -1)
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

static bool never(mp_pool *pool, void *ctx)
{
	return false;
}

/* ---- the public face ---------------------------------------------------- */

/* Checks a pool may be used by this process; `submit`: and take tasks. */
static int check_pool(mp_pool *pool, bool submit)
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
	mp__tp(pool_op, getpid(), pool->id, "create", processes);
	for (int i = 0; i < processes; i++)
		if (start_worker(pool, i) == -1)
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
	return mp_pool_new_init(processes, NULL, NULL);
}

/* A new job of `count` tasks; its number, or 0 and errno. */
static uint64_t new_job(mp_pool *pool, uint32_t count)
{
	if (pool->n_jobs == pool->cap_jobs) {
		size_t cap = pool->cap_jobs ? 2 * pool->cap_jobs : 64;
		struct job *bigger = realloc(pool->jobs, cap * sizeof(*bigger));

		if (bigger == NULL)
			return 0;
		pool->jobs = bigger;
		pool->cap_jobs = cap;
	}
	struct job *j = &pool->jobs[pool->n_jobs++];
	*j = (struct job){ .first_task = pool->next_task, .count = count };
	pool->next_task += count;
	pool->undone++;
	return pool->n_jobs;
}

/* Puts job `job` on the queue: count arguments of arg_size bytes. */
static int send_job(mp_pool *pool, uint64_t job, mp_task_fn fn, const void *args,
		    uint32_t count, size_t arg_size)
{
	struct job *j = &pool->jobs[job - 1];
	size_t len = sizeof(struct job_msg) + count * arg_size;

	if (reserve(&pool->msg, &pool->msg_cap, len) == -1)
		return -1;
	struct job_msg *m = (struct job_msg *)pool->msg;
	*m = (struct job_msg){ job, fn, j->first_task, count, (uint32_t)arg_size };
	if (count * arg_size > 0)
		memcpy(m->args, args, count * arg_size);
	for (uint32_t k = 0; k < count; k++)
		mp__tp(task_submit, getpid(), pool->id, j->first_task + k);

	/* The ring (16 MiB) full of tasks: let the workers answer, and retry. */
	while (mp_queue_put_timeout(pool->tasks, m, len, 0) == -1) {
		if (errno != EAGAIN)
			return -1;
		if (pump(pool, mp__now_ns() + 10000000, never, NULL) == -1 && errno != ETIMEDOUT)
			return -1;
	}
	/* Now and then take results in, so no worker waits on a full pipe. */
	if (++pool->submits % 64 == 0)
		turn(pool, 0);
	return 0;
}

mp_async_result *mp_pool_apply_async(mp_pool *pool, mp_task_fn fn, const void *arg, size_t len)
{
	mp_async_result *r;
	uint64_t job;

	if (check_pool(pool, true) == -1)
		return NULL;
	if (fn == NULL || (arg == NULL && len > 0)) {
		errno = EINVAL;
		return NULL;
	}
	if (len > MAX_ARG) {
		errno = EMSGSIZE;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((job = new_job(pool, 1)) == 0) {
		free(r);
		return NULL;
	}
	r->pool = pool;
	r->task = pool->jobs[job - 1].first_task;
	pool->jobs[job - 1].r = r;
	r->next = pool->results;
	pool->results = r;
	if (send_job(pool, job, fn, arg, 1, len) == -1) {
		int err = errno;
		fail_job(pool, &pool->jobs[job - 1], err, "the task could not be queued");
		errno = err;
		return NULL;
	}
	return r;
}

static bool result_done(mp_pool *pool, void *r)
{
	return ((mp_async_result *)r)->done;
}

static int check_result(mp_async_result *r)
{
	if (r == NULL) {
		errno = EINVAL;
		return -1;
	}
	return check_pool(r->pool, false);
}

int mp_async_wait(mp_async_result *r, double seconds)
{
	int64_t deadline = mp__deadline(seconds);

	if (deadline == -2 || check_result(r) == -1)
		return -1;
	if (r->done)
		return 0;
	return pump(r->pool, deadline, result_done, r);
}

bool mp_async_ready(mp_async_result *r)
{
	return mp_async_wait(r, 0) == 0;
}

bool mp_async_successful(mp_async_result *r)
{
	if (!mp_async_ready(r)) {
		errno = EINVAL;		/* Python: "not ready" */
		return false;
	}
	return r->error == 0;
}

ssize_t mp_async_get(mp_async_result *r, void *buf, size_t size, double seconds)
{
	if (buf == NULL && size > 0) {
		errno = EINVAL;
		return -1;
	}
	if (mp_async_wait(r, seconds) == -1)
		return -1;
	if (r->error) {
		errno = r->error;
		return -1;
	}
	if (r->len > size) {
		errno = EMSGSIZE;
		return -1;
	}
	if (r->len > 0)
		memcpy(buf, r->data, r->len);
	return (ssize_t)r->len;
}

ssize_t mp_async_get_str(mp_async_result *r, char *buf, size_t size, double seconds)
{
	ssize_t n;

	if (buf == NULL || size == 0) {
		errno = EINVAL;
		return -1;
	}
	n = mp_async_get(r, buf, size - 1, seconds);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

const char *mp_async_error(mp_async_result *r)
{
	return r != NULL && r->done && r->error ? r->message : NULL;
}

long mp_async_task_id(mp_async_result *r)
{
	if (r == NULL) {
		errno = EINVAL;
		return -1;
	}
	return (long)r->task;
}

ssize_t mp_pool_apply(mp_pool *pool, mp_task_fn fn, const void *arg, size_t len,
		      void *result, size_t size)
{
	mp_async_result *r = mp_pool_apply_async(pool, fn, arg, len);

	return r == NULL ? -1 : mp_async_get(r, result, size, MP_FOREVER);
}

static bool map_done(mp_pool *pool, void *m)
{
	return ((struct map_call *)m)->jobs_left == 0;
}

int mp_pool_map(mp_pool *pool, mp_task_fn fn, const void *args, size_t arg_size, size_t count,
		void *results, size_t result_size, size_t chunksize)
{
	struct map_call m = { results, result_size, 0, SIZE_MAX, 0 };
	const unsigned char *arg = args;
	size_t first_job = pool ? pool->n_jobs + 1 : 0;

	if (check_pool(pool, true) == -1)
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
	if (chunksize == 0) {	/* Python's: divmod(len, 4 * workers), rounded up */
		size_t per = 4 * (size_t)pool->n;
		chunksize = count / per + (count % per != 0);
	}
	if (chunksize == 0)
		chunksize = 1;
	if (arg_size > 0 && chunksize > MAX_ARG / arg_size)
		chunksize = MAX_ARG / arg_size;	/* one message per chunk */
	if (chunksize > UINT32_MAX)
		chunksize = UINT32_MAX;

	for (size_t i = 0; i < count; i += chunksize) {
		uint32_t n = (uint32_t)(count - i < chunksize ? count - i : chunksize);
		uint64_t job = new_job(pool, n);

		if (job == 0)
			goto gave_up;
		pool->jobs[job - 1].map = &m;
		pool->jobs[job - 1].first_index = i;
		m.jobs_left++;
		if (send_job(pool, job, fn, arg + i * arg_size, n, arg_size) == -1)
			goto gave_up;
	}
	if (pump(pool, -1, map_done, &m) == -1)
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
	if (check_pool(pool, false) == -1)
		return -1;
	if (pool->state == RUN) {
		pool->state = CLOSE;
		mp__tp(pool_op, getpid(), pool->id, "close", 0);
	}
	return 0;
}

static bool all_done(mp_pool *pool, void *ctx)
{
	return pool->undone == 0;
}

static bool all_stopped(mp_pool *pool, void *ctx)
{
	return running_workers(pool) == 0;
}

int mp_pool_join(mp_pool *pool)
{
	if (check_pool(pool, false) == -1)
		return -1;
	if (pool->state == RUN) {
		errno = EINVAL;		/* Python: close() or terminate() first */
		return -1;
	}
	if (pool->state != CLOSE)
		return 0;	/* terminated, or joined already */
	mp__tp(pool_op, getpid(), pool->id, "join", pool->undone);
	if (pump(pool, -1, all_done, NULL) == -1)
		return -1;

	/* One stop per worker: each takes one and exits. */
	struct job_msg stop = { 0 };
	int n = running_workers(pool);
	pool->state = STOPPING;
	for (int i = 0; i < n; i++)
		if (mp_queue_put(pool->tasks, &stop, sizeof(stop)) == -1)
			return -1;
	if (pump(pool, -1, all_stopped, NULL) == -1)
		return -1;
	pool->state = DONE;
	mp__tp(pool_op, getpid(), pool->id, "joined", 0);
	return 0;
}

int mp_pool_terminate(mp_pool *pool)
{
	int64_t deadline = mp__now_ns() + 200000000;	/* SIGTERM's grace: 200 ms */

	if (check_pool(pool, false) == -1)
		return -1;
	if (pool->state == DONE || pool->state == TERMINATED)
		return 0;
	mp__tp(pool_op, getpid(), pool->id, "terminate", 0);
	turn(pool, 0);		/* results already sent still count */
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
		if (w->rfd >= 0)
			close(w->rfd);
		if (w->pidfd >= 0)
			close(w->pidfd);
		w->rfd = w->pidfd = -1;
		w->running = false;
	}
	for (size_t j = 0; j < pool->n_jobs; j++) {
		struct job *job = &pool->jobs[j];
		char text[96];

		if (job->done)
			continue;
		snprintf(text, sizeof(text), "task %llu cancelled: the pool was terminated",
			 (unsigned long long)job->first_task);
		fail_job(pool, job, ECANCELED, text);
	}
	return 0;
}

void mp_pool_free(mp_pool *pool)
{
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
	if (pool->workers != NULL)
		for (int i = 0; i < pool->n; i++) {
			struct worker *w = &pool->workers[i];
			if (w->rfd >= 0)
				close(w->rfd);
			if (w->pidfd >= 0)
				close(w->pidfd);
			free(w->buf);
		}
	if (pool->tasks != NULL)
		mp_queue_close(pool->tasks);
	if (pool->claims != NULL)
		munmap(pool->claims, (size_t)pool->n * sizeof(uint64_t));
	free(pool->workers);
	free(pool->jobs);
	free(pool->msg);
	free(pool);
}
