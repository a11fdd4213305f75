/*
 * test_event.c - Event across processes: set wakes every waiter, a wait
 * with a timeout that runs out.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.
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

/* ---- Event -------------------------------------------------------------------- */

static int wait_for_event(void *arg)
{
	return mp_event_wait_timeout(arg, 5) == 0 ? 0 : 1;
}

START_TEST(event_wakes_waiters_and_times_out)
{
	mp_event *e = mp_event_new();
	mp_process w[3];

	ck_assert(!mp_event_is_set(e));
	double t0 = now();
	ck_assert_int_eq(mp_event_wait_timeout(e, 0.1), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ASSERT_ON_TIME(now() - t0, 0.1);
	for (int i = 0; i < 3; i++)
		start(&w[i], wait_for_event, e);
	ck_assert_int_eq(mp_event_set(e), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(join(&w[i]), 0);
	ck_assert(mp_event_is_set(e));
	ck_assert_int_eq(mp_event_wait(e), 0);
	ck_assert_int_eq(mp_event_clear(e), 0);
	ck_assert(!mp_event_is_set(e));
	ck_assert_int_eq(mp_event_wait_timeout(e, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_event_close(e), 0);
	ck_assert_int_eq(mp_event_set(e), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

int main(void)
{
	return leakcheck_main("event", 60, NULL, NULL, (const TTest *[]){
		event_wakes_waiters_and_times_out,
		NULL,
	});
}
