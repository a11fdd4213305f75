/*
 * test_process.c - a Process's life: exit codes as Python gives them,
 * join with and without a timeout, signals, and bad calls.
 *
 * Check runs every test in a child process of its own with a time limit, and
 * the fixture around each test fails it if it leaves a child, a zombie or an
 * open file descriptor behind.  Waits are on events (a pipe, a pidfd), with
 * deadlines, never sleeps that hope.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- bodies ----------------------------------------------------------- */

static int return_arg(void *arg) { return *(int *)arg; }

static int call_exit(void *arg) { exit(*(int *)arg); }

static int call_abort(void *arg) { setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 }); abort(); return 0; }

static int sleep_forever(void *arg) { for (;;) pause(); return 0; }

static int sleep_ms(void *arg)
{
	struct timespec ts = { 0, *(int *)arg * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

static int run_to_end(mp_target_fn body, int arg)
{
	mp_process p;

	ck_assert_int_eq(mp_process_init(&p, body, &arg, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	return mp_process_exitcode(&p);
}

/* ---- exit codes, Python's convention ---------------------------------- */

START_TEST(exitcode_of_return)
{
	ck_assert_int_eq(run_to_end(return_arg, 0), 0);
	ck_assert_int_eq(run_to_end(return_arg, 1), 1);
	ck_assert_int_eq(run_to_end(return_arg, 42), 42);
}
END_TEST

START_TEST(exitcode_of_exit)
{
	ck_assert_int_eq(run_to_end(call_exit, 3), 3);
}
END_TEST

START_TEST(exitcode_of_signal)
{
	ck_assert_int_eq(run_to_end(call_abort, 0), -SIGABRT);
}
END_TEST

START_TEST(exitcode_none_before_end)
{
	mp_process p;

	ck_assert_int_eq(mp_process_init(&p, sleep_forever, NULL, NULL), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), MP_EXITCODE_NONE);
	ck_assert(!mp_process_is_alive(&p));
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), MP_EXITCODE_NONE);
	ck_assert(mp_process_is_alive(&p));
	ck_assert_int_eq(mp_process_kill(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), -SIGKILL);
	ck_assert(!mp_process_is_alive(&p));
}
END_TEST

/* ---- join with a timeout, terminate ------------------------------------ */

START_TEST(join_timeout_on_running)
{
	mp_process p;
	double t0;

	ck_assert_int_eq(mp_process_init(&p, sleep_forever, NULL, "sleeper"), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	t0 = now();
	ck_assert_int_eq(mp_process_join_timeout(&p, 0.2), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_double_ge(now() - t0, 0.2);
	ck_assert_double_lt(now() - t0, 1.0);
	ck_assert(mp_process_is_alive(&p));

	ck_assert_int_eq(mp_process_terminate(&p), 0);
	ck_assert_int_eq(mp_process_join_timeout(&p, 2.0), 0);
	ck_assert(!mp_process_is_alive(&p));
	ck_assert_int_eq(mp_process_exitcode(&p), -SIGTERM);
	/* Signalling or joining an ended process is harmless. */
	ck_assert_int_eq(mp_process_terminate(&p), 0);
	ck_assert_int_eq(mp_process_join_timeout(&p, 0), 0);
}
END_TEST

START_TEST(join_timeout_returns_when_child_ends)
{
	mp_process p;
	int ms = 50;
	double t0;

	ck_assert_int_eq(mp_process_init(&p, sleep_ms, &ms, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	t0 = now();
	ck_assert_int_eq(mp_process_join_timeout(&p, 5.0), 0);
	ck_assert_double_lt(now() - t0, 2.0);	/* woken by the end, not the timeout */
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
}
END_TEST

static void on_alarm(int sig) { (void)sig; }

START_TEST(join_survives_signals)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } }, off = { 0 };
	mp_process p, q;
	int ms = 60;

	sigaction(SIGALRM, &sa, NULL);
	ck_assert_int_eq(mp_process_init(&p, sleep_ms, &ms, NULL), 0);
	ck_assert_int_eq(mp_process_init(&q, sleep_ms, &ms, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_start(&q), 0);
	setitimer(ITIMER_REAL, &every_ms, NULL);
	ck_assert_int_eq(mp_process_join(&p), 0);		/* EINTR retried */
	ck_assert_int_eq(mp_process_join_timeout(&q, 5.0), 0);
	setitimer(ITIMER_REAL, &off, NULL);
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&q), 0);
}
END_TEST

/* ---- bad calls: -1 and errno, never a crash ---------------------------- */

static int join_sibling(void *arg)
{
	return mp_process_join(arg) == -1 && errno == ECHILD ? 0 : 1;
}

START_TEST(bad_calls)
{
	mp_process p, q;
	char long_name[MP_NAME_MAX + 1];

	memset(long_name, 'x', MP_NAME_MAX);
	long_name[MP_NAME_MAX] = '\0';
	ck_assert_int_eq(mp_process_init(NULL, return_arg, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_init(&p, return_arg, NULL, long_name), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_start(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_int_eq(mp_process_init(&p, NULL, NULL, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), -1);	/* no body */
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_int_eq(mp_process_init(&p, sleep_forever, NULL, NULL), 0);
	ck_assert_int_eq(mp_process_join(&p), -1);	/* not started */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_terminate(&p), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_join(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_start(&p), -1);	/* twice */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_join_timeout(&p, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_join_timeout(&p, NAN), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* Only the parent may join. */
	ck_assert_int_eq(mp_process_init(&q, join_sibling, &p, NULL), 0);
	ck_assert_int_eq(mp_process_start(&q), 0);
	ck_assert_int_eq(mp_process_join(&q), 0);
	ck_assert_int_eq(mp_process_exitcode(&q), 0);

	ck_assert_int_eq(mp_process_kill(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
}
END_TEST

START_TEST(cpu_count_positive)
{
	ck_assert_int_ge(mp_cpu_count(), 1);
}
END_TEST

int main(void)
{
	return leakcheck_main("process", 10, NULL, NULL, (const TTest *[]){
		exitcode_of_return,
		exitcode_of_exit,
		exitcode_of_signal,
		exitcode_none_before_end,
		join_timeout_on_running,
		join_timeout_returns_when_child_ends,
		join_survives_signals,
		bad_calls,
		cpu_count_positive,
		NULL,
	});
}
