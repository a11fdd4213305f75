/*
 * test_subprocess.c - system, popen, run, call, check_output, Popen,
 * communicate and pipelines (mp_subprocess.h).
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

/* ---- communicate: megabytes on all three pipes at once ------------------------ */

#define BIG (3 << 20)

START_TEST(communicate_big_both_ways)
{
	/* tee copies stdin to stdout and stderr: while we are still writing
	 * 3 MiB, it fills both output pipes.  Waiting on any one of the three
	 * alone would deadlock. */
	struct mp_run_options o = { .in = MP_PIPE, .out = MP_PIPE, .err = MP_PIPE };
	struct mp_completed r;
	char *input = malloc(BIG);
	mp_subprocess *p;

	ck_assert_ptr_nonnull(input);
	for (size_t i = 0; i < BIG; i++)
		input[i] = (char)('a' + i % 26 + (i % 4093 == 0) * 3);
	p = mp_subprocess_popen(ARGV("tee", "/dev/stderr"), &o);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p, input, BIG, 60, &r), 0);
	ck_assert_int_eq(r.returncode, 0);
	ck_assert_int_eq(p->returncode, 0);
	ck_assert_uint_eq(r.out_len, BIG);
	ck_assert_uint_eq(r.err_len, BIG);
	ck_assert(memcmp(r.out, input, BIG) == 0);
	ck_assert(memcmp(r.err, input, BIG) == 0);
	ck_assert_int_eq(p->stdin_fd, -1);
	ck_assert_int_eq(p->stdout_fd, -1);
	ck_assert_int_eq(mp_subprocess_close(p), 0);
	mp_completed_free(&r);
	free(input);
}
END_TEST

START_TEST(communicate_child_stops_reading)
{
	/* The child reads nothing: our write gets EPIPE (never SIGPIPE),
	 * which is not an error. */
	struct mp_run_options o = { .in = MP_PIPE, .out = MP_PIPE };
	struct mp_completed r;
	char *input = calloc(1, BIG);
	mp_subprocess *p = mp_subprocess_popen(ARGV("echo", "early"), &o);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p, input, BIG, 60, &r), 0);
	ck_assert_str_eq(r.out, "early\n");
	ck_assert_int_eq(r.returncode, 0);
	mp_completed_free(&r);
	mp_subprocess_close(p);
	free(input);
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

START_TEST(wait_timeout_then_communicate)
{
	/* The deadlock of lesson 16: the child fills its pipe (1 MiB), the
	 * parent only waits.  The wait must end by its timeout; communicate
	 * then gets everything. */
	struct mp_run_options o = { .out = MP_PIPE };
	struct mp_completed r;
	mp_subprocess *p = mp_subprocess_popen(ARGV("head", "-c", "1048576", "/dev/zero"), &o);

	ck_assert_ptr_nonnull(p);
	errno = 0;
	ck_assert_int_eq(mp_subprocess_wait_timeout(p, 0.3), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(mp_subprocess_poll(p), 0);
	ck_assert_int_eq(p->returncode, MP_EXITCODE_NONE);
	ck_assert_int_eq(mp_subprocess_communicate(p, NULL, 0, &r), 0);
	ck_assert_uint_eq(r.out_len, 1048576);
	ck_assert_int_eq(r.returncode, 0);
	ck_assert_int_eq(mp_subprocess_poll(p), 1);
	mp_completed_free(&r);
	ck_assert_int_eq(mp_subprocess_close(p), 0);
}
END_TEST

START_TEST(communicate_timeout_then_again)
{
	struct mp_run_options o = { .out = MP_PIPE };
	struct mp_completed r;
	mp_subprocess *p = mp_subprocess_popen_shell("echo first; exec sleep 30", &o);

	ck_assert_ptr_nonnull(p);
	errno = 0;
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p, NULL, 0, 0.2, &r), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert(r.timed_out);
	ck_assert_str_eq(r.out, "first\n");
	mp_completed_free(&r);
	ck_assert_int_eq(mp_subprocess_kill(p), 0);
	ck_assert_int_eq(mp_subprocess_communicate(p, NULL, 0, &r), 0);
	ck_assert_str_eq(r.out, "first\n");
	ck_assert_int_eq(r.returncode, -SIGKILL);
	mp_completed_free(&r);
	mp_subprocess_close(p);
}
END_TEST

