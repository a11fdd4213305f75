/*
 * Exercise 3a, a solution: the writer ends its messages with an empty one,
 * the reader stops there, and main joins both.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

static mp_queue *q;

static int writer(void *arg)
{
	static const char *values[] = { "A", "B", "C" };

	for (int i = 0; i < 3; i++) {
		mp_printf("Put %s to queue...\n", values[i]);
		if (mp_queue_put_str(q, values[i]) == -1)
			return 1;
		sleep_ms(50);
	}
	return mp_queue_put(q, "", 0) == -1;	/* the poison pill */
}

static int reader(void *arg)
{
	char value[64];
	ssize_t n;

	while ((n = mp_queue_get(q, value, sizeof(value) - 1)) > 0) {
		value[n] = '\0';
		mp_printf("Get %s from queue.\n", value);
	}
	return n == 0 ? 0 : 1;		/* 0 bytes: the pill */
}

int main(void)
{
	mp_process pw, pr;

	if ((q = mp_queue_new(0)) == NULL)
		lesson_fail("queue");
	mp_process_init(&pw, writer, NULL, "writer");
	mp_process_init(&pr, reader, NULL, "reader");
	if (mp_process_start(&pw) == -1 || mp_process_start(&pr) == -1)
		lesson_fail("start");
	mp_process_join(&pw);
	mp_process_join(&pr);
	mp_printf("Reader ended with exitcode %d.\n", mp_process_exitcode(&pr));
	mp_queue_close(q);
	return EXIT_SUCCESS;
}
