/*
 * mprun - run a lesson and leave nothing behind.
 *
 * usage: mprun [--timeout SECONDS] [--grace SECONDS] [--max-procs N]
 *              [--no-cgroup | --cgroup auto|v2|v1] [--watch-ms MS | --no-watch]
 *              [--preload LIB] [--verbose] PROGRAM [ARG...]
 *
 * mprun makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER): any
 * process of the lesson whose parent dies is adopted by mprun instead of by
 * init, so mprun can collect it and knows it is there.  Where it may, it
 * also makes a cgroup of its own (cgroup.c) and starts PROGRAM in it, so
 * the tree can be frozen, killed and capped as one.  It then:
 *
 *   1. starts PROGRAM and waits for it, collecting adopted orphans too,
 *      while a watcher thread (runtime/src/process/watch.c) samples the state of
 *      every process below it in /proc every MS milliseconds (default 1),
 *      so zombies and adoptions show on the timeline;
 *   2. when PROGRAM has ended, gives what is still running GRACE seconds
 *      (default 3) to end by itself: an orphan that finishes its work in
 *      time is simply collected (lesson 7 is about exactly that);
 *   3. ends whatever is still there after that.
 *
 * Ending the tree is done the same way on every path (leftovers, timeout,
 * cap, Ctrl-C): freeze it, by its cgroup or by SIGSTOP to each process
 * (tree.c), so that nothing in it can fork any more; name what is in it on
 * stderr; SIGKILL all of it; collect it.  Killing a fork bomb one process
 * at a time never ends it: each death frees a place another fork takes.
 *
 * --max-procs N caps the tree (PROGRAM, its descendants and their threads,
 * which the kernel counts as tasks too) at N tasks.  In a cgroup with
 * pids.max a fork past N fails with EAGAIN, for root too; without one,
 * mprun counts the tree every 5 ms.  The first time the tree tries to pass
 * N, mprun ends it.  --no-cgroup makes no cgroup (--cgroup v1 or v2: only
 * that kind); --verbose says which were made.
 *
 * --preload LIB runs PROGRAM, and every program it execs, with LIB first
 * in LD_PRELOAD (build/runtime/libmp-preload.so records any program), and
 * MP_PRELOAD_SHM naming shared memory of the run's own, which mprun
 * removes however it ends (preload.c).  mprun itself is not preloaded.
 *
 * Exit status: PROGRAM's own; 128+N if signal N ended it; 3 if it left
 * processes behind (the lesson is wrong even if it exited 0); 124 if it ran
 * past --timeout (default 60 s); 125 if it passed --max-procs; 128+N if
 * mprun got signal N (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT), having ended the
 * lesson and everything it started; 2 for bad usage or a PROGRAM that
 * cannot be started.
 *
 * Being linked with the runtime, mprun is on the timeline too: a lane of its
 * own appears only when it adopts an orphan.  Its own system calls (its
 * pipe, its signal handlers, the watcher's thread, the signals that end a
 * tree) are the runner's, not the lesson's: the interposition layer is
 * quiet about them, and records only its life (its children reaped).
 */
#define _GNU_SOURCE
#include "mp.h"
#include "mprun.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	EXIT_USAGE = 2,
	EXIT_LEFTOVERS = 3,
	EXIT_TIMEOUT = 124,		/* as timeout(1) */
	EXIT_CAP = 125,
};
static const int64_t cap_every_ns = 5000000;	/* without pids.max */

/* The runner is a process of its own on the timeline (process/self.c).
 * It loads the provider itself once the lesson has started, so that both
 * register with LTTng's session daemon at the same time (gate.c). */
const char mp__main_name[] = "mprun";
const bool mp__trace_later = true;

/* What a fatal signal to mprun (a bug of its own) must still clean up. */
static struct cgroup *volatile fatal_cgroup;
static struct sigaction fatal_old[NSIG];
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

static void usage(FILE *out)
{
	fprintf(out, "usage: mprun [--timeout SECONDS] [--grace SECONDS] [--max-procs N]\n"
		     "             [--no-cgroup | --cgroup auto|v2|v1] [--watch-ms MS | --no-watch]\n"
		     "             [--preload LIB] [--verbose] PROGRAM [ARG...]\n");
}

static double parse_number(const char *s, const char *what, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= lo) || v > hi) {
		fprintf(stderr, "mprun: %s must be a number from %g to %g, not '%s'\n", what, lo, hi, s);
		usage(stderr);
		exit(EXIT_USAGE);
	}
	return v;
}

static enum cgroup_mode parse_cgroup_mode(const char *s)
{
	static const char *const names[] = { "auto", "v2", "v1", "none" };

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum cgroup_mode)i;
	fprintf(stderr, "mprun: --cgroup must be auto, v2, v1 or none, not '%s'\n", s);
	usage(stderr);
	exit(EXIT_USAGE);
}

