/*
 * preload.c - --preload LIB: the program, and every program it execs, runs
 * with LIB preloaded and a table of byte counts of its own.
 *
 * Only the program's environment changes; mprun itself is not preloaded.
 * LIB goes first in LD_PRELOAD, before any the caller set, as an absolute
 * path (a child that changes directory would not find a relative one).
 * MP_PRELOAD_SHM names the shared-memory object in which the preload counts
 * each pipe's bytes across processes (runtime/src/interpose/streams.c):
 * /mp-PID-N, created here with O_EXCL, so a name left over from an earlier
 * run with the same pid is never shared, and removed by mprun on every way
 * out, a fatal signal to mprun included.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { NAMES_TRIED = 100 };

/* "/dev/shm/mp-PID-N" once made: what preload_remove() unlinks.  unlink()
 * is async-signal-safe, shm_unlink() is not listed as such. */
static char shm_path[64];

/* The program's environment (kept here: it lives as long as mprun). */
static char **env;

/* "NAME=VALUE" in a new string; NULL if out of memory. */
static char *env_entry(const char *name, const char *value, const char *more)
{
	char *entry;

	if (asprintf(&entry, "%s=%s%s%s", name, value, more[0] ? ":" : "", more) == -1)
		return NULL;
	return entry;
}

/* Makes /mp-PID-N for the first N free; its name into name. */
static int make_shm(char *name, size_t size)
{
	for (int n = 0; n < NAMES_TRIED; n++) {
		snprintf(name, size, "/mp-%d-%d", (int)getpid(), n);
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			snprintf(shm_path, sizeof(shm_path), "/dev/shm%s", name);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

char **preload_env(const char *lib)
{
	char path[PATH_MAX], name[32];
	size_t n = 0, kept = 0;

	if (realpath(lib, path) == NULL || access(path, R_OK) == -1) {
		fprintf(stderr, "mprun: --preload %s: %s\n", lib, strerror(errno));
		return NULL;
	}
	if (strpbrk(path, ": ") != NULL) {
		fprintf(stderr, "mprun: --preload %s: LD_PRELOAD cannot name a path with ':' or ' '\n",
			path);
		return NULL;
	}
	if (make_shm(name, sizeof(name)) == -1) {
		fprintf(stderr, "mprun: --preload: no shared memory for the byte counts: %s\n",
			strerror(errno));
		return NULL;
	}
	while (environ[n] != NULL)
		n++;
	const char *old = getenv("LD_PRELOAD");
	env = calloc(n + 3, sizeof(*env));
	if (env == NULL)
		goto failed;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0 &&
		    strncmp(environ[i], "MP_PRELOAD_SHM=", 15) != 0)
			env[kept++] = environ[i];
	env[kept++] = env_entry("LD_PRELOAD", path, old != NULL ? old : "");
	env[kept++] = env_entry("MP_PRELOAD_SHM", name, "");
	if (env[kept - 1] == NULL || env[kept - 2] == NULL)
		goto failed;
	return env;
failed:
	fprintf(stderr, "mprun: --preload: out of memory\n");
	if (env != NULL) {
		free(env[kept - 1]);
		free(env[kept - 2]);
		free(env);
		env = NULL;
	}
	preload_remove();
	return NULL;
}

void preload_remove(void)
{
	if (shm_path[0] != '\0')
		unlink(shm_path);
	shm_path[0] = '\0';
}
