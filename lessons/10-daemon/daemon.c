/*
 * 10-daemon - daemon children: ended when the main program ends.
 *
 * usage: 10-daemon [--help]
 *
 * A program normally does not end before the children it started: at its
 * end the runtime joins them, as Python does.  A *daemon* child is the
 * exception: a helper that runs in the background for as long as the main
 * program does, and is terminated when it ends.  Two rules come with it:
 * the flag is set before start(), and a daemon may not start children of
 * its own (they would be orphaned when it is terminated) - start() fails
 * with EPERM, Python's "daemonic processes are not allowed to have children".
 *
 * join(timeout) waits at most that long: it returns while the daemon still
 * runs, and is_alive() says so.
 *
 * On the timeline: the daemon's lane is cut by a SIGTERM from the main
 * process at the very end, while the non-daemon child ended on its own.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 10-daemon [--help]\n"
		     "A daemon child and a normal one; the daemon ends with the main program.\n");
}

static int nothing(void *arg)
{
	return 0;
}

static int daemon_body(void *arg)
{
	const char *name = mp_current_process()->name;
	mp_process helper;

	mp_printf("Starting: %s\n", name);
	mp_process_init(&helper, nothing, NULL, NULL);
	if (mp_process_start(&helper) == -1)
		mp_printf("%s: start() of a child failed: %s - daemonic processes are "
			  "not allowed to have children\n", name, strerror(errno));
	sleep_ms(2000);
	mp_printf("Exiting : %s\n", name);	/* never printed: see the timeline */
	return 0;
}

static int non_daemon_body(void *arg)
{
	const char *name = mp_current_process()->name;

	mp_printf("Starting: %s\n", name);
	sleep_ms(300);
	mp_printf("Exiting : %s\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	mp_process d, n;
	struct timespec t0, t1;

	lesson_no_options(argc, argv, usage);

	mp_process_init(&d, daemon_body, NULL, "daemon");
	d.daemon = true;	/* before start() */
	mp_process_init(&n, non_daemon_body, NULL, "non-daemon");
	if (mp_process_start(&d) == -1 || mp_process_start(&n) == -1)
		lesson_fail("start");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mp_process_join_timeout(&d, 1.0) == -1 && errno != ETIMEDOUT)
		lesson_fail("join");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	mp_printf("d.join(1.0) returned after %.1f s; d.is_alive() = %s\n",
		  (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		  mp_process_is_alive(&d) ? "True" : "False");
	mp_process_join(&n);
	mp_printf("non-daemon joined, exitcode %d; main ends now, and its daemon with it.\n",
		  mp_process_exitcode(&n));
	return EXIT_SUCCESS;	/* the exit handler terminates d, then collects it */
}
