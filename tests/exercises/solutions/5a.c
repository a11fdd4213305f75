/*
 * Exercise 5a, a solution: each process holds the Lock from before its
 * get to after its set, so the windows follow one another.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

enum { PROCESSES = 10 };

static mp_dict_proxy *d;
static mp_lock *lock;

static int decrement(void *arg)
{
	int64_t count;
	int failed;

	if (mp_lock_acquire(lock) == -1)
		return 1;
	failed = mp_dict_proxy_get_int(d, "count", &count) == -1;
	if (!failed) {
		sleep_ms(2);
		failed = mp_dict_proxy_set_int(d, "count", count - 1) == -1;
	}
	mp_lock_release(lock);
	return failed;
}

int main(void)
{
	mp_process p[PROCESSES];
	mp_manager *m;
	int64_t count;

	if ((m = mp_manager_start()) == NULL || (d = mp_manager_dict(m, NULL)) == NULL)
		lesson_fail("manager");
	if ((lock = mp_lock_new()) == NULL)
		lesson_fail("lock");
	if (mp_dict_proxy_set_int(d, "count", PROCESSES) == -1)
		lesson_fail("set");
	for (int i = 0; i < PROCESSES; i++) {
		mp_process_init(&p[i], decrement, NULL, NULL);
		if (mp_process_start(&p[i]) == -1)
			lesson_fail("start");
	}
	for (int i = 0; i < PROCESSES; i++)
		mp_process_join(&p[i]);
	if (mp_dict_proxy_get_int(d, "count", &count) == -1)
		lesson_fail("get");
	mp_printf("count = %lld (should be 0)\n", (long long)count);
	mp_lock_close(lock);
	mp_manager_shutdown(m);
	return EXIT_SUCCESS;
}
