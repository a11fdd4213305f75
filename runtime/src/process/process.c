/*
 * process.c - Process: start a function in a child, join it, end it.
 *
 * A child is made by fork() and never exec()s: it runs the body it was given
 * in a copy of its parent's memory, then _exit()s with the body's return
 * value, like a Python Process on Linux with the "fork" start method.  The
 * parent keeps it in its table of children (children.c) until it is
 * collected.
 */
#define _GNU_SOURCE
#include "process/process.h"
#include "base/exitcode.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Does not return. */
static void run_child(mp_process *p, pid_t parent)
{
	int code;

	mp__self_become(p);
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
	mp__children_finish();
	mp_log(MP_INFO, "process exiting with exitcode %d", code & 0xff);
	fflush(stdout);
	fflush(stderr);
	_exit(code & 0xff);
}

int mp_process_init(mp_process *p, mp_target_fn target, void *arg, const char *name)
{
	MP__SITE();
	if (p == NULL || (name != NULL && strlen(name) >= MP_NAME_MAX)) {
		errno = EINVAL;
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->target = target;
	p->arg = arg;
	mp__self_init_child(p);
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
	MP__SITE();
	pid_t parent = getpid();
	pid_t pid;

	if (p == NULL || p->mp__state != MP__NEW || (p->target == NULL && p->run == NULL)) {
		errno = EINVAL;
		return -1;
	}
	if (mp__self_is_daemon()) {
		errno = EPERM;	/* Python: "daemonic processes are not allowed to have children" */
		return -1;
	}
	if (mp__children_reserve() == -1)
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
	pid = mp__fork(p->name);
	if (pid == 0)
		run_child(p, parent);
	int err = errno;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	errno = err;
	if (pid == -1)
		return -1;

	p->pid = pid;
	p->mp__state = MP__STARTED;
	mp__children_add(pid, p->daemon, p->name);
	return 0;
}

static void ended(mp_process *p, int status)
{
	p->mp__exitcode = mp__exitcode_from_status(status);
	p->mp__state = MP__ENDED;
	mp__children_forget(p->pid);
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
	pid_t r = mp__waitpid(p->pid, &status, WNOHANG);

	if (r <= 0)
		return r;
	ended(p, status);
	return 1;
}

int mp_process_join_timeout(mp_process *p, double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);
	int r, status, err;

	if (deadline == -2)
		return -1;
	r = check_child(p);
	if (r != 0)
		return r == 1 ? 0 : -1;
	mp__tp(proc_join, mp__pid(), p->pid, mp__timeout_us(seconds));
	r = mp__wait_child(p->pid, mp__children_pidfd(p->pid), deadline, &status);
	err = errno;
	if (r == 0)
		ended(p, status);
	mp__tp(proc_joined, mp__pid(), p->pid, r == 0);
	errno = err;
	return r;
}

int mp_process_join(mp_process *p)
{
	MP__SITE();
	return mp_process_join_timeout(p, MP_FOREVER);
}

bool mp_process_is_alive(mp_process *p)
{
	MP__SITE();
	/* Not started (EINVAL), not ours (ECHILD), or ended: not alive. */
	if (check_child(p) != 0)
		return false;
	return poll_child(p) == 0;
}

int mp_process_exitcode(mp_process *p)
{
	MP__SITE();
	if (check_child(p) == 0)
		poll_child(p);
	return p != NULL && p->mp__state == MP__ENDED ? p->mp__exitcode : MP_EXITCODE_NONE;
}

static int send_signal(mp_process *p, int signo)
{
	int r = check_child(p);

	if (r != 0)
		return r == 1 ? 0 : -1;
	return mp__signal_child(p->pid, signo);
}

int mp_process_terminate(mp_process *p)
{
	MP__SITE();
	return send_signal(p, SIGTERM);
}

int mp_process_kill(mp_process *p)
{
	MP__SITE();
	return send_signal(p, SIGKILL);
}
