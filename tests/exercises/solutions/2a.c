/*
 * Exercise 2a, a solution: Pool(3) and mp_pool_map(), whose results come
 * back in the order of the arguments.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

enum { N = 8 };

static ssize_t square(const void *arg, size_t len, void *result, size_t size)
{
	int64_t n = *(const int64_t *)arg;

	sleep_ms((N - n) * 15);
	*(int64_t *)result = n * n;
	return sizeof(int64_t);
}

int main(void)
{
	int64_t numbers[N], squares[N];
	mp_pool *pool;

	for (int n = 0; n < N; n++)
		numbers[n] = n;
	if ((pool = mp_pool_new(3)) == NULL)
		lesson_fail("Pool");
	if (mp_pool_map(pool, square, numbers, sizeof(numbers[0]), N, squares,
			sizeof(squares[0]), 1) == -1)
		lesson_fail("map");
	for (int n = 0; n < N; n++)
		mp_printf("square(%d) = %lld\n", n, (long long)squares[n]);
	mp_pool_close(pool);
	mp_pool_join(pool);
	mp_pool_free(pool);
	return EXIT_SUCCESS;
}
