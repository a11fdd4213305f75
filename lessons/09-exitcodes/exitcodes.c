/*
 * 09-exitcodes - how a child's end is reported to its parent.
 *
 * usage: 09-exitcodes [--help]
 *
 * A process ends in one of two ways: it exits, with a status from 0 to 255
 * (0 means success), or a signal ends it.  waitpid() tells the parent which,
 * and Python's Process.exitcode folds both into one number: the exit status,
 * or minus the signal number.  Here are five children and their codes:
 *
 *   exit_ok     returns 0 from its body            exitcode  0
 *   exit_error  calls exit(1)                      exitcode  1
 *   raises      hits an error, reports it, fails   exitcode  1
 *   terminated  ended by terminate() (SIGTERM 15)  exitcode -15
 *   killed      ended by kill()      (SIGKILL  9)  exitcode -9
 *
 * Part 2 shows that terminate() only sends a signal: is_alive() may still
 * say True right after it, and only join() makes sure.
 *
 * On the timeline: each lane ends with its exit code, or with the signal
 * that ended it, arriving as an arrow from the parent's lane.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 09-exitcodes [--help]\n"
		     "Five children end five ways; the parent prints each exitcode.\n");
}

static int exit_ok(void *arg)
{
	return 0;
}

static int exit_error(void *arg)
{
	exit(1);
}

/* C has no exceptions: a failing call reports itself, and the body
 * returns a non-zero status - here 1, as Python gives an uncaught error. */
static int raises(void *arg)
{
	const char *path = "/nonexistent/settings.conf";
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "raises: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	fclose(f);
	return 0;
}

static int sleeps(void *arg)
{
	sleep_ms(3000);		/* ended long before this */
	return 0;
}

static const char *code_note(int code)
{
	switch (code) {
	case -SIGTERM: return "  (SIGTERM)";
	case -SIGKILL: return "  (SIGKILL)";
	}
	return "";
}

static void start(mp_process *p)
{
	if (mp_process_start(p) == -1)
		lesson_fail("start %s", p->name);
}

static const char *yes_no(bool b)
{
	return b ? "True" : "False";
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		mp_target_fn body;
	} kinds[] = {
		{ "exit_ok", exit_ok },
		{ "exit_error", exit_error },
		{ "raises", raises },
		{ "terminated", sleeps },
		{ "killed", sleeps },
	};
	enum { N = sizeof(kinds) / sizeof(kinds[0]) };
	mp_process jobs[N];

	lesson_no_options(argc, argv, usage);

	mp_printf("== 1. Five ways to end\n");
	for (int i = 0; i < N; i++) {
		mp_process_init(&jobs[i], kinds[i].body, NULL, kinds[i].name);
		mp_printf("Starting process for %s\n", kinds[i].name);
		start(&jobs[i]);
	}
	sleep_ms(100);		/* let the first three finish on their own */
	mp_process_terminate(&jobs[3]);
	mp_process_kill(&jobs[4]);
	for (int i = 0; i < N; i++) {
		mp_process_join(&jobs[i]);
		int code = mp_process_exitcode(&jobs[i]);
		mp_printf("%15s.exitcode = %-3d%s\n", jobs[i].name, code, code_note(code));
	}

	mp_printf("\n== 2. terminate(), then join()\n");
	mp_process slow;
	mp_process_init(&slow, sleeps, NULL, "slow_worker");
	mp_printf("BEFORE:     %s is_alive=%s\n", slow.name, yes_no(mp_process_is_alive(&slow)));
	start(&slow);
	sleep_ms(50);
	mp_printf("DURING:     %s is_alive=%s\n", slow.name, yes_no(mp_process_is_alive(&slow)));
	mp_process_terminate(&slow);
	/* Sent, not yet delivered: this usually still says True. */
	mp_printf("TERMINATED: %s is_alive=%s\n", slow.name, yes_no(mp_process_is_alive(&slow)));
	mp_process_join(&slow);
	mp_printf("JOINED:     %s is_alive=%s exitcode=%d\n", slow.name,
		  yes_no(mp_process_is_alive(&slow)), mp_process_exitcode(&slow));
	return EXIT_SUCCESS;
}
