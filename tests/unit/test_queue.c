/*
 * test_queue.c - Queue and JoinableQueue across processes: many writers and
 * readers, a reader killed midway, a bounded queue, timeouts, bad input,
 * join.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Waits have deadlines; nothing
 * sleeps and hopes.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- many writers, many readers, random sizes ----------------------------- */

#define WRITERS 4

#define READERS 4

#define PER_WRITER STRESS(25000)	/* 100k messages in all (10k under ASan) */

#define BIG (1 << 20)

struct stress {
	mp_queue *q;
	_Atomic uint8_t *seen;		/* shared: one byte per message */
	_Atomic long *bad;		/* shared: corrupt or duplicate messages */
	int writer;
};

struct tag {
	uint32_t writer, seq, len, sum;
};

/* The bytes of message (writer, seq): a pattern any reader can check. */
static uint8_t pattern(uint32_t writer, uint32_t seq, size_t i)
{
	return (uint8_t)(writer * 131 + seq * 7 + i * 13);
}

static size_t size_of(uint32_t writer, uint32_t seq)
{
	uint32_t h = (writer * 2654435761u) ^ (seq * 40503u);

	h ^= h >> 13;
	h *= 0x5bd1e995;
	/* 99 in 100 up to 4 KiB, the rest up to 1 MiB: 100k messages of
	 * uniformly random size up to 1 MiB would be ~50 GB to copy. */
	return sizeof(struct tag) + (h % 100 == 0 ? h % BIG : h % 4096);
}

static int stress_writer(void *arg)
{
	struct stress *s = arg;
	uint8_t *msg = malloc(BIG + sizeof(struct tag));

	for (uint32_t seq = 0; seq < PER_WRITER; seq++) {
		size_t len = size_of(s->writer, seq);
		struct tag t = { s->writer, seq, (uint32_t)len, 0 };

		for (size_t i = sizeof(t); i < len; i++)
			msg[i] = pattern(s->writer, seq, i);
		memcpy(msg, &t, sizeof(t));
		if (mp_queue_put(s->q, msg, len) == -1)
			return 1;
	}
	free(msg);
	return 0;
}

static int stress_reader(void *arg)
{
	struct stress *s = arg;
	uint8_t *msg = malloc(BIG + sizeof(struct tag));
	ssize_t n;

	/* An empty 8-byte message is the end. */
	while ((n = mp_queue_get(s->q, msg, BIG + sizeof(struct tag))) > 0) {
		struct tag t;
		bool ok = n >= (ssize_t)sizeof(t);

		if (ok) {
			memcpy(&t, msg, sizeof(t));
			ok = t.writer < WRITERS && t.seq < PER_WRITER && t.len == (uint32_t)n &&
			     (size_t)n == size_of(t.writer, t.seq);
		}
		for (ssize_t i = sizeof(t); ok && i < n; i++)
			ok = msg[i] == pattern(t.writer, t.seq, i);
		if (!ok || atomic_fetch_add(&s->seen[t.writer * PER_WRITER + t.seq], 1) != 0)
			atomic_fetch_add(s->bad, 1);
	}
	free(msg);
	return n == 0 ? 0 : 1;
}

