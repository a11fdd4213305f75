/*
 * bench.c - mp-bench: what the runtime costs, next to the bare system calls.
 *
 * usage: mp-bench [--benchmark queue|pipe|process|manager|lock|all] [--impl raw|runtime|all]
 *                 [--cpus 1|2|all] [--seconds S] [--reps N] [--help]
 *
 * Three measurements, each made twice: once with the system calls alone
 * ("raw": what a program does with no library, the floor for a pipe or a
 * fork) and once through the runtime (mp.h), so you can see what the
 * runtime adds on top:
 *
 *   queue    one producer process sends 8-byte messages to one consumer.
 *            raw:     a pipe(2); the producer write()s 8 bytes per message,
 *                     the consumer read()s up to 64 KiB at a time.
 *            runtime: mp_queue_put() / mp_queue_get() of 8-byte messages.
 *                     Adds: a 16-byte header per message, a robust mutex
 *                     around each copy, a trace event each.  Saves: the
 *                     queue is a ring in shared memory, so a put or get
 *                     makes no system call unless one side must sleep (a
 *                     futex) - so it can beat the pipe.
 *            Reported in messages per second (more is better).
 *   pipe     ping-pong of an 8-byte message between two processes.
 *            raw:     two pipe(2)s, one each way; write() then read().
 *            runtime: mp_pipe(true) and mp_conn_send() / mp_conn_recv().
 *                     Adds: a 16-byte header (length, id) written with the
 *                     bytes in one writev(), a read-ahead buffer, a trace
 *                     event per message.
 *            Reported in microseconds per round trip (less is better).
 *   process  start a child that does nothing, wait until it has ended.
 *            raw:     fork(), _exit(0) in the child, waitpid() in the parent.
 *            runtime: mp_process_init() / _start() / _join() of a function
 *                     that returns 0.  Adds: flushing stdio, the table of
 *                     children (with a pidfd each), the child's bookkeeping
 *                     and trace events at fork, exit and reap.
 *            Reported in microseconds per child (less is better).
 *   manager  d["count"] -= 1 through a manager's dict proxy: a get, then a set.
 *            raw:     two 8-byte round trips over a Unix socketpair to a
 *                     child that echoes.
 *            runtime: mp_dict_proxy_get_int() + mp_dict_proxy_set_int().  Adds: the
 *                     frames (a 40-byte header, key, value), the server's
 *                     poll() loop and dict, trace events each way.
 *            Reported in microseconds per decrement (less is better).
 *   lock     acquire and release a lock nobody else wants.
 *            raw:     a process-shared pthread mutex, lock + unlock.
 *            runtime: mp_lock_acquire() + mp_lock_release(): a robust
 *                     mutex (trylock first), and two trace events.
 *            Reported in microseconds per pair (less is better).
 *
 * Placement: the parent runs on CPU 0; with --cpus 2 the child moves itself
 * to CPU 1, with --cpus 1 it stays on CPU 0 with its parent.  Across two
 * CPUs every hand-over wakes the other CPU, which costs tens of
 * microseconds on a virtual machine and hides the software's own cost; on
 * one CPU a hand-over is a plain context switch.
 *
 * Each measurement is sized by time: a short run finds how many operations
 * take about S seconds (1 by default), then that many run N times (3) and
 * the best run is kept.  One line per measurement goes to stdout:
 *
 *   benchmark <TAB> placement <TAB> impl <TAB> best <TAB> unit <TAB> all runs
 *
 * scripts/bench runs this program and tests/bench/bench.py (the same work
 * in Python's multiprocessing) and prints them side by side.
 *
 * A program linked with the runtime gets the runtime's own fork(),
 * waitpid() and _exit(): they record an LTTng event each, then call the
 * real thing (runtime/src/interpose/syscalls.c).  The raw variants here must not pay
 * for that, so they reach the C library's fork() through dlsym(RTLD_NEXT),
 * and make wait4() and exit_group() themselves.  Nothing else differs.
 */
#define _GNU_SOURCE
#include "mp.h"

#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- checking every call ------------------------------------------------ */

static pid_t child_pid;		/* the child running now, in the parent; 0 if none */
static bool in_child;

/* Says which call failed and why, then ends this process.  In the parent it
 * first kills and collects the child, so nothing is left running. */
