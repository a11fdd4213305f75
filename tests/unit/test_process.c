/*
 * test_process.c - the Process API, one Check test per behaviour.
 *
 * Check runs every test in a child process of its own with a time limit, and
 * the fixture around each test fails it if it leaves a child, a zombie or an
 * open file descriptor behind.  Waits are on events (a pipe, a pidfd), with
 * deadlines, never sleeps that hope.
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

/* ---- bodies ----------------------------------------------------------- */

static int return_arg(void *arg) { return *(int *)arg; }
static int call_exit(void *arg) { exit(*(int *)arg); }
static int call_abort(void *arg) { setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 }); abort(); return 0; }
static int sleep_forever(void *arg) { for (;;) pause(); return 0; }

static int sleep_ms(void *arg)
{
	struct timespec ts = { 0, *(int *)arg * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

static int run_to_end(mp_target_fn body, int arg)
{
	mp_process p;

	ck_assert_int_eq(mp_process_init(&p, body, &arg, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	return mp_process_exitcode(&p);
}

/* ---- exit codes, Python's convention ---------------------------------- */

START_TEST(exitcode_of_return)
{
	ck_assert_int_eq(run_to_end(return_arg, 0), 0);
	ck_assert_int_eq(run_to_end(return_arg, 1), 1);
	ck_assert_int_eq(run_to_end(return_arg, 42), 42);
}
END_TEST

START_TEST(exitcode_of_exit)
{
	ck_assert_int_eq(run_to_end(call_exit, 3), 3);
}
END_TEST

START_TEST(exitcode_of_signal)
{
	ck_assert_int_eq(run_to_end(call_abort, 0), -SIGABRT);
}
END_TEST

START_TEST(exitcode_none_before_end)
{
	mp_process p;

	ck_assert_int_eq(mp_process_init(&p, sleep_forever, NULL, NULL), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), MP_EXITCODE_NONE);
	ck_assert(!mp_process_is_alive(&p));
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), MP_EXITCODE_NONE);
	ck_assert(mp_process_is_alive(&p));
	ck_assert_int_eq(mp_process_kill(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), -SIGKILL);
	ck_assert(!mp_process_is_alive(&p));
}
END_TEST

/* ---- join with a timeout, terminate ------------------------------------ */

START_TEST(join_timeout_on_running)
{
	mp_process p;
	double t0;

	ck_assert_int_eq(mp_process_init(&p, sleep_forever, NULL, "sleeper"), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	t0 = now();
	ck_assert_int_eq(mp_process_join_timeout(&p, 0.2), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_double_ge(now() - t0, 0.2);
	ck_assert_double_lt(now() - t0, 1.0);
	ck_assert(mp_process_is_alive(&p));

	ck_assert_int_eq(mp_process_terminate(&p), 0);
	ck_assert_int_eq(mp_process_join_timeout(&p, 2.0), 0);
	ck_assert(!mp_process_is_alive(&p));
	ck_assert_int_eq(mp_process_exitcode(&p), -SIGTERM);
	/* Signalling or joining an ended process is harmless. */
	ck_assert_int_eq(mp_process_terminate(&p), 0);
	ck_assert_int_eq(mp_process_join_timeout(&p, 0), 0);
}
END_TEST

START_TEST(join_timeout_returns_when_child_ends)
{
	mp_process p;
	int ms = 50;
	double t0;

	ck_assert_int_eq(mp_process_init(&p, sleep_ms, &ms, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	t0 = now();
	ck_assert_int_eq(mp_process_join_timeout(&p, 5.0), 0);
	ck_assert_double_lt(now() - t0, 2.0);	/* woken by the end, not the timeout */
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
}
END_TEST

static void on_alarm(int sig) { (void)sig; }

START_TEST(join_survives_signals)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } }, off = { 0 };
	mp_process p, q;
	int ms = 60;

	sigaction(SIGALRM, &sa, NULL);
	ck_assert_int_eq(mp_process_init(&p, sleep_ms, &ms, NULL), 0);
	ck_assert_int_eq(mp_process_init(&q, sleep_ms, &ms, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_start(&q), 0);
	setitimer(ITIMER_REAL, &every_ms, NULL);
	ck_assert_int_eq(mp_process_join(&p), 0);		/* EINTR retried */
	ck_assert_int_eq(mp_process_join_timeout(&q, 5.0), 0);
	setitimer(ITIMER_REAL, &off, NULL);
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
	ck_assert_int_eq(mp_process_exitcode(&q), 0);
}
END_TEST

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

/* ---- daemons ----------------------------------------------------------- */

/* Starts a daemon that sleeps forever, sends its pid up the pipe, and
 * returns (arg[1] == 0) or vanishes with _exit (arg[1] == 1), skipping the
 * exit handler. */
static int parent_of_daemon(void *arg)
{
	int *a = arg;
	mp_process d;

	mp_process_init(&d, sleep_forever, NULL, "daemon");
	d.daemon = true;
	if (mp_process_start(&d) == -1)
		return 1;
	if (write(a[0], &d.pid, sizeof(d.pid)) != sizeof(d.pid))
		return 1;
	if (a[1])
		_exit(0);
	return 0;
}

/* Waits up to `seconds` for pid (our child, or adopted by us) to end. */
static int reaped_within(pid_t pid, double seconds, int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int r;

	ck_assert_int_ge(pidfd, 0);
	r = poll(&pfd, 1, (int)(seconds * 1000));
	close(pidfd);
	if (r != 1)
		return 0;
	return waitpid(pid, status, 0) == pid;
}

START_TEST(daemon_ended_with_its_parent)
{
	mp_process p;
	int fds[2], args[2] = { 0, 0 }, status;
	pid_t daemon_pid;

	ck_assert_int_eq(pipe(fds), 0);
	args[0] = fds[1];
	ck_assert_int_eq(mp_process_init(&p, parent_of_daemon, args, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(read(fds[0], &daemon_pid, sizeof(daemon_pid)), sizeof(daemon_pid));
	ck_assert_int_eq(mp_process_join_timeout(&p, 5.0), 0);
	ck_assert_int_eq(mp_process_exitcode(&p), 0);
	/* The parent terminated and collected its daemon before it ended. */
	ck_assert_int_eq(kill(daemon_pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	(void)status;
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(daemon_ended_when_parent_vanishes)
{
	mp_process p;
	int fds[2], args[2] = { 0, 1 }, status;
	pid_t daemon_pid;

	/* Orphans come to us, so the test can see how the daemon ended. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(pipe(fds), 0);
	args[0] = fds[1];
	ck_assert_int_eq(mp_process_init(&p, parent_of_daemon, args, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(read(fds[0], &daemon_pid, sizeof(daemon_pid)), sizeof(daemon_pid));
	ck_assert_int_eq(mp_process_join_timeout(&p, 5.0), 0);
	ck_assert(reaped_within(daemon_pid, 2.0, &status));
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static int try_to_start_child(void *arg)
{
	mp_process g;

	mp_process_init(&g, return_arg, arg, NULL);
	return mp_process_start(&g) == -1 && errno == EPERM ? 0 : 1;
}

START_TEST(daemon_may_not_have_children)
{
	mp_process d;
	int zero = 0;

	ck_assert_int_eq(mp_process_init(&d, try_to_start_child, &zero, NULL), 0);
	d.daemon = true;
	ck_assert_int_eq(mp_process_start(&d), 0);
	ck_assert_int_eq(mp_process_join(&d), 0);
	ck_assert_int_eq(mp_process_exitcode(&d), 0);
}
END_TEST

/* ---- bad calls: -1 and errno, never a crash ---------------------------- */

static int join_sibling(void *arg)
{
	return mp_process_join(arg) == -1 && errno == ECHILD ? 0 : 1;
}

START_TEST(bad_calls)
{
	mp_process p, q;
	char long_name[MP_NAME_MAX + 1];

	memset(long_name, 'x', MP_NAME_MAX);
	long_name[MP_NAME_MAX] = '\0';
	ck_assert_int_eq(mp_process_init(NULL, return_arg, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_init(&p, return_arg, NULL, long_name), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_start(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_int_eq(mp_process_init(&p, NULL, NULL, NULL), 0);
	ck_assert_int_eq(mp_process_start(&p), -1);	/* no body */
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_int_eq(mp_process_init(&p, sleep_forever, NULL, NULL), 0);
	ck_assert_int_eq(mp_process_join(&p), -1);	/* not started */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_terminate(&p), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_join(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);

	ck_assert_int_eq(mp_process_start(&p), 0);
	ck_assert_int_eq(mp_process_start(&p), -1);	/* twice */
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_join_timeout(&p, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_process_join_timeout(&p, NAN), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* Only the parent may join. */
	ck_assert_int_eq(mp_process_init(&q, join_sibling, &p, NULL), 0);
	ck_assert_int_eq(mp_process_start(&q), 0);
	ck_assert_int_eq(mp_process_join(&q), 0);
	ck_assert_int_eq(mp_process_exitcode(&q), 0);

	ck_assert_int_eq(mp_process_kill(&p), 0);
	ck_assert_int_eq(mp_process_join(&p), 0);
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

START_TEST(cpu_count_positive)
{
	ck_assert_int_ge(mp_cpu_count(), 1);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc = leakcheck_case(&s, "process", 10);

	tcase_add_test(tc, exitcode_of_return);
	tcase_add_test(tc, exitcode_of_exit);
	tcase_add_test(tc, exitcode_of_signal);
	tcase_add_test(tc, exitcode_none_before_end);
	tcase_add_test(tc, join_timeout_on_running);
	tcase_add_test(tc, join_timeout_returns_when_child_ends);
	tcase_add_test(tc, join_survives_signals);
	tcase_add_test(tc, names_default_given_and_current);
	tcase_add_test(tc, names_of_grandchildren);
	tcase_add_test(tc, subclass_form);
	tcase_add_test(tc, daemon_ended_with_its_parent);
	tcase_add_test(tc, daemon_ended_when_parent_vanishes);
	tcase_add_test(tc, daemon_may_not_have_children);
	tcase_add_test(tc, bad_calls);
	tcase_add_test(tc, log_to_stderr_lines);
	tcase_add_test(tc, cpu_count_positive);
	return leakcheck_run(s);
}
