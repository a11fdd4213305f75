/*
 * exec.c - execve() and its family: the moment a process changes program.
 *
 *   proc_exec       about to exec: the path and the argument vector
 *   proc_exec_fail  the exec failed (errno); the process runs on
 *   untraced        the new program will run untraced: "static" (no
 *                   dynamic linker), "setuid" (secure mode ignores the
 *                   preload), "environment" (its environment lacks
 *                   LD_PRELOAD)
 *
 * A successful exec is seen from the other side: the new program's
 * constructor records its proc_start, with the same pid.
 *
 * A path where nothing is (ENOENT, ENOTDIR) is how a PATH search misses:
 * Python's subprocess tries execve in every PATH directory in turn.  Such
 * an exec is not recorded; its failure is kept, and recorded only if the
 * process gives up and exits (ip_exec_flush) - the search's last miss.
 *
 * The C library's execl, execv, execvp ... call its internal execve, not
 * ours, so each is wrapped.  The l-variants are rebuilt as v-variants.
 * Everything here may run in a vfork child: no malloc, no stdio, no locks;
 * the argument vector is joined on the stack.
 */
#include "layer.h"
#include "elfcheck.h"

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

void ip_join_argv(char *buf, size_t size, char *const argv[])
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; argv != NULL && argv[i] != NULL && len + 1 < size; i++) {
		if (i > 0)
			buf[len++] = ' ';
		for (const char *s = argv[i]; *s != '\0' && len + 1 < size; s++)
			buf[len++] = *s;
	}
	buf[len] = '\0';
}

static bool env_has_preload(char *const envp[])
{
	for (int i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], "LD_PRELOAD=", 11) == 0 && strstr(envp[i], "mp-preload") != NULL)
			return true;
	return false;
}

void ip_exec_check(const char *file, bool search, char *const envp[])
{
	char path[PATH_MAX], program[PATH_MAX];
	enum mp_exec_kind kind;

	if (!mp__tp_on(untraced))
		return;
	mp__quiet_depth++;		/* our own stat, open and close */
	if (search ? mp_exec_search(file, path, sizeof(path)) == 0
		   : snprintf(path, sizeof(path), "%s", file) < (int)sizeof(path)) {
		kind = mp_exec_kind(path, program, sizeof(program));
		mp__quiet_depth--;
		if (kind == MP_EXEC_STATIC || kind == MP_EXEC_SETUID)
			mp__tp(untraced, mp__pid(), mp_exec_kind_name(kind), program);
		else if (kind == MP_EXEC_DYNAMIC && !env_has_preload(envp))
			mp__tp(untraced, mp__pid(), "environment", path);
		return;
	}
	mp__quiet_depth--;
}

/* The last miss of this thread's process, not yet recorded.  A vfork
 * child shares it with its parent: `pid` says whose it is. */
static __thread struct {
	pid_t pid;
	int error;
	char path[256];
} miss MP__TLS;

void ip_exec_flush(void)
{
	if (miss.pid != 0 && miss.pid == getpid())
		mp__tp(proc_exec_fail, miss.pid, miss.path, miss.error);
	miss.pid = 0;
}

/* 0: not recorded; 1: recorded; 2: not recorded, nothing at that path. */
static int before_exec(const char *path, char *const argv[], char *const envp[],
		       bool search, const void *caller)
{
	char joined[512], found[PATH_MAX];
	int err = errno;

	if (!ip_may(caller))
		return 0;
	mp__quiet_depth++;
	bool missing = search ? mp_exec_search(path, found, sizeof(found)) == -1
			      : access(path, F_OK) == -1;
	mp__quiet_depth--;
	errno = err;
	if (missing)
		return 2;
	miss.pid = 0;		/* a search that found its program */
	ip_output_flush();
	ip_join_argv(joined, sizeof(joined), argv);
	mp__tp(proc_exec, mp__pid(), path, joined);
	ip_exec_check(path, search, envp);
	errno = err;
	return 1;
}

