/*
 * 06-zombie - a child that has ended, and a parent that has not collected it.
 *
 * usage: 06-zombie [--linger MS] [--help]
 *
 * When a process ends, the kernel frees almost everything it had, but keeps
 * one small entry in the process table: its pid and its exit status, for
 * its parent to collect with wait().  Until the parent does, the child is a
 * zombie - state Z in ps, "<defunct>" beside its name.  A zombie uses no
 * CPU and no memory; what it holds is a pid.  A parent that forks many
 * children and never waits fills the process table with them.
 *
 * Here the child exits at once.  The parent, on purpose, does not wait:
 * it sleeps for MS milliseconds (default 300), then reads the child's line
 * in /proc the way ps does, and only then calls waitpid().  After that the
 * child's entry is gone.
 *
 * On the timeline: the child's lane turns red (Z) when it exits and stays red
 * until the parent's reap - the whole sleep long.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 06-zombie [--linger MS] [--help]\n"
		     "A child exits; the parent waits MS milliseconds (default 300, 20-10000)\n"
		     "before collecting it, and shows it as a zombie in between.\n");
}

/* What ps prints for one process: pid, parent, state, name - read from
 * /proc/PID/stat, the same file ps reads. */
static void ps_line(pid_t pid)
{
	struct mp_proc_info info;

	if (mp_proc_info(pid, &info) == -1) {
		mp_printf("  %5d  (no such process)\n", (int)pid);
		return;
	}
	mp_printf("  %5d %5d %c    %s%s\n", (int)info.pid, (int)info.ppid, info.state,
		  info.comm, info.state == 'Z' ? " <defunct>" : "");
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "linger", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	long linger_ms = 300;
	int opt, status;
	pid_t pid;

	while ((opt = getopt_long(argc, argv, "l:h", options, NULL)) != -1) {
		switch (opt) {
		case 'l':
			linger_ms = lesson_number(optarg, "--linger", 20, 10000, usage);
			break;
		default:
			lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);

	mp_printf("Parent %d starts.\n", (int)getpid());
	switch (pid = fork()) {
	case -1:
		lesson_fail("fork");
	case 0:
		mp_printf("Child %d: exiting at once.\n", (int)getpid());
		_exit(EXIT_SUCCESS);
	default:
		break;
	}

	/* Not waiting: the child ends while the parent sleeps. */
	mp_printf("Parent: sleeping %ld ms without calling wait().\n", linger_ms);
	sleep_ms(linger_ms);
	/* On a busy machine the child may not have run yet.  WNOWAIT waits
	 * for its end without collecting it, so what ps shows is always Z. */
	while (waitid(P_PID, (id_t)pid, &(siginfo_t){ 0 }, WEXITED | WNOWAIT) == -1) {
		if (errno != EINTR)
			lesson_fail("waitid");
	}

	mp_printf("Parent: what ps would show now:\n");
	mp_printf("    PID  PPID STAT COMMAND\n");
	ps_line(pid);

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			lesson_fail("waitpid");
	}
	mp_printf("Parent: waitpid(%d) collected exit status %d.\n", (int)pid, WEXITSTATUS(status));
	mp_printf("Parent: and now:\n");
	ps_line(pid);
	return EXIT_SUCCESS;
}
