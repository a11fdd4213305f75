/*
 * bench.h - what the bench's files share: checking every call, the bare
 * system calls past the runtime's wrappers, time and CPU placement, and
 * the benchmarks themselves (bench.c has the table and the measuring).
 */
#ifndef BENCH_H
#define BENCH_H

#include "mp.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>

/* What one run measured: `ops` operations in `seconds`. */
struct run {
	long ops;
	double seconds;
};

/* A benchmark's raw or runtime variant: n operations, on `cpus` CPUs. */
typedef struct run (*bench_fn)(long n, int cpus);

/* Round trips made before the clock starts (the child moving to its CPU,
 * caches). */
enum { WARMUP = 100 };

/* ---- bench_util.c ---- */

extern pid_t child_pid;		/* the child running now, in the parent; 0 if none */
extern bool in_child;

/* Says which call failed and why, then ends this process.  In the parent it
 * first kills and collects the child, so nothing is left running. */
__attribute__((noreturn)) void fail(const char *call, int line);

/* CHECK(call): call must not return -1.  CHECK_PTR(call): nor NULL.
 * Both give back what the call returned. */
#define CHECK(call) ({                                               \
	__typeof__(call) r_ = (call);                                \
	if (r_ == -1)                                                \
		fail(#call, __LINE__);                               \
	r_; })
#define CHECK_PTR(call) ({                                           \
	__typeof__(call) r_ = (call);                                \
	if (r_ == NULL)                                              \
		fail(#call, __LINE__);                               \
	r_; })
/* EXPECT(cond): a fact the bench relies on, e.g. "8 bytes came". */
#define EXPECT(cond) do {                                            \
	if (!(cond)) {                                               \
		errno = EPROTO;                                      \
		fail("expected " #cond, __LINE__);                   \
	}                                                            \
} while (0)

pid_t raw_fork(void);
ssize_t raw_read(int fd, void *buf, size_t n);
ssize_t raw_write(int fd, const void *buf, size_t n);
__attribute__((noreturn)) void raw_exit(int code);
void raw_reap(pid_t pid);
void runtime_reap(mp_process *p);
double now(void);
void pin_to_cpu(int cpu);
void child_placement(int cpus);
void die_with_parent(pid_t parent);

/* ---- the benchmarks: bench_messages.c, bench_process.c, bench_manager.c,
 * bench_lock.c, bench_pool.c ---- */

struct run queue_raw(long n, int cpus);
struct run queue_runtime(long n, int cpus);
struct run pipe_raw(long n, int cpus);
struct run pipe_runtime(long n, int cpus);
struct run process_raw(long n, int cpus);
struct run process_runtime(long n, int cpus);
struct run manager_raw(long n, int cpus);
struct run manager_runtime(long n, int cpus);
struct run lock_raw(long n, int cpus);
struct run lock_runtime(long n, int cpus);
struct run pool_latency_runtime(long n, int cpus);
struct run pool_map1_raw(long n, int cpus);
struct run pool_map1_runtime(long n, int cpus);
struct run pool_map_raw(long n, int cpus);
struct run pool_map_runtime(long n, int cpus);

#endif /* BENCH_H */
