/*
 * test_timeouts.c - the timeout rule of mp.h, and empty messages, for every
 * call that may wait.
 *
 * The rule: 0 does not wait, MP_FOREVER has no limit, a positive number of
 * seconds however large is a limit (a very large one is no limit), a
 * negative or NaN timeout is EINVAL.  Each timed call is given every kind
 * of timeout while what it waits for is ready, so a wrong answer shows at
 * once and nothing here waits.  An empty message (NULL, 0) is a message
 * like any other.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* What every timed call must take: ready, each of these succeeds ... */
static const double fine[] = { 0, 60, 1e6, 9223372036.0, 1e300, MP_FOREVER };
/* ... and each of these is EINVAL, ready or not. */
static const double bad[] = { -1, -1e-9, -MP_FOREVER, NAN };

#define N_FINE (sizeof(fine) / sizeof(fine[0]))
#define N_BAD (sizeof(bad) / sizeof(bad[0]))

static void assert_einval(int r)
{
	ck_assert_int_eq(r, -1);
	ck_assert_int_eq(errno, EINVAL);
}

static int quick(void *arg)
{
	return 7;
}

/* Joins a child that has ended, or is about to, with `seconds`. */
static void join_quick_child(double seconds)
{
	mp_process p;

	start(&p, quick, NULL);
	for (size_t k = 0; k < N_BAD; k++)
		assert_einval(mp_process_join_timeout(&p, bad[k]));
	/* 0 may find it still running. */
	if (seconds == 0 && mp_process_join_timeout(&p, 0) == -1) {
		ck_assert_int_eq(errno, ETIMEDOUT);
		seconds = 60;
	}
	ck_assert_int_eq(mp_process_join_timeout(&p, seconds), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), 7);
}

START_TEST(process_join_timeout_forever)
{
	join_quick_child(MP_FOREVER);
}
END_TEST

START_TEST(process_join_timeout_huge)
{
	join_quick_child(9223372036.0);
}
END_TEST

START_TEST(process_join_timeout_all)
{
	for (size_t i = 0; i < N_FINE; i++)
		join_quick_child(fine[i]);
}
END_TEST

START_TEST(queue_timeouts)
{
	mp_queue *q = mp_joinable_queue_new(0);
	char buf[8];
	int64_t v;

	ck_assert_ptr_nonnull(q);
	for (size_t i = 0; i < N_FINE; i++) {
		ck_assert_int_eq(mp_queue_put_timeout(q, "abc", 3, fine[i]), 0);
		ck_assert_int_eq(mp_queue_get_timeout(q, buf, sizeof(buf), fine[i]), 3);
		ck_assert_int_eq(mp_queue_put_str_timeout(q, "xy", fine[i]), 0);
		ck_assert_int_eq(mp_queue_get_str_timeout(q, buf, sizeof(buf), fine[i]), 2);
		ck_assert_str_eq(buf, "xy");
		ck_assert_int_eq(mp_queue_put_int_timeout(q, 42, fine[i]), 0);
		ck_assert_int_eq(mp_queue_get_int_timeout(q, &v, fine[i]), 0);
		ck_assert_int_eq(v, 42);
		for (int k = 0; k < 3; k++)
			ck_assert_int_eq(mp_queue_task_done(q), 0);
		ck_assert_int_eq(mp_queue_join_timeout(q, fine[i]), 0);
	}
	for (size_t k = 0; k < N_BAD; k++) {
		assert_einval(mp_queue_put_timeout(q, "abc", 3, bad[k]));
		assert_einval((int)mp_queue_get_timeout(q, buf, sizeof(buf), bad[k]));
		assert_einval(mp_queue_put_str_timeout(q, "xy", bad[k]));
		assert_einval(mp_queue_put_int_timeout(q, 1, bad[k]));
		assert_einval((int)mp_queue_get_str_timeout(q, buf, sizeof(buf), bad[k]));
		assert_einval(mp_queue_get_int_timeout(q, &v, bad[k]));
		assert_einval(mp_queue_join_timeout(q, bad[k]));
	}
	ck_assert_int_eq(mp_queue_qsize(q), 0);
	ck_assert_int_eq(mp_queue_close(q), 0);
}
END_TEST

