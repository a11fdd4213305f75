/*
 * Exercise 9a, a solution: return 1, terminate() then join(), and ask
 * is_alive after the join.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

static int ok(void *arg)
{
	sleep_ms(20);
	return 0;
}

static int fails(void *arg)
{
	sleep_ms(20);
	return 1;
}

static int looper(void *arg)
{
	for (;;)
		sleep_ms(10);
}

int main(void)
{
	mp_process p_ok, p_fails, p_looper;

	mp_process_init(&p_ok, ok, NULL, "ok");
	mp_process_init(&p_fails, fails, NULL, "fails");
	mp_process_init(&p_looper, looper, NULL, "looper");
	if (mp_process_start(&p_ok) == -1 || mp_process_start(&p_fails) == -1 ||
	    mp_process_start(&p_looper) == -1)
		lesson_fail("start");
	mp_process_join(&p_ok);
	mp_process_join(&p_fails);
	sleep_ms(100);
	mp_process_terminate(&p_looper);
	mp_process_join(&p_looper);
	mp_printf("looper is_alive after join: %s\n",
		  mp_process_is_alive(&p_looper) ? "True" : "False");
	mp_printf("exit codes: ok %d, fails %d, looper %d\n", mp_process_exitcode(&p_ok),
		  mp_process_exitcode(&p_fails), mp_process_exitcode(&p_looper));
	return EXIT_SUCCESS;
}
