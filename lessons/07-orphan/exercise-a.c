/*
 * Exercise 7a - an orphan that names its adopter.
 *
 * The parent starts a child and ends 300 ms later without waiting for it.
 * The child becomes an orphan, and the kernel gives it a new parent: the
 * nearest "subreaper" above it (mprun, here), or pid 1.  The child should
 * say who adopted it.  As written, it sleeps 50 ms and assumes that is
 * long enough: it names its old parent, which has not ended yet.
 *
 * Your task: the child names the process that really adopted it, whatever
 * the timing: instead of sleeping a fixed time, wait until getppid() no
 * longer names the parent it started with (check every millisecond),
 * then print.  Keep the lines as they are.
 *
 * Predict, then run `make exercise-7a`: where on the timeline does the
 * dashed adoption arrow come, and where does the child print its line?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	pid_t parent = getpid(), pid;

	mp_printf("Parent %d starts.\n", (int)parent);
	pid = fork();
	if (pid == -1)
		lesson_fail("fork");
	if (pid == 0) {
		mp_printf("Child %d: my parent is %d.\n", (int)getpid(), (int)getppid());
		sleep_ms(50);		/* surely the parent has gone by now? */
		mp_printf("Child %d: adopted by %d.\n", (int)getpid(), (int)getppid());
		sleep_ms(100);		/* the rest of its work */
		_exit(EXIT_SUCCESS);
	}
	sleep_ms(300);			/* the parent's own work */
	mp_printf("Parent %d: ending, leaving child %d behind.\n", (int)parent, (int)pid);
	return EXIT_SUCCESS;
}
