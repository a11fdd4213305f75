/*
 * Exercise 1a - three children, each collected by the parent that made it.
 *
 * The parent forks three children.  Child i works i x 100 ms, prints its
 * pid and its parent's, and exits.  As written, the parent collects one
 * child and leaves: the other two lose their parent while they work, so
 * the parent they print is not the one that made them, and mprun, not
 * their parent, collects them.
 *
 * Your task: the parent collects all three children itself, and each
 * child prints the pid of the process that made it.  Keep the children's
 * work and their line as they are.
 *
 * Predict, then run `make exercise-1a`: which lanes end collected by
 * mprun, and what does each child print as its parent?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

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
			sleep_ms(100 * i);	/* the child's work */
			mp_printf("Child %d: pid %d, parent %d.\n", i, (int)getpid(),
				  (int)getppid());
			_exit(EXIT_SUCCESS);
		}
	}

	/* Collect the children. */
	if (wait(NULL) == -1)
		lesson_fail("wait");
	mp_printf("Parent: all children done.\n");
	return EXIT_SUCCESS;
}
