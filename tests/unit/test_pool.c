/*
 * test_pool.c - Pool: results, failures, dead workers, terminate, bad input.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Waits have deadlines; nothing
 * sleeps and hopes: a test that needs a task to be running waits until the
 * task says so through shared memory.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

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
#include <time.h>
#include <unistd.h>

/* Memory the tasks share with the test. */
struct shared {
	_Atomic int running_pid;	/* the pid of a task that has started */
	_Atomic int started;		/* tasks that have started */
};
static struct shared *sh;

static void shared_setup(void)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
}

static void shared_teardown(void)
{
	munmap(sh, sizeof(*sh));
}

/* Waits until cond() or `seconds` pass; the test fails on time out. */
#define WAIT_UNTIL(cond, seconds) do {                                      \
	double until_ = now() + (seconds);                                  \
	while (!(cond)) {                                                   \
		ck_assert_msg(now() < until_, "timed out waiting for " #cond); \
		usleep(1000);                                               \
	}                                                                   \
} while (0)

/* ---- tasks ---------------------------------------------------------------- */

static ssize_t square(const void *arg, size_t len, void *result, size_t size)
{
	int64_t x;

	if (len != sizeof(x))
		return mp_task_error(EINVAL, "want 8 bytes, got %zu", len);
	memcpy(&x, arg, sizeof(x));
	x *= x;
	memcpy(result, &x, sizeof(x));
	return sizeof(x);
}

static ssize_t hello(const void *arg, size_t len, void *result, size_t size)
{
	return snprintf(result, size, "hello %d", *(const int *)arg);
}

/* Fails for 13, with a message; for 7 with only an errno. */
static ssize_t picky(const void *arg, size_t len, void *result, size_t size)
{
	int64_t x;

	memcpy(&x, arg, sizeof(x));
	if (x == 13)
		return mp_task_error(EDOM, "13 is unlucky");
	if (x == 7) {
		errno = ERANGE;
		return -1;
	}
	return square(arg, len, result, size);
}

/* Says it runs, then waits the given seconds. */
static ssize_t nap(const void *arg, size_t len, void *result, size_t size)
{
	double seconds = *(const double *)arg;

	atomic_store(&sh->running_pid, getpid());
	atomic_fetch_add(&sh->started, 1);
	usleep((useconds_t)(seconds * 1e6));
	return 0;
}

/* Stuck for good: ignores SIGTERM and sleeps. */
static ssize_t stubborn(const void *arg, size_t len, void *result, size_t size)
{
	signal(SIGTERM, SIG_IGN);
	atomic_fetch_add(&sh->started, 1);
	for (;;)
		pause();
	return 0;	/* never */
}

static int init_value;

static void init_worker(void *arg)
{
	init_value = *(int *)arg;
}