/* A fatal signal to mprun: kill the tree and remove the cgroup, then let
 * the signal do what it did before (a fault recurs on return; a signal
 * that was sent is sent again). */
static void on_fatal(int sig, siginfo_t *info, void *context)
{
	(void)context;
	if (fatal_cgroup != NULL)
		cgroup_end_now(fatal_cgroup);
	fatal_cgroup = NULL;
	preload_remove();
	sigaction(sig, &fatal_old[sig], NULL);
	if (info->si_code <= 0)
		raise(sig);
}

static void set_cgroup(struct run *r, struct cgroup *cg)
{
	r->cg = cg;
	fatal_cgroup = cg;
}

/* Starts the lesson, in the cgroup if there is one.  0, or -1 said. */
static int start(struct run *r, char *why, size_t size)
{
	int fds[3], n = r->cg ? cgroup_join_fds(r->cg, fds, 3) : 0;
	enum spawn_step step;

	fflush(stdout);
	r->lesson = spawn(r->argv, r->envp, fds, n, &step);
	if (r->lesson == -1 && step == SPAWN_JOIN) {
		/* Made but not joinable (no write access to the cgroup it
		 * leaves): run without it. */
		snprintf(why, size, "cannot join it: %s", strerror(errno));
		cgroup_remove(r->cg);
		set_cgroup(r, NULL);
		r->lesson = spawn(r->argv, r->envp, NULL, 0, &step);
	}
	if (r->lesson == -1) {
		fprintf(stderr, "mprun: cannot run %s: %s\n", r->argv[0], strerror(errno));
		return -1;
	}
	return 0;
}

static void say_how(const struct run *r, const char *why)
{
	if (r->cg != NULL)
		cgroup_describe(r->cg, stderr);
	if (r->cg == NULL || why[0] != '\0')
		fprintf(stderr, "mprun: %s cgroup (%s)%s\n", r->cg ? "no other" : "no", why,
			r->cg ? "" : ": the tree is stopped with SIGSTOP");
	if (r->max_procs > 0 && !cgroup_can(r->cg, CGROUP_CAP))
		fprintf(stderr, "mprun: no pids.max: the tree is counted for the cap every %d ms\n",
			(int)(cap_every_ns / 1000000));
}

/* Waits for the lesson and its tree to end, or ends them.  Returns mprun's
 * exit status, or -1 for the lesson's own. */
