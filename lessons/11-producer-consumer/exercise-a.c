/*
 * Exercise 11a - a bounded queue, two consumers, a poison pill each.
 *
 * main produces 20 numbers for two consumers, which take 10 ms over each.
 * As written, the queue has no bound, so main puts all 20 at once however
 * slow the consumers are; and it puts one poison pill (an empty message)
 * for two consumers, so one of them waits for ever until main gives up on
 * it and terminates it.
 *
 * Your task: the queue holds at most 5 numbers (Queue(5)): main's put
 * waits while it is full.  main puts one pill per consumer after the
 * numbers; each consumer stops at its pill and returns 0; main joins both
 * and terminates nobody.
 *
 * Predict, then run `make exercise-11a`: what does the queue's depth lane
 * show, and where do main's puts wait (the red hatch)?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

enum { ITEMS = 20, CONSUMERS = 2 };

static mp_queue *q;

static int consumer(void *arg)
{
	int64_t item;
	ssize_t n;

	while ((n = mp_queue_get(q, &item, sizeof(item))) > 0) {
		mp_printf("%s got %lld\n", mp_current_process()->name, (long long)item);
		sleep_ms(10);		/* its work on the item */
	}
	return n == 0 ? 0 : 1;		/* 0 bytes: the pill */
}

int main(void)
{
	mp_process c[CONSUMERS];

	if ((q = mp_queue_new(0)) == NULL)
		lesson_fail("queue");
	for (int i = 0; i < CONSUMERS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "consumer-%d", i + 1);
		mp_process_init(&c[i], consumer, NULL, name);
		if (mp_process_start(&c[i]) == -1)
			lesson_fail("start");
	}
	for (int64_t i = 0; i < ITEMS; i++)
		if (mp_queue_put(q, &(int64_t){ i * i }, sizeof(int64_t)) == -1)
			lesson_fail("put");
	mp_queue_put(q, "", 0);			/* a poison pill */
	for (int i = 0; i < CONSUMERS; i++) {
		if (mp_process_join_timeout(&c[i], 1.0) == -1) {	/* still running */
			mp_printf("%s is still waiting: terminating it\n", c[i].name);
			mp_process_terminate(&c[i]);
			mp_process_join(&c[i]);
		}
	}
	mp_queue_close(q);
	return EXIT_SUCCESS;
}
