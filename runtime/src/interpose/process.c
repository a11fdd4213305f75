/*
 * process.c - a process's life: fork, vfork, clone, and exit.  The wait
 * family that collects it is in wait.c.
 *
 *   proc_start  a child starts after fork (the wrapper, or for a fork the
 *               wrapper did not make, such as daemon()'s, an atfork
 *               handler) or vfork (when it first reaches a wrapper: exec
 *               or _exit).  A program's own start is recorded by the
 *               runtime linked in (process/self.c), by preload.c preloaded.
 *   proc_fork   the parent's side of fork() and of clone() making a process
 *   proc_exit   _exit(), _Exit(), or exit() and a return from main (an
 *               on_exit handler).  A process a signal kills has none.
 *
 * The runtime names the children it starts (mp__fork, interpose.h): a
 * Process's name, a subprocess's command.  A child of a plain fork() is
 * "child" in a program linked with the runtime, as lesson 1 shows it, and
 * takes its program's name under the preload (python3).
 *
 * vfork() cannot be wrapped by a C function: the child runs on the parent's
 * stack until it execs, and would return through our frame and spoil it.
 * So vfork here is five instructions that note the parent's pid, then jump
 * to the C library's vfork, which returns straight to the program.  The
 * child shares the parent's memory, so it finds that note in
 * ip_vfork_parent, sees its own pid differ, and records its proc_start at
 * its first wrapped call.  The parent has no proc_fork for it.
 */
#include "layer.h"
#include "interpose.h"

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

__thread pid_t ip_vfork_parent MP__TLS;

/* Set around a fork made here, whose child records its own start (or, for
 * mp__fork_quiet, none): the atfork handler leaves it alone. */
static __thread bool forking MP__TLS;
static void (*fork_child_hook)(void);

const char *ip_child_name(void)
{
	return ip_linked ? "child" : program_invocation_short_name;
}

void mp__on_fork_child(void (*fn)(void))
{
	fork_child_hook = fn;
}

/* ---- fork ---------------------------------------------------------------- */

/* Runs in every child of the C library's fork (and of _Fork, below),
 * before fork returns there. */
void ip_after_fork_child(void)
{
	mp__pid_cached = getpid();
	mp__pid_unsure = false;
	ip_vfork_parent = 0;
	ip_output_after_fork();
	ip_signals_after_fork();
	if (fork_child_hook != NULL)
		fork_child_hook();
	if (!forking) {
		if (ip_life())
			mp__tp(proc_start, mp__pid(), getppid(), ip_child_name());
		mp__site = 0;	/* the child's calls are its own */
	}
}

/* fork(), with LTTng's fork hooks; records the child as `name` if
 * `record`. */
static pid_t fork_as(const char *name, bool record)
{
	bool rec = record && ip_life();
	sigset_t saved;
	pid_t pid;
	int err;

	/* LTTng's locks, recorded or not: a child must not inherit one
	 * held by a thread it does not have (base/trace.c). */
	mp__trace_before_fork(&saved);
	forking = true;
	pid = REAL(fork)();
	forking = false;
	if (pid == 0) {
		mp__trace_after_fork_child(&saved);
		if (rec)
			mp__tp(proc_start, mp__pid(), getppid(), name);
		mp__site = 0;	/* the child's calls are its own */
		return 0;
	}
	err = errno;
	mp__trace_after_fork_parent(&saved);
	if (rec && pid > 0)
		mp__tp(proc_fork, mp__pid(), pid, name);
	errno = err;
	return pid;
}

pid_t fork(void)
{
	MP__SITE();
	return fork_as(ip_child_name(), true);
}

pid_t mp__fork(const char *name)
{
	return fork_as(name != NULL ? name : ip_child_name(), true);
}

pid_t mp__fork_quiet(void)
{
	return fork_as(NULL, false);
}

/* _Fork() runs no atfork handlers: its child is told here. */
pid_t _Fork(void)
{
	bool rec = ip_life();
	pid_t pid = REAL(_Fork)();

	if (pid == 0 && ip_started) {
		ip_after_fork_child();
	} else if (pid > 0 && rec) {
		int err = errno;

		mp__tp(proc_fork, mp__pid(), pid, ip_child_name());
		errno = err;
	}
	return pid;
}

int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	bool rec = ip_life() && !(flags & CLONE_THREAD);
	bool unsure = mp__pid_unsure;
	va_list ap;

	/* The C library's clone reads these three only when flags ask. */
	va_start(ap, arg);
	pid_t *parent_tid = va_arg(ap, pid_t *);
	void *tls = va_arg(ap, void *);
	pid_t *child_tid = va_arg(ap, pid_t *);
	va_end(ap);

	/* The child runs fn(arg) without our knowing: it must ask its pid. */
	if ((flags & CLONE_VM) && !(flags & CLONE_THREAD))
		mp__pid_ask = true;
	else if (!(flags & CLONE_THREAD))
		mp__pid_unsure = true;
	int pid = REAL(clone)(fn, stack, flags, arg, parent_tid, tls, child_tid);

	mp__pid_unsure = unsure;
	if (pid > 0 && rec) {
		int err = errno;

		mp__tp(proc_fork, mp__pid(), pid, ip_child_name());
		errno = err;
	}
	return pid;
}

/* ---- vfork -------------------------------------------------------------- */

/* Hidden: the assembly below reaches them directly, not through the PLT. */
__attribute__((visibility("hidden"))) void *ip_vfork_next;	/* the C library's vfork */
__attribute__((visibility("hidden"))) void ip_vfork_note(void);

void ip_vfork_note(void)
{
	ip_vfork_next = ip_next(IP_vfork);
	ip_vfork_parent = ip_ready ? mp__pid() : 0;
	mp__pid_unsure = true;
}

void ip_vfork_child_check(void)
{
	pid_t parent = ip_vfork_parent, me = getpid();

	ip_vfork_parent = 0;	/* in the child this clears the parent's too */
	if (me != parent && ip_ready)
		mp__tp(proc_start, me, parent, ip_child_name());
}

#if defined(__x86_64__)
/* The stack is 16-byte aligned for the call; vfork's return address stays
 * where the program's call put it. */
__asm__(".text\n"
	".globl vfork\n"
	".type vfork, @function\n"
	"vfork:\n"
	"	endbr64\n"
	"	subq $8, %rsp\n"
	"	call ip_vfork_note\n"
	"	addq $8, %rsp\n"
	"	jmp *ip_vfork_next(%rip)\n"
	".size vfork, .-vfork\n");
#else
/* Elsewhere vfork is fork, which POSIX allows: slower, never wrong for a
 * child that only execs or exits. */
pid_t vfork(void)
{
	return fork();
}
#endif

/* ---- exit --------------------------------------------------------------- */

static void exiting(int status)
{
	if (!ip_life())
		return;
	ip_output_flush();
	ip_exec_flush();
	mp__tp(proc_exit, mp__pid(), status & 0xff);
}

void ip_at_exit(int status, void *unused)
{
	if (!ip_ready)
		return;
	/* exit() flushes stdio after the exit handlers; flushing first puts
	 * the last lines before the proc_exit.  Without locks, as exit()
	 * does: a thread may hold a stream's lock forever (in fgets). */
	fflush_unlocked(stdout);
	fflush_unlocked(stderr);
	exiting(status);
}

void _exit(int status)
{
	MP__SITE();
	exiting(status);
	REAL(_exit)(status);
	__builtin_unreachable();
}

void _Exit(int status)
{
	exiting(status);
	REAL(_Exit)(status);
	__builtin_unreachable();
}
