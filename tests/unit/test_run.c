/*
 * test_run.c - run, call, check_output and system: returncodes and wait
 * statuses, programs that cannot start, captured and merged output, cwd and
 * env, the timeout, and bad input (mp_subprocess.h).
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Nothing sleeps and hopes: a "slow"
 * child is `sleep 30`, ended by the test, and waits have deadlines.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })

#define ARGV(...) ((char *const[]){ __VA_ARGS__, NULL })

/* ---- exit codes and signals ------------------------------------------------ */

START_TEST(run_returncodes)
{
	struct mp_completed r;

	ck_assert_int_eq(mp_run(ARGV("true"), NULL, &r), 0);
	ck_assert_int_eq(r.returncode, 0);
	ck_assert_ptr_null(r.out);		/* not captured */
	ck_assert_ptr_null(r.err);
	mp_completed_free(&r);

	ck_assert_int_eq(mp_run_shell("exit 3", NULL, &r), 0);
	ck_assert_int_eq(r.returncode, 3);
	mp_completed_free(&r);

	ck_assert_int_eq(mp_run(ARGV("sh", "-c", "kill -TERM $$"), NULL, &r), 0);
	ck_assert_int_eq(r.returncode, -SIGTERM);
	mp_completed_free(&r);

	int rc = 99;
	ck_assert_int_eq(mp_call(ARGV("false"), &rc), 0);
	ck_assert_int_eq(rc, 1);
}
END_TEST

START_TEST(system_status)
{
	int st = mp_system("exit 3");

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 3);
	ck_assert_int_eq(st, 3 << 8);
	st = mp_system("kill -KILL $$");
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
	ck_assert_int_eq(mp_system("true"), 0);
}
END_TEST

/* ---- a program that cannot start: exec's errno, no 127 ---------------------- */

