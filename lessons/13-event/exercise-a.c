/*
 * Exercise 13a - wait for an Event without spinning.
 *
 * A waiter must not go on until main has set an Event, 300 ms after the
 * start.  As written, it asks "is it set yet?" in a loop, as fast as it
 * can: it keeps a CPU busy for nothing the whole time it waits, and on a
 * busy machine takes it from the processes that have work to do.
 *
 * Your task: the waiter sleeps while it waits, in mp_event_wait(), and
 * the kernel wakes it when main sets the Event.
 *
 * Predict, then run `make exercise-13a`: what colour is the waiter's lane
 * while it waits, before and after your change (green: running, grey:
 * sleeping)?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

static mp_event *ready;

static int waiter(void *arg)
{
	while (!mp_event_is_set(ready))
		;			/* is it set yet? */
	mp_printf("waiter: the event is set, going on.\n");
	return 0;
}

int main(void)
{
	mp_process w;

	if ((ready = mp_event_new()) == NULL)
		lesson_fail("event");
	mp_process_init(&w, waiter, NULL, "waiter");
	if (mp_process_start(&w) == -1)
		lesson_fail("start");
	sleep_ms(300);			/* main's own work first */
	mp_printf("main: setting the event.\n");
	mp_event_set(ready);
	mp_process_join(&w);
	mp_event_close(ready);
	return EXIT_SUCCESS;
}