static void fail(const char *call, int line)
{
	int err = errno;

	fprintf(stderr, "mp-bench: line %d: %s: %s\n", line, call, strerror(err));
	if (in_child)
		syscall(SYS_exit_group, 1);
	if (child_pid > 0) {
		kill(child_pid, SIGKILL);
		wait4(child_pid, NULL, 0, NULL);
	}
	exit(1);
}

/* CHECK(call): call must not return -1.  CHECK_PTR(call): nor NULL.
 * Both give back what the call returned. */
#define CHECK(call) ({                                               \
	__typeof__(call) r_ = (call);                                \
	if (r_ == -1)                                                \
		fail(#call, __LINE__);                               \
	r_; })
#define CHECK_PTR(call) ({                                           \
	__typeof__(call) r_ = (call);                                \
	if (r_ == NULL)                                              \
		fail(#call, __LINE__);                               \
	r_; })
/* EXPECT(cond): a fact the bench relies on, e.g. "8 bytes came". */
#define EXPECT(cond) do {                                            \
	if (!(cond)) {                                               \
		errno = EPROTO;                                      \
		fail("expected " #cond, __LINE__);                   \
	}                                                            \
} while (0)

/* ---- the bare calls, past the runtime's wrappers ------------------------ */

static pid_t raw_fork(void)
{
	static pid_t (*libc_fork)(void);

	if (libc_fork == NULL)
		libc_fork = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	if (libc_fork == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return libc_fork();
}

static void raw_exit(int code)
{
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

/* Collects the raw child `pid` and checks it exited with 0. */
static void raw_reap(pid_t pid)
{
	int status;

	CHECK(wait4(pid, &status, 0, NULL));
	child_pid = 0;
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Joins the runtime child p and checks it exited with 0. */
static void runtime_reap(mp_process *p)
{
	CHECK(mp_process_join(p));
	child_pid = 0;
	EXPECT(mp_process_exitcode(p) == 0);
}

/* ---- time and place ----------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &ts));
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set));
}

/* The first thing every child does.  The parent is on CPU 0 already. */
static void child_placement(int cpus)
{
	if (cpus == 2)
		pin_to_cpu(1);
}

/* Children that live a while (queue, pipe) die with their parent, even if
 * the parent is killed: a bench must leave nothing running. */
static void die_with_parent(pid_t parent)
{
	CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL));
	if (getppid() != parent)
		raw_exit(1);
}

/* What one run measured: `ops` operations in `seconds`. */
struct run {
	long ops;
	double seconds;
};

/* ---- queue: 8-byte messages, one producer, one consumer ----------------- */
/* Message i carries the number i, so the consumer checks the order too.
 * Message 0 only says "the producer runs": the clock starts when it has
 * come, so starting the child is not in the time. */

static struct run queue_raw(long n, int cpus)
{
	pid_t parent = getpid();
	int fd[2];

	CHECK(pipe(fd));
	child_pid = CHECK(raw_fork());
	if (child_pid == 0) {					/* producer */
		in_child = true;
		die_with_parent(parent);
		child_placement(cpus);
		CHECK(close(fd[0]));
		for (uint64_t i = 0; i <= (uint64_t)n; i++)
			EXPECT(CHECK(write(fd[1], &i, 8)) == 8);
		raw_exit(0);
	}
	CHECK(close(fd[1]));					/* consumer */

	/* One read() takes whatever has come, up to 64 KiB.  The first may
	 * bring more than message 0: those are not counted. */
	static uint64_t buf[8192];
	uint64_t next = 0, first_batch = 0;
	double start = 0;
	while (next <= (uint64_t)n) {
		ssize_t got = CHECK(read(fd[0], buf, sizeof(buf)));
		EXPECT(got > 0 && got % 8 == 0);		/* 0: the producer quit early */
		for (ssize_t k = 0; k < got / 8; k++)
			EXPECT(buf[k] == next++);
		if (start == 0) {
			start = now();
			first_batch = next;
		}
	}
	double seconds = now() - start;
	CHECK(close(fd[0]));
	raw_reap(child_pid);
	return (struct run){ n + 1 - (long)first_batch, seconds };
}

struct queue_job {
	mp_queue *q;
	long n;
	int cpus;
	pid_t parent;
};

static int queue_producer(void *arg)
{
	struct queue_job *job = arg;

	in_child = true;
	die_with_parent(job->parent);
	child_placement(job->cpus);
	for (uint64_t i = 0; i <= (uint64_t)job->n; i++)
		CHECK(mp_queue_put(job->q, &i, 8));
	return 0;
}

static struct run queue_runtime(long n, int cpus)
{
	struct queue_job job = { CHECK_PTR(mp_queue_new(0)), n, cpus, getpid() };
	mp_process producer;
	uint64_t msg;

	CHECK(mp_process_init(&producer, queue_producer, &job, "producer"));
	CHECK(mp_process_start(&producer));
	child_pid = producer.pid;

	EXPECT(CHECK(mp_queue_get(job.q, &msg, 8)) == 8 && msg == 0);
	double start = now();
	for (uint64_t i = 1; i <= (uint64_t)n; i++)
		EXPECT(CHECK(mp_queue_get(job.q, &msg, 8)) == 8 && msg == i);
	double seconds = now() - start;

	runtime_reap(&producer);
	CHECK(mp_queue_close(job.q));
	return (struct run){ n, seconds };
}

/* ---- pipe: 8-byte ping-pong ----------------------------------------------- */
/* The child sends back what it gets until end of file.  A few round trips
 * warm up first (the child moving to its CPU, caches), outside the time. */

enum { WARMUP = 100 };

static struct run pipe_raw(long n, int cpus)
{
	pid_t parent = getpid();
	int down[2], up[2];				/* parent -> child, child -> parent */
	uint64_t msg = 0;

	CHECK(pipe(down));
	CHECK(pipe(up));
	child_pid = CHECK(raw_fork());
	if (child_pid == 0) {				/* echo */
		in_child = true;
		die_with_parent(parent);
		child_placement(cpus);
		CHECK(close(down[1]));
		CHECK(close(up[0]));
		ssize_t got;
		while ((got = CHECK(read(down[0], &msg, 8))) == 8)
			EXPECT(CHECK(write(up[1], &msg, 8)) == 8);
		EXPECT(got == 0);			/* end of file: the parent is done */
		raw_exit(0);
	}
	CHECK(close(down[0]));
	CHECK(close(up[1]));

	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		EXPECT(CHECK(write(down[1], &i, 8)) == 8);
		EXPECT(CHECK(read(up[0], &msg, 8)) == 8 && msg == (uint64_t)i);
	}
	double seconds = now() - start;

	CHECK(close(down[1]));				/* the child's end of file */
	CHECK(close(up[0]));
	raw_reap(child_pid);
	return (struct run){ n, seconds };
}

