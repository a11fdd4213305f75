/*
 * mprun - run a lesson and leave nothing behind.
 *
 * usage: mprun [--timeout SECONDS] [--grace SECONDS] [--watch-ms MS | --no-watch]
 *              [--verbose] PROGRAM [ARG...]
 *
 * mprun makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER): any
 * process of the lesson whose parent dies is adopted by mprun instead of by
 * init, so mprun can collect it and knows it is there.  It then:
 *
 *   1. starts PROGRAM and waits for it, collecting adopted orphans too,
 *      while a watcher thread (runtime/src/watch.c) samples the state of
 *      every process below it in /proc every MS milliseconds (default 1),
 *      so zombies and adoptions show on the timeline;
 *   2. when PROGRAM has ended, gives what is still running GRACE seconds
 *      (default 3) to end by itself: an orphan that finishes its work in
 *      time is simply collected (lesson 7 is about exactly that);
 *   3. names every process still there after that on stderr, kills it, and
 *      collects it.
 *
 * Exit status: PROGRAM's own; 128+N if signal N ended it; 3 if it left
 * processes behind (the lesson is wrong even if it exited 0); 124 if it ran
 * past --timeout (default 60 s); 2 for bad usage or a PROGRAM that cannot
 * be started.  Ctrl-C ends the lesson and everything it started.
 *
 * Being linked with the runtime, mprun is on the timeline too: a lane of its
 * own appears only when it adopts an orphan.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "../src/internal.h"

#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool verbose;

static void usage(FILE *out)
{
	fprintf(out, "usage: mprun [--timeout SECONDS] [--grace SECONDS] [--watch-ms MS | --no-watch]\n"
		     "             [--verbose] PROGRAM [ARG...]\n");
}

static double parse_number(const char *s, const char *what, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= lo) || v > hi) {
		fprintf(stderr, "mprun: %s must be a number from %g to %g, not '%s'\n", what, lo, hi, s);
		usage(stderr);
		exit(2);
	}
	return v;
}

/* Collects every child that has ended, without waiting.  Returns the
 * lesson's wait status through *lesson_status when it is among them. */
static void collect(pid_t lesson, bool *lesson_done, int *lesson_status)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == lesson) {
			*lesson_done = true;
			*lesson_status = status;
		} else if (verbose) {
			fprintf(stderr, "mprun: collected adopted orphan %d (exitcode %d)\n",
				pid, mp__exitcode_from_status(status));
		}
	}
}

/* Lists the children of this process (orphans adopted by it, mostly)
 * into pids[], at most max; returns how many. */
static int list_children(pid_t *pids, int max)
{
	char path[64];
	int n = 0;

	/* /proc/PID/task/TID/children lists the children of one thread;
	 * mprun has one thread. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", getpid(), getpid());
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (n < max && fscanf(f, "%d", &pids[n]) == 1)
		n++;
	fclose(f);
	return n;
}

static void describe(pid_t pid, char *buf, size_t size)
{
	char path[64], stat[512];
	FILE *f;

	snprintf(buf, size, "pid %d", pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	if (fgets(stat, sizeof(stat), f) != NULL) {
		/* "pid (comm) S ...": comm may hold spaces and parentheses. */
		char *open = strchr(stat, '('), *close = strrchr(stat, ')');
		if (open && close && close > open && close[1] == ' ')
			snprintf(buf, size, "pid %d %.*s, state %c", pid,
				 (int)(close - open + 1), open, close[2]);
	}
	fclose(f);
}

/* Kills and collects whatever is left, adopting grandchildren as their
 * parents die.  Returns how many processes were found. */
