/*
 * process.c - a process's life: start, fork, vfork, clone, exit, and the
 * wait family that collects it.
 *
 *   proc_start  the program starts (its constructor), or a child starts
 *               after fork (an atfork handler: so daemon()'s fork counts)
 *               or vfork (when it first reaches a wrapper: exec or _exit)
 *   proc_fork   the parent's side of fork() and of clone() making a process
 *   proc_exit   _exit(), _Exit(), or exit() and a return from main (an
 *               on_exit handler).  A process a signal kills has none.
 *   proc_wait   a blocking wait begins
 *   proc_reap   a child was collected: the zombie's time ends here
 *
 * A program that defines fork and _exit itself (one linked with the
 * runtime) records these itself: see ip_program_records_life and seam.h.
 *
 * vfork() cannot be wrapped by a C function: the child runs on the parent's
 * stack until it execs, and would return through our frame and spoil it.
 * So vfork here is five instructions that note the parent's pid, then jump
 * to the C library's vfork, which returns straight to the program.  The
 * child shares the parent's memory, so it finds that note in
 * ip_vfork_parent, sees its own pid differ, and records its proc_start at
 * its first wrapped call.  The parent has no proc_fork for it.
 */
#include "preload.h"
#include "base/exitcode.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

__thread pid_t ip_vfork_parent IP_TLS;
pid_t ip_pid;
__thread bool ip_pid_unsure IP_TLS;
bool ip_pid_ask_always;

pid_t ip_self_slow(void)
{
	pid_t pid = getpid();

	/* The vfork parent's thread runs again only once its child has
	 * exec'd or exited: from then on its memory is its own. */
	if (pid == ip_pid)
		ip_pid_unsure = false;
	return pid;
}

static const char *my_name(void)
{
	return program_invocation_short_name;
}

/* ---- start, fork -------------------------------------------------------- */

/* Runs in every child of fork() (and of daemon() and other callers of the C
 * library's fork), before fork returns there. */
static void after_fork_child(void)
{
	ip_pid = getpid();
	ip_vfork_parent = 0;
	ip_output_after_fork();
	ip_signals_after_fork();
	if (ip_depth == 0 && !ip_program_defines(IP_fork))
		IP_TP(proc_start, ip_self(), getppid(), my_name());
}

static void at_exit(int status, void *unused)
{
	if (!ip_ready || ip_depth > 0)
		return;
	/* exit() flushes stdio after the exit handlers; flushing first puts
	 * the last lines before the proc_exit.  Without locks, as exit()
	 * does: a thread may hold a stream's lock forever (in fgets). */
	fflush_unlocked(stdout);
	fflush_unlocked(stderr);
	ip_output_flush();
	ip_exec_flush();
	if (!ip_program_records_life)
		IP_TP(proc_exit, ip_self(), status & 0xff);
}

void ip_process_start(void)
{
	pthread_atfork(NULL, NULL, after_fork_child);
	if (!ip_program_records_life)
		IP_TP(proc_start, ip_self(), getppid(), my_name());
}

/*
 * The exit handler is registered as main() starts, not in our constructor:
 * the C library registers the dynamic linker's destructor pass (LTTng's
 * destructors unregister our tracepoints) after every library's
 * constructor has run, and exit handlers run last-registered first.
 */
static int (*program_main)(int, char **, char **);

static int main_with_exit_handler(int argc, char **argv, char **envp)
{
	on_exit(at_exit, NULL);
	return program_main(argc, argv, envp);
}

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
		      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
		      void *stack_end)
{
	program_main = main;
	return REAL(__libc_start_main)(main_with_exit_handler, argc, argv, init, fini,
				       rtld_fini, stack_end);
}

pid_t fork(void)
{
	bool rec = ip_may(IP_CALLER);
	pid_t pid = REAL(fork)();

	if (pid > 0 && rec) {
		int err = errno;

		IP_TP(proc_fork, ip_self(), pid, my_name());
		errno = err;
	}
	return pid;
}

/* _Fork() runs no atfork handlers: its child is told here. */
pid_t _Fork(void)
{
	bool rec = ip_may(IP_CALLER);
	pid_t pid = REAL(_Fork)();

	if (pid == 0 && ip_ready) {
		after_fork_child();
	} else if (pid > 0 && rec) {
		int err = errno;

		IP_TP(proc_fork, ip_self(), pid, my_name());
		errno = err;
	}
	return pid;
}

