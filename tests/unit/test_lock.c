/*
 * test_lock.c - Lock and RLock across processes.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Nothing sleeps and hopes: a child
 * that must hold the lock says so through a pipe.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- one process ------------------------------------------------------- */

START_TEST(test_lock_basics)
{
	mp_lock *l = mp_lock_new();

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(mp_lock_acquire(l), 0);
	/* A Lock is not re-entrant: a second acquire is refused, not a hang. */
	ck_assert_int_eq(mp_lock_acquire(l), -1);
	ck_assert_int_eq(errno, EDEADLK);
	ck_assert_int_eq(mp_lock_release(l), 0);
	ck_assert_int_eq(mp_lock_release(l), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(mp_lock_acquire_timeout(l, 0), 0);
	ck_assert_int_eq(mp_lock_release(l), 0);
	ck_assert_int_eq(mp_lock_acquire_timeout(l, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_lock_acquire(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_lock_close(l), 0);
	ck_assert_int_eq(mp_lock_acquire(l), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_rlock)
{
	mp_lock *l = mp_rlock_new();

	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(mp_lock_acquire(l), 0);
	ck_assert_int_eq(mp_lock_acquire(l), 0);
	ck_assert_int_eq(mp_lock_release(l), 0);
	ck_assert_int_eq(mp_lock_release(l), 0);
	ck_assert_int_eq(mp_lock_release(l), -1);
	ck_assert_int_eq(errno, EPERM);
	mp_lock_close(l);
}
END_TEST

/* ---- a holder in another process ---------------------------------------- */

struct holder {
	mp_lock *l;
	int ready[2];	/* the child writes a byte once it holds the lock */
	int go[2];	/* the parent writes a byte: let go (or die) */
	bool die;	/* _exit while holding it */
};

static int hold(void *arg)
{
	struct holder *h = arg;
	char b = 0;

	if (mp_lock_acquire(h->l) != 0)
		return 1;
	if (write(h->ready[1], "x", 1) != 1 || read(h->go[0], &b, 1) != 1)
		return 2;
	if (h->die)
		_exit(0);	/* dies holding it */
	return mp_lock_release(h->l) == 0 ? 0 : 3;
}

static void holder_start(struct holder *h, mp_process *p, bool die)
{
	char b;

	h->l = mp_lock_new();
	ck_assert_ptr_nonnull(h->l);
	ck_assert_int_eq(pipe(h->ready), 0);
	ck_assert_int_eq(pipe(h->go), 0);
	h->die = die;
	start(p, hold, h);
	ck_assert_int_eq(read(h->ready[0], &b, 1), 1);
}

static void holder_done(struct holder *h)
{
	close(h->ready[0]);
	close(h->ready[1]);
	close(h->go[0]);
	close(h->go[1]);
	mp_lock_close(h->l);
}

START_TEST(test_timeout_and_release_by_other)
{
	struct holder h;
	mp_process p;

	holder_start(&h, &p, false);
	ck_assert_int_eq(mp_lock_acquire_timeout(h.l, 0), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(mp_lock_acquire_timeout(h.l, 0.05), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	/* Not ours to release. */
	ck_assert_int_eq(mp_lock_release(h.l), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(write(h.go[1], "x", 1), 1);
	ck_assert_int_eq(mp_lock_acquire_timeout(h.l, 30), 0);
	ck_assert_int_eq(mp_lock_release(h.l), 0);
	ck_assert_int_eq(join(&p), 0);
	holder_done(&h);
}
END_TEST

/* The owner dies while we wait: we get the lock and are told. */
START_TEST(test_owner_died)
{
	struct holder h;
	mp_process p;

	holder_start(&h, &p, true);
	ck_assert_int_eq(write(h.go[1], "x", 1), 1);
	ck_assert_int_eq(mp_lock_acquire_timeout(h.l, 30), 1);
	ck_assert_int_eq(mp_lock_release(h.l), 0);
	/* Consistent again: the next acquire is an ordinary one. */
	ck_assert_int_eq(mp_lock_acquire(h.l), 0);
	ck_assert_int_eq(mp_lock_release(h.l), 0);
	ck_assert_int_eq(join(&p), 0);
	holder_done(&h);
}
END_TEST

/* The owner is killed (SIGKILL) while another process waits. */
START_TEST(test_owner_killed_while_waiting)
{
	struct holder h;
	mp_process p;

	holder_start(&h, &p, false);
	ck_assert_int_eq(mp_process_kill(&p), 0);
	ck_assert_int_eq(mp_lock_acquire_timeout(h.l, 30), 1);
	ck_assert_int_eq(mp_lock_release(h.l), 0);
	ck_assert_int_eq(join(&p), -SIGKILL);
	holder_done(&h);
}
END_TEST

/* ---- exactness: 8 processes x 10k locked increments ------------------------ */

#define WORKERS 8
#define ROUNDS 10000

struct counter {
	mp_lock *l;
	volatile long *count;	/* shared; plain increments, on purpose */
};

static int increment(void *arg)
{
	struct counter *c = arg;

	for (int i = 0; i < ROUNDS; i++) {
		if (mp_lock_acquire(c->l) != 0)
			return 1;
		/* A read, a pause, a write: without the lock, increments
		 * would be lost all the time. */
		long v = *c->count;
		if (i % 64 == 0)
			sched_yield();
		*c->count = v + 1;
		if (mp_lock_release(c->l) != 0)
			return 2;
	}
	return 0;
}

START_TEST(test_exact)
{
	struct counter c;
	mp_process p[WORKERS];

	c.l = mp_lock_new();
	c.count = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne((void *)c.count, MAP_FAILED);
	*c.count = 0;
	for (int i = 0; i < WORKERS; i++)
		start(&p[i], increment, &c);
	for (int i = 0; i < WORKERS; i++)
		ck_assert_int_eq(join(&p[i]), 0);
	ck_assert_int_eq(*c.count, WORKERS * ROUNDS);
	munmap((void *)c.count, sizeof(long));
	mp_lock_close(c.l);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc = leakcheck_case(&s, "lock", 120);

	tcase_add_test(tc, test_lock_basics);
	tcase_add_test(tc, test_rlock);
	tcase_add_test(tc, test_timeout_and_release_by_other);
	tcase_add_test(tc, test_owner_died);
	tcase_add_test(tc, test_owner_killed_while_waiting);
	tcase_add_loop_test(tc, test_exact, 0, 3);
	return leakcheck_run(s);
}
