/*
 * bench_process.c - process: start a child that does nothing and wait for its end,
 * fork/_exit/wait4 against mp_process (bench.c says what it measures).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <unistd.h>
/* ---- process: start a child, wait for its end ---------------------------- */

struct run process_raw(long n, int cpus)
{
	double start = now();

	for (long i = 0; i < n; i++) {
		child_pid = CHECK(raw_fork());
		if (child_pid == 0) {
			in_child = true;
			child_placement(cpus);
			raw_exit(0);
		}
		raw_reap(child_pid);
	}
	return (struct run){ n, now() - start };
}

static int do_nothing(void *arg)
{
	in_child = true;
	child_placement(*(int *)arg);
	return 0;
}

struct run process_runtime(long n, int cpus)
{
	double start = now();

	for (long i = 0; i < n; i++) {
		mp_process p;

		CHECK(mp_process_init(&p, do_nothing, &cpus, NULL));
		CHECK(mp_process_start(&p));
		child_pid = p.pid;
		runtime_reap(&p);
	}
	return (struct run){ n, now() - start };
}
