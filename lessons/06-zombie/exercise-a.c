/*
 * Exercise 6a - no zombie: collect the child the moment it ends.
 *
 * The parent has a second of work to do (here, a sleep) and starts it at
 * once.  Its child works 400 ms and exits while the parent is busy.  As
 * written, the parent collects the child only when its own work is done:
 * the child is a zombie for about 600 ms.
 *
 * Your task: the parent collects the child as soon as it ends (the check
 * allows 200 ms: on a busy machine a sleeping parent can take tens of
 * milliseconds to wake), and still starts its work at once and finishes it
 * by about 1000 ms.  Install
 * a SIGCHLD handler (sigaction, with SA_RESTART) that collects every child
 * that has ended with waitpid(-1, &status, WNOHANG) in a loop.  A handler
 * may only call async-signal-safe functions: waitpid is one, printf is
 * not; keep what it found in a volatile sig_atomic_t and print it later.
 *
 * Predict, then run `make exercise-6a`: where on the child's lane does the
 * red zombie bar start and end, before and after your change?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;
	pid_t child;

	mp_printf("Parent %d starts.\n", (int)getpid());
	child = fork();
	if (child == -1)
		lesson_fail("fork");
	if (child == 0) {
		sleep_ms(400);			/* the child's work */
		mp_printf("Child %d: done, exiting.\n", (int)getpid());
		_exit(EXIT_SUCCESS);
	}

	mp_printf("Parent: working for 1000 ms.\n");
	sleep_ms(1000);				/* the parent's work */

	if (waitpid(child, &status, 0) == -1)
		lesson_fail("waitpid");
	mp_printf("Parent: collected child %d, exit status %d.\n", (int)child,
		  WEXITSTATUS(status));
	return EXIT_SUCCESS;
}
