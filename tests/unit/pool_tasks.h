/*
 * pool_tasks.h - the tasks the pool tests run, and the shared memory
 * through which a task tells the test it has started (test_pool.c,
 * test_pool_failures.c).
 */
#ifndef POOL_TASKS_H
#define POOL_TASKS_H

#include "mp.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Memory the tasks share with the test. */
struct shared {
	_Atomic int running_pid;	/* the pid of a task that has started */
	_Atomic int started;		/* tasks that have started */
};

static struct shared *sh;

static inline void shared_setup(void)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
}

static inline void shared_teardown(void)
{
	munmap(sh, sizeof(*sh));
}

/* ---- tasks ---------------------------------------------------------------- */

static inline ssize_t square(const void *arg, size_t len, void *result, size_t size)
{
	int64_t x;

	if (len != sizeof(x))
		return mp_task_error(EINVAL, "want 8 bytes, got %zu", len);
	memcpy(&x, arg, sizeof(x));
	x *= x;
	memcpy(result, &x, sizeof(x));
	return sizeof(x);
}

static inline ssize_t hello(const void *arg, size_t len, void *result, size_t size)
{
	return snprintf(result, size, "hello %d", *(const int *)arg);
}

/* Fails for 13, with a message; for 7 with only an errno. */
static inline ssize_t picky(const void *arg, size_t len, void *result, size_t size)
{
	int64_t x;

	memcpy(&x, arg, sizeof(x));
	if (x == 13)
		return mp_task_error(EDOM, "13 is unlucky");
	if (x == 7) {
		errno = ERANGE;
		return -1;
	}
	return square(arg, len, result, size);
}

/* Says it runs, then waits the given seconds. */
static inline ssize_t nap(const void *arg, size_t len, void *result, size_t size)
{
	double seconds = *(const double *)arg;

	atomic_store(&sh->running_pid, getpid());
	atomic_fetch_add(&sh->started, 1);
	usleep((useconds_t)(seconds * 1e6));
	return 0;
}

/* Stuck for good: ignores SIGTERM and sleeps. */
static inline ssize_t stubborn(const void *arg, size_t len, void *result, size_t size)
{
	signal(SIGTERM, SIG_IGN);
	atomic_store(&sh->running_pid, getpid());
	atomic_fetch_add(&sh->started, 1);
	for (;;)
		pause();
	return 0;	/* never */
}

static int init_value;

static inline void init_worker(void *arg)
{
	init_value = *(int *)arg;
}

static inline ssize_t report_init(const void *arg, size_t len, void *result, size_t size)
{
	memcpy(result, &init_value, sizeof(init_value));
	return sizeof(init_value);
}

#endif /* POOL_TASKS_H */
