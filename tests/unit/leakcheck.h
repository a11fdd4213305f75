/*
 * leakcheck.h - what every unit test shares: a fixture that fails a test
 * leaving a child, a zombie or an open file descriptor behind, the Check
 * runner around it, and the small helpers every test file uses (now,
 * start, join, WAIT_UNTIL).
 *
 * Check runs each test in a process of its own; setup and teardown run in
 * that process, around the test.
 */
#ifndef LEAKCHECK_H
#define LEAKCHECK_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp.h"

static int leakcheck_fds;

static int leakcheck_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void leakcheck_setup(void)
{
	leakcheck_fds = leakcheck_count_fds();
}

static void leakcheck_teardown(void)
{
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);	/* no child, no zombie */
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(leakcheck_count_fds(), leakcheck_fds);
}

/* The sanitizer build (make test's second pass) looks for memory errors,
 * not throughput: a stress test there makes a tenth of its iterations,
 * which still cross every path (ASan makes each byte copied ~10x dearer). */
#if defined(__SANITIZE_ADDRESS__)
#define STRESS(n) ((n) / 10)
#else
#define STRESS(n) (n)
#endif

/* Monotonic time in seconds. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A wait of `want` seconds that gave up after `took`: not early, and not
 * 10% too long plus 100 ms for a loaded CPU to wake the waiter (a 100 ms
 * wait was seen to end at 118 ms and at 183 ms with other test suites
 * running on the two CPUs). */
#define ASSERT_ON_TIME(took, want) do {                                    \
	double took_ = (took), want_ = (want);                             \
	ck_assert_double_ge(took_, want_);                                 \
	ck_assert_double_le(took_, want_ * 1.1 + 0.1);                     \
} while (0)

/* Starts a child running body(arg); the test fails if it cannot. */
static inline void start(mp_process *p, mp_target_fn body, void *arg)
{
	ck_assert_int_eq(mp_process_init(p, body, arg, NULL), 0);
	ck_assert_int_eq(mp_process_start(p), 0);
}

/* Joins p, the test failing if that takes over 60 s; p's exit code. */
static inline int join(mp_process *p)
{
	ck_assert_int_eq(mp_process_join_timeout(p, 60), 0);
	return mp_process_exitcode(p);
}

/* Waits until cond holds, looking every millisecond, at most `seconds`
 * (the test fails then): for a state another process reaches, such as
 * "the task has started", never for time itself to pass. */
#define WAIT_UNTIL(cond, seconds) do {                                      \
	double until_ = now() + (seconds);                                  \
	while (!(cond)) {                                                   \
		ck_assert_msg(now() < until_, "timed out waiting for " #cond); \
		usleep(1000);                                               \
	}                                                                   \
} while (0)

/* A new suite `name` with one test case whose tests each get the fixture
 * and at most `timeout` seconds; add the tests to the returned case. */
static TCase *leakcheck_case(Suite **suite, const char *name, int timeout)
{
	TCase *tc = tcase_create(name);

	*suite = suite_create(name);
	tcase_add_checked_fixture(tc, leakcheck_setup, leakcheck_teardown);
	tcase_set_timeout(tc, timeout);
	suite_add_tcase(*suite, tc);
	return tc;
}

/* Runs the suite, each test in a process of its own; main()'s exit status. */
static int leakcheck_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A test file's main(): the suite `name` of the NULL-terminated `tests`,
 * each in a process of its own with the fixture (and setup/teardown
 * around it too, unless NULL) and at most `timeout` seconds.  The exit
 * status: 0 when every test passed. */
static inline int leakcheck_main(const char *name, int timeout, void (*setup)(void),
				 void (*teardown)(void), const TTest *const tests[])
{
	Suite *suite;
	TCase *tc = leakcheck_case(&suite, name, timeout);

	if (setup != NULL || teardown != NULL)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (int i = 0; tests[i] != NULL; i++)
		tcase_add_test(tc, tests[i]);
	return leakcheck_run(suite);
}

#endif /* LEAKCHECK_H */
