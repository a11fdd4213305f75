/*
 * tree.c - the tree of processes below mprun, seen through /proc: count
 * it, stop it, name it, kill it.
 *
 * mprun is a child subreaper, so every process the program starts stays
 * below it: an orphan is handed to mprun, not to init.  The tree is walked
 * from /proc/MPRUN/task/MPRUN/children down, each process's children read
 * from /proc/PID/task/TID/children of each of its threads (a child belongs
 * to the thread that forked it).
 *
 * Killing a fork bomb one process at a time does not end it: each death
 * frees a place that another fork takes at once.  It must first be
 * stopped whole, so nothing in it can fork, then killed.  Without a cgroup
 * to freeze it, tree_stop() sends SIGSTOP, which no process can catch or
 * ignore, to each process as it finds it, and sweeps the tree again until
 * a sweep finds no new process and sees every one stopped.  A stopped
 * process neither forks nor collects a child, so the list of children read
 * once it is seen stopped is final: then nothing below it is left unseen.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* A pid to look at, read from its parent's list of children. */
struct entry {
	pid_t pid, parent;
	bool final;		/* read from a list that could not change */
};

/* What is still to look at, in the order found: breadth first. */
struct queue {
	struct entry *v;
	size_t n, cap;
	pid_t parent;		/* of what push() adds */
	bool final;
};

/* Makes room for one more element in the array v of n elements of `size`
 * bytes, *cap allocated: the array, perhaps moved; NULL when out of
 * memory (v is still there). */
static void *room(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t more = *cap ? 2 * *cap : 64;
	void *bigger = realloc(v, more * size);
	if (bigger != NULL)
		*cap = more;
	return bigger;
}

static void push(pid_t pid, void *arg)
{
	struct queue *q = arg;
	struct entry *v = room(q->v, q->n, &q->cap, sizeof(*v));

	if (v == NULL)
		return;		/* this child unseen: the next sweep retries */
	q->v = v;
	q->v[q->n++] = (struct entry){ pid, q->parent, q->final };
}

/* Reads /proc/PID/stat (mp_proc_info) and the number of its threads: the
 * links of /proc/PID/task, two more than its entries (0 for a zombie).
 * 0, or -1 when it has gone. */
static int look(pid_t pid, struct mp_proc_info *p, long *threads)
{
	char path[64];
	struct stat st;

	if (mp_proc_info(pid, p) == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	*threads = stat(path, &st) == 0 && st.st_nlink > 2 ? (long)st.st_nlink - 2 : 1;
	return 0;
}

/* Stopped ('T', or 't' under a debugger) or dead: it will not fork. */
static bool still(char state)
{
	return state == 'T' || state == 't' || state == 'Z' || state == 'X';
}

static void queue_list(struct queue *q, pid_t pid, pid_t tid, bool final)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)tid);
	q->parent = pid;
	q->final = final;
	sysfile_each_pid(path, push, q);
}

/* Queues the children of each thread of p, those of a thread seen stopped
 * (or dead) as final.  Returns whether every thread was. */
