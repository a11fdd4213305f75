/*
 * 13-event - an Event: one process tells others "now".
 *
 * usage: 13-event [--help]
 *
 * An Event is a flag shared by processes: clear at first; set() sets it and
 * wakes everyone waiting; wait() returns at once if it is set, else sleeps
 * until it is.  wait(timeout) gives up after that many seconds and says
 * whether the event was set - here Python's e.wait(t) returning False is
 * -1 with errno ETIMEDOUT.  One child waits with no limit, another for
 * 0.5 s only; main sets the event after 1 s: the first is released, the
 * second has given up long before.
 *
 * On the timeline: two wait bars; the timed one ending "timed out" at
 * 0.5 s; an arrow from main's set() to the other waiter, released at 1 s.
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

static mp_event *e;

static void usage(FILE *out)
{
	fprintf(out, "usage: 13-event [--help]\n"
		     "Two children wait for an Event, one with a timeout; main sets it after 1 s.\n");
}

static const char *truth(bool b)
{
	return b ? "True" : "False";
}

static int wait_for_event(void *arg)
{
	mp_printf("wait_for_event: starting\n");
	mp_event_wait(e);
	mp_printf("wait_for_event: e.is_set()-> %s\n", truth(mp_event_is_set(e)));
	return 0;
}

static int wait_for_event_timeout(void *arg)
{
	double t = *(double *)arg;

	mp_printf("wait_for_event_timeout: starting\n");
	if (mp_event_wait_timeout(e, t) == -1 && errno == ETIMEDOUT)
		mp_printf("wait_for_event_timeout: gave up after %.1f s\n", t);
	mp_printf("wait_for_event_timeout: e.is_set()-> %s\n", truth(mp_event_is_set(e)));
	return 0;
}

int main(int argc, char **argv)
{
	double timeout = 0.5;
	mp_process w1, w2;

	lesson_no_options(argc, argv, usage);

	if ((e = mp_event_new()) == NULL)
		lesson_fail("event");
	mp_process_init(&w1, wait_for_event, NULL, "block");
	mp_process_init(&w2, wait_for_event_timeout, &timeout, "nonblock");
	if (mp_process_start(&w1) == -1 || mp_process_start(&w2) == -1)
		lesson_fail("start");
	mp_printf("main: waiting before calling Event.set()\n");
	sleep_ms(1000);
	mp_printf("main: calling Event.set()\n");	/* before: a woken waiter may print first */
	mp_event_set(e);
	mp_process_join(&w1);
	mp_process_join(&w2);
	mp_event_close(e);
	return EXIT_SUCCESS;
}