static ssize_t report_init(const void *arg, size_t len, void *result, size_t size)
{
	memcpy(result, &init_value, sizeof(init_value));
	return sizeof(init_value);
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST(apply_async_results_in_order)
{
	mp_pool *pool = mp_pool_new(4);
	mp_async_result *r[200];

	ck_assert_ptr_nonnull(pool);
	for (int64_t i = 0; i < 200; i++) {
		r[i] = mp_pool_apply_async(pool, square, &i, sizeof(i));
		ck_assert_ptr_nonnull(r[i]);
		ck_assert_int_eq(mp_async_task_id(r[i]), i);
	}
	for (int64_t i = 0; i < 200; i++) {
		int64_t v = -1;

		ck_assert_int_eq(mp_async_get_timeout(r[i], &v, sizeof(v), 10), sizeof(v));
		ck_assert_int_eq(v, i * i);
		ck_assert(mp_async_ready(r[i]));
		ck_assert(mp_async_successful(r[i]));
		ck_assert_ptr_null(mp_async_error(r[i]));
	}
	ck_assert_int_eq(mp_pool_close(pool), 0);
	ck_assert_int_eq(mp_pool_join(pool), 0);
	mp_pool_free(pool);
}
END_TEST

START_TEST(apply_blocks_and_strings_come_back)
{
	mp_pool *pool = mp_pool_new(2);
	char text[32];
	int i = 42;

	ck_assert_int_eq(mp_pool_apply(pool, hello, &i, sizeof(i), text, sizeof(text)), 8);
	ck_assert_int_eq(memcmp(text, "hello 42", 8), 0);
	mp_async_result *r = mp_pool_apply_async(pool, hello, &i, sizeof(i));
	ck_assert_int_eq(mp_async_get_str(r, text, sizeof(text)), 8);
	ck_assert_str_eq(text, "hello 42");
	/* Too small a buffer: EMSGSIZE, and the result stays. */
	ck_assert_int_eq(mp_async_get_timeout(r, text, 4, 0), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(mp_async_get_str_timeout(r, text, sizeof(text), 0), 8);
	mp_pool_free(pool);
}
END_TEST

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

START_TEST(map_in_order_with_any_chunksize)
{
	enum { N = 1000 };
	static int64_t args[N], out[N];
	size_t chunks[] = { 1, 0, 7, N, 5000 };
	mp_pool *pool = mp_pool_new(3);

	for (int i = 0; i < N; i++)
		args[i] = i;
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		memset(out, 0xff, sizeof(out));
		ck_assert_int_eq(mp_pool_map(pool, square, args, sizeof(args[0]), N, out,
					     sizeof(out[0]), chunks[c]), 0);
		for (int i = 0; i < N; i++)
			ck_assert_int_eq(out[i], (int64_t)i * i);
	}
	/* An empty map is done at once. */
	ck_assert_int_eq(mp_pool_map(pool, square, args, sizeof(args[0]), 0, out, sizeof(out[0]), 0), 0);
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
	ck_assert_int_eq(out[6], 36);
	ck_assert_int_eq(out[19], 361);
	ck_assert_int_eq(out[7], 0);
	/* A result bigger than the map's slot is that task's failure. */
	int32_t small[20];
	ck_assert_int_eq(mp_pool_map(pool, square, args, sizeof(args[0]), 20, small, sizeof(small[0]), 0), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	mp_pool_free(pool);
}
END_TEST

START_TEST(initializer_runs_in_every_worker)
{
	int value = 77;
	mp_pool *pool = mp_pool_new_init(3, init_worker, &value);
	int out[30];
	char dummy[30];

	ck_assert_ptr_nonnull(pool);
	ck_assert_int_eq(mp_pool_map(pool, report_init, dummy, 1, 30, out, sizeof(out[0]), 1), 0);
	for (int i = 0; i < 30; i++)
		ck_assert_int_eq(out[i], 77);
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

START_TEST(close_then_submit_is_an_error)
{
	mp_pool *pool = mp_pool_new(1);
	int64_t x = 2, out;

	ck_assert_int_eq(mp_pool_join(pool), -1);	/* before close */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_pool_close(pool), 0);
	ck_assert_ptr_null(mp_pool_apply_async(pool, square, &x, sizeof(x)));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_pool_apply(pool, square, &x, sizeof(x), &out, sizeof(out)), -1);
	ck_assert_int_eq(mp_pool_map(pool, square, &x, sizeof(x), 1, &out, sizeof(out), 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_pool_join(pool), 0);
	ck_assert_int_eq(mp_pool_join(pool), 0);	/* twice is fine */
	mp_pool_free(pool);
}
END_TEST

static int use_in_child(void *arg)
{
	mp_async_result *r = arg;
	int64_t v;

	/* A copy of the parent's result: not this process's pool. */
	return mp_async_get_timeout(r, &v, sizeof(v), 0) == -1 && errno == ECHILD ? 0 : 1;
}

START_TEST(bad_input_is_an_error)
{
	ck_assert_ptr_null(mp_pool_new(0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_pool_new(-3));
	ck_assert_int_eq(errno, EINVAL);

	mp_pool *pool = mp_pool_new(1);
	int64_t x = 3, v;
	ck_assert_ptr_null(mp_pool_apply_async(NULL, square, &x, sizeof(x)));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_pool_apply_async(pool, NULL, &x, sizeof(x)));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_pool_apply_async(pool, square, NULL, 8));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_pool_apply_async(pool, square, &x, MP_QUEUE_MSG_MAX));
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(mp_pool_map(pool, NULL, &x, sizeof(x), 1, &v, sizeof(v), 1), -1);
	ck_assert_int_eq(errno, EINVAL);

	mp_async_result *r = mp_pool_apply_async(pool, square, &x, sizeof(x));
	ck_assert_int_eq(mp_async_get_timeout(r, &v, sizeof(v), -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_async_get_timeout(r, &v, sizeof(v), NAN), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_async_get_timeout(NULL, &v, sizeof(v), 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_async_get_timeout(r, NULL, 8, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_async_get_timeout(r, &v, sizeof(v), 10), sizeof(v));
	ck_assert_int_eq(mp_async_task_id(NULL), -1);
	ck_assert_ptr_null(mp_async_error(NULL));

	/* A result (and its pool) used from another process. */
	mp_process p;
	ck_assert_int_eq(mp_process_init(&p, use_in_child, r, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), 0);

	ck_assert_int_eq(mp_pool_close(NULL), -1);
	ck_assert_int_eq(mp_pool_join(NULL), -1);
	ck_assert_int_eq(mp_pool_terminate(NULL), -1);
	mp_pool_free(NULL);
	mp_pool_free(pool);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc = leakcheck_case(&s, "pool", 60);

	tcase_add_checked_fixture(tc, shared_setup, shared_teardown);
	tcase_add_test(tc, apply_async_results_in_order);
	tcase_add_test(tc, apply_blocks_and_strings_come_back);
	tcase_add_test(tc, get_times_out_then_succeeds);
	tcase_add_test(tc, map_in_order_with_any_chunksize);
	tcase_add_test(tc, failing_tasks_return_their_errors);
	tcase_add_test(tc, initializer_runs_in_every_worker);
	tcase_add_test(tc, killed_worker_fails_its_task_and_pool_goes_on);
	tcase_add_test(tc, terminate_ends_stuck_workers_fast);
	tcase_add_test(tc, close_then_submit_is_an_error);
	tcase_add_test(tc, bad_input_is_an_error);
	return leakcheck_run(s);
}
