/*
 * Exercise 5a - ten decrements, none lost.
 *
 * A manager holds {"count": 10}; ten processes each do count -= 1
 * through it: a get, some work (2 ms), then a set.  Nothing keeps another
 * process's get out of that window: two processes read the same value,
 * both write value - 1, and one decrement is lost.  The count printed at
 * the end is above 0.
 *
 * Your task: the count ends at exactly 0, in every run.  Make a Lock
 * (mp_lock_new) before starting the processes, and have each hold it
 * from before its get until after its set.
 *
 * Predict, then run `make exercise-5a`: on the timeline, how do the
 * orange get .. set bars of the ten processes lie, before and after your
 * change?  Where are the purple lock bars?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

enum { PROCESSES = 10 };

static mp_dict_proxy *d;

static int decrement(void *arg)
{
	int64_t count;

	if (mp_dict_proxy_get_int(d, "count", &count) == -1)
		return 1;
	sleep_ms(2);				/* the work between get and set */
	if (mp_dict_proxy_set_int(d, "count", count - 1) == -1)
		return 1;
	return 0;
}

int main(void)
{
	mp_process p[PROCESSES];
	mp_manager *m;
	int64_t count;

	if ((m = mp_manager_start()) == NULL || (d = mp_manager_dict(m, NULL)) == NULL)
		lesson_fail("manager");
	if (mp_dict_proxy_set_int(d, "count", PROCESSES) == -1)
		lesson_fail("set");
	for (int i = 0; i < PROCESSES; i++) {
		mp_process_init(&p[i], decrement, NULL, NULL);
		if (mp_process_start(&p[i]) == -1)
			lesson_fail("start");
	}
	for (int i = 0; i < PROCESSES; i++)
		mp_process_join(&p[i]);
	if (mp_dict_proxy_get_int(d, "count", &count) == -1)
		lesson_fail("get");
	mp_printf("count = %lld (should be 0)\n", (long long)count);
	mp_manager_shutdown(m);
	return EXIT_SUCCESS;
}
