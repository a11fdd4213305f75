/*
 * 08-process - the Process object: start, join, names, is_alive, the
 * "class" form, and logging to stderr.
 *
 * usage: 08-process [--help]
 *
 * fork() hands you two copies of a program and leaves the bookkeeping to
 * you.  A Process object (Python's multiprocessing.Process, here mp_process)
 * packages it: give it a function and an argument, start() it, join() it,
 * ask whether it is_alive(), read its exitcode.  Each process has a name:
 * one you give, or "Process-N" where N counts the processes its parent has
 * created so far (created, not started: watch the numbers in part 2).
 *
 * Watch for: the order of lines from processes running at the same time
 * (parts 2 and 3) can change from run to run; the numbers in the default
 * names never do.
 *
 * On the timeline: one lane per process, named as it was named here, the
 * parent's join waits, and each child's life from start to exit.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 08-process [--help]\n"
		     "Shows the Process object: start, join, names, is_alive, the class form, logging.\n");
}

static void start(mp_process *p)
{
	if (mp_process_start(p) == -1)
		lesson_fail("start");
}

static void join(mp_process *p)
{
	if (mp_process_join(p) == -1)
		lesson_fail("join");
}

static const char *yes_no(bool b)
{
	return b ? "True" : "False";
}

/* ---- 1. a process running a function ------------------------------------ */

static int run_proc(void *arg)
{
	mp_printf("Run child process %s (%d), my parent is %d...\n",
		  (const char *)arg, (int)getpid(), (int)getppid());
	sleep_ms(50);	/* long enough to see on the timeline */
	return 0;
}

/* ---- 2. names ------------------------------------------------------------ */

static int worker(void *arg)
{
	const char *name = mp_current_process()->name;

	mp_printf("%s Starting\n", name);
	sleep_ms(200);
	mp_printf("%s Exiting\n", name);
	return 0;
}

static int my_service(void *arg)
{
	const char *name = mp_current_process()->name;

	mp_printf("%s Starting\n", name);
	sleep_ms(300);
	mp_printf("%s Exiting\n", name);
	return 0;
}

/* ---- 3. is_alive --------------------------------------------------------- */

static int slow_worker(void *arg)
{
	sleep_ms(100);
	mp_printf("Worker finished\n");
	return 0;
}

static void show_state(const char *when, mp_process *p)
{
	int code = mp_process_exitcode(p);
	char codestr[16] = "None";

	if (code != MP_EXITCODE_NONE)
		snprintf(codestr, sizeof(codestr), "%d", code);
	mp_printf("%-7s %s is_alive=%s exitcode=%s\n", when, p->name,
		  yes_no(mp_process_is_alive(p)), codestr);
}

/* ---- 4. the "class" form ------------------------------------------------- */

/* Python subclasses Process and overrides run().  C embeds an mp_process as
 * the first member of its own struct and points `run` at the body, which
 * gets the whole struct back through `self`. */
struct counter {
	mp_process base;	/* first: a struct counter * is an mp_process * */
	int from, to;
};

static int counter_run(mp_process *self)
{
	struct counter *c = (struct counter *)self;

	mp_printf("In %s: counting %d..%d\n", self->name, c->from, c->to);
	for (int i = c->from; i <= c->to; i++)
		sleep_ms(4);	/* "counting": 40 ms */
	return 0;
}

/* ---- 5. logging ---------------------------------------------------------- */

static int do_work(void *arg)
{
	mp_printf("Doing some work\n");
	sleep_ms(50);
	return 0;
}

int main(int argc, char **argv)
{

	lesson_no_options(argc, argv, usage);

	mp_printf("Parent process %d (%s).\n", (int)getpid(), mp_current_process()->name);

	mp_printf("\n== 1. Process(target=run_proc, args=('test',))\n");
	mp_process p;
	mp_process_init(&p, run_proc, "test", NULL);
	mp_printf("Child process will start.\n");
	start(&p);
	join(&p);
	mp_printf("Child process end.\n");

	mp_printf("\n== 2. Names: given, or Process-N by order of creation\n");
	mp_process service, worker_1, worker_2;
	mp_process_init(&service, my_service, NULL, "my_service");
	mp_process_init(&worker_1, worker, NULL, "worker 1");
	mp_process_init(&worker_2, worker, NULL, NULL);	/* the default name */
	start(&worker_1);
	start(&worker_2);
	start(&service);
	join(&worker_1);
	join(&worker_2);
	join(&service);

	mp_printf("\n== 3. is_alive() and exitcode before, during and after\n");
	mp_process slow;
	mp_process_init(&slow, slow_worker, NULL, NULL);
	show_state("BEFORE:", &slow);
	start(&slow);
	show_state("DURING:", &slow);
	join(&slow);
	show_state("JOINED:", &slow);

	mp_printf("\n== 4. The class form: a struct whose run() is the body\n");
	struct counter counters[3];
	for (int i = 0; i < 3; i++) {
		mp_process_init(&counters[i].base, NULL, NULL, NULL);
		counters[i].base.run = counter_run;
		counters[i].from = 10 * i;
		counters[i].to = 10 * i + 9;
	}
	for (int i = 0; i < 3; i++) {	/* one at a time: the lines stay in order */
		start(&counters[i].base);
		join(&counters[i].base);
	}

	mp_printf("\n== 5. log_to_stderr(), level INFO: the runtime tells what it does\n");
	mp_log_to_stderr(MP_INFO);
	mp_process logged;
	mp_process_init(&logged, do_work, NULL, NULL);
	start(&logged);
	join(&logged);
	return EXIT_SUCCESS;
}