/* ---- Popen: poll, wait, signals ---------------------------------------------- */

START_TEST(popen_poll_wait_signals)
{
	mp_subprocess *p = mp_subprocess_popen(ARGV("sleep", "30"), NULL);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_gt(p->pid, 0);
	ck_assert_int_eq(p->stdin_fd, -1);
	ck_assert_int_eq(mp_subprocess_poll(p), 0);
	errno = 0;
	ck_assert_int_eq(mp_subprocess_wait_timeout(p, 0), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(mp_subprocess_terminate(p), 0);
	ck_assert_int_eq(mp_subprocess_wait(p), 0);
	ck_assert_int_eq(p->returncode, -SIGTERM);
	ck_assert_int_eq(mp_subprocess_kill(p), 0);		/* collected: nothing sent */
	ck_assert_int_eq(p->returncode, -SIGTERM);
	ck_assert_int_eq(mp_subprocess_close(p), 0);

	p = mp_subprocess_popen(ARGV("sleep", "30"), NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_subprocess_kill(p), 0);
	ck_assert_int_eq(mp_subprocess_wait_timeout(p, 30), 0);
	ck_assert_int_eq(p->returncode, -SIGKILL);
	mp_subprocess_close(p);

	p = mp_subprocess_popen(ARGV("sleep", "30"), NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_subprocess_send_signal(p, SIGINT), 0);
	ck_assert_int_eq(mp_subprocess_wait(p), 0);
	ck_assert_int_eq(p->returncode, -SIGINT);
	mp_subprocess_close(p);
}
END_TEST

/* ---- pipelines ------------------------------------------------------------------ */

START_TEST(pipeline_counts)
{
	struct mp_run_options o1 = { .out = MP_PIPE };
	struct mp_completed r;
	mp_subprocess *p1 = mp_subprocess_popen(ARGV("seq", "1", "12345"), &o1);

	ck_assert_ptr_nonnull(p1);
	struct mp_run_options o2 = { .in_from = p1, .out = MP_PIPE };
	mp_subprocess *p2 = mp_subprocess_popen(ARGV("wc", "-l"), &o2);
	ck_assert_ptr_nonnull(p2);
	ck_assert_int_eq(p1->stdout_fd, -1);		/* handed over, closed here */
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p2, NULL, 0, 60, &r), 0);
	ck_assert_int_eq(atoi(r.out), 12345);
	mp_completed_free(&r);
	ck_assert_int_eq(mp_subprocess_wait(p1), 0);
	ck_assert_int_eq(p1->returncode, 0);
	mp_subprocess_close(p1);
	mp_subprocess_close(p2);
}
END_TEST

START_TEST(pipeline_early_reader_exit)
{
	/* head ends after 3 lines; yes then gets SIGPIPE - only because the
	 * child's SIGPIPE is back at its default, and the parent closed its
	 * copy of the pipe. */
	struct mp_run_options o1 = { .out = MP_PIPE };
	struct mp_completed r;
	mp_subprocess *p1 = mp_subprocess_popen(ARGV("yes"), &o1);

	ck_assert_ptr_nonnull(p1);
	struct mp_run_options o2 = { .in_from = p1, .out = MP_PIPE };
	mp_subprocess *p2 = mp_subprocess_popen(ARGV("head", "-n", "3"), &o2);
	ck_assert_ptr_nonnull(p2);
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p2, NULL, 0, 60, &r), 0);
	ck_assert_str_eq(r.out, "y\ny\ny\n");
	mp_completed_free(&r);
	ck_assert_int_eq(mp_subprocess_wait_timeout(p1, 30), 0);
	ck_assert_int_eq(p1->returncode, -SIGPIPE);
	mp_subprocess_close(p1);
	mp_subprocess_close(p2);
}
END_TEST

