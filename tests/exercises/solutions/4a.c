/*
 * Exercise 4a, a solution: every process closes the pipe ends it does not
 * use, so wc sees end of file when ls ends.
 */
#define _GNU_SOURCE
#include "lesson.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fd[2];
	pid_t ls, wc;

	if (pipe(fd) == -1)
		lesson_fail("pipe");

	if ((ls = fork()) == -1)
		lesson_fail("fork");
	if (ls == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execlp("ls", "ls", "/", (char *)NULL);
		lesson_fail("exec ls");
	}

	if ((wc = fork()) == -1)
		lesson_fail("fork");
	if (wc == 0) {
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		execlp("wc", "wc", "-l", (char *)NULL);
		lesson_fail("exec wc");
	}

	close(fd[0]);		/* main neither reads nor writes the pipe */
	close(fd[1]);
	if (waitpid(ls, NULL, 0) == -1 || waitpid(wc, NULL, 0) == -1)
		lesson_fail("waitpid");
	return EXIT_SUCCESS;
}