static bool queue_children(struct queue *q, const struct mp_proc_info *p, long threads)
{
	char path[64];
	bool all_still = true;

	if (threads <= 1) {
		queue_list(q, p->pid, p->pid, still(p->state));
		return still(p->state);
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
	DIR *dir = opendir(path);
	if (dir == NULL)
		return true;	/* gone */
	for (struct dirent *e; (e = readdir(dir)) != NULL;) {
		struct mp_proc_info t;	/* /proc/TID/stat: that thread's state */
		int tid = atoi(e->d_name);
		if (tid <= 0)
			continue;	/* "." and ".." */
		bool final = mp_proc_info(tid, &t) == -1 || still(t.state);
		all_still &= final;
		queue_list(q, p->pid, tid, final);
	}
	closedir(dir);
	return all_still;
}

/* Records p unless seen before; true if it was new. */
static bool add(struct tree *t, const struct mp_proc_info *p)
{
	size_t word = (size_t)p->pid / (8 * sizeof(unsigned long));
	unsigned long bit = 1UL << ((size_t)p->pid % (8 * sizeof(unsigned long)));

	if (word >= t->seen_words) {
		size_t words = 2 * word + 64;
		unsigned long *seen = realloc(t->seen, words * sizeof(*seen));
		if (seen == NULL)
			return false;
		memset(seen + t->seen_words, 0, (words - t->seen_words) * sizeof(*seen));
		t->seen = seen;
		t->seen_words = words;
	}
	if (t->seen[word] & bit)
		return false;
	struct mp_proc_info *procs = room(t->procs, t->n, &t->cap, sizeof(*procs));
	if (procs == NULL)
		return false;
	t->procs = procs;
	t->seen[word] |= bit;
	t->procs[t->n++] = *p;
	return true;
}

/* Empties t, keeping its memory. */
static void clear(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		t->seen[(size_t)t->procs[i].pid / (8 * sizeof(unsigned long))] = 0;
	t->n = 0;
}

/* mprun's own children: only mprun collects them, so the list is final. */
static void queue_own_children(struct queue *q)
{
	queue_list(q, getpid(), getpid(), true);
}

long tree_list(struct tree *t, long stop_past)
{
	struct queue q = { 0 };
	long tasks = 0;

	clear(t);
	queue_own_children(&q);
	for (size_t i = 0; i < q.n && (stop_past <= 0 || tasks <= stop_past); i++) {
		struct mp_proc_info p;
		long threads;
		if (look(q.v[i].pid, &p, &threads) == -1 || !add(t, &p))
			continue;
		tasks += threads > 0 ? threads : 1;	/* a zombie: one */
		queue_children(&q, &p, threads);
	}
	free(q.v);
	return tasks;
}

/* Looks at one process in a sweep: records it, stops it if it is not
 * stopped, and queues its children.  Returns whether it and every thread
 * of it were seen stopped or dead.
 *
 * A pid read from a list that could change (its parent was running) may,
 * by the time it is signalled, name a process that its parent collected
 * and a new one that took its number.  So such a pid is first pinned with
 * a pidfd, then checked to be still the child of that parent; without
 * pidfds, it waits for a sweep that sees its parent stopped. */
static bool stop_one(struct tree *t, struct queue *q, struct entry e)
{
	struct mp_proc_info p;
	long threads;
	int pidfd = -1;

	if (!e.final) {
		pidfd = (int)syscall(SYS_pidfd_open, e.pid, 0);
		if (pidfd == -1)
			return errno == ESRCH;	/* gone; or no pidfds */
	}
	if (look(e.pid, &p, &threads) == -1 || (pidfd >= 0 && p.ppid != e.parent)) {
		if (pidfd >= 0)
			close(pidfd);
		return true;	/* gone; or adopted by mprun, to be found there */
	}
	add(t, &p);		/* named as it was before it was stopped */
	bool stopped = queue_children(q, &p, threads) && still(p.state);
	if (!stopped) {		/* (again, if something sent it SIGCONT) */
		if (pidfd >= 0)
			syscall(SYS_pidfd_send_signal, pidfd, SIGSTOP, NULL, 0);
		else
			kill(p.pid, SIGSTOP);
	}
	if (pidfd >= 0)
		close(pidfd);
	return stopped;
}

int tree_stop(struct tree *t, int64_t deadline)
{
	clear(t);
	for (;;) {
		struct queue q = { 0 };
		size_t known = t->n;
		bool settled = true;

		queue_own_children(&q);
		for (size_t i = 0; i < q.n; i++)
			settled &= stop_one(t, &q, q.v[i]);	/* q.v may move */
		free(q.v);
		if (settled && t->n == known)
			return 0;
		if (mp__now_ns() >= deadline)
			return -1;
		if (!settled)	/* the signalled stop once they run: let them */
			nanosleep(&(struct timespec){ 0, 100000 }, NULL);
	}
}

void tree_kill(const struct tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		kill(t->procs[i].pid, SIGKILL);
}

void tree_name(const struct tree *t, size_t most)
{
	for (size_t i = 0; i < t->n && i < most; i++) {
		const struct mp_proc_info *p = &t->procs[i];
		fprintf(stderr, "mprun:   %s pid %d (%s), child of %d\n",
			p->state == 'Z' ? "collected zombie" : "killed", (int)p->pid, p->comm,
			(int)p->ppid);
	}
	if (t->n > most)
		fprintf(stderr, "mprun:   and %zu more\n", t->n - most);
}

void tree_free(struct tree *t)
{
	free(t->procs);
	free(t->seen);
	*t = (struct tree){ 0 };
}
