/*
 * 01-fork - fork(): one process becomes two.
 *
 * usage: 01-fork [--help]
 *
 * fork() is called once and returns twice: in the parent it returns the new
 * child's pid, in the child it returns 0.  From then on two processes run
 * the same program, each with its own copy of every variable, and the
 * switch below sends each one down its own branch.  The parent then waits
 * for the child: waitpid() collects the child's exit status, and until the
 * parent does that, the ended child stays in the process table as a zombie.
 *
 * Watch for: which of the two middle lines prints first.  Nothing orders
 * them; run it a few times.
 *
 * On the timeline: two lanes, an arrow from the parent to the child at the
 * fork, the child's exit, and the parent's reap of it a moment later.
 */
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 01-fork [--help]\n"
		     "Forks one child; each process says who it is; the parent waits.\n");
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	lesson_no_options(argc, argv, usage);

	/* mp_printf() flushes stdout at once.  With a plain printf() into a
	 * pipe the line would still sit in stdio's buffer at fork(), the child
	 * would get a copy of that buffer, and the line would print twice. */
	mp_printf("Process (%d) start...\n", (int)getpid());

	switch (pid = fork()) {
	case -1:
		lesson_fail("fork");

	case 0:		/* the child: fork() returned 0 */
		mp_printf("I am child process (%d) and my parent is %d.\n",
			  (int)getpid(), (int)getppid());
		_exit(EXIT_SUCCESS);	/* _exit: leave the parent's exit work to the parent */

	default:	/* the parent: fork() returned the child's pid */
		mp_printf("I (%d) just created a child process (%d).\n", (int)getpid(), (int)pid);
		while (waitpid(pid, &status, 0) == -1) {
			if (errno != EINTR)
				lesson_fail("waitpid");
		}
		mp_printf("Child %d ended with exit status %d; the parent collected it.\n",
			  (int)pid, WEXITSTATUS(status));
	}
	return EXIT_SUCCESS;
}
