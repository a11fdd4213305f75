/*
 * bench_pool.c - pool: a task's round trip, and map over many small tasks
 * with chunksize 1 and with Python's choice, against workers fed by bare
 * pipes (bench.c says what each measures).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- pool: a task's round trip, and many small tasks ------------------------ */

static ssize_t add_one(const void *arg, size_t len, void *result, size_t size)
{
	int64_t x;

	memcpy(&x, arg, sizeof(x));
	x++;
	memcpy(result, &x, sizeof(x));
	return sizeof(x);
}

static void place_worker(void *arg)
{
	in_child = true;
	child_placement(*(int *)arg);
}

/* The latency's floor is pipe_raw: a task out and its result back over a
 * pipe to a process that waits for it. */
struct run pool_latency_runtime(long n, int cpus)
{
	mp_pool *pool = CHECK_PTR(mp_pool_new_init(1, place_worker, &cpus));
	int64_t v;
	double start = 0;

	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		int64_t x = i;
		CHECK(mp_pool_apply(pool, add_one, &x, sizeof(x), &v, sizeof(v)));
		EXPECT(v == i + 1);
	}
	double seconds = now() - start;
	mp_pool_free(pool);
	return (struct run){ n, seconds };
}

/* Throughput's floor: two workers, each fed 8-byte tasks through its own
 * pipe in batches of `chunk`, answering each batch with one write - a pool
 * reduced to its system calls, with no queue, no bookkeeping, no failure
 * handling. */
static struct run tasks_raw(long n, int cpus, long chunk)
{
	enum { WORKERS = 2, MAX_CHUNK = 512 };
	pid_t parent = getpid(), pids[WORKERS];
	int down[WORKERS][2], up[WORKERS][2];
	static int64_t buf[MAX_CHUNK];

	if (chunk > MAX_CHUNK)
		chunk = MAX_CHUNK;
	for (int w = 0; w < WORKERS; w++) {
		CHECK(pipe(down[w]));
		CHECK(pipe(up[w]));
		pids[w] = CHECK(raw_fork());
		if (pids[w] == 0) {
			in_child = true;
			die_with_parent(parent);
			child_placement(cpus);
			for (int v = 0; v <= w; v++) {	/* the parent's ends */
				CHECK(close(down[v][1]));
				CHECK(close(up[v][0]));
			}
			ssize_t got;
			while ((got = CHECK(raw_read(down[w][0], buf, sizeof(buf)))) > 0) {
				for (long k = 0; k < got / 8; k++)
					buf[k]++;
				EXPECT(CHECK(raw_write(up[w][1], buf, (size_t)got)) == got);
			}
			raw_exit(0);
		}
		CHECK(close(down[w][0]));
		CHECK(close(up[w][1]));
	}
	double start = now();
	long sent = 0, done = 0;
	int busy[WORKERS] = { 0 };
	while (done < n) {
		for (int w = 0; w < WORKERS; w++) {	/* each worker one batch at a time */
			if (busy[w] == 0 && sent < n) {
				long k = n - sent < chunk ? n - sent : chunk;
				for (long j = 0; j < k; j++)
					buf[j] = sent + j;
				EXPECT(CHECK(raw_write(down[w][1], buf, (size_t)k * 8)) == k * 8);
				busy[w] = (int)k;
				sent += k;
			}
		}
		for (int w = 0; w < WORKERS; w++) {
			if (busy[w] > 0) {
				EXPECT(CHECK(raw_read(up[w][0], buf, (size_t)busy[w] * 8)) == busy[w] * 8);
				done += busy[w];
				busy[w] = 0;
			}
		}
	}
	double seconds = now() - start;
	for (int w = 0; w < WORKERS; w++) {
		CHECK(close(down[w][1]));
		CHECK(close(up[w][0]));
		raw_reap(pids[w]);
	}
	return (struct run){ n, seconds };
}

static struct run tasks_runtime(long n, int cpus, long chunk)
{
	mp_pool *pool = CHECK_PTR(mp_pool_new_init(2, place_worker, &cpus));
	int64_t *args = CHECK_PTR(malloc((size_t)n * 8)), *out = CHECK_PTR(malloc((size_t)n * 8));

	for (long i = 0; i < n; i++)
		args[i] = i;
	/* A first map, untimed: the queue's ring, the workers' buffers and the
	 * arrays are touched once (page faults a pool pays on its first map of
	 * that size only; the raw workers have no such buffers). */
	CHECK(mp_pool_map(pool, add_one, args, 8, (size_t)n, out, 8, (size_t)chunk));
	double start = now();
	CHECK(mp_pool_map(pool, add_one, args, 8, (size_t)n, out, 8, (size_t)chunk));
	double seconds = now() - start;
	EXPECT(out[n - 1] == n);
	free(args);
	free(out);
	mp_pool_free(pool);
	return (struct run){ n, seconds };
}

/* map with chunksize 1, and with Python's own choice, n / (4 x workers). */
struct run pool_map1_raw(long n, int cpus) { return tasks_raw(n, cpus, 1); }
struct run pool_map1_runtime(long n, int cpus) { return tasks_runtime(n, cpus, 1); }
struct run pool_map_raw(long n, int cpus) { return tasks_raw(n, cpus, n / 8 + 1); }
struct run pool_map_runtime(long n, int cpus) { return tasks_runtime(n, cpus, 0); }
