/*
 * 07-orphan - a parent that ends before its child.
 *
 * usage: 07-orphan [--help]
 *
 * Every process has a parent, and that parent is who collects its exit
 * status.  When a parent ends first, its children become orphans, and the
 * kernel gives them a new parent at once: the nearest ancestor that has
 * declared itself a "subreaper" (prctl PR_SET_CHILD_SUBREAPER), or else
 * pid 1.  Under `make lesson-7` that is mprun, the runner; in a terminal it
 * may be pid 1 or your desktop's session manager.  So the program never
 * assumes the new parent is 1: it notices the change and reports it.
 *
 * How the child notices without sleeping and hoping: it asks the kernel for
 * a signal when its parent dies (prctl PR_SET_PDEATHSIG), and waits for that
 * signal until getppid() names someone else.
 *
 * On the timeline: the parent's lane ends while the child's goes on; a
 * dashed arrow from mprun's lane marks the adoption, and mprun, not the
 * parent, collects the child at the end.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 07-orphan [--help]\n"
		     "The parent exits while its child runs on; the child reports its new parent.\n");
}

/* The child's side.  Does not return. */
static void child(pid_t parent, int ready_fd)
{
	struct mp_proc_info adopter;
	sigset_t usr1;
	pid_t now;

	/* Ask for SIGUSR1 when the parent dies; take it with sigtimedwait(),
	 * so it is blocked rather than handled. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);

	mp_printf("Child %d: my parent is %d.\n", (int)getpid(), (int)getppid());
	close(ready_fd);	/* tells the parent it may go */

	/* The signal comes each time the child is handed to a new parent.  The
	 * first may come when only the parent's forking *thread* has ended, and
	 * the child went to another thread of the same process: so wait until
	 * getppid() really names someone else (at most 5 s). */
	struct timespec limit = { 5, 0 };
	while ((now = getppid()) == parent) {
		if (sigtimedwait(&usr1, NULL, &limit) == -1) {
			mp_printf("Child %d: my parent did not end within 5 s.\n", (int)getpid());
			_exit(EXIT_FAILURE);
		}
	}
	if (mp_proc_info(now, &adopter) == -1)
		snprintf(adopter.comm, sizeof(adopter.comm), "?");
	mp_printf("Child %d: my parent %d is gone; my parent is now %d (%s)%s.\n",
		  (int)getpid(), (int)parent, (int)now, adopter.comm,
		  now == 1 ? ", pid 1" : ", a subreaper");

	sleep_ms(200);	/* live on a little as an orphan; the adopter collects us */
	mp_printf("Child %d: done; my adopter will collect me.\n", (int)getpid());
	_exit(EXIT_SUCCESS);
}

int main(int argc, char **argv)
{
	int ready[2];
	char byte;
	pid_t pid;

	lesson_no_options(argc, argv, usage);

	mp_printf("Parent %d starts; its own parent is %d.\n", (int)getpid(), (int)getppid());
	if (pipe(ready) == -1)
		lesson_fail("pipe");
	switch (pid = fork()) {
	case -1:
		lesson_fail("fork");
	case 0:
		close(ready[0]);
		child(getppid(), ready[1]);
	default:
		break;
	}

	/* Wait until the child has said who its parent is (it closes its end
	 * of the pipe), work a little, then leave without waiting for it. */
	close(ready[1]);
	while (read(ready[0], &byte, 1) == -1 && errno == EINTR)
		;
	sleep_ms(100);
	mp_printf("Parent %d: exiting now, without waiting for child %d.\n", (int)getpid(), (int)pid);
	return EXIT_SUCCESS;
}
