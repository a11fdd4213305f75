/*
 * test_pool.c - Pool: results in order, apply, map with any chunksize, the
 * initializer, close, and bad input.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Waits have deadlines.
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
#include <time.h>
#include <unistd.h>

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
	return leakcheck_main("pool", 60, shared_setup, shared_teardown, (const TTest *[]){
		apply_async_results_in_order,
		apply_blocks_and_strings_come_back,
		map_in_order_with_any_chunksize,
		initializer_runs_in_every_worker,
		close_then_submit_is_an_error,
		bad_input_is_an_error,
		NULL,
	});
}
