/*
 * end.c - the one way mprun ends the tree below it, on every path (the
 * lesson's leftovers, the timeout, the cap, Ctrl-C): freeze it so nothing
 * in it can fork, name what is in it, kill all of it, collect it.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

enum { NAMED_MOST = 10 };	/* processes named when a tree is ended */

bool collect(struct run *r)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == r->lesson) {
			r->lesson_done = true;
			r->lesson_status = status;
		} else if (r->verbose) {
			fprintf(stderr, "mprun: collected adopted orphan %d (exitcode %d)\n",
				pid, mp__exitcode_from_status(status));
		}
	}
	return pid == -1 && errno == ECHILD;
}

/* Collects children until none is left, for at most `seconds`. */
static bool collect_all(struct run *r, double seconds)
{
	int64_t end = mp__now_ns() + (int64_t)(seconds * 1e9);
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	while (!collect(r)) {
		int64_t left = end - mp__now_ns();
		if (left <= 0)
			return false;
		struct timespec ts = { left / 1000000000, left % 1000000000 };
		sigtimedwait(&chld, NULL, &ts);
	}
	return true;
}

/* Makes sure nothing in the tree can fork before it is killed, and lists
 * it into t: freezes its cgroup, or stops it with signals.  Returns
 * whether that holds for all of it (else it has run out of time). */
static bool hold(struct run *r, struct tree *t, int64_t deadline)
{
	if (r->cg != NULL) {
		/* cgroup.kill kills every process in the cgroup, frozen or not,
		 * and no fork escapes it: there the freeze is for the names
		 * only, and waited for briefly. */
		bool kills_all = cgroup_can(r->cg, CGROUP_KILL);
		if (cgroup_freeze(r->cg, true, kills_all ? 0.1 : 1) == 0 || kills_all) {
			tree_list(t, 0);
			return true;
		}
		cgroup_freeze(r->cg, false, 0);	/* a frozen process cannot stop */
	}
	return tree_stop(t, deadline) == 0;
}

/* Another round is for what a hold that ran out of time let through. */
size_t end_tree(struct run *r, const char *why)
{
	int64_t start = mp__now_ns(), give_up = start + 30 * (int64_t)1000000000;
	struct tree t = { 0 };
	size_t ended = 0;
	int round;

	for (round = 0; !collect(r) && mp__now_ns() < give_up; round++) {
		bool whole = hold(r, &t, mp__now_ns() + 10 * (int64_t)1000000000);
		if (t.n > 0) {
			fprintf(stderr, "mprun: %s: ended the tree (%zu process%s)\n", why, t.n,
				t.n == 1 ? "" : "es");
			tree_name(&t, NAMED_MOST);
		}
		if (r->cg != NULL)
			cgroup_kill(r->cg);
		if (!cgroup_can(r->cg, CGROUP_KILL))
			tree_kill(&t);	/* (after cgroup.kill, a pid of t may be free) */
		if (r->cg != NULL)
			cgroup_freeze(r->cg, false, 0);	/* a frozen v1 task dies once thawed */
		ended += t.n;
		if (!collect_all(r, whole ? 5 : 0.1) && whole)
			fprintf(stderr, "mprun: processes still there 5 s after SIGKILL\n");
	}
	if (!collect(r))
		fprintf(stderr, "mprun: could not end the tree in 30 s\n");
	if (r->verbose)
		fprintf(stderr, "mprun: ended %zu processes in %.1f ms (%d round%s), from %.1f ms "
			"after the start\n", ended, (mp__now_ns() - start) / 1e6, round,
			round == 1 ? "" : "s", (start - r->start_ns) / 1e6);
	tree_free(&t);
	return ended;
}

bool cap_passed(struct run *r)
{
	if (r->max_procs <= 0)
		return false;
	if (cgroup_can(r->cg, CGROUP_CAP))
		return cgroup_cap_reached(r->cg);
	return tree_list(&r->counted, r->max_procs) > r->max_procs;
}
