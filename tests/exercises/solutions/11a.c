/*
 * Exercise 11a, a solution: Queue(5), a pill per consumer, both joined.
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
		sleep_ms(10);
	}
	return n == 0 ? 0 : 1;
}

int main(void)
{
	mp_process c[CONSUMERS];

	if ((q = mp_queue_new(5)) == NULL)
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
	for (int i = 0; i < CONSUMERS; i++)
		if (mp_queue_put(q, "", 0) == -1)	/* a pill each */
			lesson_fail("put");
	for (int i = 0; i < CONSUMERS; i++)
		mp_process_join(&c[i]);
	mp_queue_close(q);
	return EXIT_SUCCESS;
}
