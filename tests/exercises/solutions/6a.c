/*
 * Exercise 6a, a solution: the child is collected by a SIGCHLD handler,
 * a few microseconds after it ends, while the parent works on.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t collected_pid, collected_status;

/* Collects every child that has ended; async-signal-safe. */
static void on_sigchld(int sig)
{
	int saved = errno, status;
	pid_t pid;

	(void)sig;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		collected_pid = pid;
		collected_status = WEXITSTATUS(status);
	}
	errno = saved;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };
	pid_t child;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		lesson_fail("sigaction");

	mp_printf("Parent %d starts.\n", (int)getpid());
	child = fork();
	if (child == -1)
		lesson_fail("fork");
	if (child == 0) {
		sleep_ms(400);
		mp_printf("Child %d: done, exiting.\n", (int)getpid());
		_exit(EXIT_SUCCESS);
	}

	mp_printf("Parent: working for 1000 ms.\n");
	sleep_ms(1000);		/* resumes after the handler has run */

	mp_printf("Parent: collected child %d, exit status %d.\n", (int)collected_pid,
		  (int)collected_status);
	return collected_pid == child ? EXIT_SUCCESS : EXIT_FAILURE;
}