START_TEST(queue_empty_message)
{
	mp_queue *q = mp_queue_new(0);
	char buf[4];

	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(mp_queue_put(q, NULL, 0), 0);
	ck_assert_int_eq(mp_queue_put_timeout(q, NULL, 0, 0), 0);
	ck_assert_int_eq(mp_queue_put(q, "", 0), 0);
	ck_assert_int_eq(mp_queue_qsize(q), 3);
	ck_assert_int_eq(mp_queue_get_timeout(q, NULL, 0, 0), 0);
	ck_assert_int_eq(mp_queue_get(q, NULL, 0), 0);
	ck_assert_int_eq(mp_queue_get(q, buf, sizeof(buf)), 0);
	/* Empty now: a get that may not wait says so. */
	ck_assert_int_eq(mp_queue_get_timeout(q, NULL, 0, 0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(mp_queue_close(q), 0);
}
END_TEST

START_TEST(pipe_poll_and_empty_message)
{
	mp_conn *a, *b;
	char buf[4];

	int64_t v;

	ck_assert_int_eq(mp_pipe(true, &a, &b), 0);
	for (size_t i = 0; i < N_FINE; i++) {
		ck_assert_int_eq(mp_conn_send(a, NULL, 0), 0);
		ck_assert_int_eq(mp_conn_poll(b, fine[i]), 1);
		ck_assert_int_eq(mp_conn_recv(b, NULL, 0), 0);
		ck_assert_int_eq(mp_conn_send(a, NULL, 0), 0);
		ck_assert_int_eq(mp_conn_recv_timeout(b, NULL, 0, fine[i]), 0);
		ck_assert_int_eq(mp_conn_send_str(a, "xy"), 0);
		ck_assert_int_eq(mp_conn_recv_str_timeout(b, buf, sizeof(buf), fine[i]), 2);
		ck_assert_int_eq(mp_conn_send_int(a, 7), 0);
		ck_assert_int_eq(mp_conn_recv_int_timeout(b, &v, fine[i]), 0);
		ck_assert_int_eq(v, 7);
	}
	/* Nothing sent: a receive that may not wait says so. */
	ck_assert_int_eq(mp_conn_recv_timeout(b, buf, sizeof(buf), 0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	for (size_t k = 0; k < N_BAD; k++) {
		assert_einval((int)mp_conn_recv_timeout(b, buf, sizeof(buf), bad[k]));
		assert_einval((int)mp_conn_recv_str_timeout(b, buf, sizeof(buf), bad[k]));
		assert_einval(mp_conn_recv_int_timeout(b, &v, bad[k]));
	}
	ck_assert_int_eq(mp_conn_send(b, "", 0), 0);
	ck_assert_int_eq(mp_conn_recv(a, buf, sizeof(buf)), 0);
	ck_assert_int_eq(mp_conn_poll(b, 0), 0);
	for (size_t k = 0; k < N_BAD; k++)
		assert_einval(mp_conn_poll(b, bad[k]));
	ck_assert_int_eq(mp_conn_close(a), 0);
	ck_assert_int_eq(mp_conn_close(b), 0);
}
END_TEST

START_TEST(event_and_lock_timeouts)
{
	mp_event *e = mp_event_new();
	mp_lock *l = mp_lock_new();

	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(mp_event_set(e), 0);
	for (size_t i = 0; i < N_FINE; i++) {
		ck_assert_int_eq(mp_event_wait_timeout(e, fine[i]), 0);
		ck_assert_int_eq(mp_lock_acquire_timeout(l, fine[i]), 0);
		ck_assert_int_eq(mp_lock_release(l), 0);
	}
	for (size_t k = 0; k < N_BAD; k++) {
		assert_einval(mp_event_wait_timeout(e, bad[k]));
		assert_einval(mp_lock_acquire_timeout(l, bad[k]));
	}
	ck_assert_int_eq(mp_event_close(e), 0);
	ck_assert_int_eq(mp_lock_close(l), 0);
}
END_TEST

static ssize_t answer(const void *arg, size_t len, void *result, size_t size)
{
	memcpy(result, "ok", 2);
	return 2;
}

START_TEST(pool_timeouts)
{
	mp_pool *pool = mp_pool_new(1);
	mp_async_result *r;
	char buf[8];

	ck_assert_ptr_nonnull(pool);
	r = mp_pool_apply_async(pool, answer, NULL, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(mp_async_wait(r), 0);
	for (size_t i = 0; i < N_FINE; i++) {
		int64_t v;

		ck_assert_int_eq(mp_async_wait_timeout(r, fine[i]), 0);
		ck_assert_int_eq(mp_async_get_int_timeout(r, &v, fine[i]), -1);
		ck_assert_int_eq(errno, EBADMSG);	/* 2 bytes, not an integer */
		ck_assert_int_eq(mp_async_get_timeout(r, buf, sizeof(buf), fine[i]), 2);
		ck_assert_int_eq(mp_async_get_str_timeout(r, buf, sizeof(buf), fine[i]), 2);
	}
	for (size_t k = 0; k < N_BAD; k++) {
		assert_einval(mp_async_wait_timeout(r, bad[k]));
		assert_einval((int)mp_async_get_timeout(r, buf, sizeof(buf), bad[k]));
	}
	mp_pool_free(pool);
}
END_TEST

START_TEST(subprocess_timeouts)
{
	char *argv[] = { "true", NULL };
	struct mp_completed c;

	for (size_t i = 0; i < N_FINE; i++) {
		mp_subprocess *p = mp_subprocess_popen(argv, NULL);

		ck_assert_ptr_nonnull(p);
		for (size_t k = 0; k < N_BAD; k++) {
			assert_einval(mp_subprocess_wait_timeout(p, bad[k]));
			assert_einval(mp_subprocess_communicate_timeout(p, NULL, 0, bad[k], &c));
		}
		ck_assert_int_eq(mp_subprocess_communicate_timeout(p, NULL, 0, fine[i] ? fine[i] : MP_FOREVER, &c), 0);
		ck_assert_int_eq(c.returncode, 0);
		mp_completed_free(&c);
		ck_assert_int_eq(mp_subprocess_wait_timeout(p, fine[i]), 0);
		ck_assert_int_eq(mp_subprocess_close(p), 0);
	}
}
END_TEST

START_TEST(manager_queue_get_timeouts)
{
	mp_manager *m = mp_manager_start();
	mp_queue_proxy *q;
	char buf[8];
	int64_t v;

	ck_assert_ptr_nonnull(m);
	q = mp_manager_queue(m, NULL);
	ck_assert_ptr_nonnull(q);
	for (size_t i = 0; i < N_FINE; i++) {
		ck_assert_int_eq(mp_queue_proxy_put(q, "abc", 3), 0);
		ck_assert_int_eq(mp_queue_proxy_get_timeout(q, buf, sizeof(buf), fine[i]), 3);
		ck_assert_int_eq(mp_queue_proxy_put_int(q, 5), 0);
		ck_assert_int_eq(mp_queue_proxy_get_int_timeout(q, &v, fine[i]), 0);
		ck_assert_int_eq(v, 5);
	}
	ck_assert_int_eq(mp_queue_proxy_put(q, NULL, 0), 0);
	ck_assert_int_eq(mp_queue_proxy_get_timeout(q, NULL, 0, 0), 0);
	for (size_t k = 0; k < N_BAD; k++)
		assert_einval((int)mp_queue_proxy_get_timeout(q, buf, sizeof(buf), bad[k]));
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

int main(void)
{
	return leakcheck_main("timeouts", 60, NULL, NULL, (const TTest *[]){
		process_join_timeout_forever,
		process_join_timeout_huge,
		process_join_timeout_all,
		queue_timeouts,
		queue_empty_message,
		pipe_poll_and_empty_message,
		event_and_lock_timeouts,
		pool_timeouts,
		subprocess_timeouts,
		manager_queue_get_timeouts,
		NULL,
	});
}
