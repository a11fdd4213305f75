/*
 * event_loop.h - what the two event-cost programs share (event_bare.c,
 * event_runtime.c): run a loop of N iterations REPS times and print the
 * best time per event.  scripts/bench runs both with no session and under
 * one, side by side; the difference is what recording an event costs.
 */
#ifndef EVENT_LOOP_H
#define EVENT_LOOP_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double event_loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* main() of a program NAME whose `loop(n)` records 2n events: usage
 * "NAME [N [REPS]]", prints "NAME <TAB> best ns per event".  Exit 2 for
 * bad usage, 1 if a loop failed. */
static int event_loop_main(const char *name, int (*loop)(long n), int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	double best = 0;

	if (argc > 3 || n < 1 || reps < 1) {
		fprintf(stderr, "usage: %s [N [REPS]]\n", name);
		return 2;
	}
	if (loop(n / 10) != 0)			/* warm-up: caches, buffers */
		return 1;
	for (int i = 0; i < reps; i++) {
		double start = event_loop_now();

		if (loop(n) != 0)
			return 1;
		double ns = (event_loop_now() - start) / (2.0 * n) * 1e9;
		if (i == 0 || ns < best)
			best = ns;
	}
	printf("%s\t%.1f\n", name, best);
	return 0;
}

#endif /* EVENT_LOOP_H */
