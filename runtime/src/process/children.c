/*
 * children.c - the children this process started and has not collected.
 *
 * The table (pid, pidfd, daemon flag, name), not the caller's mp_process,
 * is what the exit handler walks: when the program ends, daemon children
 * are terminated and the others joined, as Python does, even if the
 * caller's mp_process structs are gone by then.
 */
#define _GNU_SOURCE
#include "process/process.h"
#include "base/buf.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
	pid_t pid;
	int pidfd;		/* -1 if the kernel has no pidfd_open() */
	bool daemon;
	char name[MP_NAME_MAX];
};

static struct child *children;
static size_t n_children, cap_children;

static struct child *find(pid_t pid)
{
	for (size_t i = 0; i < n_children; i++)
		if (children[i].pid == pid)
			return &children[i];
	return NULL;
}

/* In every new child, inside fork(): the siblings are not its children. */
static void forget_all(void)
{
	for (size_t i = 0; i < n_children; i++)
		mp__close(&children[i].pidfd);
	n_children = 0;
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, forget_all);
}

int mp__children_reserve(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, watch_forks);	/* before the first child */
	return mp__grow(&children, &cap_children, n_children + 1, sizeof(*children));
}

void mp__children_add(pid_t pid, bool daemon, const char *name)
{
	struct child *c = &children[n_children++];

	c->pid = pid;
	c->pidfd = mp__pidfd_open(pid);
	c->daemon = daemon;
	snprintf(c->name, sizeof(c->name), "%s", name);
}

int mp__children_pidfd(pid_t pid)
{
	struct child *c = find(pid);

	return c ? c->pidfd : -1;
}

void mp__children_forget(pid_t pid)
{
	struct child *c = find(pid);

	if (c == NULL)
		return;
	mp__close(&c->pidfd);
	*c = children[--n_children];
}

int mp__signal_child(pid_t pid, int signo)
{
	int r;

	mp__quiet(+1);		/* the proc_signal below is the record */
	r = kill(pid, signo);
	mp__quiet(-1);
	if (r == -1)
		return -1;
	mp__tp(proc_signal, mp__pid(), pid, signo);
	return 0;
}

void mp__children_finish(void)
{
	for (size_t i = 0; i < n_children; i++) {
		if (children[i].daemon) {
			mp_log(MP_INFO, "calling terminate() for daemon %s", children[i].name);
			mp__signal_child(children[i].pid, SIGTERM);
		}
	}
	while (n_children > 0) {
		struct child *c = &children[n_children - 1];
		pid_t pid = c->pid;
		int status;

		mp_log(MP_INFO, "calling join() for process %s", c->name);
		mp__waitpid(pid, &status, 0);
		mp__children_forget(pid);
	}
}

bool mp__child_ended(pid_t pid)
{
	siginfo_t si = { 0 };

	return MP__NOINTR(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT)) == 0 &&
	       si.si_pid == pid;
}

int mp__wait_child(pid_t pid, int pidfd, int64_t deadline, int *status)
{
	pid_t r;

	if (deadline < 0)
		return mp__waitpid(pid, status, 0) == -1 ? -1 : 0;
	while ((r = mp__waitpid(pid, status, WNOHANG)) == 0) {
		int64_t left = deadline - mp__now_ns();

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (pidfd >= 0) {
			/* A pidfd turns readable when its process ends. */
			struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
			struct timespec ts = mp__timespec(left);

			if (ppoll(&pfd, 1, &ts, NULL) == -1 && errno != EINTR)
				return -1;
		} else {
			struct timespec ts = mp__timespec(left < 1000000 ? left : 1000000);

			nanosleep(&ts, NULL);
		}
	}
	return r == -1 ? -1 : 0;
}
