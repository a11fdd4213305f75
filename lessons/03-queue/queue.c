/*
 * 03-queue - two processes talk through a Queue.
 *
 * usage: 03-queue [--seed N] [--durations S,S,S] [--help]
 *
 * A writer puts "A", "B", "C" on a queue, resting a random moment (up to
 * 0.5 s, from the seed, or the three given with --durations) after each;
 * a reader loops forever taking what arrives.  The main
 * program waits for the writer, then, as the reader never ends by itself,
 * terminates it.
 *
 * One step the Python original skips: it terminates the reader as soon as
 * the writer is done, and if the reader has not taken "C" yet, "C" is lost.
 * Here the queue is a JoinableQueue: the reader marks each message done,
 * and the main program waits for that (join) before it terminates the
 * reader.  Lesson 12 is about JoinableQueue.
 *
 * On the timeline: an arrow for each message, from the writer's put to the
 * reader's get; the reader's lane ends with SIGTERM.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static mp_queue *q;
static double rests[3];		/* the writer's, after A, B and C: seconds */

static void usage(FILE *out)
{
	fprintf(out, "usage: 03-queue [--seed N] [--durations S,S,S] [--help]\n"
		     "A writer puts A, B, C on a queue; a reader takes them; main ends the reader.\n"
		     "--durations: the writer's rests after A, B and C, in seconds (each 0-60).\n");
}

static int writer(void *arg)
{
	static const char *values[] = { "A", "B", "C" };

	mp_printf("Process to write: %d\n", (int)getpid());
	for (int i = 0; i < 3; i++) {
		mp_printf("Put %s to queue...\n", values[i]);
		if (mp_queue_put_str(q, values[i]) == -1) {
			fprintf(stderr, "writer: put: %s\n", strerror(errno));
			return 1;
		}
		sleep_ms(lround(rests[i] * 1000));
	}
	return 0;
}

static int reader(void *arg)
{
	char value[64];

	mp_printf("Process to read: %d\n", (int)getpid());
	for (;;) {	/* until terminated */
		if (mp_queue_get_str(q, value, sizeof(value)) == -1) {
			fprintf(stderr, "reader: get: %s\n", strerror(errno));
			return 1;
		}
		mp_printf("Get %s from queue.\n", value);
		mp_queue_task_done(q);
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "durations", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	long seed = (long)time(NULL) % 100000;
	bool durations = false;
	mp_process pw, pr;
	char again[256], given[128];
	int opt;

	while ((opt = getopt_long(argc, argv, "s:d:h", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = lesson_number(optarg, "--seed", 0, 1L << 30, usage);
			break;
		case 'd':
			lesson_durations(optarg, rests, 3, usage);
			durations = true;
			break;
		default:
			lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);
	srand48(seed);		/* drawn now: the writer inherits them */
	for (int i = 0; i < 3 && !durations; i++)
		rests[i] = drand48() * 0.5;

	/* Made before the children, so both find it (as in Python). */
	if ((q = mp_joinable_queue_new(0)) == NULL)
		lesson_fail("queue");
	mp_process_init(&pw, writer, NULL, "writer");
	mp_process_init(&pr, reader, NULL, "reader");
	if (mp_process_start(&pw) == -1 || mp_process_start(&pr) == -1)
		lesson_fail("start");
	mp_process_join(&pw);
	mp_queue_join(q);		/* every message taken and printed */
	mp_process_terminate(&pr);	/* the reader loops forever: end it */
	mp_process_join(&pr);
	if (durations)
		snprintf(again, sizeof(again), "--durations %s",
			 lesson_durations_text(rests, 3, given, sizeof(given)));
	else
		snprintf(again, sizeof(again), "seed %ld: --seed %ld", seed, seed);
	mp_printf("Reader ended with exitcode %d (SIGTERM). (%s repeats this run)\n",
		  mp_process_exitcode(&pr), again);
	mp_queue_close(q);
	return EXIT_SUCCESS;
}
