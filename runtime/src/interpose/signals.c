/*
 * signals.c - signals sent, and signals delivered to a handler.
 *
 *   proc_signal  kill, killpg, raise, sigqueue, tgkill, pthread_kill:
 *                recorded as the call is made, so it comes before what
 *                the signal causes (a kill that fails is recorded too).
 *                target: a pid, -pgid for a group, 0 the caller's group;
 *                for raise and the thread calls, the caller's own pid.
 *                Signal 0 sends nothing and is not recorded.
 *   sig_handle   a handler the program installed is about to run
 *
 * A handler is seen by installing ours in its place: signal() and
 * sigaction() put a trampoline in the kernel and keep the program's handler
 * in `user`; the trampoline records sig_handle, then calls it with the same
 * arguments.  Asked for the current action, sigaction() answers with the
 * program's handler, never the trampoline, so a program that saves and
 * restores an action gets back what it set.  A death by signal is seen by
 * whoever collects the process (proc_reap); SIGKILL never reaches a
 * handler, and nothing inside the dying process sees it.
 */
#include "layer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* The program's action per signal: its handler and flags.  Read by the
 * trampoline with no lock (a signal may come at any moment); written
 * under `lock`, with every signal blocked so that no handler of this
 * thread can wait for it. */
static struct user_action {
	_Atomic(void *) handler;	/* sa_handler or sa_sigaction; NULL: none */
	_Atomic int flags;
} user[_NSIG];
static atomic_flag lock = ATOMIC_FLAG_INIT;

/* A fork child has one thread: no one else can hold the lock there. */
void ip_signals_after_fork(void)
{
	atomic_flag_clear(&lock);
}

/* ---- sending ------------------------------------------------------------ */

static void sent(int target, int signo, const void *caller)
{
	if (signo != 0 && ip_may(caller)) {
		int err = errno;

		mp__tp(proc_signal, mp__pid(), target, signo);
		errno = err;
	}
}

int kill(pid_t pid, int signo)
{
	MP__SITE();
	sent(pid, signo, IP_CALLER);
	return REAL(kill)(pid, signo);
}

int killpg(pid_t pgrp, int signo)
{
	MP__SITE();
	sent(-pgrp, signo, IP_CALLER);
	return REAL(killpg)(pgrp, signo);
}

int raise(int signo)
{
	MP__SITE();
	sent(mp__pid(), signo, IP_CALLER);
	return REAL(raise)(signo);
}

int sigqueue(pid_t pid, int signo, const union sigval value)
{
	MP__SITE();
	sent(pid, signo, IP_CALLER);
	return REAL(sigqueue)(pid, signo, value);
}

int tgkill(pid_t tgid, pid_t tid, int signo)
{
	MP__SITE();
	sent(tgid, signo, IP_CALLER);
	return REAL(tgkill)(tgid, tid, signo);
}

int pthread_kill(pthread_t thread, int signo)
{
	MP__SITE();
	sent(mp__pid(), signo, IP_CALLER);
	return REAL(pthread_kill)(thread, signo);
}

/* ---- delivering ----------------------------------------------------------- */

static void trampoline(int signo, siginfo_t *info, void *context)
{
	int err = errno;
	void *handler = atomic_load(&user[signo].handler);
	int flags = atomic_load(&user[signo].flags);

	if (ip_ready && mp__quiet_depth == 0)
		mp__tp(sig_handle, mp__pid(), signo, info ? info->si_pid : 0, info ? info->si_code : 0);
	if (flags & SA_RESETHAND)
		atomic_store(&user[signo].handler, NULL);
	errno = err;
	if (handler == NULL || handler == (void *)SIG_IGN)
		return;
	if (handler == (void *)SIG_DFL) {
		/* Set back to the default between the kernel's delivery and
		 * here: let the default happen. */
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		REAL(sigaction)(signo, &dfl, NULL);
		REAL(raise)(signo);
		return;
	}
	if (flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))handler)(signo, info, context);
	else
		((void (*)(int))handler)(signo);
}

static bool catchable(int signo)
{
	return signo > 0 && signo < _NSIG && signo != SIGKILL && signo != SIGSTOP;
}

int sigaction(int signo, const struct sigaction *act, struct sigaction *old)
{
	MP__SITE();
	struct sigaction mine, previous;
	sigset_t all, saved;
	void *was_handler;
	int was_flags, r;

	/* A vfork child shares `user` with its parent but not the kernel's
	 * actions: it must not change the parent's table. */
	if (!ip_ready || mp__quiet_depth > 0 || ip_quiet_code(IP_CALLER) || !catchable(signo) ||
	    getpid() != mp__pid_cached)
		return REAL(sigaction)(signo, act, old);

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	while (atomic_flag_test_and_set(&lock))
		;
	was_handler = atomic_load(&user[signo].handler);
	was_flags = atomic_load(&user[signo].flags);
	if (act != NULL && act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN) {
		mine = *act;
		mine.sa_sigaction = trampoline;
		mine.sa_flags |= SA_SIGINFO;
		atomic_store(&user[signo].flags, act->sa_flags);
		atomic_store(&user[signo].handler, (void *)act->sa_handler);
		r = REAL(sigaction)(signo, &mine, &previous);
	} else {
		r = REAL(sigaction)(signo, act, &previous);
		if (r == 0 && act != NULL)
			atomic_store(&user[signo].handler, NULL);
	}
	if (r == -1 && act != NULL) {		/* as it was */
		atomic_store(&user[signo].handler, was_handler);
		atomic_store(&user[signo].flags, was_flags);
	}
	int err = errno;

	atomic_flag_clear(&lock);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (r == 0 && old != NULL) {
		*old = previous;
		if (previous.sa_sigaction == trampoline) {
			old->sa_handler = (void (*)(int))was_handler;
			old->sa_flags = was_flags;
		}
	}
	errno = err;
	return r;
}

/* The C library's signal(): BSD semantics, SA_RESTART and the signal
 * blocked while its handler runs; it calls its internal sigaction. */
sighandler_t signal(int signo, sighandler_t handler)
{
	MP__SITE();
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (!ip_ready || mp__quiet_depth > 0 || ip_quiet_code(IP_CALLER) || getpid() != mp__pid_cached)
		return REAL(signal)(signo, handler);
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, signo);
	if (sigaction(signo, &act, &old) == -1)
		return SIG_ERR;
	return old.sa_handler;
}
