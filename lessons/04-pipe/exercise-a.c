/*
 * Exercise 4a - `ls / | wc -l` by hand: pipe, fork, dup2, exec.
 *
 * main makes a pipe and two children: the first becomes `ls /` with its
 * stdout the pipe's write end, the second `wc -l` with its stdin the
 * pipe's read end; then main waits for both.  wc counts lines until end of
 * file, and a pipe's reader sees end of file only when every write end is
 * closed - in every process.  As written, wc keeps a write end across its
 * exec, and main keeps both ends while it waits: wc never sees end of
 * file, and mprun ends the program at its time limit.
 *
 * Your task: wc prints the number of entries in / and everything ends by
 * itself.  Each child closes both pipe ends once it has dup2'ed the one it
 * needs, and main closes both before it waits.
 *
 * Predict, then run `make exercise-4a`: which lanes hold the pipe's ends
 * when main begins to wait, before and after your change?
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
	if (ls == 0) {				/* ls: stdout into the pipe */
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execlp("ls", "ls", "/", (char *)NULL);
		lesson_fail("exec ls");
	}

	if ((wc = fork()) == -1)
		lesson_fail("fork");
	if (wc == 0) {				/* wc: stdin from the pipe */
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		execlp("wc", "wc", "-l", (char *)NULL);
		lesson_fail("exec wc");
	}

	if (waitpid(ls, NULL, 0) == -1 || waitpid(wc, NULL, 0) == -1)
		lesson_fail("waitpid");
	return EXIT_SUCCESS;
}
