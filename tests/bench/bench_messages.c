/*
 * bench_messages.c - queue and pipe: 8-byte messages, raw pipes against mp_queue and
 * mp_pipe (bench.c says what each measures).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdint.h>
#include <unistd.h>
/* ---- queue: 8-byte messages, one producer, one consumer ----------------- */
/* Message i carries the number i, so the consumer checks the order too.
 * Message 0 only says "the producer runs": the clock starts when it has
 * come, so starting the child is not in the time. */

struct run queue_raw(long n, int cpus)
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
			EXPECT(CHECK(raw_write(fd[1], &i, 8)) == 8);
		raw_exit(0);
	}
	CHECK(close(fd[1]));					/* consumer */

	/* One read() takes whatever has come, up to 64 KiB.  The first may
	 * bring more than message 0: those are not counted. */
	static uint64_t buf[8192];
	uint64_t next = 0, first_batch = 0;
	double start = 0;
	while (next <= (uint64_t)n) {
		ssize_t got = CHECK(raw_read(fd[0], buf, sizeof(buf)));
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

struct run queue_runtime(long n, int cpus)
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

struct run pipe_raw(long n, int cpus)
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
		while ((got = CHECK(raw_read(down[0], &msg, 8))) == 8)
			EXPECT(CHECK(raw_write(up[1], &msg, 8)) == 8);
		EXPECT(got == 0);			/* end of file: the parent is done */
		raw_exit(0);
	}
	CHECK(close(down[0]));
	CHECK(close(up[1]));

	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		EXPECT(CHECK(raw_write(down[1], &i, 8)) == 8);
		EXPECT(CHECK(raw_read(up[0], &msg, 8)) == 8 && msg == (uint64_t)i);
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

struct run pipe_runtime(long n, int cpus)
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
