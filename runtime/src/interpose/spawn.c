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
#include "preload.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>

static void spawned(bool rec, int err, pid_t child, const char *file, bool search,
		    char *const argv[], char *const envp[])
{
	char joined[512];

	if (!rec)
		return;
	ip_join_argv(joined, sizeof(joined), argv);
	IP_TP(sub_spawn, ip_self(), err == 0 ? child : 0, joined, err);
	if (err == 0)
		ip_exec_check(file, search, envp);
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	bool rec = ip_may(IP_CALLER);
	pid_t child = 0;
	int err = REAL(posix_spawn)(&child, path, actions, attr, argv, envp);

	if (pid != NULL && err == 0)
		*pid = child;
	spawned(rec, err, child, path, false, argv, envp);
	return err;
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	bool rec = ip_may(IP_CALLER);
	pid_t child = 0;
	int err = REAL(posix_spawnp)(&child, file, actions, attr, argv, envp);

	if (pid != NULL && err == 0)
		*pid = child;
	spawned(rec, err, child, file, true, argv, envp);
	return err;
}

int system(const char *command)
{
	bool rec = ip_may(IP_CALLER);

	if (rec)
		IP_TP(lib_call, ip_self(), "system", command ? command : "");
	int r = REAL(system)(command);

	if (rec) {
		int err = errno;

		IP_TP(lib_return, ip_self(), "system", r);
		errno = err;
	}
	return r;
}

FILE *popen(const char *command, const char *mode)
{
	bool rec = ip_may(IP_CALLER);

	if (rec)
		IP_TP(lib_call, ip_self(), "popen", command ? command : "");
	FILE *f = REAL(popen)(command, mode);

	if (rec) {
		int err = errno;

		IP_TP(lib_return, ip_self(), "popen", f ? fileno(f) : -1);
		errno = err;
	}
	return f;
}

int pclose(FILE *stream)
{
	bool rec = ip_may(IP_CALLER);
	char text[32];

	if (rec) {
		snprintf(text, sizeof(text), "fd %d", stream ? fileno(stream) : -1);
		IP_TP(lib_call, ip_self(), "pclose", text);
	}
	int r = REAL(pclose)(stream);

	if (rec) {
		int err = errno;

		IP_TP(lib_return, ip_self(), "pclose", r);
		errno = err;
	}
	return r;
}
