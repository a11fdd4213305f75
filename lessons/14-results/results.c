/*
 * 14-results - three ways to get results back from other processes.
 *
 * usage: 14-results [--help]
 *
 * A child's variables are its own copies: whatever it computes, the parent
 * never sees unless it is sent back.  Three ways:
 *
 *   1. a Queue: each child puts its result; the parent gets them, in the
 *      order they were put (the order the children finished);
 *   2. a Pool's async results: each apply_async() returns a ticket, and
 *      get() on the tickets gives the results in the order the tasks were
 *      submitted, whichever finished first;
 *   3. a Manager's dict: a server process holds the dict, the children set
 *      their keys through proxies, and the parent reads them all.
 *
 * On the timeline: message arrows from the children to the parent (1),
 * task bars on 4 workers (2), and the manager's lane (3).
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 14-results [--help]\n"
		     "Results back from children three ways: a Queue, a Pool, a Manager dict.\n");
}

/* ---- 1. a Queue ---------------------------------------------------------- */

static mp_queue *results;

static int square(void *arg)
{
	int n = *(int *)arg;
	char line[MP_NAME_MAX + 32];

	sleep_ms(20 * (4 - n));		/* the last started finishes first */
	snprintf(line, sizeof(line), "%s: %d * %d = %d", mp_current_process()->name, n, n, n * n);
	return mp_queue_put_str(results, line) == 0 ? 0 : 1;
}

static void with_a_queue(void)
{
	mp_process procs[4];
	int args[4];
	char line[MP_NAME_MAX + 32];

	mp_printf("1. A Queue: 4 processes each put their result\n");
	if ((results = mp_queue_new(0)) == NULL)
		lesson_fail("Queue");
	for (int i = 0; i < 4; i++) {
		args[i] = i + 1;
		mp_process_init(&procs[i], square, &args[i], NULL);
		if (mp_process_start(&procs[i]) == -1)
			lesson_fail("start");
	}
	for (int i = 0; i < 4; i++) {		/* get before join: see README */
		if (mp_queue_get_str(results, line, sizeof(line)) == -1)
			lesson_fail("get");
		mp_printf("   got %s\n", line);
	}
	for (int i = 0; i < 4; i++)
		mp_process_join(&procs[i]);
	mp_queue_close(results);
}

/* ---- 2. a Pool ----------------------------------------------------------- */

static ssize_t func(const void *arg, size_t len, void *result, size_t size)
{
	const char *msg = arg;

	mp_printf("   %s\n", msg);
	sleep_ms(50);
	return snprintf(result, size, "done %s", msg);
}

static void with_a_pool(void)
{
	mp_async_result *r[10];
	char msg[16], done[32];

	mp_printf("2. A Pool(4): 10 tasks; get() in submit order\n");
	mp_pool *pool = mp_pool_new(4);
	if (pool == NULL)
		lesson_fail("Pool");
	for (int i = 0; i < 10; i++) {
		snprintf(msg, sizeof(msg), "hello %d", i);
		r[i] = mp_pool_apply_async(pool, func, msg, strlen(msg) + 1);
		if (r[i] == NULL)
			lesson_fail("apply_async");
	}
	mp_pool_close(pool);
	mp_pool_join(pool);
	for (int i = 0; i < 10; i++) {
		if (mp_async_get_str(r[i], done, sizeof(done)) == -1)
			lesson_fail("%s", mp_async_error(r[i]) ? mp_async_error(r[i]) : "get");
		mp_printf("   %s\n", done);
	}
	mp_pool_free(pool);
	mp_printf("   Sub-process(es) done.\n");
}

/* ---- 3. a Manager's dict ------------------------------------------------- */

static mp_dict_proxy *return_dict;

static int worker(void *arg)
{
	int procnum = *(int *)arg;
	char key[16];

	sleep_ms(10 * procnum);		/* one after the other, to see them apart */
	mp_printf("   %d represent!\n", procnum);
	snprintf(key, sizeof(key), "%d", procnum);
	return mp_dict_proxy_set_int(return_dict, key, procnum) == 0 ? 0 : 1;
}

static void with_a_manager(void)
{
	mp_process jobs[5];
	int args[5];

	mp_printf("3. A Manager's dict: 5 processes each set one key\n");
	mp_manager *manager = mp_manager_start();
	if (manager == NULL || (return_dict = mp_manager_dict(manager, NULL)) == NULL)
		lesson_fail("Manager");
	for (int i = 0; i < 5; i++) {
		args[i] = i;
		mp_process_init(&jobs[i], worker, &args[i], NULL);
		if (mp_process_start(&jobs[i]) == -1)
			lesson_fail("start");
	}
	for (int i = 0; i < 5; i++)
		mp_process_join(&jobs[i]);

	char values[64] = "[";
	for (int i = 0; i < 5; i++) {
		char key[16];
		int64_t v;

		snprintf(key, sizeof(key), "%d", i);
		if (mp_dict_proxy_get_int(return_dict, key, &v) == -1)
			lesson_fail("%s", key);
		snprintf(values + strlen(values), sizeof(values) - strlen(values), "%s%lld",
			 i ? ", " : "", (long long)v);
	}
	mp_printf("   return_dict.values(): %s]\n", values);
	mp_manager_shutdown(manager);
}

int main(int argc, char **argv)
{
	lesson_no_options(argc, argv, usage);
	with_a_queue();
	with_a_pool();
	with_a_manager();
	return EXIT_SUCCESS;
}
