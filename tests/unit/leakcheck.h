/*
 * leakcheck.h - the fixture every unit test shares: a test fails if it
 * leaves a child, a zombie or an open file descriptor behind.
 *
 * Check runs each test in a process of its own; setup and teardown run in
 * that process, around the test.
 */
#ifndef LEAKCHECK_H
#define LEAKCHECK_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sys/wait.h>

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

#endif /* LEAKCHECK_H */
