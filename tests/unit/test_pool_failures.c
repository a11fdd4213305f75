/*
 * test_pool_failures.c - Pool: tasks that fail, a get that times out, a
 * worker killed in the middle of a task, and terminate with stuck workers.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Nothing sleeps and hopes: a test
 * that needs a task to be running waits until the task says so through
 * shared memory.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"
#include "pool_tasks.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

START_TEST(get_times_out_then_succeeds)
{
	mp_pool *pool = mp_pool_new(1);
	double seconds = 0.3;
	mp_async_result *r = mp_pool_apply_async(pool, nap, &seconds, sizeof(seconds));
	double t0 = now();

	ck_assert_int_eq(mp_async_get_timeout(r, NULL, 0, 0.05), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert(now() - t0 >= 0.05 && now() - t0 < 1.0);
	ck_assert(!mp_async_ready(r));
	ck_assert(!mp_async_successful(r));
	ck_assert_int_eq(errno, EINVAL);	/* not ready */
	ck_assert_int_eq(mp_async_wait_timeout(r, 10), 0);
	ck_assert_int_eq(mp_async_get_timeout(r, NULL, 0, 0), 0);
	ck_assert(mp_async_successful(r));
	mp_pool_free(pool);
}
END_TEST

START_TEST(failing_tasks_return_their_errors)
{
	mp_pool *pool = mp_pool_new(2);
	int64_t thirteen = 13, seven = 7, three = 3, v;
	mp_async_result *a = mp_pool_apply_async(pool, picky, &thirteen, sizeof(thirteen));
	mp_async_result *b = mp_pool_apply_async(pool, picky, &seven, sizeof(seven));
	mp_async_result *c = mp_pool_apply_async(pool, picky, &three, sizeof(three));

	ck_assert_int_eq(mp_async_get_timeout(a, &v, sizeof(v), 10), -1);
	ck_assert_int_eq(errno, EDOM);
	ck_assert(!mp_async_successful(a));
	ck_assert_str_eq(mp_async_error(a), "task 0 failed: 13 is unlucky");
	ck_assert_int_eq(mp_async_get_timeout(b, &v, sizeof(v), 10), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_ptr_nonnull(strstr(mp_async_error(b), strerror(ERANGE)));
	ck_assert_int_eq(mp_async_get_timeout(c, &v, sizeof(v), 10), sizeof(v));
	ck_assert_int_eq(v, 9);

	/* map: the first failure's errno; the rest filled. */
	int64_t args[20], out[20];
	for (int i = 0; i < 20; i++)
		args[i] = i;
	ck_assert_int_eq(mp_pool_map(pool, picky, args, sizeof(args[0]), 20, out, sizeof(out[0]), 3), -1);
	ck_assert_int_eq(errno, ERANGE);	/* 7 comes before 13 */
	ck_assert_int_eq(out[6], 36);	/* before 7 in its chunk, */
	ck_assert_int_eq(out[8], 64);	/* and after it */
	ck_assert_int_eq(out[19], 361);
	ck_assert_int_eq(out[7], 0);
	/* A result bigger than the map's slot is that task's failure. */
	int32_t small[20];
	ck_assert_int_eq(mp_pool_map(pool, square, args, sizeof(args[0]), 20, small, sizeof(small[0]), 0), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	mp_pool_free(pool);
}
END_TEST

START_TEST(killed_worker_fails_its_task_and_pool_goes_on)
{
	mp_pool *pool = mp_pool_new(2);
	double long_nap = 30;
	mp_async_result *victim = mp_pool_apply_async(pool, nap, &long_nap, sizeof(long_nap));

	WAIT_UNTIL(atomic_load(&sh->running_pid) != 0, 10);
	pid_t pid = atomic_load(&sh->running_pid);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	double t0 = now();
	ck_assert_int_eq(mp_async_get_timeout(victim, NULL, 0, 5), -1);
	double noticed = now() - t0;
	ck_assert_int_eq(errno, EOWNERDEAD);
	ck_assert_msg(noticed < 1.0, "the death took %.3f s to notice", noticed);
	char want[64];
	snprintf(want, sizeof(want), "(pid %d) was killed by SIGKILL while running task 0", pid);
	ck_assert_msg(strstr(mp_async_error(victim), want) != NULL, "%s", mp_async_error(victim));
	ck_assert_ptr_nonnull(strstr(mp_async_error(victim), "worker ForkPoolWorker-"));

	/* The pool has two workers again and finishes the rest. */
	int64_t args[100], out[100];
	for (int i = 0; i < 100; i++)
		args[i] = i;
	ck_assert_int_eq(mp_pool_map(pool, square, args, sizeof(args[0]), 100, out, sizeof(out[0]), 1), 0);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(out[i], (int64_t)i * i);
	ck_assert_int_eq(mp_pool_close(pool), 0);
	ck_assert_int_eq(mp_pool_join(pool), 0);
	mp_pool_free(pool);
}
END_TEST

START_TEST(terminate_ends_stuck_workers_fast)
{
	mp_pool *pool = mp_pool_new(3);
	double forever = 3600;
	mp_async_result *r[4];

	r[0] = mp_pool_apply_async(pool, stubborn, NULL, 0);
	r[1] = mp_pool_apply_async(pool, nap, &forever, sizeof(forever));
	r[2] = mp_pool_apply_async(pool, nap, &forever, sizeof(forever));
	r[3] = mp_pool_apply_async(pool, nap, &forever, sizeof(forever));	/* never starts */
	WAIT_UNTIL(atomic_load(&sh->started) == 3, 10);
	double t0 = now();
	ck_assert_int_eq(mp_pool_terminate(pool), 0);
	double took = now() - t0;
	ck_assert_msg(took < 1.0, "terminate took %.3f s", took);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(mp_async_get_timeout(r[i], NULL, 0, 0), -1);
		ck_assert_int_eq(errno, ECANCELED);
	}
	ck_assert_int_eq(mp_pool_join(pool), 0);	/* after terminate: nothing to wait for */
	mp_pool_free(pool);
}
END_TEST

/* The body of a process that owns a pool whose one task never ends. */
static int own_a_stuck_pool(void *arg)
{
	mp_pool *pool = mp_pool_new(1);

	mp_async_wait(mp_pool_apply_async(pool, stubborn, NULL, 0));	/* never returns */
	return 1;
}

START_TEST(workers_die_with_their_killed_owner)
{
	mp_process owner;
	int status;

	/* The orphaned worker comes to this test, which can then see how it ended. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	start(&owner, own_a_stuck_pool, NULL);
	WAIT_UNTIL(atomic_load(&sh->running_pid) != 0, 10);
	pid_t worker = atomic_load(&sh->running_pid);
	ck_assert_int_eq(mp_process_kill(&owner), 0);
	ck_assert_int_eq(join(&owner), -SIGKILL);
	WAIT_UNTIL(waitpid(worker, &status, WNOHANG) == worker, 5);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);
}
END_TEST

int main(void)
{
	return leakcheck_main("pool_failures", 60, shared_setup, shared_teardown, (const TTest *[]){
		get_times_out_then_succeeds,
		failing_tasks_return_their_errors,
		killed_worker_fails_its_task_and_pool_goes_on,
		terminate_ends_stuck_workers_fast,
		workers_die_with_their_killed_owner,
		NULL,
	});
}