static int wait_for_lesson(struct run *r, const sigset_t *waitset, double timeout, double grace)
{
	int64_t deadline = mp__now_ns() + (int64_t)(timeout * 1e9), grace_end = -1;
	char why[128];

	for (;;) {
		bool none_left = collect(r);
		if (r->lesson_done && grace_end < 0)
			grace_end = mp__now_ns() + (int64_t)(grace * 1e9);
		if (r->lesson_done && none_left)
			return -1;	/* the lesson and everything it started are gone */
		if (cap_passed(r)) {
			snprintf(why, sizeof(why), "process cap %ld reached", r->max_procs);
			end_tree(r, why);
			return EXIT_CAP;
		}

		int64_t now = mp__now_ns(), until = r->lesson_done ? grace_end : deadline;
		if (now >= until) {
			if (r->lesson_done)
				return end_tree(r, "left behind by the lesson") > 0 ? EXIT_LEFTOVERS : -1;
			snprintf(why, sizeof(why), "%s ran past %g s", r->argv[0], timeout);
			end_tree(r, why);
			return EXIT_TIMEOUT;
		}

		int64_t wake = r->max_procs > 0 && now + cap_every_ns < until ? now + cap_every_ns : until;
		struct timespec ts = { (wake - now) / 1000000000, (wake - now) % 1000000000 };
		int sig = sigtimedwait(waitset, NULL, &ts);
		if (sig > 0 && sig != SIGCHLD) {
			end_tree(r, strsignal(sig));
			return 128 + sig;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "grace", required_argument, NULL, 'g' },
		{ "max-procs", required_argument, NULL, 'm' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "no-cgroup", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "watch-ms", required_argument, NULL, 'w' },
		{ "no-watch", no_argument, NULL, 'n' },
		{ "preload", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	double timeout = 60, grace = 3, watch_ms = 1, max_procs = 0;
	enum cgroup_mode mode = CGROUP_AUTO;
	const char *preload = NULL;
	struct run r = { 0 };
	int opt;

	mp__quiet(+1);		/* for good: see the top of this file */
	while ((opt = getopt_long(argc, argv, "+t:g:m:c:Cw:np:vh", options, NULL)) != -1) {
		switch (opt) {
		case 't': timeout = parse_number(optarg, "--timeout (seconds)", 0, 86400); break;
		case 'g': grace = parse_number(optarg, "--grace (seconds)", 0, 86400); break;
		case 'm': max_procs = parse_number(optarg, "--max-procs", 1, 1000000); break;
		case 'c': mode = parse_cgroup_mode(optarg); break;
		case 'C': mode = CGROUP_NONE; break;
		case 'w': watch_ms = parse_number(optarg, "--watch-ms", 0.1, 1000); break;
		case 'n': watch_ms = 0; break;
		case 'p': preload = optarg; break;
		case 'v': r.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (max_procs != floor(max_procs)) {
		fprintf(stderr, "mprun: --max-procs must be a whole number, not %g\n", max_procs);
		usage(stderr);
		return EXIT_USAGE;
	}
	r.argv = &argv[optind];
	r.max_procs = (long)max_procs;
	int gate = gate_hold();	/* before the environment is copied for --preload */
	if (preload != NULL && (r.envp = preload_env(preload)) == NULL)
		return EXIT_USAGE;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1) {
		perror("mprun: prctl(PR_SET_CHILD_SUBREAPER)");
		preload_remove();
		return EXIT_USAGE;
	}

	/* SIGCHLD and the signals that should end a lesson are taken with
	 * sigtimedwait(); the lesson starts with none blocked.  A shell
	 * starts background jobs with SIGINT ignored, and an ignored signal
	 * never reaches sigtimedwait(): put the defaults back first.  A write
	 * to a closed stderr must fail, not kill mprun and leave the tree. */
	static const int ending[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	sigset_t waitset;
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGCHLD);
	for (size_t i = 0; i < sizeof(ending) / sizeof(ending[0]); i++) {
		signal(ending[i], SIG_DFL);
		sigaddset(&waitset, ending[i]);
	}
	sigprocmask(SIG_BLOCK, &waitset, NULL);
	signal(SIGPIPE, SIG_IGN);

	char why[1024];
	set_cgroup(&r, cgroup_create(mode, r.max_procs, why, sizeof(why)));
	struct sigaction fatal = { .sa_sigaction = on_fatal, .sa_flags = SA_SIGINFO };
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaction(fatal_signals[i], &fatal, &fatal_old[fatal_signals[i]]);

	r.start_ns = mp__now_ns();
	if (start(&r, why, sizeof(why)) == -1) {
		if (r.cg != NULL)
			cgroup_remove(r.cg);
		preload_remove();
		return EXIT_USAGE;
	}
	if (r.verbose)
		say_how(&r, why);
	gate_leave_env();
	mp__self_start_tracing();	/* waits while the daemon registers mprun */
	mp__tp(proc_fork, mp__pid(), r.lesson, r.argv[0]);
	gate_open(gate);

	/* Started after the lesson, so its first look finds it. */
	mp_watch *watch = NULL;
	if (watch_ms > 0 && (watch = mp_watch_start(getpid(), watch_ms / 1000)) == NULL)
		fprintf(stderr, "mprun: no process watcher: %s\n", strerror(errno));

	/* A tree that forks without end can take every CPU, and mprun needs
	 * one to count it and to stop it: this thread (not the lesson, nor
	 * the watcher, both started already) runs at the highest priority
	 * mprun may give it, which for root is nice -20.  It sleeps unless
	 * something has ended. */
	setpriority(PRIO_PROCESS, 0, -20);

	int exit_status = wait_for_lesson(&r, &waitset, timeout, grace);

	if (watch != NULL) {
		struct mp_watch_stats st;

		mp_watch_stop(watch, &st);
		if (r.verbose)
			fprintf(stderr, "mprun: watcher: every %g ms, %ld rounds in %.3f s, "
				"up to %d processes, %ld changes, %.1f ms CPU (%.1f%% of one CPU)\n",
				watch_ms, st.samples, st.seconds, st.most_watched, st.changes,
				st.cpu_seconds * 1e3, 100 * st.cpu_seconds / st.seconds);
	}
	if (r.cg != NULL) {
		struct cgroup *cg = r.cg;
		set_cgroup(&r, NULL);
		cgroup_remove(cg);
	}
	tree_free(&r.counted);
	preload_remove();	/* the tree is gone: nobody maps it any more */
	if (exit_status >= 0)
		return exit_status;
	if (WIFSIGNALED(r.lesson_status)) {
		int sig = WTERMSIG(r.lesson_status);
		fprintf(stderr, "mprun: %s was killed by signal %d (%s)\n", r.argv[0], sig,
			strsignal(sig));
		return 128 + sig;
	}
	return WEXITSTATUS(r.lesson_status);
}
