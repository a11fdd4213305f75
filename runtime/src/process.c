/*
 * process.c - Process: start a function in a child, join it, end it.
 *
 * A child is made by fork() and never exec()s: it runs the body it was given
 * in a copy of its parent's memory, then _exit()s with the body's return
 * value, like a Python Process on Linux with the "fork" start method.
 *
 * The parent keeps a table of the children it has started and not yet
 * collected (pid, pidfd, daemon flag, name).  The table, not the caller's
 * mp_process, is what the exit handler walks: when the program ends, daemon
 * children are terminated and the others joined, as Python does, even if the
 * caller's mp_process structs are gone by then.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MP__NEW = 1, MP__STARTED, MP__ENDED };

struct child {
	pid_t pid;
	int pidfd;		/* -1 if the kernel has no pidfd_open() */
	bool daemon;
	char name[MP_NAME_MAX];
};

static struct child *children;
static size_t n_children, cap_children;

static mp_process main_process;		/* "MainProcess" */
static mp_process forked_process;	/* this process, after a plain fork() */
static const mp_process *current = &main_process;
static char identity[32];		/* current process's: "" in main */
static unsigned made;			/* processes this one has made */
static bool i_am_daemon;

int mp__exitcode_from_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return -WTERMSIG(wstatus);
	return MP_EXITCODE_NONE;
}

/* ---- the table of children ------------------------------------------- */

static struct child *child_find(pid_t pid)
{
	for (size_t i = 0; i < n_children; i++)
		if (children[i].pid == pid)
			return &children[i];
	return NULL;
}

static void child_forget(pid_t pid)
{
	struct child *c = child_find(pid);

	if (c == NULL)
		return;
	if (c->pidfd >= 0)
		close(c->pidfd);
	*c = children[--n_children];
}

/* Makes room for one more child before fork, so that after fork nothing
 * can fail. */
static int child_reserve(void)
{
	if (n_children < cap_children)
		return 0;
	size_t cap = cap_children ? 2 * cap_children : 8;
	struct child *bigger = realloc(children, cap * sizeof(*children));

	if (bigger == NULL)
		return -1;
	children = bigger;
	cap_children = cap;
	return 0;
}

/* ---- life in the child ------------------------------------------------ */

/* Called by fork() in every new child, before fork() returns there. */
void mp__after_fork_child(const char *name)
{
	/* The siblings are not this process's children: forget them. */
	for (size_t i = 0; i < n_children; i++)
		if (children[i].pidfd >= 0)
			close(children[i].pidfd);
	n_children = 0;

	/* As after Python's os.fork(), the child keeps its parent's name;
	 * `name` labels its lane on the timeline. */
	if (current != &forked_process)
		forked_process = *current;
	forked_process.pid = getpid();
	current = &forked_process;
	mp__tp(proc_start, getpid(), getppid(), name);
}

/* Joins or terminates what this process started and did not collect:
 * Python's _exit_function().  Runs at the end of main (atexit) and at the
 * end of every child's body. */
static void finish_children(void)
{
	if (n_children == 0)
		return;
	for (size_t i = 0; i < n_children; i++) {
		if (children[i].daemon) {
			mp_log(MP_INFO, "calling terminate() for daemon %s", children[i].name);
			kill(children[i].pid, SIGTERM);
			mp__tp(proc_signal, getpid(), children[i].pid, SIGTERM);
		}
	}
	while (n_children > 0) {
		struct child *c = &children[n_children - 1];
		pid_t pid = c->pid;
		int status;

		mp_log(MP_INFO, "calling join() for process %s", c->name);
		MP__NOINTR(waitpid(pid, &status, 0));
		child_forget(pid);
	}
}

static void at_exit(void)
{
	mp_log(MP_INFO, "process shutting down");
	finish_children();
}

static void at_exit_status(int status, void *unused)
{
	(void)unused;
	mp__tp(proc_exit, getpid(), status & 0xff);
}

