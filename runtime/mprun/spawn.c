/*
 * spawn.c - start the program inside mprun's cgroup.
 *
 * posix_spawn cannot move its child into a cgroup, and moving it after it
 * has started leaves a moment in which it could fork outside.  So the
 * child joins the cgroup itself, between fork and exec, by writing "0"
 * (itself) into each cgroup.procs; everything it forks later is born
 * inside.  Between fork and exec the child of a threaded parent may only
 * make async-signal-safe calls: it writes, resets signals and execs.
 * The fork records nothing (mp__fork_quiet): the program records its own
 * start once it runs, and mprun its proc_fork.  mprun's calls are quiet
 * (main.c), and the child stays so until it execs.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* What a child whose join or exec failed writes into the pipe. */
struct failure {
	int step;
	int err;
};

static _Noreturn void child(char **argv, char **envp, const int *join_fds, int njoin,
			    int report)
{
	struct failure f = { SPAWN_JOIN, 0 };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int i = 0; i < njoin; i++) {
		if (write(join_fds[i], "0", 1) != 1) {
			f.err = errno;
			goto failed;
		}
	}
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);	/* fails, harmlessly, for SIGKILL, SIGSTOP */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvpe(argv[0], argv, envp != NULL ? envp : environ);
	f = (struct failure){ SPAWN_EXEC, errno };
failed:
	(void)!write(report, &f, sizeof(f));
	_exit(127);
}

pid_t spawn(char **argv, char **envp, const int *join_fds, int njoin,
	    enum spawn_step *failed)
{
	struct failure f;
	int report[2];
	ssize_t n;
	pid_t pid;

	*failed = SPAWN_FORK;
	if (pipe2(report, O_CLOEXEC) == -1)
		return -1;
	pid = mp__fork_quiet();	/* main.c records the lesson's proc_fork */
	if (pid == -1) {
		int err = errno;
		close(report[0]);
		close(report[1]);
		errno = err;
		return -1;
	}
	if (pid == 0)
		child(argv, envp, join_fds, njoin, report[1]);
	close(report[1]);

	/* End of file: exec succeeded and closed the pipe.  A struct failure:
	 * the child failed, and has exited. */
	do
		n = read(report[0], &f, sizeof(f));
	while (n == -1 && errno == EINTR);
	close(report[0]);
	if (n != (ssize_t)sizeof(f))
		return pid;
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
	*failed = f.step;
	errno = f.err;
	return -1;
}
