/*
 * bench.c - mp-bench: what the runtime costs, next to the bare system calls.
 *
 * usage: mp-bench [--benchmark queue|pipe|process|manager|lock|all] [--impl raw|runtime|all]
 *                 [--cpus 1|2|all] [--seconds S] [--reps N] [--help]
 *
 * Three measurements, each made twice: once with the system calls alone
 * ("raw": what a program does with no library, the floor for a pipe or a
 * fork) and once through the runtime (mp.h), so you can see what the
 * runtime adds on top:
 *
 *   queue    one producer process sends 8-byte messages to one consumer.
 *            raw:     a pipe(2); the producer write()s 8 bytes per message,
 *                     the consumer read()s up to 64 KiB at a time.
 *            runtime: mp_queue_put() / mp_queue_get() of 8-byte messages.
 *                     Adds: a 16-byte header per message, a robust mutex
 *                     around each copy, a trace event each.  Saves: the
 *                     queue is a ring in shared memory, so a put or get
 *                     makes no system call unless one side must sleep (a
 *                     futex) - so it can beat the pipe.
 *            Reported in messages per second (more is better).
 *   pipe     ping-pong of an 8-byte message between two processes.
 *            raw:     two pipe(2)s, one each way; write() then read().
 *            runtime: mp_pipe(true) and mp_conn_send() / mp_conn_recv().
 *                     Adds: a 16-byte header (length, id) written with the
 *                     bytes in one writev(), a read-ahead buffer, a trace
 *                     event per message.
 *            Reported in microseconds per round trip (less is better).
 *   process  start a child that does nothing, wait until it has ended.
 *            raw:     fork(), _exit(0) in the child, waitpid() in the parent.
 *            runtime: mp_process_init() / _start() / _join() of a function
 *                     that returns 0.  Adds: flushing stdio, the table of
 *                     children (with a pidfd each), the child's bookkeeping
 *                     and trace events at fork, exit and reap.
 *            Reported in microseconds per child (less is better).
 *   manager  d["count"] -= 1 through a manager's dict proxy: a get, then a set.
 *            raw:     two 8-byte round trips over a Unix socketpair to a
 *                     child that echoes.
 *            runtime: mp_dict_proxy_get_int() + mp_dict_proxy_set_int().  Adds: the
 *                     frames (a 40-byte header, key, value), the server's
 *                     poll() loop and dict, trace events each way.
 *            Reported in microseconds per decrement (less is better).
 *   lock     acquire and release a lock nobody else wants.
 *            raw:     a process-shared pthread mutex, lock + unlock.
 *            runtime: mp_lock_acquire() + mp_lock_release(): a robust
 *                     mutex (trylock first), and two trace events.
 *            Reported in microseconds per pair (less is better).
 *
 * Placement: the parent runs on CPU 0; with --cpus 2 the child moves itself
 * to CPU 1, with --cpus 1 it stays on CPU 0 with its parent.  Across two
 * CPUs every hand-over wakes the other CPU, which costs tens of
 * microseconds on a virtual machine and hides the software's own cost; on
 * one CPU a hand-over is a plain context switch.
 *
 * Each measurement is sized by time: a short run finds how many operations
 * take about S seconds (1 by default), then that many run N times (3) and
 * the best run is kept.  One line per measurement goes to stdout:
 *
 *   benchmark <TAB> placement <TAB> impl <TAB> best <TAB> unit <TAB> all runs
 *
 * scripts/bench runs this program and tests/bench/bench.py (the same work
 * in Python's multiprocessing) and prints them side by side.
 *
 * A program linked with the runtime gets the runtime's interposition
 * layer: its fork(), read(), write(), wait4() ... record an LTTng event
 * each, then call the real thing (runtime/src/interpose/).  The raw
 * variants here must not pay for that, so they reach the C library's
 * fork(), read(), write() and wait4() through dlsym(RTLD_NEXT), and make
 * exit_group() themselves.  Nothing else differs.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table of benchmarks, and the measuring ---------------------------- */

static const struct benchmark {
	const char *name;
	bool throughput;	/* ops per second; else microseconds per op */
	long first_n;		/* operations in the first sizing run */
	bench_fn raw, runtime;
} benchmarks[] = {
	{ "queue", true, 2000, queue_raw, queue_runtime },
	{ "pipe", false, 200, pipe_raw, pipe_runtime },
	{ "process", false, 20, process_raw, process_runtime },
	{ "manager", false, 200, manager_raw, manager_runtime },
	{ "lock", false, 100000, lock_raw, lock_runtime },
	{ "pool_task", false, 200, pipe_raw, pool_latency_runtime },
	{ "pool_map_chunk1", true, 2000, pool_map1_raw, pool_map1_runtime },
	{ "pool_map", true, 20000, pool_map_raw, pool_map_runtime },
};

