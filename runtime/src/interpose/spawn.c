/*
 * spawn.c - children the C library starts without calling fork():
 * posix_spawn(), posix_spawnp(), system() and popen().
 *
 * Inside the C library all four start the child with clone(CLONE_VM |
 * CLONE_VFORK) and exec it with the internal execve: no wrapper of fork or
 * exec sees it.  So the entry points are wrapped:
 *
 *   sub_spawn   posix_spawn/posix_spawnp: the child's pid and its command
 *               (error: the errno it returned, the child 0 then)
 *   lib_call    system, popen, pclose: the call begins (the command) ...
 *   lib_return  ... and ends (system and pclose: the child's wait status)
 *
 * system() and popen() never tell their caller the child's pid, and
 * collect it themselves.  The child is still seen from its side: the shell
 * they exec loads this library, and its proc_start names its parent; the
 * parent's lib_call/lib_return bracket its life.
 */
#include "layer.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
		     const posix_spawnattr_t *, char *const[], char *const[]);

/* posix_spawn and posix_spawnp: `search` says whether `file` is looked up
 * in PATH. */
static int spawn(spawn_fn *real, bool search, const void *caller, pid_t *pid,
		 const char *file, const posix_spawn_file_actions_t *actions,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	bool rec = ip_may(caller);
	pid_t child = 0;
	char joined[512];
	int err = real(&child, file, actions, attr, argv, envp);

	if (pid != NULL && err == 0)
		*pid = child;
	if (rec) {
		ip_join_argv(joined, sizeof(joined), argv);
		mp__tp(sub_spawn, mp__pid(), err == 0 ? child : 0, joined, err);
		if (err == 0)
			ip_exec_check(file, search, envp);
	}
	return err;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	MP__SITE();
	return spawn(REAL(posix_spawn), false, IP_CALLER, pid, path, actions, attr, argv, envp);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	MP__SITE();
	return spawn(REAL(posix_spawnp), true, IP_CALLER, pid, file, actions, attr, argv, envp);
}

/* The two halves of a lib_call/lib_return pair; errno kept. */
static bool entering(const void *caller, const char *call, const char *text)
{
	bool rec = ip_may(caller);

	if (rec)
		mp__tp(lib_call, mp__pid(), call, text ? text : "");
	return rec;
}

static void leaving(bool rec, const char *call, int result)
{
	int err = errno;

	if (rec)
		mp__tp(lib_return, mp__pid(), call, result);
	errno = err;
}

int system(const char *command)
{
	MP__SITE();
	bool rec = entering(IP_CALLER, "system", command);
	int r = REAL(system)(command);

	leaving(rec, "system", r);
	return r;
}

FILE *popen(const char *command, const char *mode)
{
	MP__SITE();
	bool rec = entering(IP_CALLER, "popen", command);
	FILE *f = REAL(popen)(command, mode);

	leaving(rec, "popen", f ? fileno(f) : -1);
	return f;
}

int pclose(FILE *stream)
{
	MP__SITE();
	char text[32];

	snprintf(text, sizeof(text), "fd %d", stream ? fileno(stream) : -1);
	bool rec = entering(IP_CALLER, "pclose", text);
	int r = REAL(pclose)(stream);

	leaving(rec, "pclose", r);
	return r;
}