START_TEST(exec_errors)
{
	struct mp_completed r;
	mp_subprocess *p;

	errno = 0;
	ck_assert_int_eq(mp_run(ARGV("/nonexistent/program"), NULL, &r), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(r.returncode, MP_EXITCODE_NONE);
	mp_completed_free(&r);

	errno = 0;
	ck_assert_int_eq(mp_run(ARGV("no-such-program-anywhere"), NULL, &r), -1);
	ck_assert_int_eq(errno, ENOENT);

	errno = 0;
	ck_assert_int_eq(mp_run(ARGV("/etc/passwd"), NULL, &r), -1);
	ck_assert_int_eq(errno, EACCES);		/* not executable */

	struct mp_run_options o = { .cwd = "/nonexistent" };
	errno = 0;
	ck_assert_int_eq(mp_run(ARGV("true"), &o, &r), -1);
	ck_assert_int_eq(errno, ENOENT);

	int rc = 99;
	errno = 0;
	ck_assert_int_eq(mp_call(ARGV("/nonexistent/program"), &rc), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rc, 99);

	o = (struct mp_run_options){ .out = MP_PIPE, .in = MP_PIPE };
	errno = 0;
	p = mp_subprocess_popen(ARGV("/nonexistent/program"), &o);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* ---- capture, merge, input ---------------------------------------------------- */

START_TEST(capture_and_merge)
{
	struct mp_run_options o = { .out = MP_PIPE, .err = MP_PIPE };
	struct mp_completed r;

	ck_assert_int_eq(mp_run_shell("echo out; echo err >&2", &o, &r), 0);
	ck_assert_str_eq(r.out, "out\n");
	ck_assert_str_eq(r.err, "err\n");
	ck_assert_int_eq(r.out_len, 4);
	mp_completed_free(&r);

	o.err = MP_STDOUT;
	ck_assert_int_eq(mp_run_shell("echo out; echo err >&2; echo end", &o, &r), 0);
	ck_assert_str_eq(r.out, "out\nerr\nend\n");
	ck_assert_ptr_null(r.err);
	mp_completed_free(&r);

	/* An empty pipe is "", not NULL. */
	o = (struct mp_run_options){ .out = MP_PIPE, .err = MP_DEVNULL };
	ck_assert_int_eq(mp_run_shell("echo hidden >&2", &o, &r), 0);
	ck_assert_str_eq(r.out, "");
	mp_completed_free(&r);

	o = (struct mp_run_options){ .out = MP_PIPE, .input = "hello\nworld\n", .input_len = 12 };
	ck_assert_int_eq(mp_run(ARGV("cat"), &o, &r), 0);
	ck_assert_str_eq(r.out, "hello\nworld\n");
	mp_completed_free(&r);

	/* check_output with stderr merged; a check that fails. */
	o = (struct mp_run_options){ .err = MP_STDOUT };
	ck_assert_int_eq(mp_check_output(ARGV("sh", "-c", "echo a; echo b >&2"), &o, &r), 0);
	ck_assert_str_eq(r.out, "a\nb\n");
	mp_completed_free(&r);

	errno = 0;
	ck_assert_int_eq(mp_check_output(ARGV("sh", "-c", "echo oops; exit 2"), NULL, &r), -1);
	ck_assert_int_eq(errno, MP_CALLED_PROCESS_ERROR);
	ck_assert_int_eq(r.returncode, 2);
	ck_assert_str_eq(r.out, "oops\n");
	mp_completed_free(&r);
}
END_TEST

START_TEST(cwd_and_env)
{
	char *env[] = { "GREETING=bonjour", NULL };
	struct mp_run_options o = { .out = MP_PIPE, .cwd = "/tmp", .env = env };
	struct mp_completed r;

	ck_assert_int_eq(mp_run(ARGV("/bin/sh", "-c", "pwd; echo $GREETING"), &o, &r), 0);
	ck_assert_str_eq(r.out, "/tmp\nbonjour\n");
	mp_completed_free(&r);
}
END_TEST

/* ---- timeouts ------------------------------------------------------------------ */

START_TEST(run_timeout_kills)
{
	struct mp_run_options o = { .out = MP_PIPE, .timeout = 0.2 };
	struct mp_completed r;
	double t0 = now();

	errno = 0;
	ck_assert_int_eq(mp_run_shell("echo partial; exec sleep 30", &o, &r), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert(r.timed_out);
	ck_assert_int_eq(r.returncode, -SIGKILL);
	ck_assert_str_eq(r.out, "partial\n");
	ck_assert(now() - t0 < 10);
	mp_completed_free(&r);
}
END_TEST

/* ---- bad input --------------------------------------------------------------------- */

START_TEST(bad_input)
{
	struct mp_completed r;
	struct mp_run_options o = { 0 };
	char *empty[] = { NULL };
	mp_subprocess *p;

#define EINVAL_OF(call) do { errno = 0; ck_assert_int_eq((call), -1); \
			     ck_assert_int_eq(errno, EINVAL); } while (0)
	EINVAL_OF(mp_run(empty, NULL, &r));
	EINVAL_OF(mp_run(NULL, NULL, &r));
	EINVAL_OF(mp_run(ARGV("true"), NULL, NULL));
	EINVAL_OF(mp_run_shell(NULL, NULL, &r));
	EINVAL_OF(mp_system(NULL));
	EINVAL_OF(mp_call(empty, &(int){ 0 }));
	EINVAL_OF(mp_call(ARGV("true"), NULL));
	EINVAL_OF(mp_check_output(NULL, NULL, &r));
	o.timeout = -1;
	EINVAL_OF(mp_run(ARGV("true"), &o, &r));
	o.timeout = NAN;
	EINVAL_OF(mp_run(ARGV("true"), &o, &r));
	o = (struct mp_run_options){ .out = MP_STDOUT };
	EINVAL_OF(mp_run(ARGV("true"), &o, &r));
	o = (struct mp_run_options){ .in = MP_FD, .in_fd = -5 };
	EINVAL_OF(mp_run(ARGV("true"), &o, &r));
	o = (struct mp_run_options){ .err = 42 };
	EINVAL_OF(mp_run(ARGV("true"), &o, &r));
	o = (struct mp_run_options){ .input_len = 3 };
	EINVAL_OF(mp_run(ARGV("true"), &o, &r));

	errno = 0;
	ck_assert_ptr_null(mp_subprocess_popen(empty, NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mp_subprocess_popen(ARGV(NULL), NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mp_subprocess_popen_shell(NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mp_popen("true", "rw"));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(mp_popen(NULL, "r"));
	ck_assert_int_eq(errno, EINVAL);
	EINVAL_OF(mp_pclose(NULL));

	/* in_from a child without a stdout pipe */
	p = mp_subprocess_popen(ARGV("true"), NULL);
	ck_assert_ptr_nonnull(p);
	o = (struct mp_run_options){ .in_from = p };
	errno = 0;
	ck_assert_ptr_null(mp_subprocess_popen(ARGV("cat"), &o));
	ck_assert_int_eq(errno, EINVAL);

	EINVAL_OF(mp_subprocess_wait_timeout(p, -1));
	EINVAL_OF(mp_subprocess_wait_timeout(p, NAN));
	EINVAL_OF(mp_subprocess_communicate_timeout(p, NULL, 0, -0.5, &r));
	EINVAL_OF(mp_subprocess_communicate_timeout(p, "x", 1, 1, &r));	/* no stdin pipe */
	EINVAL_OF(mp_subprocess_communicate_timeout(p, NULL, 0, 1, NULL));
	EINVAL_OF(mp_subprocess_send_signal(p, -1));
	EINVAL_OF(mp_subprocess_send_signal(p, 1000));
	EINVAL_OF(mp_subprocess_poll(NULL));
	EINVAL_OF(mp_subprocess_wait(NULL));
	EINVAL_OF(mp_subprocess_kill(NULL));
	EINVAL_OF(mp_subprocess_close(NULL));
	ck_assert_int_eq(mp_subprocess_close(p), 0);
	mp_completed_free(NULL);
#undef EINVAL_OF
}
END_TEST

int main(void)
{
	return leakcheck_main("run", 60, NULL, NULL, (const TTest *[]){
		run_returncodes,
		system_status,
		exec_errors,
		capture_and_merge,
		cwd_and_env,
		run_timeout_kills,
		bad_input,
		NULL,
	});
}
