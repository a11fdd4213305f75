/*
 * 12-joinable-queue - consumers, poison pills, and waiting for the work.
 *
 * usage: 12-joinable-queue [--tasks N] [--help]
 *
 * The main program puts N tasks (default 10) on a JoinableQueue and starts
 * 2 x (number of CPUs) consumers.  Each consumer takes a task, works on it
 * (100 ms), puts the answer on a second, plain Queue, and calls
 * task_done().  How do consumers know the work is over?  After the tasks,
 * main puts one "poison pill" (an empty message) per consumer: a consumer
 * that takes a pill marks it done and exits.  Meanwhile main waits in
 * join() on the task queue, which returns only when every message ever put
 * there - tasks and pills - has been marked done.  Then it prints the
 * results.
 *
 * On the timeline: task arrows fanning out from main to the consumers,
 * result arrows coming back, each consumer ending after its pill, and
 * main's join(queue) bar ending after the last task_done.
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

static mp_queue *tasks, *results;

static void usage(FILE *out)
{
	fprintf(out, "usage: 12-joinable-queue [--tasks N] [--help]\n"
		     "N tasks (default 10, 1-100) for 2 x CPUs consumers, with poison pills.\n");
}

/* A task is the pair (a, b); its answer the text "a * b = a*b". */
struct task {
	int a, b;
};

static int consumer(void *arg)
{
	const char *name = mp_current_process()->name;
	struct task t;
	ssize_t n;

	for (;;) {
		n = mp_queue_get(tasks, &t, sizeof(t));
		if (n == -1) {
			fprintf(stderr, "%s: get: %s\n", name, strerror(errno));
			return 1;
		}
		if (n == 0) {			/* the poison pill */
			mp_printf("%s: Exiting\n", name);
			mp_queue_task_done(tasks);
			return 0;
		}
		mp_printf("%s: %d * %d\n", name, t.a, t.b);
		sleep_ms(100);			/* pretend to work */
		char answer[64];
		snprintf(answer, sizeof(answer), "%d * %d = %d", t.a, t.b, t.a * t.b);
		if (mp_queue_put_str(results, answer) == -1)
			return 1;
		mp_queue_task_done(tasks);
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "tasks", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int ntasks = 10, opt;

	while ((opt = getopt_long(argc, argv, "n:h", options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			ntasks = (int)lesson_number(optarg, "--tasks", 1, 100, usage);
			break;
		default:
			lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);

	tasks = mp_joinable_queue_new(0);
	results = mp_queue_new(0);
	if (tasks == NULL || results == NULL)
		lesson_fail("queue");

	int nconsumers = 2 * mp_cpu_count();
	mp_process *consumers = calloc(nconsumers, sizeof(*consumers));
	mp_printf("Creating %d consumers\n", nconsumers);
	for (int i = 0; i < nconsumers; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Consumer-%d", i + 1);
		mp_process_init(&consumers[i], consumer, NULL, name);
		if (mp_process_start(&consumers[i]) == -1)
			lesson_fail("start");
	}

	for (int i = 0; i < ntasks; i++) {
		struct task t = { i, i };
		mp_queue_put(tasks, &t, sizeof(t));
	}
	for (int i = 0; i < nconsumers; i++)
		mp_queue_put(tasks, "", 0);	/* a poison pill each */

	mp_queue_join(tasks);		/* every task and pill marked done */
	mp_printf("All tasks done.\n");
	for (int i = 0; i < ntasks; i++) {
		char answer[64];
		if (mp_queue_get_str(results, answer, sizeof(answer)) == -1)
			break;
		mp_printf("Result: %s\n", answer);
	}
	for (int i = 0; i < nconsumers; i++)
		mp_process_join(&consumers[i]);
	free(consumers);
	mp_queue_close(tasks);
	mp_queue_close(results);
	return EXIT_SUCCESS;
}