START_TEST(queue_many_writers_many_readers)
{
	size_t shared = WRITERS * PER_WRITER + sizeof(long);
	uint8_t *mem = mmap(NULL, shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct stress w[WRITERS], r = { .q = mp_queue_new(0), .seen = (void *)mem,
					.bad = (void *)(mem + WRITERS * PER_WRITER) };
	mp_process writers[WRITERS], readers[READERS];

	ck_assert_ptr_nonnull(r.q);
	for (int i = 0; i < READERS; i++)
		start(&readers[i], stress_reader, &r);
	for (int i = 0; i < WRITERS; i++) {
		w[i] = r;
		w[i].writer = i;
		start(&writers[i], stress_writer, &w[i]);
	}
	for (int i = 0; i < WRITERS; i++)
		ck_assert_int_eq(join(&writers[i]), 0);
	for (int i = 0; i < READERS; i++)
		ck_assert_int_eq(mp_queue_put(r.q, "", 0), 0);
	for (int i = 0; i < READERS; i++)
		ck_assert_int_eq(join(&readers[i]), 0);

	ck_assert_int_eq(*r.bad, 0);
	for (size_t i = 0; i < WRITERS * PER_WRITER; i++)
		ck_assert_msg(r.seen[i] == 1, "message %zu seen %d times", i, r.seen[i]);
	ck_assert_int_eq(mp_queue_qsize(r.q), 0);
	mp_queue_close(r.q);
	munmap(mem, shared);
}
END_TEST

/* ---- a reader killed in the middle ---------------------------------------- */

START_TEST(queue_reader_killed_midway)
{
	size_t shared = WRITERS * PER_WRITER + sizeof(long);
	uint8_t *mem = mmap(NULL, shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct stress r = { .q = mp_queue_new(0), .seen = (void *)mem,
			    .bad = (void *)(mem + WRITERS * PER_WRITER), .writer = 0 };
	mp_process writer, victim, survivor;
	long before = 0;

	start(&victim, stress_reader, &r);
	start(&survivor, stress_reader, &r);
	start(&writer, stress_writer, &r);
	/* Kill a reader while messages flow: once it has taken some. */
	double t0 = now();
	while (before < PER_WRITER / 10 && now() - t0 < 10) {
		before = 0;
		for (int i = 0; i < PER_WRITER; i++)
			before += r.seen[i];
	}
	ck_assert_int_eq(mp_process_kill(&victim), 0);
	ck_assert_int_eq(join(&victim), -SIGKILL);
	ck_assert_int_eq(join(&writer), 0);
	ck_assert_int_eq(mp_queue_put(r.q, "", 0), 0);
	ck_assert_int_eq(join(&survivor), 0);	/* went on, and finished */

	/* Nothing corrupt, nothing twice; at most the one message the victim
	 * had taken when it died is missing. */
	int missing = 0;
	ck_assert_int_eq(*r.bad, 0);
	for (int i = 0; i < PER_WRITER; i++) {
		ck_assert_int_le(r.seen[i], 1);
		missing += r.seen[i] == 0;
	}
	ck_assert_int_le(missing, 1);
	mp_queue_close(r.q);
	munmap(mem, shared);
}
END_TEST

/* ---- bounded queues, timeouts ---------------------------------------------- */

static int slow_taker(void *arg)
{
	mp_queue *q = arg;
	int64_t v;

	usleep(200000);		/* the parent's put must wait for this */
	return mp_queue_get_int_timeout(q, &v, 5) == 0 && v == 1 ? 0 : 1;
}

START_TEST(queue_bounded_put_blocks_and_resumes)
{
	mp_queue *q = mp_queue_new(2);
	mp_process taker;
	int64_t v;

	ck_assert_int_eq(mp_queue_put_int(q, 1), 0);
	ck_assert_int_eq(mp_queue_put_int(q, 2), 0);
	ck_assert(mp_queue_full(q));
	ck_assert_int_eq(mp_queue_put_timeout(q, &v, sizeof(v), 0), -1);	/* Full */
	ck_assert_int_eq(errno, EAGAIN);
	start(&taker, slow_taker, q);
	double t0 = now();
	ck_assert_int_eq(mp_queue_put_int(q, 3), 0);	/* waits for the taker */
	ck_assert_double_ge(now() - t0, 0.15);
	ck_assert_int_eq(join(&taker), 0);
	ck_assert_int_eq(mp_queue_qsize(q), 2);
	ck_assert_int_eq(mp_queue_get_int_timeout(q, &v, 0), 0);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(mp_queue_get_int_timeout(q, &v, 0), 0);
	ck_assert_int_eq(v, 3);
	ck_assert(mp_queue_empty(q));
	mp_queue_close(q);
}
END_TEST

START_TEST(queue_get_timeout_is_on_time)
{
	mp_queue *q = mp_queue_new(0);
	char buf[8];

	for (int i = 0; i < 3; i++) {
		double want = 0.1 * (i + 1), t0 = now();

		ck_assert_int_eq(mp_queue_get_timeout(q, buf, sizeof(buf), want), -1);
		ck_assert_int_eq(errno, EAGAIN);	/* Empty */
		ASSERT_ON_TIME(now() - t0, want);
	}
	mp_queue_close(q);
}
END_TEST

START_TEST(queue_bad_input)
{
	mp_queue *q = mp_queue_new(0);
	char *huge = malloc(MP_QUEUE_MSG_MAX + 1);
	char buf[4];
	int64_t v;

	ck_assert_ptr_null(mp_queue_new(-1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_put(NULL, "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_put(q, NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_put(q, huge, MP_QUEUE_MSG_MAX + 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(mp_queue_put_timeout(q, "x", 1, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_get_timeout(q, buf, sizeof(buf), NAN), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_put_str(q, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* A zero-length message is a message; one too long for the buffer
	 * stays in the queue. */
	ck_assert_int_eq(mp_queue_put(q, "", 0), 0);
	ck_assert_int_eq(mp_queue_get(q, buf, sizeof(buf)), 0);
	ck_assert_int_eq(mp_queue_put_str(q, "hello"), 0);
	ck_assert_int_eq(mp_queue_get(q, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(mp_queue_qsize(q), 1);
	char big[16];
	ck_assert_int_eq(mp_queue_get_str_timeout(q, big, sizeof(big), 0), 5);
	ck_assert_str_eq(big, "hello");
	ck_assert_int_eq(mp_queue_put_str(q, "abc"), 0);
	ck_assert_int_eq(mp_queue_get_int_timeout(q, &v, 0), -1);	/* not 8 bytes */
	ck_assert_int_eq(errno, EBADMSG);

	/* Not joinable. */
	ck_assert_int_eq(mp_queue_task_done(q), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_join(q), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* Use after close. */
	ck_assert_int_eq(mp_queue_close(q), 0);
	ck_assert_int_eq(mp_queue_put_int(q, 1), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(mp_queue_get(q, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(mp_queue_qsize(q), -1);
	ck_assert_int_eq(mp_queue_close(q), -1);
	ck_assert_int_eq(errno, EBADF);
	free(huge);
}
END_TEST

/* ---- JoinableQueue ---------------------------------------------------------- */

static int worker_marks_done(void *arg)
{
	mp_queue *q = arg;
	int64_t v;

	while (mp_queue_get_int_timeout(q, &v, 5) == 0 && v >= 0) {
		usleep(20000);
		if (mp_queue_task_done(q) == -1)
			return 1;
	}
	return mp_queue_task_done(q) == 0 ? 0 : 1;	/* the pill is a task too */
}

START_TEST(joinable_queue_join_waits_for_every_task_done)
{
	mp_queue *q = mp_joinable_queue_new(0);
	mp_process w;

	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(mp_queue_put_int(q, i), 0);
	ck_assert_int_eq(mp_queue_put_int(q, -1), 0);
	ck_assert_int_eq(mp_queue_join_timeout(q, 0.01), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	start(&w, worker_marks_done, q);
	double t0 = now();
	ck_assert_int_eq(mp_queue_join_timeout(q, 10), 0);
	ck_assert_double_ge(now() - t0, 0.08);	/* five tasks of 20 ms */
	ck_assert_int_eq(join(&w), 0);
	ck_assert_int_eq(mp_queue_task_done(q), -1);	/* one too many */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_queue_join(q), 0);		/* nothing unfinished */
	mp_queue_close(q);
}
END_TEST

int main(void)
{
	return leakcheck_main("queue", 120, NULL, NULL, (const TTest *[]){
		queue_many_writers_many_readers,
		queue_reader_killed_midway,
		queue_bounded_put_blocks_and_resumes,
		queue_get_timeout_is_on_time,
		queue_bad_input,
		joinable_queue_join_waits_for_every_task_done,
		NULL,
	});
}
