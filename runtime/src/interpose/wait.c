/*
 * wait.c - the wait family: a parent collecting its children.
 *
 *   proc_wait   a blocking wait begins (not with WNOHANG)
 *   proc_reap   a child was collected: the zombie's time ends here.  Part
 *               of a process's life: recorded in a quiet section too.
 *
 * The runtime waits for its children in mp__waitpid (interpose.h), which
 * records the reap but not the wait: the runtime records its own (a
 * join's proc_join).
 */
#include "layer.h"
#include "interpose.h"
#include "base/exitcode.h"
#include "base/fd.h"

#include <errno.h>

#include <sys/resource.h>
#include <sys/wait.h>

static void waiting(const void *caller, pid_t target, int options)
{
	if (!(options & WNOHANG) && mp__tp_on(proc_wait) && ip_may(caller)) {
		int err = errno;

		mp__tp(proc_wait, mp__pid(), target);
		errno = err;
	}
}

static void reaped(pid_t child, int wstatus)
{
	if (child > 0 && (WIFEXITED(wstatus) || WIFSIGNALED(wstatus)) && ip_life()) {
		int err = errno;

		mp__tp(proc_reap, mp__pid(), child, mp__exitcode_from_status(wstatus), wstatus);
		errno = err;
	}
}

pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *usage)
{
	MP__SITE();
	int status = 0;

	waiting(IP_CALLER, pid, options);
	pid_t r = REAL(wait4)(pid, &status, options, usage);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(r, status);
	return r;
}

pid_t wait3(int *wstatus, int options, struct rusage *usage)
{
	MP__SITE();
	int status = 0;

	waiting(IP_CALLER, -1, options);
	pid_t r = REAL(wait3)(&status, options, usage);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(r, status);
	return r;
}

pid_t waitpid(pid_t pid, int *wstatus, int options)
{
	MP__SITE();
	int status = 0;

	waiting(IP_CALLER, pid, options);
	pid_t r = REAL(waitpid)(pid, &status, options);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(r, status);
	return r;
}

pid_t wait(int *wstatus)
{
	MP__SITE();
	int status = 0;

	waiting(IP_CALLER, -1, 0);
	pid_t r = REAL(wait)(&status);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(r, status);
	return r;
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	MP__SITE();
	siginfo_t mine = { 0 };
	siginfo_t *si = info ? info : &mine;
	pid_t target = idtype == P_PID ? (pid_t)id : idtype == P_PGID ? -(pid_t)id : -1;

	waiting(IP_CALLER, target, options);
	int r = REAL(waitid)(idtype, id, si, options);

	/* WNOWAIT only looks; WNOHANG may find nothing (si_pid 0). */
	if (r == 0 && !(options & WNOWAIT) && si->si_pid > 0) {
		int wstatus = -1;

		if (si->si_code == CLD_EXITED)
			wstatus = (si->si_status & 0xff) << 8;
		else if (si->si_code == CLD_KILLED)
			wstatus = si->si_status & 0x7f;
		else if (si->si_code == CLD_DUMPED)
			wstatus = (si->si_status & 0x7f) | 0x80;
		if (wstatus != -1)
			reaped(si->si_pid, wstatus);
	}
	return r;
}

pid_t mp__waitpid(pid_t pid, int *wstatus, int options)
{
	pid_t r;

	mp__quiet(+1);
	r = MP__NOINTR(waitpid(pid, wstatus, options));
	mp__quiet(-1);
	return r;
}
