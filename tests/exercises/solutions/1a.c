/*
 * Exercise 1a, a solution: the parent waits for every child, so each is
 * still its parent's when it prints, and none is left to mprun.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	mp_printf("Parent %d starts.\n", (int)getpid());
	for (int i = 1; i <= 3; i++) {
		pid_t pid = fork();

		if (pid == -1)
			lesson_fail("fork");
		if (pid == 0) {
			sleep_ms(100 * i);
			mp_printf("Child %d: pid %d, parent %d.\n", i, (int)getpid(),
				  (int)getppid());
			_exit(EXIT_SUCCESS);
		}
	}

	/* wait() collects one child a call; -1 with ECHILD: none left. */
	while (wait(NULL) != -1)
		;
	if (errno != ECHILD)
		lesson_fail("wait");
	mp_printf("Parent: all children done.\n");
	return EXIT_SUCCESS;
}
