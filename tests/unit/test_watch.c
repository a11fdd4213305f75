/*
 * test_watch.c - reading process states from /proc, and the watcher thread.
 *
 * The watcher must keep quiet and keep going when processes vanish under
 * it, and must be cheap: it samples every millisecond for a whole lesson.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks a child that _exit()s at once; returns its pid, not collected. */
static pid_t zombie(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	/* Its pidfd turns readable when it has exited: then it is a zombie. */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	close(pidfd);
	return pid;
}

START_TEST(info_of_self)
{
	struct mp_proc_info info;

	ck_assert_int_eq(mp_proc_info(getpid(), &info), 0);
	ck_assert_int_eq(info.pid, getpid());
	ck_assert_int_eq(info.ppid, getppid());
	ck_assert_int_eq(info.state, 'R');
	ck_assert_str_eq(info.comm, "test-watch");
}
END_TEST

START_TEST(info_of_zombie_and_of_nothing)
{
	struct mp_proc_info info;
	pid_t pid = zombie();

	ck_assert_int_eq(mp_proc_info(pid, &info), 0);
	ck_assert_int_eq(info.state, 'Z');
	ck_assert_int_eq(info.ppid, getpid());
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(mp_proc_info(pid, &info), -1);	/* gone */
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(mp_proc_info(0, &info), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_proc_info(getpid(), NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(watch_bad_arguments)
{
	pid_t pid = zombie();

	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_ptr_null(mp_watch_start(pid, 0.001));	/* no such process */
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_ptr_null(mp_watch_start(getpid(), 0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_watch_start(getpid(), -1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_watch_start(-5, 0.001));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_watch_stop(NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* 300 children that live a moment each, collected at once, while the
 * watcher walks the tree every 0.1 ms: processes vanish between its reading
 * a children list and opening their files, and while it reads them. */
START_TEST(watch_survives_vanishing_processes_quietly)
{
	struct mp_watch_stats st;
	int err[2], saved;
	char buf[256];
	mp_watch *w;

	ck_assert_int_eq(pipe(err), 0);
	saved = dup(STDERR_FILENO);
	dup2(err[1], STDERR_FILENO);
	close(err[1]);

	w = mp_watch_start(getpid(), 0.0001);
	ck_assert_ptr_nonnull(w);
	for (int i = 0; i < 300; i++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(0);
		ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	}
	ck_assert_int_eq(mp_watch_stop(w, &st), 0);

	dup2(saved, STDERR_FILENO);
	close(saved);
	ck_assert_int_gt(st.samples, 10);
	/* Not a word on stderr. */
	ck_assert_int_eq(read(err[0], buf, sizeof(buf)), 0);
	close(err[0]);
}
END_TEST

/* Every round looks at each process: a zombie made while it watches, and
 * children that sleep, are in the tree it reports. */
START_TEST(watch_sees_children_and_costs_little)
{
	struct mp_watch_stats st;
	pid_t kids[8];
	mp_watch *w = mp_watch_start(getpid(), 0.001);

	ck_assert_ptr_nonnull(w);
	for (int i = 0; i < 8; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			pause();
			_exit(0);
		}
	}
	pid_t z = zombie();
	usleep(300000);		/* the watcher's work to measure: 0.3 s of rounds */
	ck_assert_int_eq(mp_watch_stop(w, &st), 0);
	for (int i = 0; i < 8; i++) {
		kill(kids[i], SIGKILL);
		ck_assert_int_eq(waitpid(kids[i], NULL, 0), kids[i]);
	}
	ck_assert_int_eq(waitpid(z, NULL, 0), z);

	ck_assert_int_eq(st.most_watched, 9);
	ck_assert_int_ge(st.changes, 9);	/* each seen at least once */
	ck_assert_int_gt(st.samples, 100);	/* ~300 rounds at 1 ms */
	/* At 1 ms with 9 processes it uses a few percent of a CPU; a busy
	 * loop would use 100%. */
	ck_assert_double_lt(st.cpu_seconds / st.seconds, 0.25);
	printf("watcher: %ld rounds in %.3f s over %d processes, %.1f ms CPU (%.1f%%)\n",
	       st.samples, st.seconds, st.most_watched, st.cpu_seconds * 1e3,
	       100 * st.cpu_seconds / st.seconds);
}
END_TEST

int main(void)
{
	return leakcheck_main("watch", 20, NULL, NULL, (const TTest *[]){
		info_of_self,
		info_of_zombie_and_of_nothing,
		watch_bad_arguments,
		watch_survives_vanishing_processes_quietly,
		watch_sees_children_and_costs_little,
		NULL,
	});
}
