/*
 * preload-bench.c - what libmp-preload.so costs per wrapped call.
 *
 * usage: mp-preload-bench [--quick] [--rounds R] [--preload LIB]
 *        mp-preload-bench --measure N        (one column; used by the above)
 *
 * Runs its own --measure three ways, in turn, R rounds (default 5):
 *
 *   untraced            without the preload
 *   preloaded           LD_PRELOAD=LIB, no recording session: every wrapper
 *                       costs a test of LTTng's "enabled" flag
 *   preloaded+session   LD_PRELOAD=LIB while a session of its own records
 *                       mp:* (created before, destroyed after, each round)
 *
 * and prints the median nanoseconds per call of each, side by side, so
 * the machine's noise hits the three alike.  A session someone else runs
 * on the machine makes "preloaded" record too: that is said.
 * Exit status 0; 1 if a run failed; 2 for bad usage.
 */
#define _GNU_SOURCE
#include "base/time.h"		/* mp__now_ns: a header alone, no runtime */

#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CALLS 7
static const char *const call_names[CALLS] = {
	"write 64 B to a pipe",
	"read 64 B from a pipe",
	"write 64 B to /dev/null",
	"sem_post, process-shared",
	"sem_post, private (thread lock)",
	"fprintf a line to stderr",
	"fork + _exit + waitpid",
};

/* ---- one column: measured in this process ------------------------------- */

#define BATCH 256	/* 256 x 64 B fit in a pipe's 64 KiB */

static double pipe_ns(int n, int reading)
{
	char buf[64] = { 0 };
	int fds[2];
	int64_t spent = 0;

	if (pipe(fds) == -1)
		return -1;
	for (int done = 0; done < n; done += BATCH) {
		int64_t t0 = mp__now_ns();
		for (int i = 0; i < BATCH; i++)
			if (!reading && write(fds[1], buf, sizeof(buf)) != sizeof(buf))
				return -1;
		int64_t t1 = mp__now_ns();
		for (int i = 0; i < BATCH; i++)
			if (reading && write(fds[1], buf, sizeof(buf)) != sizeof(buf))
				return -1;
		int64_t t2 = mp__now_ns();
		for (int i = 0; i < BATCH; i++)
			if (read(fds[0], buf, sizeof(buf)) != sizeof(buf))
				return -1;
		spent += reading ? mp__now_ns() - t2 : t1 - t0;
	}
	close(fds[0]);
	close(fds[1]);
	return (double)spent / n;
}

static double devnull_ns(int n)
{
	char buf[64] = { 0 };
	int fd = open("/dev/null", O_WRONLY);
	int64_t t0 = mp__now_ns();

	for (int i = 0; i < n; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return -1;
	double ns = (double)(mp__now_ns() - t0) / n;
	close(fd);
	return ns;
}

static double sem_ns(int n, int pshared)
{
	sem_t *sem = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int64_t spent = 0;

	if (sem == MAP_FAILED || sem_init(sem, pshared, 0) == -1)
		return -1;
	for (int done = 0; done < n; done += 1000) {
		int64_t t0 = mp__now_ns();
		for (int i = 0; i < 1000; i++)
			sem_post(sem);
		spent += mp__now_ns() - t0;
		while (sem_trywait(sem) == 0)
			;
	}
	sem_destroy(sem);
	munmap(sem, sizeof(sem_t));
	return (double)spent / n;
}

static double stderr_ns(int n)
{
	int64_t t0 = mp__now_ns();

	for (int i = 0; i < n; i++)
		fprintf(stderr, "line %d of the bench\n", i);
	return (double)(mp__now_ns() - t0) / n;
}

static double fork_ns(int n)
{
	int64_t t0 = mp__now_ns();

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == -1)
			return -1;
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	return (double)(mp__now_ns() - t0) / n;
}

static int measure(int n)
{
	double ns[CALLS] = {
		pipe_ns(n, 0), pipe_ns(n, 1), devnull_ns(n), sem_ns(n, 1), sem_ns(n, 0),
		stderr_ns(n / 10), fork_ns(n / 1000 > 20 ? n / 1000 : 20),
	};

	for (int i = 0; i < CALLS; i++)
		printf("%.1f\n", ns[i]);
	return 0;
}

/* ---- three columns: this program run three ways ------------------------- */

/* Runs argv with stdout to *out (if out), stderr to /dev/null, LD_PRELOAD
 * set to `preload` or removed; its exit status, -1 if it could not run. */
