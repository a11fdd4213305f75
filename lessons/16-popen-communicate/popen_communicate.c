/*
 * 16-popen-communicate - talking to another program through its stdin,
 * stdout and stderr: Popen, communicate, poll/wait/terminate/kill, a
 * pipeline, and the deadlock communicate() exists to avoid.
 *
 * usage: 16-popen-communicate [--help]
 *
 *   1. communicate(input): send all the input, read both outputs to their
 *      end, wait - here to 16-lookup, a small program shipped with this
 *      lesson that answers host names like nslookup (without a network)
 *   2. line by line with a long-lived child: write a question, read its
 *      answer; this only works because the child flushes each answer
 *   3. poll(), wait(timeout), terminate(), and kill() for a child that
 *      ignores SIGTERM
 *   4. a pipeline: ls -l DIR | wc -l, the first child's stdout feeding the
 *      second's stdin
 *   5. the deadlock: the child writes 1 MiB into a pipe that holds 64 KiB,
 *      the parent only waits for it to end.  Each waits for the other; a
 *      1-second timeout breaks it.  Then the safe way: communicate().
 *
 * On the timeline: a lane per child, named by its command, ending with its
 * status; the parent's wait bars; in part 5 the parent's wait and the
 * child's sleeping state side by side until the timeout.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEADLOCK_BYTES (1 << 20)

static char lookup_path[PATH_MAX];

static void usage(FILE *out)
{
	fprintf(out, "usage: 16-popen-communicate [--help]\n"
		     "Talks to other programs through pipes: communicate, poll, wait, "
		     "terminate, a pipeline, a deadlock.\n");
}

/* 16-lookup sits beside this program. */
static void find_lookup(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n == -1)
		lesson_fail("readlink /proc/self/exe");
	self[n] = '\0';
	snprintf(lookup_path, sizeof(lookup_path), "%s/16-lookup", dirname(self));
}

/* Prints each line of text after a label. */
static void print_lines(const char *label, const char *text)
{
	while (text != NULL && *text != '\0') {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);

		mp_printf("%s%.*s\n", label, len, text);
		text = nl ? nl + 1 : NULL;
	}
}

static void part_communicate(void)
{
	char *const argv[] = { lookup_path, NULL };
	struct mp_run_options o = { .in = MP_PIPE, .out = MP_PIPE, .err = MP_PIPE };
	const char *input = "localhost\nwww.example.com\nnowhere.invalid\n";
	struct mp_completed r;
	mp_subprocess *p;

	mp_printf("== 1. communicate(input)\n");
	p = mp_subprocess_popen(argv, &o);
	if (p == NULL)
		lesson_fail("Popen 16-lookup");
	if (mp_subprocess_communicate_timeout(p, input, strlen(input), 10, &r) == -1)
		lesson_fail("communicate");
	print_lines("out: ", r.out);
	print_lines("err: ", r.err);
	mp_printf("returncode: %d\n", r.returncode);
	mp_completed_free(&r);
	mp_subprocess_close(p);
}

static void part_line_by_line(void)
{
	static const char *names[] = { "lttng.org", "docs.python.org", "localhost" };
	char *const argv[] = { lookup_path, NULL };
	struct mp_run_options o = { .in = MP_PIPE, .out = MP_PIPE };
	struct mp_completed r;
	char answer[256];
	mp_subprocess *p;

	mp_printf("\n== 2. one question, one answer, same child\n");
	p = mp_subprocess_popen(argv, &o);
	if (p == NULL)
		lesson_fail("Popen 16-lookup");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char question[64];
		int n = snprintf(question, sizeof(question), "%s\n", names[i]);

		if (mp_subprocess_write(p, question, (size_t)n) == -1)
			lesson_fail("asking a question");
		if (mp_subprocess_readline_timeout(p, answer, sizeof(answer), 5) <= 0)
			lesson_fail("reading an answer");
		answer[strcspn(answer, "\n")] = '\0';
		mp_printf("asked %-16s -> %s\n", names[i], answer);
	}
	/* No more questions: communicate() closes its stdin, the child sees
	 * end of file and ends. */
	if (mp_subprocess_communicate_timeout(p, NULL, 0, 10, &r) == -1)
		lesson_fail("communicate");
	mp_printf("stdin closed; the child ended with returncode %d\n", r.returncode);
	mp_completed_free(&r);
	mp_subprocess_close(p);
}

/* Waits (at most 5 s) until pid runs `comm`: it has exec'd it. */
static void wait_for_comm(pid_t pid, const char *comm)
{
	struct mp_proc_info info;

	for (int i = 0; i < 5000; i++) {
		if (mp_proc_info(pid, &info) == 0 && strcmp(info.comm, comm) == 0)
			return;
		sleep_ms(1);
	}
}

