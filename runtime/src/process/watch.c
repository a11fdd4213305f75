/*
 * watch.c - see process states the way ps does, from /proc.
 *
 * A zombie is not an event any process reports: a child that has exited and
 * not been collected simply sits in the process table with state Z.  To put
 * it on a timeline, something has to look.  The watcher is a thread (in
 * mprun, so it is never one of the lesson's processes) that, every interval,
 * walks the tree below its root through /proc/PID/task/PID/children, reads
 * /proc/PID/stat of each process, and records proc_state when the state
 * letter or the parent changed.
 *
 * Cost: each /proc file is opened once and re-read with pread(), which makes
 * the kernel regenerate it: two system calls per process per round, no
 * open/close.  A file whose process has gone reads ESRCH, and the process is
 * forgotten (state "X" recorded); a pid reused later is a new process with
 * new files.
 */
#define _GNU_SOURCE
#include "process/process.h"
#include "base/buf.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses the text of /proc/PID/stat: "pid (comm) S ppid ...".  comm may
 * hold spaces and parentheses, so the last ')' ends it. */
static int parse_stat(const char *text, struct mp_proc_info *info)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	int ppid;

	if (open == NULL || close == NULL || close < open || close[1] != ' ')
		return -1;
	if (sscanf(close + 2, "%c %d", &info->state, &ppid) != 2)
		return -1;
	info->pid = (pid_t)atoi(text);
	info->ppid = ppid;
	size_t len = (size_t)(close - open - 1);
	if (len >= sizeof(info->comm))
		len = sizeof(info->comm) - 1;
	memcpy(info->comm, open + 1, len);
	info->comm[len] = '\0';
	return 0;
}

int mp_proc_info(pid_t pid, struct mp_proc_info *info)
{
	MP__SITE();
	char path[64], text[512];
	ssize_t n;
	int fd;

	if (pid <= 0 || info == NULL) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		errno = ESRCH;
		return -1;
	}
	n = MP__NOINTR(read(fd, text, sizeof(text) - 1));
	close(fd);
	if (n <= 0) {
		errno = ESRCH;
		return -1;
	}
	text[n] = '\0';
	if (parse_stat(text, info) == -1) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* ---- the watcher thread ---------------------------------------------- */

struct tracked {
	pid_t pid;
	int stat_fd;		/* /proc/PID/stat */
	int children_fd;	/* /proc/PID/task/PID/children */
	char state;		/* last seen; 0 before the first look */
	pid_t ppid;
	bool seen;		/* in the tree this round */
};

struct mp_watch {
	pthread_t thread;
	pid_t root;
	int64_t interval_ns;
	atomic_bool stop;
	int root_children_fd;
	struct tracked *procs;
	size_t n, cap;
	struct mp_watch_stats stats;
};

static int open_proc(pid_t pid, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Reads a whole /proc file again from the start; -1 once its process is gone. */
static ssize_t reread(int fd, char *buf, size_t size)
{
	ssize_t n = MP__NOINTR(pread(fd, buf, size - 1, 0));

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Drops a process; `gone`: it has left the process table (record "X"). */
static void forget(struct mp_watch *w, size_t i, bool gone)
{
	struct tracked *t = &w->procs[i];

	if (gone && t->state != 0) {
		mp__tp(proc_state, t->pid, t->ppid, "X");
		w->stats.changes++;
	}
	close(t->stat_fd);
	if (t->children_fd >= 0)
		close(t->children_fd);
	w->procs[i] = w->procs[--w->n];
}

static struct tracked *track(struct mp_watch *w, pid_t pid)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->procs[i].pid == pid)
			return &w->procs[i];
	if (mp__grow(&w->procs, &w->cap, w->n + 1, sizeof(*w->procs)) == -1)
		return NULL;
	char children[64];
	snprintf(children, sizeof(children), "task/%d/children", (int)pid);
	int stat_fd = open_proc(pid, "stat");
	if (stat_fd == -1)
		return NULL;	/* gone already: nothing to say */
	struct tracked *t = &w->procs[w->n++];
	*t = (struct tracked){ .pid = pid, .stat_fd = stat_fd,
			       .children_fd = open_proc(pid, children) };
	return t;
}

