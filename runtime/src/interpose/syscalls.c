/*
 * syscalls.c - fork(), wait(), waitpid() and _exit(), seen by the runtime.
 *
 * Lessons about a system call make it in plain sight: lesson 1 calls fork()
 * and waitpid() itself.  This file defines functions of those names; the
 * linker resolves the program's calls (and the runtime's own) to them, and
 * each does the real work through the C library, then records an event:
 *
 *   fork()     proc_fork in the parent, proc_start in the child
 *   waitpid()  proc_reap when a child was collected (wait() is waitpid(-1))
 *   _exit()    proc_exit; exit() is recorded by an on_exit() handler instead
 *
 * Their behaviour is the C library's, errno and EINTR included: a lesson
 * that calls them learns the real thing.  LTTng's liblttng-ust-fork.so does
 * the same to fork() with LD_PRELOAD; here it is linked in, so it is always
 * on and needs no environment.
 *
 * They know nothing of the runtime above them: what must happen in a new
 * child (the current process's pid, process/self.c) is a function
 * registered with mp__on_fork_child().
 */
#define _GNU_SOURCE
#include "interpose/interpose.h"
#include "base/exitcode.h"
#include "base/trace.h"
#include "mp.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread const char *next_child_name;
static void (*fork_child_hook)(void);

void mp__on_fork_child(void (*fn)(void))
{
	fork_child_hook = fn;
}

void mp__set_next_child_name(const char *name)
{
	next_child_name = name;
}

/* The C library's fork(), found once.  -1 and ENOSYS if there is none. */
static pid_t libc_fork(void)
{
	static pid_t (*real)(void);

	if (real == NULL)
		real = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real();
}

pid_t mp__fork_quiet(void)
{
	return libc_fork();
}

void mp__preload_quiet(int delta)
{
	static void (*quiet)(int);
	static bool looked;

	if (!looked) {
		quiet = (void (*)(int))dlsym(RTLD_DEFAULT, "mp_preload_quiet");
		looked = true;
	}
	if (quiet != NULL)
		quiet(delta);
}

pid_t fork(void)
{
	const char *name = next_child_name ? next_child_name : "child";
	sigset_t saved;
	pid_t pid;
	int err;

	next_child_name = NULL;
	mp__trace_before_fork(&saved);
	pid = libc_fork();
	if (pid == 0) {
		mp__trace_after_fork_child(&saved);
		if (fork_child_hook != NULL)
			fork_child_hook();
		mp__tp(proc_start, getpid(), getppid(), name);
		return 0;
	}
	err = errno;
	mp__trace_after_fork_parent(&saved);
	if (pid > 0)
		mp__tp(proc_fork, getpid(), pid, name);
	errno = err;
	return pid;
}

pid_t waitpid(pid_t pid, int *wstatus, int options)
{
	int status = 0;
	pid_t r = wait4(pid, &status, options, NULL);

	if (r > 0) {
		if (wstatus != NULL)
			*wstatus = status;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			mp__tp(proc_reap, getpid(), r, mp__exitcode_from_status(status), status);
	}
	return r;
}

pid_t wait(int *wstatus)
{
	return waitpid(-1, wstatus, 0);
}

void _exit(int status)
{
	mp__tp(proc_exit, getpid(), status & 0xff);
	syscall(SYS_exit_group, status);
	__builtin_unreachable();
}
