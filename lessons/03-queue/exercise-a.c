/*
 * Exercise 3a - a reader that stops by itself.
 *
 * A writer puts "A", "B" and "C" on a queue, 50 ms apart; a reader takes
 * what comes.  As written (as in the lesson), the reader loops forever and
 * main ends it with terminate() once the writer is done: a reader killed
 * in the middle of its work, and a message it may not have taken yet.
 *
 * Your task: no process is terminated.  The writer puts one more message
 * when it is done, an empty one (mp_queue_put(q, "", 0): a "poison
 * pill"); the reader stops when it gets it and returns 0; main joins both.
 *
 * Predict, then run `make exercise-3a`: how does the reader's lane end,
 * before and after your change?
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
	return 0;
}

static int reader(void *arg)
{
	char value[64];

	for (;;) {		/* until terminated */
		if (mp_queue_get_str(q, value, sizeof(value)) == -1)
			return 1;
		mp_printf("Get %s from queue.\n", value);
	}
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
	mp_process_terminate(&pr);	/* the reader loops forever: end it */
	mp_process_join(&pr);
	mp_printf("Reader ended with exitcode %d.\n", mp_process_exitcode(&pr));
	mp_queue_close(q);
	return EXIT_SUCCESS;
}
