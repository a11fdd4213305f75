/*
 * Exercise 2a - a Pool of three workers, results in order.
 *
 * Eight numbers are squared in a Pool; the later a number, the sooner its
 * task ends (number n works (8 - n) x 15 ms).  The machine should do at
 * most three tasks at once.  As written, the Pool has a worker per task,
 * and main prints each result as soon as it is ready: in the order the
 * tasks end, not the order of the numbers.
 *
 * Your task: a Pool of 3 workers (at most 3 tasks at once, each task once)
 * and the results printed in the order of the numbers, square(0) first.
 * mp_pool_map() does both at once: it returns the results in order.
 *
 * Predict, then run `make exercise-2a`: how many task bars can overlap,
 * and which task starts last?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

enum { N = 8 };

/* A task: the square of the number it is given. */
static ssize_t square(const void *arg, size_t len, void *result, size_t size)
{
	int64_t n = *(const int64_t *)arg;

	sleep_ms((N - n) * 15);			/* its work */
	*(int64_t *)result = n * n;
	return sizeof(int64_t);
}

int main(void)
{
	mp_async_result *r[N];
	bool shown[N] = { false };
	mp_pool *pool;

	if ((pool = mp_pool_new(N)) == NULL)
		lesson_fail("Pool");
	for (int64_t n = 0; n < N; n++)
		if ((r[n] = mp_pool_apply_async(pool, square, &n, sizeof(n))) == NULL)
			lesson_fail("apply_async");
	for (int left = N; left > 0; sleep_ms(1)) {
		for (int n = 0; n < N; n++) {
			int64_t v;

			if (shown[n] || !mp_async_ready(r[n]))
				continue;
			if (mp_async_get(r[n], &v, sizeof(v)) == -1)
				lesson_fail("get");
			mp_printf("square(%d) = %lld\n", n, (long long)v);
			shown[n] = true;
			left--;
		}
	}
	mp_pool_close(pool);
	mp_pool_join(pool);
	mp_pool_free(pool);
	return EXIT_SUCCESS;
}