/* The figure a run gives: messages/s or microseconds per operation. */
static double figure(const struct benchmark *b, struct run r)
{
	return b->throughput ? r.ops / r.seconds : r.seconds / r.ops * 1e6;
}

/* Finds how many operations take about `seconds`: runs a few, then more,
 * until a run takes a tenth of that, and scales up.  The runs double as a
 * warm-up. */
static long size_by_time(bench_fn fn, long n, int cpus, double seconds)
{
	for (;;) {
		struct run r = fn(n, cpus);
		double per_op = r.seconds / r.ops;

		if (r.seconds >= seconds / 10 || n >= 1000000000L / 16)
			return seconds / per_op > 1 ? (long)(seconds / per_op) : 1;
		n = per_op > 0 ? (long)(seconds / 10 / per_op * 1.5) + 1 : n * 16;
	}
}

static void measure(const struct benchmark *b, const char *impl, int cpus,
		    double seconds, int reps)
{
	bench_fn fn = strcmp(impl, "raw") == 0 ? b->raw : b->runtime;
	long n = size_by_time(fn, b->first_n, cpus, seconds);
	double best = 0, all[reps];

	for (int i = 0; i < reps; i++) {
		all[i] = figure(b, fn(n, cpus));
		if (i == 0 || (b->throughput ? all[i] > best : all[i] < best))
			best = all[i];
	}
	printf("%s\t%s\t%s\t%.6g\t%s\t", b->name, cpus == 2 ? "2 CPUs" : "1 CPU", impl,
	       best, b->throughput ? "msg/s" : "us");
	for (int i = 0; i < reps; i++)
		printf("%s%.6g", i ? "," : "", all[i]);
	printf("\n");
	CHECK(fflush(stdout) == EOF ? -1 : 0);
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *out)
{
	fprintf(out, "usage: mp-bench [--benchmark queue|pipe|process|manager|lock|all] [--impl raw|runtime|all]\n"
		     "                [--cpus 1|2|all] [--seconds S] [--reps N] [--help]\n");
}

static void bad_usage(void)
{
	usage(stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "benchmark", required_argument, NULL, 'b' },
		{ "impl", required_argument, NULL, 'i' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "seconds", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *which = "all", *impl = "all", *cpus = "all";
	double seconds = 1.0;
	int reps = 3, opt;
	char *end;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'b': which = optarg; break;
		case 'i': impl = optarg; break;
		case 'c': cpus = optarg; break;
		case 's':
			seconds = strtod(optarg, &end);
			if (*end != '\0' || !(seconds > 0 && seconds <= 60))
				bad_usage();
			break;
		case 'r':
			reps = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || reps < 1 || reps > 100)
				bad_usage();
			break;
		case 'h': usage(stdout); return 0;
		default: bad_usage();
		}
	}
	if (optind != argc)
		bad_usage();
	bool known = strcmp(which, "all") == 0;
	for (size_t k = 0; k < sizeof(benchmarks) / sizeof(benchmarks[0]); k++)
		known = known || strcmp(which, benchmarks[k].name) == 0;
	if (!known || (strcmp(impl, "all") && strcmp(impl, "raw") && strcmp(impl, "runtime")) ||
	    (strcmp(cpus, "all") && strcmp(cpus, "1") && strcmp(cpus, "2")))
		bad_usage();

	cpu_set_t allowed;
	CHECK(sched_getaffinity(0, sizeof(allowed), &allowed));
	if (!CPU_ISSET(0, &allowed) || (strcmp(cpus, "1") && !CPU_ISSET(1, &allowed))) {
		fprintf(stderr, "mp-bench: needs CPU 0%s, and may not use them here\n",
			strcmp(cpus, "1") ? " and CPU 1" : "");
		return 1;
	}
	pin_to_cpu(0);

	for (size_t k = 0; k < sizeof(benchmarks) / sizeof(benchmarks[0]); k++) {
		const struct benchmark *b = &benchmarks[k];

		if (strcmp(which, "all") && strcmp(which, b->name))
			continue;
		for (int c = 2; c >= 1; c--) {
			if (strcmp(cpus, "all") && atoi(cpus) != c)
				continue;
			if (strcmp(impl, "runtime"))
				measure(b, "raw", c, seconds, reps);
			if (strcmp(impl, "raw"))
				measure(b, "runtime", c, seconds, reps);
		}
	}
	return 0;
}
