/*
 * test_names.c - what a process is called: default and given names,
 * current_process(), a child's children, the subclass form, and the log
 * lines that carry the name.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Names travel back through a pipe.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- names ------------------------------------------------------------- */

/* Writes the current process's name into the pipe given as arg. */
static int tell_name(void *arg)
{
	const char *name = mp_current_process()->name;

	return write(*(int *)arg, name, strlen(name)) == (ssize_t)strlen(name) ? 0 : 1;
}

static void read_name(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size - 1);

	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
}

START_TEST(names_default_given_and_current)
{
	mp_process a, b, c;
	char buf[MP_NAME_MAX];
	int fds[2];

	ck_assert_str_eq(mp_current_process()->name, "MainProcess");
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(mp_process_init(&a, tell_name, &fds[1], NULL), 0);
	ck_assert_int_eq(mp_process_init(&b, tell_name, &fds[1], "worker 1"), 0);
	ck_assert_int_eq(mp_process_init(&c, tell_name, &fds[1], NULL), 0);
	ck_assert_str_eq(a.name, "Process-1");
	ck_assert_str_eq(b.name, "worker 1");
	ck_assert_str_eq(c.name, "Process-3");	/* counted at init, like Python */

	mp_process *all[] = { &a, &b, &c };
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(mp_process_start(all[i]), 0);
		ck_assert_int_eq(mp_process_join(all[i]), 0);
		read_name(fds[0], buf, sizeof(buf));
		ck_assert_str_eq(buf, all[i]->name);
		ck_assert_int_gt(all[i]->pid, 0);
	}
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* A child's own children are named after it: Process-1:1. */
static int start_grandchild(void *arg)
{
	mp_process g;

	if (mp_process_init(&g, tell_name, arg, NULL) || mp_process_start(&g) || mp_process_join(&g))
		return 1;
	return mp_process_exitcode(&g);
}

START_TEST(names_of_grandchildren)
{
	mp_process p;
	char buf[MP_NAME_MAX];
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(mp_process_init(&p, start_grandchild, &fds[1], NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
	read_name(fds[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "Process-1:1");
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* ---- the subclass form ------------------------------------------------- */

struct worker {
	mp_process base;	/* first, so a worker * is an mp_process * */
	int answer;
};

static int worker_run(mp_process *self)
{
	struct worker *w = (struct worker *)self;

	return strcmp(mp_current_process()->name, self->name) == 0 ? w->answer : 99;
}

START_TEST(subclass_form)
{
	struct worker w;

	ck_assert_int_eq(mp_process_init(&w.base, NULL, NULL, "Worker"), 0);
	w.base.run = worker_run;
	w.answer = 17;
	ck_assert_int_eq(mp_process_start(&w.base), 0);
	ck_assert_int_eq(mp_process_join(&w.base), 0);
	ck_assert_int_eq(mp_process_exitcode(&w.base), 17);
}
END_TEST

/* ---- logging to stderr ------------------------------------------------- */

static int say_hello(void *arg)
{
	mp_log(MP_WARNING, "hello from %s", mp_current_process()->name);
	mp_log(MP_DEBUG, "not shown at INFO");
	return 0;
}

START_TEST(log_to_stderr_lines)
{
	int fds[2], saved;
	char buf[4096] = "";
	size_t used = 0;
	ssize_t n;
	mp_process p;

	ck_assert_int_eq(pipe(fds), 0);
	saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);

	mp_log_to_stderr(MP_INFO);
	mp_process_init(&p, say_hello, NULL, "talker");
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	mp_log_to_stderr(0);
	mp_log(MP_CRITICAL, "not shown when off");

	dup2(saved, STDERR_FILENO);
	close(saved);
	while ((n = read(fds[0], buf + used, sizeof(buf) - 1 - used)) > 0)
		used += n;
	close(fds[0]);
	buf[used] = '\0';
	ck_assert_str_eq(buf,
		"[INFO/talker] child process calling self.run()\n"
		"[WARNING/talker] hello from talker\n"
		"[INFO/talker] process shutting down\n"
		"[INFO/talker] process exiting with exitcode 0\n");
	ck_assert_str_eq(mp_log_level_name(MP_ERROR), "ERROR");
	ck_assert_str_eq(mp_log_level_name(25), "Level 25");
}
END_TEST

int main(void)
{
	return leakcheck_main("names", 10, NULL, NULL, (const TTest *[]){
		names_default_given_and_current,
		names_of_grandchildren,
		subclass_form,
		log_to_stderr_lines,
		NULL,
	});
}
