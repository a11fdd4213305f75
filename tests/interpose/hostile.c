/*
 * hostile.c - programs that make life hard for a tracer.
 *
 * usage: hostile closed-stdout | forks N | exec PROGRAM [ARG...] | lttng-wakeups N
 *
 *   closed-stdout   closes fd 1, then prints (EBADF), forks and prints
 *                   again; exits 0 if no call crashed.
 *   forks N         forks N children that _exit(i % 100) at once, then
 *                   collects them all; prints how many it collected.
 *   exec PROG ...   replaces itself with PROG (a set-uid or static one).
 *   lttng-wakeups N writes N short messages through a pipe to a child that
 *                   reads them: enough events that LTTng switches buffers
 *                   and wakes its consumer (a write() of its own).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int closed_stdout(void)
{
	close(STDOUT_FILENO);
	if (printf("nobody reads this\n") < 0 || fflush(stdout) == EOF)
		fprintf(stderr, "printing to a closed stdout failed: %s\n", strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		printf("nor this\n");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	fprintf(stderr, "still alive\n");
	return 0;
}

static int forks(int n)
{
	int collected = 0;

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == -1)
			return perror("fork"), 1;
		if (pid == 0)
			_exit(i % 100);
	}
	while (wait(NULL) > 0)
		collected++;
	printf("collected %d children\n", collected);
	return collected == n ? 0 : 1;
}

static int wakeups(int n)
{
	int fds[2];
	char buf[64];

	if (pipe(fds) == -1)
		return perror("pipe"), 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	for (int i = 0; i < n; i++)
		if (write(fds[1], "0123456789", 10) != 10)
			return perror("write"), 1;
	close(fds[1]);
	waitpid(pid, NULL, 0);
	printf("wrote %d messages\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "closed-stdout") == 0)
		return closed_stdout();
	if (argc == 3 && strcmp(argv[1], "forks") == 0)
		return forks(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "lttng-wakeups") == 0)
		return wakeups(atoi(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
		execv(argv[2], &argv[2]);
		perror(argv[2]);
		return 127;
	}
	fprintf(stderr, "usage: hostile closed-stdout | forks N | exec PROGRAM [ARG...] | lttng-wakeups N\n");
	return 2;
}