/* Does not return. */
static void run_child(mp_process *p, pid_t parent)
{
	int code;

	current = p;
	p->pid = getpid();
	memcpy(identity, p->mp__identity, sizeof(identity));
	made = 0;
	i_am_daemon = p->daemon;
	/* terminate() must end the child, whatever handler the parent had
	 * for SIGTERM: the body may install its own. */
	signal(SIGTERM, SIG_DFL);
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &term, NULL);
	if (p->daemon) {
		/* Ended with its parent even if the parent dies without its exit
		 * handler.  A parent gone before prctl() is the same case. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			raise(SIGTERM);
	}
	mp_log(MP_INFO, "child process calling self.run()");
	code = p->run ? p->run(p) : p->target(p->arg);
	mp_log(MP_INFO, "process shutting down");
	finish_children();
	mp_log(MP_INFO, "process exiting with exitcode %d", code & 0xff);
	fflush(stdout);
	fflush(stderr);
	_exit(code & 0xff);
}

/* ---- the public face ------------------------------------------------- */

int mp_process_init(mp_process *p, mp_target_fn target, void *arg, const char *name)
{
	if (p == NULL || (name != NULL && strlen(name) >= MP_NAME_MAX)) {
		errno = EINVAL;
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->target = target;
	p->arg = arg;
	p->daemon = i_am_daemon;	/* Python: inherited from the creator */
	snprintf(p->mp__identity, sizeof(p->mp__identity), "%.20s%s%u",
		 identity, identity[0] ? ":" : "", ++made);
	if (name != NULL)
		snprintf(p->name, sizeof(p->name), "%s", name);
	else
		snprintf(p->name, sizeof(p->name), "Process-%s", p->mp__identity);
	p->mp__state = MP__NEW;
	p->mp__exitcode = MP_EXITCODE_NONE;
	return 0;
}

int mp_process_start(mp_process *p)
{
	pid_t parent = getpid();
	pid_t pid;

	if (p == NULL || p->mp__state != MP__NEW || (p->target == NULL && p->run == NULL)) {
		errno = EINVAL;
		return -1;
	}
	if (i_am_daemon) {
		errno = EPERM;	/* Python: "daemonic processes are not allowed to have children" */
		return -1;
	}
	if (child_reserve() == -1)
		return -1;
	p->mp__parent = parent;

	/* Anything still in stdio's buffers would be copied into the child
	 * and printed twice: once by each process. */
	fflush(stdout);
	fflush(stderr);

	/* SIGTERM stays blocked from before fork until the child has put its
	 * action back to the default: a terminate() sent at once must not run
	 * a handler of the parent's in the child (a test framework's handler
	 * that kills the whole process group did). */
	sigset_t term, saved;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &saved);
	mp__set_next_child_name(p->name);
	pid = fork();
	if (pid == 0)
		run_child(p, parent);
	int err = errno;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	errno = err;
	if (pid == -1)
		return -1;

	p->pid = pid;
	p->mp__state = MP__STARTED;
	struct child *c = &children[n_children++];
	c->pid = pid;
	c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	c->daemon = p->daemon;
	snprintf(c->name, sizeof(c->name), "%s", p->name);
	return 0;
}

static void ended(mp_process *p, int status)
{
	p->mp__exitcode = mp__exitcode_from_status(status);
	p->mp__state = MP__ENDED;
	child_forget(p->pid);
}

/* Checks that p is a started child of this process.  0 if it is running,
 * 1 if it has ended, -1 with errno otherwise. */
static int check_child(mp_process *p)
{
	if (p == NULL || p->mp__state < MP__STARTED) {
		errno = EINVAL;
		return -1;
	}
	if (p->mp__state == MP__ENDED)
		return 1;
	if (p->mp__parent != getpid()) {
		errno = ECHILD;
		return -1;
	}
	return 0;
}

/* Collects p if it has ended, without waiting: 1 ended, 0 running, -1. */
static int poll_child(mp_process *p)
{
	int status;
	pid_t r = MP__NOINTR(waitpid(p->pid, &status, WNOHANG));

	if (r == -1)
		return -1;
	if (r == 0)
		return 0;
	ended(p, status);
	return 1;
}

/* Waits for p until deadline_ns (mp__now_ns() clock; -1: no limit). */
static int wait_child(mp_process *p, int64_t deadline_ns)
{
	struct child *c = child_find(p->pid);
	int pidfd = c ? c->pidfd : -1;
	int r, status;

	if (deadline_ns < 0) {
		if (MP__NOINTR(waitpid(p->pid, &status, 0)) == -1)
			return -1;
		ended(p, status);
		return 0;
	}
	while ((r = poll_child(p)) == 0) {
		int64_t left = deadline_ns - mp__now_ns();

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (pidfd >= 0) {
			/* A pidfd becomes readable when its process ends. */
			struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
			struct timespec ts = { left / 1000000000, left % 1000000000 };

			if (ppoll(&pfd, 1, &ts, NULL) == -1 && errno != EINTR)
				return -1;
		} else {
			struct timespec ts = { 0, left < 1000000 ? left : 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	return r == 1 ? 0 : -1;
}

int mp_process_join_timeout(mp_process *p, double seconds)
{
	int64_t deadline = mp__deadline(seconds);
	int r;

	if (deadline == -2)
		return -1;
	r = check_child(p);
	if (r != 0)
		return r == 1 ? 0 : -1;
	mp__tp(proc_join, getpid(), p->pid, mp__timeout_us(seconds));
	r = wait_child(p, deadline);
	int err = errno;
	mp__tp(proc_joined, getpid(), p->pid, r == 0);
	errno = err;
	return r;
}

int mp_process_join(mp_process *p)
{
	return mp_process_join_timeout(p, MP_FOREVER);
}

bool mp_process_is_alive(mp_process *p)
{
	/* Not started (EINVAL), not ours (ECHILD), or ended: not alive. */
	if (check_child(p) != 0)
		return false;
	return poll_child(p) == 0;
}

int mp_process_exitcode(mp_process *p)
{
	if (check_child(p) == 0)
		poll_child(p);
	return p != NULL && p->mp__state == MP__ENDED ? p->mp__exitcode : MP_EXITCODE_NONE;
}

static int send_signal(mp_process *p, int signo)
{
	int r = check_child(p);

	if (r != 0)
		return r == 1 ? 0 : -1;
	/* Not collected yet, so the pid cannot have been reused. */
	if (kill(p->pid, signo) == -1)
		return -1;
	mp__tp(proc_signal, getpid(), p->pid, signo);
	return 0;
}

int mp_process_terminate(mp_process *p)
{
	return send_signal(p, SIGTERM);
}

int mp_process_kill(mp_process *p)
{
	return send_signal(p, SIGKILL);
}

const mp_process *mp_current_process(void)
{
	return current;
}

int mp_cpu_count(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* Called once, before main(), by trace.c's constructor. */
void mp__process_init(void)
{
	const char *name = "MainProcess";

	/* The runner is a process of its own on the timeline. */
	if (strcmp(program_invocation_short_name, "mprun") == 0)
		name = "mprun";
	snprintf(main_process.name, sizeof(main_process.name), "%s", name);
	main_process.pid = getpid();
	main_process.mp__state = MP__STARTED;
	main_process.mp__exitcode = MP_EXITCODE_NONE;
	/* Exit handlers run last-registered first: children are finished
	 * before the process records its own exit. */
	on_exit(at_exit_status, NULL);
	atexit(at_exit);
	mp__tp(proc_start, getpid(), getppid(), name);
}
