/*
 * lswc.c - `ls DIR | wc -c` by hand: pipe, fork, dup2, exec, wait.
 *
 * usage: lswc DIR
 *
 * The shell's pipeline in plain system calls, as an operating-systems
 * course writes it; never calls the runtime.  Prints wc's count, then how
 * each child ended.  The interpose tests run it under the preload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t start(int from, int to, char *const argv[])
{
	pid_t pid = fork();

	switch (pid) {
	case -1:
		perror("fork");
		exit(1);
	case 0:		/* child: the pipe's end becomes stdin or stdout */
		if (from >= 0 && dup2(from, STDIN_FILENO) == -1)
			_exit(126);
		if (to >= 0 && dup2(to, STDOUT_FILENO) == -1)
			_exit(126);
		if (from >= 0)
			close(from);
		if (to >= 0)
			close(to);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	default:
		return pid;
	}
}

int main(int argc, char **argv)
{
	int fds[2], status;

	if (argc != 2) {
		fprintf(stderr, "usage: lswc DIR\n");
		return 2;
	}
	if (pipe(fds) == -1) {
		perror("pipe");
		return 1;
	}
	char *ls[] = { "ls", "-l", argv[1], NULL };
	char *wc[] = { "wc", "-c", NULL };
	pid_t writer = start(-1, fds[1], ls);
	close(fds[1]);		/* else wc never sees end of file */
	start(fds[0], -1, wc);
	close(fds[0]);

	for (int i = 0; i < 2; i++) {
		pid_t pid = wait(&status);

		if (pid == -1) {
			perror("wait");
			return 1;
		}
		fprintf(stderr, "%s (%d) exited %d\n", pid == writer ? "ls" : "wc", pid,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return 0;
}