static int run(char *const argv[], const char *preload, char *out, size_t size)
{
	int fds[2];

	if (out && pipe(fds) == -1)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(out ? fds[1] : null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (preload)
			setenv("LD_PRELOAD", preload, 1);
		else
			unsetenv("LD_PRELOAD");
		execvp(argv[0], argv);
		_exit(127);
	}
	if (out) {
		size_t len = 0;
		ssize_t r;

		close(fds[1]);
		while (len + 1 < size && (r = read(fds[0], out + len, size - 1 - len)) > 0)
			len += r;
		out[len] = '\0';
		close(fds[0]);
	}
	int status;
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int lttng(const char *a, const char *b, const char *c, const char *d, const char *e)
{
	char *argv[] = { "lttng", (char *)a, (char *)b, (char *)c, (char *)d, (char *)e, NULL };

	return run(argv, NULL, NULL, 0);
}

static int column(char *self, const char *n, const char *preload, double *ns)
{
	char out[512], *argv[] = { self, "--measure", (char *)n, NULL }, *p = out;

	if (run(argv, preload, out, sizeof(out)) != 0)
		return -1;
	for (int i = 0; i < CALLS; i++)
		ns[i] = strtod(p, &p);
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *preload = MP_PRELOAD_PATH, *n = "200000";
	int rounds = 5;
	char session[64], trace[] = "/tmp/mp-preload-bench-XXXXXX", output[128];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--measure") == 0 && i + 1 < argc)
			return measure(atoi(argv[i + 1]));
		else if (strcmp(argv[i], "--quick") == 0)
			rounds = 1, n = "20000";
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
			rounds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--preload") == 0 && i + 1 < argc)
			preload = argv[++i];
		else {
			fprintf(stderr, "usage: mp-preload-bench [--quick] [--rounds R] [--preload LIB]\n");
			return 2;
		}
	}
	if (access(preload, R_OK) == -1 || mkdtemp(trace) == NULL) {
		fprintf(stderr, "mp-preload-bench: cannot use %s\n", preload);
		return 1;
	}
	snprintf(session, sizeof(session), "mp-preload-bench-%d", getpid());
	snprintf(output, sizeof(output), "--output=%s/trace", trace);

	double ns[3][CALLS][64];
	char *listing[] = { "lttng", "list", NULL }, sessions[4096];
	int others = 0;

	if (rounds > 64)
		rounds = 64;
	for (int r = 0; r < rounds; r++) {
		double col[CALLS];
		int failed = column(argv[0], n, NULL, col);

		for (int i = 0; i < CALLS; i++)
			ns[0][i][r] = col[i];
		if (run(listing, NULL, sessions, sizeof(sessions)) == 0 && strstr(sessions, "[active]"))
			others = 1;
		failed |= column(argv[0], n, preload, col);
		for (int i = 0; i < CALLS; i++)
			ns[1][i][r] = col[i];
		failed |= lttng("create", session, output, NULL, NULL) != 0 ||
			  lttng("enable-event", "-u", "-s", session, "mp:*") != 0 ||
			  lttng("start", session, NULL, NULL, NULL) != 0;
		if (!failed)
			failed |= column(argv[0], n, preload, col);
		lttng("destroy", session, NULL, NULL, NULL);
		for (int i = 0; i < CALLS; i++)
			ns[2][i][r] = col[i];
		if (failed) {
			fprintf(stderr, "mp-preload-bench: round %d failed (is a session daemon running?)\n", r + 1);
			run((char *[]){ "rm", "-rf", trace, NULL }, NULL, NULL, 0);
			return 1;
		}
	}
	run((char *[]){ "rm", "-rf", trace, NULL }, NULL, NULL, 0);

	printf("%-34s %10s %10s %18s\n", "ns per call (median of rounds)", "untraced", "preloaded",
	       "preloaded+session");
	for (int i = 0; i < CALLS; i++) {
		double med[3];

		for (int k = 0; k < 3; k++) {
			qsort(ns[k][i], rounds, sizeof(double), by_value);
			med[k] = ns[k][i][rounds / 2];
		}
		printf("%-34s %10.1f %10.1f %18.1f\n", call_names[i], med[0], med[1], med[2]);
	}
	printf("(%d round%s of %s calls, %s per fork)\n", rounds, rounds > 1 ? "s" : "", n, "1/1000 as many");
	if (others)
		printf("note: another session was recording during 'preloaded': it recorded too\n");
	return 0;
}
