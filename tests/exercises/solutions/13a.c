/*
 * Exercise 13a, a solution: the waiter sleeps in mp_event_wait().
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

static mp_event *ready;

static int waiter(void *arg)
{
	if (mp_event_wait(ready) == -1)
		return 1;
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
	sleep_ms(300);
	mp_printf("main: setting the event.\n");
	mp_event_set(ready);
	mp_process_join(&w);
	mp_event_close(ready);
	return EXIT_SUCCESS;
}
