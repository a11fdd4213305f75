/*
 * 02-pool - Pool(4) running 5 tasks: the fifth waits for a free worker.
 *
 * usage: 02-pool [--workers N] [--seed N] [--durations S,S,S,S,S] [--help]
 *
 * A pool starts its worker processes once and hands them tasks from a
 * queue.  Here 4 workers get 5 tasks that each sleep a random 0-3 seconds
 * (drawn from the seed, or the five given with --durations, task 0 first):
 * tasks 0-3 start at once, one per worker, and task 4 waits in the queue
 * until the first of them ends and its worker is free again.
 *
 * close() says no more tasks will come; join() waits until every task is
 * done and the workers have exited.
 *
 * On the timeline: one lane per worker with a bar per task, and on the
 * "pool task queue" lane the time task 4 spent waiting.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TASKS 5

struct task {
	int name;		/* 0..4 */
	long millis;		/* how long it sleeps: drawn by the parent from the seed */
};

static void usage(FILE *out)
{
	fprintf(out, "usage: 02-pool [--workers N] [--seed N] [--durations S,S,S,S,S] [--help]\n"
		     "A Pool of N workers (default 4, 1-16) runs 5 tasks that each sleep a\n"
		     "random 0-3 seconds; the same --seed gives the same times.  --durations:\n"
		     "the 5 tasks' sleeps in seconds (each 0-60), instead of the seed's.\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What a worker runs: Python's long_time_task(name). */
static ssize_t long_time_task(const void *arg, size_t len, void *result, size_t size)
{
	const struct task *t = arg;
	double start = now();

	mp_printf("Run task %d (%d)...\n", t->name, getpid());
	sleep_ms(t->millis);
	mp_printf("Task %d runs %.2f seconds.\n", t->name, now() - start);
	return 0;	/* no result: Python's None */
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "workers", required_argument, NULL, 'w' },
		{ "seed", required_argument, NULL, 's' },
		{ "durations", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	long workers = 4, seed = (long)(time(NULL) ^ getpid()) % 100000;
	mp_async_result *results[TASKS];
	struct task tasks[TASKS];
	double given[TASKS];
	bool durations = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "w:s:d:h", options, NULL)) != -1) {
		switch (opt) {
		case 'w': workers = lesson_number(optarg, "--workers", 1, 16, usage); break;
		case 's': seed = lesson_number(optarg, "--seed", 0, 1L << 30, usage); break;
		case 'd': lesson_durations(optarg, given, TASKS, usage); durations = true; break;
		default: lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);
	srand48(seed);
	for (int i = 0; i < TASKS; i++)
		tasks[i] = (struct task){ i, durations ? lround(given[i] * 1000)
						      : (long)(drand48() * 3000) };

	mp_printf("Parent process %d.\n", getpid());
	mp_pool *pool = mp_pool_new((int)workers);
	if (pool == NULL)
		lesson_fail("Pool(%ld)", workers);
	for (int i = 0; i < TASKS; i++) {
		results[i] = mp_pool_apply_async(pool, long_time_task, &tasks[i], sizeof(tasks[i]));
		if (results[i] == NULL)
			lesson_fail("apply_async");
	}
	mp_printf("Waiting for all subprocesses done...\n");
	mp_pool_close(pool);
	mp_pool_join(pool);
	mp_printf("All subprocesses done.\n");

	/* Python would raise a task's error from get(); here we ask each. */
	int failed = 0;
	for (int i = 0; i < TASKS; i++)
		if (!mp_async_successful(results[i])) {
			fprintf(stderr, "02-pool: %s\n", mp_async_error(results[i]));
			failed++;
		}
	mp_pool_free(pool);
	if (durations) {
		char text[256];
		mp_printf("(durations given: run with --durations %s to get the same times again)\n",
			  lesson_durations_text(given, TASKS, text, sizeof(text)));
	} else {
		mp_printf("(seed %ld: run with --seed %ld to get the same times again)\n", seed, seed);
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