int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	bool rec = ip_may(IP_CALLER) && !(flags & CLONE_THREAD);
	bool unsure = ip_pid_unsure;
	va_list ap;

	/* The C library's clone reads these three only when flags ask. */
	va_start(ap, arg);
	pid_t *parent_tid = va_arg(ap, pid_t *);
	void *tls = va_arg(ap, void *);
	pid_t *child_tid = va_arg(ap, pid_t *);
	va_end(ap);

	/* The child runs fn(arg) without our knowing: it must ask its pid. */
	if ((flags & CLONE_VM) && !(flags & CLONE_THREAD))
		ip_pid_ask_always = true;
	else if (!(flags & CLONE_THREAD))
		ip_pid_unsure = true;
	int pid = REAL(clone)(fn, stack, flags, arg, parent_tid, tls, child_tid);

	ip_pid_unsure = unsure;
	if (pid > 0 && rec) {
		int err = errno;

		IP_TP(proc_fork, ip_self(), pid, my_name());
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
	ip_vfork_parent = ip_ready && ip_depth == 0 ? getpid() : 0;
	ip_pid_unsure = true;
}

void ip_vfork_child_check(void)
{
	pid_t parent = ip_vfork_parent, me = getpid();

	ip_vfork_parent = 0;	/* in the child this clears the parent's too */
	if (me != parent && ip_ready && ip_depth == 0)
		IP_TP(proc_start, me, parent, my_name());
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

static void exiting(int status, const void *caller)
{
	if (!ip_may(caller))
		return;
	ip_output_flush();
	ip_exec_flush();
	if (!ip_program_records_life)
		IP_TP(proc_exit, ip_self(), status & 0xff);
}

void _exit(int status)
{
	exiting(status, IP_CALLER);
	REAL(_exit)(status);
	__builtin_unreachable();
}

void _Exit(int status)
{
	exiting(status, IP_CALLER);
	REAL(_Exit)(status);
	__builtin_unreachable();
}

/* ---- the wait family ---------------------------------------------------- */

static void waiting(bool rec, pid_t target, int options)
{
	if (rec && !(options & WNOHANG)) {
		int err = errno;

		IP_TP(proc_wait, ip_self(), target);
		errno = err;
	}
}

static void reaped(bool rec, pid_t child, int wstatus)
{
	if (rec && child > 0 && (WIFEXITED(wstatus) || WIFSIGNALED(wstatus))) {
		int err = errno;

		IP_TP(proc_reap, ip_self(), child, mp__exitcode_from_status(wstatus), wstatus);
		errno = err;
	}
}

pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *usage)
{
	bool rec = ip_may(IP_CALLER);
	int status = 0;

	waiting(rec, pid, options);
	pid_t r = REAL(wait4)(pid, &status, options, usage);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(rec, r, status);
	return r;
}

pid_t wait3(int *wstatus, int options, struct rusage *usage)
{
	bool rec = ip_may(IP_CALLER);
	int status = 0;

	waiting(rec, -1, options);
	pid_t r = REAL(wait3)(&status, options, usage);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(rec, r, status);
	return r;
}

pid_t waitpid(pid_t pid, int *wstatus, int options)
{
	bool rec = ip_may(IP_CALLER);
	int status = 0;

	waiting(rec, pid, options);
	pid_t r = REAL(waitpid)(pid, &status, options);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(rec, r, status);
	return r;
}

pid_t wait(int *wstatus)
{
	bool rec = ip_may(IP_CALLER);
	int status = 0;

	waiting(rec, -1, 0);
	pid_t r = REAL(wait)(&status);

	if (r > 0 && wstatus != NULL)
		*wstatus = status;
	reaped(rec, r, status);
	return r;
}

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	bool rec = ip_may(IP_CALLER);
	siginfo_t mine = { 0 };
	siginfo_t *si = info ? info : &mine;
	pid_t target = idtype == P_PID ? (pid_t)id : idtype == P_PGID ? -(pid_t)id : -1;

	waiting(rec, target, options);
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
			reaped(rec, si->si_pid, wstatus);
	}
	return r;
}
