/*
 * bench_lock.c - lock: acquire and release with nobody else wanting it, a
 * process-shared pthread mutex against mp_lock (bench.c says what it measures).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <pthread.h>
#include <sys/mman.h>
/* ---- lock: acquire and release, nobody else wanting it -------------------- */

struct run lock_raw(long n, int cpus)
{
	pthread_mutex_t *m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t attr;

	EXPECT(m != MAP_FAILED);
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(m, &attr);
	double start = now();
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(m);
		pthread_mutex_unlock(m);
	}
	double seconds = now() - start;
	munmap(m, sizeof(*m));
	return (struct run){ n, seconds };
}

struct run lock_runtime(long n, int cpus)
{
	mp_lock *l = CHECK_PTR(mp_lock_new());
	double start = now();

	for (long i = 0; i < n; i++) {
		CHECK(mp_lock_acquire(l));
		CHECK(mp_lock_release(l));
	}
	double seconds = now() - start;
	CHECK(mp_lock_close(l));
	return (struct run){ n, seconds };
}
