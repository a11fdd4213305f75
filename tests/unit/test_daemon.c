/*
 * test_daemon.c - daemon processes: ended with their parent, even when the
 * parent vanishes without its exit handler, and never parents themselves.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  A daemon's end is waited for on
 * its pidfd, with a deadline.
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

static int sleep_forever(void *arg) { for (;;) pause(); return 0; }

/* ---- daemons ----------------------------------------------------------- */

/* Starts a daemon that sleeps forever, sends its pid up the pipe, and
 * returns (arg[1] == 0) or vanishes with _exit (arg[1] == 1), skipping the
 * exit handler. */
static int parent_of_daemon(void *arg)
{
	int *a = arg;
	mp_process d;

	mp_process_init(&d, sleep_forever, NULL, "daemon");
	d.daemon = true;
	if (mp_process_start(&d) == -1)
		return 1;
	if (write(a[0], &d.pid, sizeof(d.pid)) != sizeof(d.pid))
		return 1;
	if (a[1])
		_exit(0);
	return 0;
}

/* Waits up to `seconds` for pid (our child, or adopted by us) to end. */
static int reaped_within(pid_t pid, double seconds, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int r;

	ck_assert_int_ge(pidfd, 0);
	r = poll(&pfd, 1, (int)(seconds * 1000));
	close(pidfd);
	if (r != 1)
		return 0;
	return waitpid(pid, status, 0) == pid;
}

START_TEST(daemon_ended_with_its_parent)
{
	mp_process p;
	int fds[2], args[2] = { 0, 0 }, status;
	pid_t daemon_pid;

	ck_assert_int_eq(pipe(fds), 0);
	args[0] = fds[1];
	ck_assert_int_eq(mp_process_init(&p, parent_of_daemon, args, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(read(fds[0], &daemon_pid, sizeof(daemon_pid)), sizeof(daemon_pid));
	ck_assert_int_eq(mp_process_join_timeout(&p, 5.0), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
	/* The parent terminated and collected its daemon before it ended. */
	ck_assert_int_eq(kill(daemon_pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	(void)status;
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(daemon_ended_when_parent_vanishes)
{
	mp_process p;
	int fds[2], args[2] = { 0, 1 }, status;
	pid_t daemon_pid;

	/* Orphans come to us, so the test can see how the daemon ended. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe(fds), 0);
	args[0] = fds[1];
	ck_assert_int_eq(mp_process_init(&p, parent_of_daemon, args, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(read(fds[0], &daemon_pid, sizeof(daemon_pid)), sizeof(daemon_pid));
	ck_assert_int_eq(mp_process_join_timeout(&p, 5.0), 0);
	ck_assert(reaped_within(daemon_pid, 2.0, &status));
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static int try_to_start_child(void *arg)
{
	mp_process g;

	mp_process_init(&g, return_arg, arg, NULL);
	return mp_process_start(&g) == -1 && errno == EPERM ? 0 : 1;
}

START_TEST(daemon_may_not_have_children)
{
	mp_process d;
	int zero = 0;

	ck_assert_int_eq(mp_process_init(&d, try_to_start_child, &zero, NULL), 0);
	d.daemon = true;
	ck_assert_int_eq(mp_process_start(&d), 0);
	ck_assert_int_eq(mp_process_join(&d), 0);
	ck_assert_int_eq(mp_process_exitcode(&d), 0);
}
END_TEST

int main(void)
{
	return leakcheck_main("daemon", 10, NULL, NULL, (const TTest *[]){
		daemon_ended_with_its_parent,
		daemon_ended_when_parent_vanishes,
		daemon_may_not_have_children,
		NULL,
	});
}