/* ---- os.popen --------------------------------------------------------------------- */

START_TEST(popen_read_write)
{
	char line[64];
	FILE *f = mp_popen("echo hello; echo world", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "hello\n");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "world\n");
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	ck_assert_int_eq(mp_pclose(f), 0);

	f = mp_popen("read x; exit $x", "w");
	ck_assert_ptr_nonnull(f);
	fputs("4\n", f);
	ck_assert_int_eq(mp_pclose(f), 4 << 8);

	errno = 0;
	ck_assert_int_eq(mp_pclose(stdin), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* ---- no descriptor leaks into the child ---------------------------------------- */

START_TEST(no_fd_leak_into_child)
{
	struct mp_run_options o = { .out = MP_PIPE };
	struct mp_completed r;
	mp_conn *a, *b;

	/* A descriptor opened without O_CLOEXEC, and the runtime's own. */
	int plain = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(plain, 3);
	ck_assert_int_eq(mp_pipe(true, &a, &b), 0);

	/* ls opens the directory itself: 3 is its own. */
	ck_assert_int_eq(mp_run(ARGV("ls", "/proc/self/fd"), &o, &r), 0);
	ck_assert_str_eq(r.out, "0\n1\n2\n3\n");
	mp_completed_free(&r);

	/* The same in a Popen with all three pipes, and a pipeline's second. */
	o = (struct mp_run_options){ .in = MP_PIPE, .out = MP_PIPE, .err = MP_PIPE };
	mp_subprocess *p = mp_subprocess_popen(ARGV("ls", "/proc/self/fd"), &o);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p, NULL, 0, 60, &r), 0);
	ck_assert_str_eq(r.out, "0\n1\n2\n3\n");
	mp_completed_free(&r);
	mp_subprocess_close(p);

	o = (struct mp_run_options){ .out = MP_PIPE };
	mp_subprocess *p1 = mp_subprocess_popen(ARGV("echo"), &o);
	struct mp_run_options o2 = { .in_from = p1, .out = MP_PIPE };
	mp_subprocess *p2 = mp_subprocess_popen(ARGV("ls", "/proc/self/fd"), &o2);
	ck_assert_ptr_nonnull(p2);
	ck_assert_int_eq(mp_subprocess_communicate_timeout(p2, NULL, 0, 60, &r), 0);
	ck_assert_str_eq(r.out, "0\n1\n2\n3\n");
	mp_completed_free(&r);
	mp_subprocess_close(p1);
	mp_subprocess_close(p2);

	/* MP_FD gives the child that descriptor (the parent keeps its own). */
	o = (struct mp_run_options){ .in = MP_FD, .in_fd = plain, .out = MP_PIPE };
	ck_assert_int_eq(mp_run(ARGV("wc", "-c"), &o, &r), 0);
	ck_assert_int_eq(atoi(r.out), 0);
	mp_completed_free(&r);
	ck_assert_int_ne(fcntl(plain, F_GETFD), -1);

	close(plain);
	mp_conn_close(a);
	mp_conn_close(b);
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
	Suite *s;
	TCase *tc = leakcheck_case(&s, "subprocess", 60);

	tcase_add_test(tc, run_returncodes);
	tcase_add_test(tc, system_status);
	tcase_add_test(tc, exec_errors);
	tcase_add_test(tc, capture_and_merge);
	tcase_add_test(tc, cwd_and_env);
	tcase_add_test(tc, communicate_big_both_ways);
	tcase_add_test(tc, communicate_child_stops_reading);
	tcase_add_test(tc, run_timeout_kills);
	tcase_add_test(tc, wait_timeout_then_communicate);
	tcase_add_test(tc, communicate_timeout_then_again);
	tcase_add_test(tc, popen_poll_wait_signals);
	tcase_add_test(tc, pipeline_counts);
	tcase_add_test(tc, pipeline_early_reader_exit);
	tcase_add_test(tc, popen_read_write);
	tcase_add_test(tc, no_fd_leak_into_child);
	tcase_add_test(tc, bad_input);
	return leakcheck_run(s);
}