struct pipe_job {
	mp_conn *mine, *theirs;			/* the parent's end, the child's */
	int cpus;
	pid_t parent;
};

static int pipe_echo(void *arg)
{
	struct pipe_job *job = arg;
	uint64_t msg;
	ssize_t got;

	in_child = true;
	die_with_parent(job->parent);
	child_placement(job->cpus);
	CHECK(mp_conn_close(job->mine));	/* or the end of file never comes */
	for (;;) {
		got = mp_conn_recv(job->theirs, &msg, 8);
		if (got == -1 && errno == EPIPE)
			break;			/* end of file: the parent is done */
		if (got == -1)
			fail("mp_conn_recv(job->theirs, &msg, 8)", __LINE__);
		EXPECT(got == 8);
		CHECK(mp_conn_send(job->theirs, &msg, 8));
	}
	CHECK(mp_conn_close(job->theirs));
	return 0;
}

static struct run pipe_runtime(long n, int cpus)
{
	struct pipe_job job = { .cpus = cpus, .parent = getpid() };
	mp_process echo;
	uint64_t msg = 0;

	CHECK(mp_pipe(true, &job.mine, &job.theirs));
	CHECK(mp_process_init(&echo, pipe_echo, &job, "echo"));
	CHECK(mp_process_start(&echo));
	child_pid = echo.pid;
	CHECK(mp_conn_close(job.theirs));

	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		CHECK(mp_conn_send(job.mine, &i, 8));
		EXPECT(CHECK(mp_conn_recv(job.mine, &msg, 8)) == 8 && msg == (uint64_t)i);
	}
	double seconds = now() - start;

	CHECK(mp_conn_close(job.mine));
	runtime_reap(&echo);
	return (struct run){ n, seconds };
}

/* ---- process: start a child, wait for its end ---------------------------- */

static struct run process_raw(long n, int cpus)
{
	double start = now();

	for (long i = 0; i < n; i++) {
		child_pid = CHECK(raw_fork());
		if (child_pid == 0) {
			in_child = true;
			child_placement(cpus);
			raw_exit(0);
		}
		raw_reap(child_pid);
	}
	return (struct run){ n, now() - start };
}

