/*
 * 11-producer-consumer - a bounded Queue between a fast producer and a slow
 * consumer.
 *
 * usage: 11-producer-consumer [--items N] [--seed N] [--durations S,...] [--help]
 *
 * Queue(20) holds at most 20 messages.  The producer puts the squares
 * 0, 1, 4, 9, ... resting up to 10 ms after each; the consumer starts
 * 300 ms late and takes them, resting up to 50 ms after each.  The producer
 * is faster, so the queue fills up; at 20, put() waits until the consumer makes room - that wait is
 * the queue's "back-pressure", and it keeps a fast producer from using up
 * all memory.  full(), empty() and qsize() say how things stand at that
 * moment (a moment later it may differ).  get() with timeout 0 does not
 * wait at all: on an empty queue it says so at once (Python's
 * get_nowait() raising queue.Empty).
 *
 * --durations gives the rests instead of the seed: 2N+1 seconds, the
 * producer's N rests first, then the consumer's N+1 (its last before the
 * get that brings the end).
 *
 * On the timeline: the queue's depth rising to 20 and staying there while
 * the producer's puts wait; an arrow per message.
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

#define CAPACITY 20

static mp_queue *q;
static long items = 30;
static double given[2 * 1000 + 1];	/* --durations: seconds */
static bool durations;

/* The rest number i (the producer's 0..items-1, then the consumer's), in
 * ms: given, or drawn up to most_ms. */
static long rest_ms(long i, double most_ms)
{
	return durations ? lround(given[i] * 1000) : (long)(drand48() * most_ms);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: 11-producer-consumer [--items N] [--seed N] [--durations S,...] [--help]\n"
		     "A producer puts N squares (default 30, 1-1000) on a Queue(20); a slower\n"
		     "consumer takes them.  --durations: 2N+1 rests in seconds (each 0-60), the\n"
		     "producer's N, then the consumer's N+1.\n");
}

static int produce(void *arg)
{
	bool said_full = false;

	for (int64_t count = 0; count < items; count++) {
		int64_t val = count * count;

		if (mp_queue_full(q) && !said_full) {
			mp_printf("queue is full (%d): put() waits for room\n", CAPACITY);
			said_full = true;
		}
		if (mp_queue_put_int(q, val) == -1) {
			fprintf(stderr, "produce: put: %s\n", strerror(errno));
			return 1;
		}
		mp_printf("produce product: %lld (queue size %d)\n", (long long)val, mp_queue_qsize(q));
		sleep_ms(rest_ms(count, 10));
	}
	return mp_queue_put_int(q, -1) == 0 ? 0 : 1;	/* no more */
}

static int consume(void *arg)
{
	int64_t val;

	/* Late, so the queue surely fills: the point of the lesson. */
	mp_printf("consumer: starting 300 ms late\n");
	sleep_ms(300);
	for (long i = items;; i++) {
		sleep_ms(rest_ms(i, 50));
		if (mp_queue_get_int(q, &val) == -1) {
			fprintf(stderr, "consume: get: %s\n", strerror(errno));
			return 1;
		}
		if (val < 0)
			return 0;
		mp_printf("consume product: %lld\n", (long long)val);
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "items", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "durations", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	long seed = (long)time(NULL) % 100000;
	const char *rests = NULL;
	mp_process producer, consumer;
	char seed_text[32];
	int64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "n:s:d:h", options, NULL)) != -1) {
		switch (opt) {
		case 'n': items = lesson_number(optarg, "--items", 1, 1000, usage); break;
		case 's': seed = lesson_number(optarg, "--seed", 0, 1L << 30, usage); break;
		case 'd': rests = optarg; break;	/* read once --items is known */
		default: lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);
	if (rests != NULL) {
		lesson_durations(rests, given, 2 * items + 1, usage);
		durations = true;
	}
	srand48(seed);

	if ((q = mp_queue_new(CAPACITY)) == NULL)
		lesson_fail("queue");
	mp_printf("q = Queue(%d): empty() is %s, qsize() is %d\n", CAPACITY,
		  mp_queue_empty(q) ? "True" : "False", mp_queue_qsize(q));
	if (mp_queue_get_int_timeout(q, &v, 0) == -1 && errno == EAGAIN)
		mp_printf("get(timeout=0) on the empty queue: Empty, at once\n");

	mp_process_init(&producer, produce, NULL, "producer");
	mp_process_init(&consumer, consume, NULL, "consumer");
	if (mp_process_start(&producer) == -1 || mp_process_start(&consumer) == -1)
		lesson_fail("start");
	mp_process_join(&producer);
	mp_process_join(&consumer);
	if (durations)
		snprintf(seed_text, sizeof(seed_text), "durations given");
	else
		snprintf(seed_text, sizeof(seed_text), "seed %ld", seed);
	mp_printf("done: %ld products made and consumed; empty() is %s (%s)\n", items,
		  mp_queue_empty(q) ? "True" : "False", seed_text);
	mp_queue_close(q);
	return EXIT_SUCCESS;
}
