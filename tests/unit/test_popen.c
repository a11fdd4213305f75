/*
 * test_popen.c - Popen: communicate in both directions without deadlock,
 * poll, wait and signals, timeouts that leave the child running,
 * pipelines, os.popen, and no descriptor leaking into a child
 * (mp_subprocess.h).
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

/* ---- a line at a time ---------------------------------------------------------- */

START_TEST(line_at_a_time)
{
	struct mp_run_options o = { .in = MP_PIPE, .out = MP_PIPE };
	struct mp_completed r;
	char line[8];
	mp_subprocess *p = mp_subprocess_popen(ARGV("cat"), &o);

	ck_assert_ptr_nonnull(p);
	/* Each question answered before the next: cat echoes it. */
	ck_assert_int_eq(mp_subprocess_write(p, "one\n", 4), 4);
	ck_assert_int_eq(mp_subprocess_readline(p, line, sizeof(line)), 4);
	ck_assert_str_eq(line, "one\n");
	/* A line longer than the buffer comes in pieces. */
	ck_assert_int_eq(mp_subprocess_write(p, "abcdefghij\n", 11), 11);
	ck_assert_int_eq(mp_subprocess_readline(p, line, sizeof(line)), 7);
	ck_assert_str_eq(line, "abcdefg");
	ck_assert_int_eq(mp_subprocess_readline(p, line, sizeof(line)), 4);
	ck_assert_str_eq(line, "hij\n");
	/* Half a line, then nothing: the time runs out, the half is in buf. */
	ck_assert_int_eq(mp_subprocess_write(p, "tw", 2), 2);
	errno = 0;
	ck_assert_int_eq(mp_subprocess_readline_timeout(p, line, sizeof(line), 0.05), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_str_eq(line, "tw");
	/* Bad calls. */
	errno = 0;
	ck_assert_int_eq(mp_subprocess_readline(p, line, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(mp_subprocess_readline_timeout(p, line, sizeof(line), -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(mp_subprocess_write(NULL, "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* communicate() closes stdin: cat ends; then end of file. */
	ck_assert_int_eq(mp_subprocess_communicate(p, NULL, 0, &r), 0);
	ck_assert_int_eq(r.returncode, 0);
	mp_completed_free(&r);
	ck_assert_int_eq(mp_subprocess_readline(p, line, sizeof(line)), -1);
	ck_assert_int_eq(errno, EINVAL);		/* stdout is closed now */
	ck_assert_int_eq(mp_subprocess_close(p), 0);
}
END_TEST

START_TEST(line_write_to_a_closed_reader)
{
	struct mp_run_options o = { .in = MP_PIPE, .out = MP_PIPE };
	char line[8];
	mp_subprocess *p = mp_subprocess_popen(ARGV("true"), &o);

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_subprocess_wait(p), 0);
	/* The child is gone: end of file, and EPIPE rather than SIGPIPE. */
	ck_assert_int_eq(mp_subprocess_readline(p, line, sizeof(line)), 0);
	ck_assert_str_eq(line, "");
	errno = 0;
	ck_assert_int_eq(mp_subprocess_write(p, "x\n", 2), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_int_eq(mp_subprocess_close(p), 0);
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

int main(void)
{
	return leakcheck_main("popen", 60, NULL, NULL, (const TTest *[]){
		communicate_big_both_ways,
		communicate_child_stops_reading,
		wait_timeout_then_communicate,
		communicate_timeout_then_again,
		popen_poll_wait_signals,
		pipeline_counts,
		pipeline_early_reader_exit,
		line_at_a_time,
		line_write_to_a_closed_reader,
		popen_read_write,
		no_fd_leak_into_child,
		NULL,
	});
}