static int do_nothing(void *arg)
{
	in_child = true;
	child_placement(*(int *)arg);
	return 0;
}

static struct run process_runtime(long n, int cpus)
{
	double start = now();

	for (long i = 0; i < n; i++) {
		mp_process p;

		CHECK(mp_process_init(&p, do_nothing, &cpus, NULL));
		CHECK(mp_process_start(&p));
		child_pid = p.pid;
		runtime_reap(&p);
	}
	return (struct run){ n, now() - start };
}

/* ---- manager: d["count"] -= 1 through a manager (a get and a set) --------- */

/* The floor: two request/reply round trips of 8 bytes over a Unix socket
 * to a process that answers at once.  (The manager's server is a process
 * of its own; its CPU is the scheduler's choice in both.) */
static struct run manager_raw(long n, int cpus)
{
	pid_t parent = getpid();
	int sv[2];
	uint64_t msg = 0;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	child_pid = CHECK(raw_fork());
	if (child_pid == 0) {
		in_child = true;
		die_with_parent(parent);
		child_placement(cpus);
		CHECK(close(sv[0]));
		while (CHECK(read(sv[1], &msg, 8)) == 8)
			EXPECT(CHECK(write(sv[1], &msg, 8)) == 8);
		raw_exit(0);
	}
	CHECK(close(sv[1]));
	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		for (int k = 0; k < 2; k++) {		/* get, then set */
			EXPECT(CHECK(write(sv[0], &i, 8)) == 8);
			EXPECT(CHECK(read(sv[0], &msg, 8)) == 8 && msg == (uint64_t)i);
		}
	}
	double seconds = now() - start;
	CHECK(close(sv[0]));
	raw_reap(child_pid);
	return (struct run){ n, seconds };
}

static struct run manager_runtime(long n, int cpus)
{
	mp_manager *m = CHECK_PTR(mp_manager_start());
	mp_dict_proxy *d = CHECK_PTR(mp_manager_dict(m, NULL));
	int64_t v;

	CHECK(mp_dict_proxy_set_int(d, "count", 0));
	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		CHECK(mp_dict_proxy_get_int(d, "count", &v));
		CHECK(mp_dict_proxy_set_int(d, "count", v - 1));
	}
	double seconds = now() - start;
	EXPECT(v == -(n + WARMUP) + 1);
	CHECK(mp_manager_shutdown(m));
	return (struct run){ n, seconds };
}

/* ---- lock: acquire and release, nobody else wanting it -------------------- */

static struct run lock_raw(long n, int cpus)
{
	pthread_mutex_t *m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t attr;

	EXPECT(m != MAP_FAILED);
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(m, &attr);
	double start = now();
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(m);
		pthread_mutex_unlock(m);
	}
	double seconds = now() - start;
	munmap(m, sizeof(*m));
	return (struct run){ n, seconds };
}

static struct run lock_runtime(long n, int cpus)
{
	mp_lock *l = CHECK_PTR(mp_lock_new());
	double start = now();

	for (long i = 0; i < n; i++) {
		CHECK(mp_lock_acquire(l));
		CHECK(mp_lock_release(l));
	}
	double seconds = now() - start;
	CHECK(mp_lock_close(l));
	return (struct run){ n, seconds };
}

/* ---- pool: a task's round trip, and many small tasks ------------------------ */

static ssize_t add_one(const void *arg, size_t len, void *result, size_t size)
{
	int64_t x;

	memcpy(&x, arg, sizeof(x));
	x++;
	memcpy(result, &x, sizeof(x));
	return sizeof(x);
}

static void place_worker(void *arg)
{
	in_child = true;
	child_placement(*(int *)arg);
}

/* The latency's floor is pipe_raw: a task out and its result back over a
 * pipe to a process that waits for it. */
static struct run pool_latency_runtime(long n, int cpus)
{
	mp_pool *pool = CHECK_PTR(mp_pool_new_init(1, place_worker, &cpus));
	int64_t v;
	double start = 0;

	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		int64_t x = i;
		CHECK(mp_pool_apply(pool, add_one, &x, sizeof(x), &v, sizeof(v)));
		EXPECT(v == i + 1);
	}
	double seconds = now() - start;
	mp_pool_free(pool);
	return (struct run){ n, seconds };
}

/* Throughput's floor: two workers, each fed 8-byte tasks through its own
 * pipe in batches of `chunk`, answering each batch with one write - a pool
 * reduced to its system calls, with no queue, no bookkeeping, no failure
 * handling. */