static void part_signals(void)
{
	char *const sleeper[] = { "sleep", "30", NULL };
	char *const stubborn[] = { "sh", "-c", "trap '' TERM; exec sleep 30", NULL };
	mp_subprocess *p;

	mp_printf("\n== 3. poll(), wait(timeout), terminate(), kill()\n");
	p = mp_subprocess_popen(sleeper, NULL);
	if (p == NULL)
		lesson_fail("Popen sleep");
	mp_printf("poll() -> %s\n", mp_subprocess_poll(p) == 0 ? "None (still running)" : "ended?");
	if (mp_subprocess_wait_timeout(p, 0.2) == -1 && errno == ETIMEDOUT)
		mp_printf("wait(0.2) -> TimeoutExpired\n");
	mp_subprocess_terminate(p);
	mp_subprocess_wait(p);
	mp_printf("terminate(); wait() -> returncode %d\n", p->returncode);
	mp_subprocess_close(p);

	/* This one ignores SIGTERM: the shell sets it ignored, and an ignored
	 * signal stays ignored across exec. */
	p = mp_subprocess_popen(stubborn, NULL);
	if (p == NULL)
		lesson_fail("Popen sh");
	wait_for_comm(p->pid, "sleep");
	mp_subprocess_terminate(p);
	if (mp_subprocess_wait_timeout(p, 0.3) == -1 && errno == ETIMEDOUT)
		mp_printf("terminate(); wait(0.3) -> TimeoutExpired: SIGTERM is ignored\n");
	mp_subprocess_kill(p);
	mp_subprocess_wait(p);
	mp_printf("kill(); wait() -> returncode %d\n", p->returncode);
	mp_subprocess_close(p);
}

static void part_pipeline(void)
{
	char dir[] = "/tmp/lesson16-XXXXXX";
	char path[64];
	struct mp_completed r;

	mp_printf("\n== 4. a pipeline: ls -l DIR | wc -l\n");
	if (mkdtemp(dir) == NULL)
		lesson_fail("mkdtemp");
	for (int i = 1; i <= 5; i++) {
		snprintf(path, sizeof(path), "%s/file%d", dir, i);
		FILE *f = fopen(path, "w");
		if (f == NULL)
			lesson_fail("%s", path);
		fclose(f);
	}
	char *const ls[] = { "ls", "-l", dir, NULL };
	char *const wc[] = { "wc", "-l", NULL };
	struct mp_run_options o1 = { .out = MP_PIPE };
	mp_subprocess *p1 = mp_subprocess_popen(ls, &o1);
	if (p1 == NULL)
		lesson_fail("Popen ls");
	/* wc's stdin is ls's stdout; the parent's copy is closed for us. */
	struct mp_run_options o2 = { .in_from = p1, .out = MP_PIPE, .err = MP_STDOUT };
	mp_subprocess *p2 = mp_subprocess_popen(wc, &o2);
	if (p2 == NULL)
		lesson_fail("Popen wc");
	if (mp_subprocess_communicate_timeout(p2, NULL, 0, 10, &r) == -1)
		lesson_fail("communicate");
	mp_subprocess_wait(p1);
	mp_printf("5 files: wc counted %d lines (a \"total\" line and one per file)\n",
		  atoi(r.out));
	mp_printf("returncodes: ls %d, wc %d\n", p1->returncode, r.returncode);
	mp_completed_free(&r);
	mp_subprocess_close(p1);
	mp_subprocess_close(p2);
	for (int i = 1; i <= 5; i++) {
		snprintf(path, sizeof(path), "%s/file%d", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

static void part_deadlock(void)
{
	char *const argv[] = { "head", "-c", "1048576", "/dev/zero", NULL };
	struct mp_run_options o = { .out = MP_PIPE };
	struct mp_proc_info info;
	struct mp_completed r;
	mp_subprocess *p;

	mp_printf("\n== 5. the deadlock: wait() while the child fills its pipe\n");
	p = mp_subprocess_popen(argv, &o);
	if (p == NULL)
		lesson_fail("Popen head");
	mp_printf("child writes %d bytes to a pipe that holds 65536; parent calls wait(1.0)\n",
		  DEADLOCK_BYTES);
	if (mp_subprocess_wait_timeout(p, 1.0) == -1 && errno == ETIMEDOUT) {
		char state = mp_proc_info(p->pid, &info) == 0 ? info.state : '?';

		mp_printf("wait(1.0) -> TimeoutExpired: the child is still there, in state %c\n",
			  state);
		mp_printf("  (S: asleep in write()): it waits for us to read, we waited for it "
			  "to end - a deadlock.\n");
		mp_printf("  Without the timeout this wait would never return.\n");
	} else {
		mp_printf("wait(1.0) returned: the pipe held everything?\n");
	}
	mp_subprocess_kill(p);
	mp_subprocess_close(p);		/* closes the pipe, collects the child */

	mp_printf("the safe way: communicate() reads while it waits\n");
	p = mp_subprocess_popen(argv, &o);
	if (p == NULL)
		lesson_fail("Popen head");
	if (mp_subprocess_communicate_timeout(p, NULL, 0, 10, &r) == -1)
		lesson_fail("communicate");
	mp_printf("communicate() -> %zu bytes, returncode %d\n", r.out_len, r.returncode);
	mp_completed_free(&r);
	mp_subprocess_close(p);
}

int main(int argc, char **argv)
{
	lesson_no_options(argc, argv, usage);
	find_lookup();

	part_communicate();
	part_line_by_line();
	part_signals();
	part_pipeline();
	part_deadlock();
	return EXIT_SUCCESS;
}
