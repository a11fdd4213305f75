/*
 * Exercise 9a - exit codes as asked, and terminate() done right.
 *
 * main starts three children:
 *   ok      finishes its work and must end with exit code 0;
 *   fails   finds its work impossible and must end with exit code 1;
 *   looper  works until stopped: main must stop it with terminate()
 *           (SIGTERM, exit code -15) after 100 ms, then collect it with
 *           join(), and only then print whether it is alive ("False").
 * As written, fails returns -1 (what exit code is that?), looper is killed
 * with SIGKILL rather than terminated, and main asks is_alive before the
 * join.
 *
 * Your task: the three exit codes are 0, 1 and -15, main collects looper
 * with join(), and its line says "looper is_alive after join: False".
 *
 * Predict, then run `make exercise-9a`: what does each lane's end say?
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
	return -1;		/* "it failed" */
}

static int looper(void *arg)
{
	for (;;)
		sleep_ms(10);	/* works until stopped */
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
	mp_process_kill(&p_looper);
	mp_printf("looper is_alive after join: %s\n",
		  mp_process_is_alive(&p_looper) ? "True" : "False");
	mp_printf("exit codes: ok %d, fails %d\n", mp_process_exitcode(&p_ok),
		  mp_process_exitcode(&p_fails));
	return EXIT_SUCCESS;
}