static int end_leftovers(const char *why)
{
	pid_t pids[256];
	int found = 0, n;

	while ((n = list_children(pids, 256)) > 0) {
		for (int i = 0; i < n; i++) {
			char what[128];
			int status;

			describe(pids[i], what, sizeof(what));
			if (why != NULL)
				fprintf(stderr, "mprun: %s: %s - killing it\n", why, what);
			kill(pids[i], SIGKILL);
			MP__NOINTR(waitpid(pids[i], &status, 0));
			found++;
		}
	}
	return found;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "grace", required_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "watch-ms", required_argument, NULL, 'w' },
		{ "no-watch", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	double timeout = 60, grace = 3, watch_ms = 1;
	int opt;

	while ((opt = getopt_long(argc, argv, "+t:g:w:nvh", options, NULL)) != -1) {
		switch (opt) {
		case 't': timeout = parse_number(optarg, "--timeout (seconds)", 0, 86400); break;
		case 'g': grace = parse_number(optarg, "--grace (seconds)", 0, 86400); break;
		case 'w': watch_ms = parse_number(optarg, "--watch-ms", 0.1, 1000); break;
		case 'n': watch_ms = 0; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1) {
		perror("mprun: prctl(PR_SET_CHILD_SUBREAPER)");
		return 2;
	}

	/* SIGCHLD and the signals that should end a lesson are taken with
	 * sigtimedwait() below; the lesson starts with none blocked.  A shell
	 * starts background jobs with SIGINT ignored, and an ignored signal
	 * never reaches sigtimedwait(): put the defaults back first. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigset_t waitset, empty;
	sigemptyset(&waitset);
	sigemptyset(&empty);
	sigaddset(&waitset, SIGCHLD);
	sigaddset(&waitset, SIGINT);
	sigaddset(&waitset, SIGTERM);
	sigaddset(&waitset, SIGHUP);
	sigprocmask(SIG_BLOCK, &waitset, NULL);

	posix_spawnattr_t attr;
	sigset_t defaults;
	sigfillset(&defaults);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &empty);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	fflush(stdout);
	pid_t lesson;
	int err = posix_spawnp(&lesson, argv[optind], NULL, &attr, &argv[optind], environ);
	posix_spawnattr_destroy(&attr);
	if (err != 0) {
		fprintf(stderr, "mprun: cannot run %s: %s\n", argv[optind], strerror(err));
		return 2;
	}
	mp__tp(proc_fork, getpid(), lesson, argv[optind]);

	/* Started after the lesson, so its first look finds it. */
	mp_watch *watch = NULL;
	if (watch_ms > 0 && (watch = mp_watch_start(getpid(), watch_ms / 1000)) == NULL)
		fprintf(stderr, "mprun: no process watcher: %s\n", strerror(errno));

	int64_t start = mp__now_ns(), deadline = start + (int64_t)(timeout * 1e9);
	int64_t grace_end = -1;
	bool lesson_done = false;
	int lesson_status = 0, exit_status = -1;

	for (;;) {
		collect(lesson, &lesson_done, &lesson_status);
		if (lesson_done && grace_end < 0)
			grace_end = mp__now_ns() + (int64_t)(grace * 1e9);
		if (lesson_done && list_children((pid_t[1]){ 0 }, 1) == 0)
			break;		/* the lesson and everything it started are gone */

		int64_t now = mp__now_ns(), until = lesson_done ? grace_end : deadline;
		if (now >= until) {
			if (!lesson_done) {
				fprintf(stderr, "mprun: %s ran past %g s: ending it\n", argv[optind], timeout);
				end_leftovers(NULL);
				exit_status = 124;
			} else if (end_leftovers("left behind by the lesson") > 0) {
				exit_status = 3;
			}
			collect(lesson, &lesson_done, &lesson_status);
			break;
		}

		int64_t left = until - now;
		struct timespec ts = { left / 1000000000, left % 1000000000 };
		int sig = sigtimedwait(&waitset, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			fprintf(stderr, "mprun: %s: ending the lesson\n", strsignal(sig));
			kill(lesson, SIGTERM);
			end_leftovers(NULL);
			collect(lesson, &lesson_done, &lesson_status);
			exit_status = 128 + sig;
			break;
		}
	}

	if (watch != NULL) {
		struct mp_watch_stats st;

		mp_watch_stop(watch, &st);
		if (verbose)
			fprintf(stderr, "mprun: watcher: every %g ms, %ld rounds in %.3f s, "
				"up to %d processes, %ld changes, %.1f ms CPU (%.1f%% of one CPU)\n",
				watch_ms, st.samples, st.seconds, st.most_watched, st.changes,
				st.cpu_seconds * 1e3, 100 * st.cpu_seconds / st.seconds);
	}
	if (exit_status >= 0)
		return exit_status;
	if (WIFSIGNALED(lesson_status)) {
		int sig = WTERMSIG(lesson_status);
		fprintf(stderr, "mprun: %s was killed by signal %d (%s)\n", argv[optind], sig,
			strsignal(sig));
		return 128 + sig;
	}
	return WEXITSTATUS(lesson_status);
}