/* Looks at one process: records a change, and queues its children. */
static void look(struct mp_watch *w, pid_t pid, pid_t *queue, size_t *qlen, size_t qcap)
{
	struct tracked *t = track(w, pid);
	struct mp_proc_info info;
	char buf[4096];

	if (t == NULL || t->seen)
		return;
	t->seen = true;
	if (reread(t->stat_fd, buf, sizeof(buf)) <= 0 || parse_stat(buf, &info) == -1)
		return;		/* going; forgotten after this round */
	if (info.state != t->state || info.ppid != t->ppid) {
		char state[2] = { info.state, '\0' };

		mp__tp(proc_state, pid, info.ppid, state);
		w->stats.changes++;
		t->state = info.state;
		t->ppid = info.ppid;
	}
	if (t->children_fd >= 0 && reread(t->children_fd, buf, sizeof(buf)) > 0) {
		for (char *p = buf, *end; *qlen < qcap; p = end) {
			long child = strtol(p, &end, 10);
			if (end == p)
				break;
			queue[(*qlen)++] = (pid_t)child;
		}
	}
}

static void sample(struct mp_watch *w)
{
	pid_t queue[1024];
	size_t qlen = 0;
	char buf[4096];

	for (size_t i = 0; i < w->n; i++)
		w->procs[i].seen = false;
	if (reread(w->root_children_fd, buf, sizeof(buf)) > 0) {
		for (char *p = buf, *end; qlen < 1024; p = end) {
			long child = strtol(p, &end, 10);
			if (end == p)
				break;
			queue[qlen++] = (pid_t)child;
		}
	}
	/* Breadth first; `queue` grows as children are found. */
	for (size_t head = 0; head < qlen; head++)
		look(w, queue[head], queue, &qlen, 1024);
	/* Not in the tree any more: gone (its stat reads ESRCH), or moved out
	 * of reach (still readable: keep watching it by its own files). */
	for (size_t i = 0; i < w->n;) {
		struct tracked *t = &w->procs[i];
		struct mp_proc_info info;

		if (!t->seen && (reread(t->stat_fd, buf, sizeof(buf)) <= 0 ||
				 parse_stat(buf, &info) == -1)) {
			forget(w, i, true);
			continue;
		}
		if (!t->seen)
			look(w, t->pid, queue, &qlen, 0);
		i++;
	}
	if ((int)w->n > w->stats.most_watched)
		w->stats.most_watched = (int)w->n;
	w->stats.samples++;
}

static void *watch_main(void *arg)
{
	struct mp_watch *w = arg;
	int64_t next = mp__now_ns();

	while (!atomic_load(&w->stop)) {
		sample(w);
		next += w->interval_ns;
		/* Absolute deadlines: the rounds do not drift by their own cost. */
		struct timespec ts = mp__timespec(next);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	sample(w);	/* a last look, so what ended just before stop is seen */
	struct timespec cpu;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	w->stats.cpu_seconds = cpu.tv_sec + cpu.tv_nsec / 1e9;
	return NULL;
}

mp_watch *mp_watch_start(pid_t root, double interval)
{
	MP__SITE();
	char children[64];
	mp_watch *w;
	int err;

	if (root <= 0 || !(interval > 0) || interval > 10) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	w->root = root;
	w->interval_ns = (int64_t)(interval * 1e9);
	snprintf(children, sizeof(children), "task/%d/children", (int)root);
	w->root_children_fd = open_proc(root, children);
	if (w->root_children_fd == -1) {
		free(w);
		errno = ESRCH;
		return NULL;
	}
	w->stats.seconds = mp__now_ns() / 1e9;
	mp__quiet(+1);		/* a thread made in a quiet section is quiet for life */
	err = pthread_create(&w->thread, NULL, watch_main, w);
	mp__quiet(-1);
	if (err != 0) {
		close(w->root_children_fd);
		free(w);
		errno = err;
		return NULL;
	}
	return w;
}

int mp_watch_stop(mp_watch *w, struct mp_watch_stats *stats)
{
	MP__SITE();
	if (w == NULL) {
		errno = EINVAL;
		return -1;
	}
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	w->stats.seconds = mp__now_ns() / 1e9 - w->stats.seconds;
	if (stats != NULL)
		*stats = w->stats;
	while (w->n > 0)
		forget(w, w->n - 1, false);
	close(w->root_children_fd);
	free(w->procs);
	free(w);
	return 0;
}