static struct run tasks_raw(long n, int cpus, long chunk)
{
	enum { WORKERS = 2, MAX_CHUNK = 512 };
	pid_t parent = getpid(), pids[WORKERS];
	int down[WORKERS][2], up[WORKERS][2];
	static int64_t buf[MAX_CHUNK];

	if (chunk > MAX_CHUNK)
		chunk = MAX_CHUNK;
	for (int w = 0; w < WORKERS; w++) {
		CHECK(pipe(down[w]));
		CHECK(pipe(up[w]));
		pids[w] = CHECK(raw_fork());
		if (pids[w] == 0) {
			in_child = true;
			die_with_parent(parent);
			child_placement(cpus);
			for (int v = 0; v <= w; v++) {	/* the parent's ends */
				CHECK(close(down[v][1]));
				CHECK(close(up[v][0]));
			}
			ssize_t got;
			while ((got = CHECK(read(down[w][0], buf, sizeof(buf)))) > 0) {
				for (long k = 0; k < got / 8; k++)
					buf[k]++;
				EXPECT(CHECK(write(up[w][1], buf, (size_t)got)) == got);
			}
			raw_exit(0);
		}
		CHECK(close(down[w][0]));
		CHECK(close(up[w][1]));
	}
	double start = now();
	long sent = 0, done = 0;
	int busy[WORKERS] = { 0 };
	while (done < n) {
		for (int w = 0; w < WORKERS; w++) {	/* each worker one batch at a time */
			if (busy[w] == 0 && sent < n) {
				long k = n - sent < chunk ? n - sent : chunk;
				for (long j = 0; j < k; j++)
					buf[j] = sent + j;
				EXPECT(CHECK(write(down[w][1], buf, (size_t)k * 8)) == k * 8);
				busy[w] = (int)k;
				sent += k;
			}
		}
		for (int w = 0; w < WORKERS; w++) {
			if (busy[w] > 0) {
				EXPECT(CHECK(read(up[w][0], buf, (size_t)busy[w] * 8)) == busy[w] * 8);
				done += busy[w];
				busy[w] = 0;
			}
		}
	}
	double seconds = now() - start;
	for (int w = 0; w < WORKERS; w++) {
		CHECK(close(down[w][1]));
		CHECK(close(up[w][0]));
		raw_reap(pids[w]);
	}
	return (struct run){ n, seconds };
}

static struct run tasks_runtime(long n, int cpus, long chunk)
{
	mp_pool *pool = CHECK_PTR(mp_pool_new_init(2, place_worker, &cpus));
	int64_t *args = CHECK_PTR(malloc((size_t)n * 8)), *out = CHECK_PTR(malloc((size_t)n * 8));

	for (long i = 0; i < n; i++)
		args[i] = i;
	double start = now();
	CHECK(mp_pool_map(pool, add_one, args, 8, (size_t)n, out, 8, (size_t)chunk));
	double seconds = now() - start;
	EXPECT(out[n - 1] == n);
	free(args);
	free(out);
	mp_pool_free(pool);
	return (struct run){ n, seconds };
}

/* map with chunksize 1, and with Python's own choice, n / (4 x workers). */
static struct run pool_map1_raw(long n, int cpus) { return tasks_raw(n, cpus, 1); }
static struct run pool_map1_runtime(long n, int cpus) { return tasks_runtime(n, cpus, 1); }
static struct run pool_map_raw(long n, int cpus) { return tasks_raw(n, cpus, n / 8 + 1); }
static struct run pool_map_runtime(long n, int cpus) { return tasks_runtime(n, cpus, 0); }

/* ---- the table of benchmarks, and the measuring ---------------------------- */

typedef struct run (*bench_fn)(long n, int cpus);

static const struct benchmark {
	const char *name;
	bool throughput;	/* ops per second; else microseconds per op */
	long first_n;		/* operations in the first sizing run */
	bench_fn raw, runtime;
} benchmarks[] = {
	{ "queue", true, 2000, queue_raw, queue_runtime },
	{ "pipe", false, 200, pipe_raw, pipe_runtime },
	{ "process", false, 20, process_raw, process_runtime },
	{ "manager", false, 200, manager_raw, manager_runtime },
	{ "lock", false, 100000, lock_raw, lock_runtime },
	{ "pool_task", false, 200, pipe_raw, pool_latency_runtime },
	{ "pool_map_chunk1", true, 2000, pool_map1_raw, pool_map1_runtime },
	{ "pool_map", true, 20000, pool_map_raw, pool_map_runtime },
};

