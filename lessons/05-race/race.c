/*
 * 05-race - shared state through a Manager, its race, and the Lock that
 * fixes it.
 *
 * usage: 05-race [--processes N] [--start N] [--window-ms MS]
 *                [--only unlocked|locked] [--help]
 *
 * A manager process holds the dict {"count": 100}.  20 processes each do
 * d["count"] -= 1.  Through a proxy that is two requests to the manager - a
 * get, then a set - and nothing stops another process's get from landing
 * between them: both read the same value, both write value - 1, and one
 * decrement is lost.  Run twice: first without a lock (the count ends above
 * 80), then with a Lock held from the get to the set (exactly 80).
 * --window-ms sleeps between the get and the set, as if the process did
 * some work there: the race window widens and updates are lost in every
 * run.  --only runs one of the two halves (to draw each on its own).
 *
 * On the timeline: each worker's get and set marks; without the lock the
 * gets of several workers fall between another's get and set; with it,
 * the lock's hold bars follow one another and never overlap.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
	mp_dict_proxy *d;
	mp_lock *lock;		/* NULL: no lock */
	long window_ms;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: 05-race [--processes N] [--start N] [--window-ms MS] "
		     "[--only unlocked|locked] [--help]\n"
		     "N processes each do d[\"count\"] -= 1 through a manager, without and with a lock.\n");
}

/* d["count"] -= 1, spelled out: what the proxy really does. */
static int decrement(void *arg)
{
	struct job *job = arg;
	int64_t count;

	if (job->lock != NULL && mp_lock_acquire(job->lock) == -1)
		return 1;
	if (mp_dict_proxy_get_int(job->d, "count", &count) == -1) {
		fprintf(stderr, "05-race: get: %s\n", strerror(errno));
		return 1;
	}
	if (job->window_ms > 0)
		sleep_ms(job->window_ms);	/* "work": the window grows */
	if (mp_dict_proxy_set_int(job->d, "count", count - 1) == -1) {
		fprintf(stderr, "05-race: set: %s\n", strerror(errno));
		return 1;
	}
	if (job->lock != NULL)
		mp_lock_release(job->lock);
	return 0;
}

/* One half of the lesson: a fresh dict, n processes, the result. */
static int run(mp_manager *m, int n, int start, long window_ms, mp_lock *lock)
{
	struct job job = { mp_manager_dict(m, NULL), lock, window_ms };
	mp_process *p = calloc((size_t)n, sizeof(*p));
	int64_t count;

	if (job.d == NULL || p == NULL || mp_dict_proxy_set_int(job.d, "count", start) == -1)
		lesson_fail("manager");
	mp_mark(lock ? "with a lock" : "without a lock");
	for (int i = 0; i < n; i++) {
		mp_process_init(&p[i], decrement, &job, NULL);
		if (mp_process_start(&p[i]) == -1) {
			fprintf(stderr, "05-race: start: %s\n", strerror(errno));
			n = i;
			break;
		}
	}
	int failed = 0;
	for (int i = 0; i < n; i++) {
		mp_process_join(&p[i]);
		failed |= mp_process_exitcode(&p[i]) != 0;
	}
	free(p);
	if (failed || mp_dict_proxy_get_int(job.d, "count", &count) == -1)
		return -1;
	long lost = count - (start - n);
	mp_printf("%s {'count': %lld}  (should be %d: %ld update%s lost)\n",
		  lock ? "With a lock:   " : "Without a lock:", (long long)count, start - n,
		  lost, lost == 1 ? "" : "s");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "processes", required_argument, NULL, 'n' },
		{ "start", required_argument, NULL, 's' },
		{ "window-ms", required_argument, NULL, 'w' },
		{ "only", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int n = 20, start = 100, opt;
	long window_ms = 0;
	bool unlocked = true, locked = true;
	mp_manager *m;
	mp_lock *lock;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			n = (int)lesson_number(optarg, "--processes", 1, 200, usage);
			break;
		case 's':
			start = (int)lesson_number(optarg, "--start", 0, 1000000, usage);
			break;
		case 'w':
			window_ms = lesson_number(optarg, "--window-ms", 0, 1000, usage);
			break;
		case 'o':
			if (strcmp(optarg, "unlocked") == 0) {
				locked = false;
			} else if (strcmp(optarg, "locked") == 0) {
				unlocked = false;
			} else {
				lesson_usage_error(usage, "--only wants unlocked or locked, not '%s'",
						   optarg);
			}
			break;
		default:
			lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);

	/* Python: m = Manager(); lock = Lock() */
	if ((m = mp_manager_start()) == NULL || (lock = mp_lock_new()) == NULL)
		lesson_fail("None");
	mp_printf("Manager (pid %d) holds {'count': %d}; %d processes each do d[\"count\"] -= 1%s.\n",
		  mp_manager_pid(m), start, n, window_ms ? "" : ", a get then a set");
	if (window_ms)
		mp_printf("Each sleeps %ld ms between its get and its set.\n", window_ms);
	int r = 0;
	if (unlocked)
		r |= run(m, n, start, window_ms, NULL);
	if (locked && r == 0)
		r |= run(m, n, start, window_ms, lock);
	mp_lock_close(lock);
	mp_manager_shutdown(m);
	return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
