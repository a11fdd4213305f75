/*
 * 15-system-popen - running other programs: system, popen, call, run,
 * check_output, and the shell against an argument vector.
 *
 * usage: 15-system-popen [--help]
 *
 * Every call here forks a child that exec()s another program, waits for it,
 * and reports how it ended:
 *
 *   1. system(line)      the wait status: exit code in the high byte,
 *                        signal number in the low one
 *   2. popen(line, "r")  a stream to read the program's stdout from
 *   3. call(argv)        just the returncode
 *   4. run(argv, check)  a non-zero exit becomes an error that carries the
 *                        returncode and what the program printed
 *   5. check_output      the output, with stderr merged into it
 *   6. a shell line understands "*" and "|"; an argument vector does not;
 *      and a program that does not exist is an errno, not a child's 127
 *
 * On the timeline: one lane per program run, labelled with its command,
 * ending with its exit status; the parent's lane shows each reap.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 15-system-popen [--help]\n"
		     "Runs other programs with system, popen, call, run and check_output.\n");
}

/* Prints captured text indented, one line at a time. */
static void print_indented(const char *label, const char *text)
{
	const char *line = text;

	while (line != NULL && *line != '\0') {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		mp_printf("    %s %.*s\n", label, len, line);
		line = nl ? nl + 1 : NULL;
	}
}

static void part_system(void)
{
	static const char *lines[] = {
		"true",
		"exit 3",
		"kill -TERM $$",	/* the shell kills itself */
	};

	mp_printf("== 1. system(): the wait status\n");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int st = mp_system(lines[i]);

		if (st == -1) {
			mp_printf("system(\"%s\") failed: %s\n", lines[i], strerror(errno));
			continue;
		}
		if (WIFEXITED(st))
			mp_printf("system(\"%s\") = %d: exited, code %d (%d >> 8)\n",
				  lines[i], st, WEXITSTATUS(st), st);
		else
			mp_printf("system(\"%s\") = %d: killed by signal %d (%d & 0x7f)\n",
				  lines[i], st, WTERMSIG(st), st);
	}
}

static void part_popen(void)
{
	const char *line = "printf 'apple\\nbanana\\ncherry\\n' | sort -r";
	char buf[128];
	FILE *f;

	mp_printf("\n== 2. popen(): reading a program's output\n");
	f = mp_popen(line, "r");
	if (f == NULL) {
		mp_printf("popen failed: %s\n", strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		mp_printf("read: %s\n", buf);
	}
	mp_printf("pclose() = %d\n", mp_pclose(f));
}

static void part_call(void)
{
	char *const ok[] = { "true", NULL };
	char *const missing[] = { "ls", "/nonexistent", NULL };
	int rc;

	mp_printf("\n== 3. call(): the returncode\n");
	if (mp_call(ok, &rc) == 0)
		mp_printf("call(['true']) = %d\n", rc);
	/* ls says why on stderr, which the child shares with us. */
	if (mp_call(missing, &rc) == 0)
		mp_printf("call(['ls', '/nonexistent']) = %d\n", rc);
}

static void part_run(void)
{
	char *const argv[] = { "sh", "-c", "echo about to fail; exit 5", NULL };
	struct mp_run_options o = { .out = MP_PIPE, .err = MP_PIPE, .check = true };
	struct mp_completed r;

	mp_printf("\n== 4. run() with check=True\n");
	if (mp_run(argv, &o, &r) == 0) {
		mp_printf("no error?\n");
	} else if (errno == MP_CALLED_PROCESS_ERROR) {
		mp_printf("CalledProcessError: Command 'sh -c \"echo about to fail; exit 5\"' "
			  "returned non-zero exit status %d.\n", r.returncode);
		print_indented("captured stdout:", r.out);
	} else {
		mp_printf("run failed: %s\n", strerror(errno));
	}
	mp_completed_free(&r);
}

static void part_check_output(void)
{
	char *const argv[] = { "sh", "-c", "echo to stdout; echo to stderr >&2", NULL };
	struct mp_run_options o = { .err = MP_STDOUT };
	struct mp_completed r;

	mp_printf("\n== 5. check_output() with stderr=STDOUT\n");
	if (mp_check_output(argv, &o, &r) == 0)
		print_indented("output:", r.out);
	else
		mp_printf("check_output failed: %s\n", strerror(errno));
	mp_completed_free(&r);
}

/* A scratch directory with a.c, b.c and notes.txt; 0 or -1. */
static int make_dir(char *dir)
{
	static const char *names[] = { "a.c", "b.c", "notes.txt" };
	char path[128];

	if (mkdtemp(dir) == NULL)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		if (f == NULL)
			return -1;
		fclose(f);
	}
	return 0;
}

static void remove_dir(const char *dir)
{
	static const char *names[] = { "a.c", "b.c", "notes.txt" };
	char path[128];

	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void part_shell(void)
{
	char dir[] = "/tmp/lesson15-XXXXXX";
	char *const words[] = { "ls", "*.c", "|", "wc", "-l", NULL };
	char *const nothing[] = { "no-such-program", NULL };
	struct mp_run_options o = { .out = MP_PIPE, .err = MP_PIPE, .cwd = dir };
	struct mp_completed r;

	mp_printf("\n== 6. a shell line or an argument vector\n");
	if (make_dir(dir) == -1) {
		mp_printf("cannot make a scratch directory: %s\n", strerror(errno));
		return;
	}
	mp_printf("in a directory holding a.c b.c notes.txt:\n");
	if (mp_run_shell("ls *.c | wc -l", &o, &r) == 0)
		mp_printf("shell line \"ls *.c | wc -l\"      -> returncode %d, output: %s",
			  r.returncode, r.out);
	mp_completed_free(&r);
	if (mp_run(words, &o, &r) == 0) {
		mp_printf("argv ['ls','*.c','|','wc','-l'] -> returncode %d, "
			  "ls looked for files named so:\n", r.returncode);
		print_indented("stderr:", r.err);
	}
	mp_completed_free(&r);
	remove_dir(dir);

	if (mp_run(nothing, NULL, &r) == -1)
		mp_printf("run(['no-such-program']) -> FileNotFoundError: [Errno %d] %s\n",
			  errno, strerror(errno));
	mp_completed_free(&r);
}

int main(int argc, char **argv)
{
	lesson_no_options(argc, argv, usage);

	part_system();
	part_popen();
	part_call();
	part_run();
	part_check_output();
	part_shell();
	return EXIT_SUCCESS;
}