/* The figure a run gives: messages/s or microseconds per operation. */
static double figure(const struct benchmark *b, struct run r)
{
	return b->throughput ? r.ops / r.seconds : r.seconds / r.ops * 1e6;
}

/* Finds how many operations take about `seconds`: runs a few, then more,
 * until a run takes a tenth of that, and scales up.  The runs double as a
 * warm-up. */
static long size_by_time(bench_fn fn, long n, int cpus, double seconds)
{
	for (;;) {
		struct run r = fn(n, cpus);
		double per_op = r.seconds / r.ops;

		if (r.seconds >= seconds / 10 || n >= 1000000000L / 16)
			return seconds / per_op > 1 ? (long)(seconds / per_op) : 1;
		n = per_op > 0 ? (long)(seconds / 10 / per_op * 1.5) + 1 : n * 16;
	}
}

static void measure(const struct benchmark *b, const char *impl, int cpus,
		    double seconds, int reps)
{
	bench_fn fn = strcmp(impl, "raw") == 0 ? b->raw : b->runtime;
	long n = size_by_time(fn, b->first_n, cpus, seconds);
	double best = 0, all[reps];

	for (int i = 0; i < reps; i++) {
		all[i] = figure(b, fn(n, cpus));
		if (i == 0 || (b->throughput ? all[i] > best : all[i] < best))
			best = all[i];
	}
	printf("%s\t%s\t%s\t%.6g\t%s\t", b->name, cpus == 2 ? "2 CPUs" : "1 CPU", impl,
	       best, b->throughput ? "msg/s" : "us");
	for (int i = 0; i < reps; i++)
		printf("%s%.6g", i ? "," : "", all[i]);
	printf("\n");
	CHECK(fflush(stdout) == EOF ? -1 : 0);
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *out)
{
	fprintf(out, "usage: mp-bench [--benchmark queue|pipe|process|manager|lock|all] [--impl raw|runtime|all]\n"
		     "                [--cpus 1|2|all] [--seconds S] [--reps N] [--help]\n");
}

static void bad_usage(void)
{
	usage(stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "benchmark", required_argument, NULL, 'b' },
		{ "impl", required_argument, NULL, 'i' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *which = "all", *impl = "all", *cpus = "all";
	double seconds = 1.0;
	int reps = 3, opt;
	char *end;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'b': which = optarg; break;
		case 'i': impl = optarg; break;
		case 'c': cpus = optarg; break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end != '\0' || !(seconds > 0 && seconds <= 60))
				bad_usage();
			break;
		case 'r':
			reps = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || reps < 1 || reps > 100)
				bad_usage();
			break;
		case 'h': usage(stdout); return 0;
		default: bad_usage();
		}
	}
	if (optind != argc)
		bad_usage();
	bool known = strcmp(which, "all") == 0;
	for (size_t k = 0; k < sizeof(benchmarks) / sizeof(benchmarks[0]); k++)
		known = known || strcmp(which, benchmarks[k].name) == 0;
	if (!known || (strcmp(impl, "all") && strcmp(impl, "raw") && strcmp(impl, "runtime")) ||
	    (strcmp(cpus, "all") && strcmp(cpus, "1") && strcmp(cpus, "2")))
		bad_usage();

	cpu_set_t allowed;
	CHECK(sched_getaffinity(0, sizeof(allowed), &allowed));
	if (!CPU_ISSET(0, &allowed) || (strcmp(cpus, "1") && !CPU_ISSET(1, &allowed))) {
		fprintf(stderr, "mp-bench: needs CPU 0%s, and may not use them here\n",
			strcmp(cpus, "1") ? " and CPU 1" : "");
		return 1;
	}
	pin_to_cpu(0);

	for (size_t k = 0; k < sizeof(benchmarks) / sizeof(benchmarks[0]); k++) {
		const struct benchmark *b = &benchmarks[k];

		if (strcmp(which, "all") && strcmp(which, b->name))
			continue;
		for (int c = 2; c >= 1; c--) {
			if (strcmp(cpus, "all") && atoi(cpus) != c)
				continue;
			if (strcmp(impl, "runtime"))
				measure(b, "raw", c, seconds, reps);
			if (strcmp(impl, "raw"))
				measure(b, "runtime", c, seconds, reps);
		}
	}
	return 0;
}
