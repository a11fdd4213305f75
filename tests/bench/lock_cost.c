/*
 * lock_cost.c - mp-lock-cost: what a lock nobody else wants costs, from a
 * plain process-shared mutex (make bench's raw floor) to mp_lock, one step
 * at a time (docs/measurements.md, "What robustness costs").
 *
 * usage: mp-lock-cost [--rounds N] [--pairs N]
 *
 * Every variant is a mutex in a MAP_SHARED mapping, locked and unlocked
 * `pairs` times in a row.  The variants take turns, `rounds` times, in one
 * process on one CPU, so a busy machine slows them alike; each line gives
 * the best and the median round, in nanoseconds per lock + unlock.  Run it
 * with no LTTng session recording (every mp_lock call is an event then).
 */
#define _GNU_SOURCE
#include "mp.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

enum { VARIANTS = 6, MAX_ROUNDS = 100 };

static const char *names[VARIANTS] = {
	"process-shared mutex (raw floor)",
	"+ error checking",
	"robust, no error checking",
	"robust + error checking",
	"robust + error checking, trylock",
	"mp_lock_acquire + mp_lock_release",
};

static pthread_mutex_t *mutexes[5];
static mp_lock *lock;

static pthread_mutex_t *mutex_new(bool robust, int type)
{
	pthread_mutex_t *m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t attr;

	if (m == MAP_FAILED)
		return NULL;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	if (robust)
		pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_settype(&attr, type);
	errno = pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
	return errno == 0 ? m : NULL;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Nanoseconds per pair of variant v, over n pairs; -1 if a call failed. */
static double run(int v, long n)
{
	double start = now();
	int bad = 0;

	if (v < 4) {
		for (long i = 0; i < n; i++) {
			bad |= pthread_mutex_lock(mutexes[v]);
			bad |= pthread_mutex_unlock(mutexes[v]);
		}
	} else if (v == 4) {
		for (long i = 0; i < n; i++) {
			bad |= pthread_mutex_trylock(mutexes[3]);
			bad |= pthread_mutex_unlock(mutexes[3]);
		}
	} else {
		for (long i = 0; i < n; i++) {
			bad |= mp_lock_acquire(lock);
			bad |= mp_lock_release(lock);
		}
	}
	return bad ? -1 : (now() - start) / (double)n * 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: mp-lock-cost [--rounds N (1-%d)] [--pairs N]\n", MAX_ROUNDS);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "pairs", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long rounds = 9, pairs = 2000000;
	double ns[VARIANTS][MAX_ROUNDS];
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		long *to = opt == 'r' ? &rounds : &pairs;

		if (opt == 'h') {
			usage(stdout);
			return 0;
		}
		if (opt != 'r' && opt != 'p') {
			usage(stderr);
			return 2;
		}
		*to = strtol(optarg, &end, 10);
		if (*end != '\0' || *to < 1 || (opt == 'r' && *to > MAX_ROUNDS) || *to > 1000000000L) {
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);	/* best effort: stay where we are */
	mutexes[0] = mutex_new(false, PTHREAD_MUTEX_NORMAL);
	mutexes[1] = mutex_new(false, PTHREAD_MUTEX_ERRORCHECK);
	mutexes[2] = mutex_new(true, PTHREAD_MUTEX_NORMAL);
	mutexes[3] = mutex_new(true, PTHREAD_MUTEX_ERRORCHECK);
	lock = mp_lock_new();
	for (int v = 0; v < 4; v++)
		if (mutexes[v] == NULL) {
			perror("mp-lock-cost: pthread_mutex_init");
			return 1;
		}
	if (lock == NULL) {
		perror("mp-lock-cost: mp_lock_new");
		return 1;
	}

	for (long r = 0; r < rounds; r++)
		for (int v = 0; v < VARIANTS; v++) {
			run(v, pairs / 10);	/* warm up */
			ns[v][r] = run(v, pairs);
			if (ns[v][r] < 0) {
				fprintf(stderr, "mp-lock-cost: %s: a call failed\n", names[v]);
				return 1;
			}
		}
	printf("%-36s %8s %8s %8s\n", "ns per lock + unlock", "best", "median", "x floor");
	for (int v = 0; v < VARIANTS; v++) {
		qsort(ns[v], (size_t)rounds, sizeof(double), by_value);
		printf("%-36s %8.2f %8.2f %8.2f\n", names[v], ns[v][0], ns[v][rounds / 2],
		       ns[v][0] / ns[0][0]);
	}
	return 0;
}