static void exec_failed(int rec, const char *path)
{
	int err = errno;

	if (rec == 2 && (err == ENOENT || err == ENOTDIR)) {
		miss.pid = getpid();
		miss.error = err;
		snprintf(miss.path, sizeof(miss.path), "%s", path);
	} else if (rec != 0) {
		miss.pid = 0;
		mp__tp(proc_exec_fail, mp__pid(), path, err);
	}
	errno = err;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	MP__SITE();
	int rec = before_exec(path, argv, envp, false, IP_CALLER);

	REAL(execve)(path, argv, envp);
	exec_failed(rec, path);
	return -1;
}

int execv(const char *path, char *const argv[])
{
	MP__SITE();
	int rec = before_exec(path, argv, environ, false, IP_CALLER);

	REAL(execv)(path, argv);
	exec_failed(rec, path);
	return -1;
}

int execvp(const char *file, char *const argv[])
{
	MP__SITE();
	int rec = before_exec(file, argv, environ, true, IP_CALLER);

	REAL(execvp)(file, argv);
	exec_failed(rec, file);
	return -1;
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	MP__SITE();
	int rec = before_exec(file, argv, envp, true, IP_CALLER);

	REAL(execvpe)(file, argv, envp);
	exec_failed(rec, file);
	return -1;
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	MP__SITE();
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int rec = before_exec(path, argv, envp, false, IP_CALLER);

	REAL(fexecve)(fd, argv, envp);
	exec_failed(rec, path);
	return -1;
}

int execveat(int dirfd, const char *name, char *const argv[], char *const envp[], int flags)
{
	MP__SITE();
	char path[PATH_MAX];

	if (name[0] == '/' || dirfd == AT_FDCWD)
		snprintf(path, sizeof(path), "%s", name);
	else if (name[0] == '\0')
		snprintf(path, sizeof(path), "/proc/self/fd/%d", dirfd);
	else
		snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dirfd, name);
	int rec = before_exec(path, argv, envp, false, IP_CALLER);

	REAL(execveat)(dirfd, name, argv, envp, flags);
	exec_failed(rec, path);
	return -1;
}

/* ---- the l-variants: the arguments become a vector on the stack -------- */

#define COLLECT_ARGS(arg0, argv, last) do {				\
		va_list ap_;						\
		int n_ = 1;						\
		va_start(ap_, arg0);					\
		while (va_arg(ap_, char *) != NULL)			\
			n_++;						\
		va_end(ap_);						\
		argv = __builtin_alloca((n_ + 1) * sizeof(char *));	\
		argv[0] = (char *)(arg0);				\
		va_start(ap_, arg0);					\
		for (int i_ = 1; i_ <= n_; i_++)			\
			argv[i_] = va_arg(ap_, char *);			\
		last;							\
		va_end(ap_);						\
	} while (0)

int execl(const char *path, const char *arg0, ...)
{
	MP__SITE();
	char **argv;

	COLLECT_ARGS(arg0, argv, (void)0);
	int rec = before_exec(path, argv, environ, false, IP_CALLER);

	REAL(execv)(path, argv);
	exec_failed(rec, path);
	return -1;
}

int execlp(const char *file, const char *arg0, ...)
{
	MP__SITE();
	char **argv;

	COLLECT_ARGS(arg0, argv, (void)0);
	int rec = before_exec(file, argv, environ, true, IP_CALLER);

	REAL(execvp)(file, argv);
	exec_failed(rec, file);
	return -1;
}

int execle(const char *path, const char *arg0, ...)
{
	MP__SITE();
	char **argv, **envp;

	COLLECT_ARGS(arg0, argv, envp = va_arg(ap_, char **));
	int rec = before_exec(path, argv, envp, false, IP_CALLER);

	REAL(execve)(path, argv, envp);
	exec_failed(rec, path);
	return -1;
}
