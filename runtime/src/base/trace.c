/*
 * base/trace.c - the thin layer between the runtime and LTTng-UST.
 *
 * The probes live in their own library, libmp-tp.so (trace/), which this
 * file dlopen()s when a program starts.  Programs link only libdl, so they
 * run the same on a machine without LTTng: the tracepoints stay silent
 * no-ops.  LTTNG_UST_DEBUG=1 makes LTTng say why a trace stays empty.
 * The preload library (interpose/preload.cmake) is built with this file
 * too: it loads the provider the same way.
 *
 * Environment:
 *   MP_TRACE=0             do not load the provider at all.
 *   MP_TP_LIBRARY=PATH     load the provider from PATH (default: the one built).
 *   MP_TRACE_FORK_HOOKS=1  a child of fork() registers with the session
 *                          daemon as a process of its own.
 *   MP_RUNNER_GATE=PATH    set by mprun for the program it starts: its
 *                          first event waits for mprun's proc_fork (below).
 *
 * Around every recorded fork() LTTng's locks are taken first
 * (lttng_ust_before_fork) and released after, in the parent and in the
 * child (lttng_ust_after_fork_parent).  Without that, a fork made while
 * one of LTTng's threads held its lock (it does, while the session daemon
 * talks to it: at start-up, and whenever any recording on the machine
 * starts or stops) gives a child whose lock is held by a thread it does
 * not have: the child hangs for ever in LTTng's destructor when it calls
 * exit().  Seen once in 300 runs of a plain fork-and-exit program while
 * other recordings ran.
 *
 * The child does not register again (LTTng's own child hook,
 * lttng_ust_after_fork_child, would) unless MP_TRACE_FORK_HOOKS=1: it
 * would wait for the session daemon, which delays its first event by
 * milliseconds on every timeline (docs/measurements.md has the figures).
 * What registering fixes is only LTTng's vpid and procname contexts,
 * which stay the parent's in a child; our events carry the pid in their
 * payload, and the scripts read that instead.
 */
#define _GNU_SOURCE
#include "base/trace.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

__thread int mp__quiet_depth MP__TLS;
__thread uintptr_t mp__site MP__TLS;
pid_t mp__pid_cached;
__thread bool mp__pid_unsure MP__TLS;
bool mp__pid_ask;

static void (*hook_before)(sigset_t *);
static void (*hook_parent)(sigset_t *);
static void (*hook_child)(sigset_t *);

static bool env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, value) == 0;
}

/*
 * The program mprun starts registers with LTTng's session daemon while
 * mprun does (mprun/gate.c), and may be ready first; its first event must
 * still come after mprun's proc_fork for it.  mprun holds an exclusive
 * lock on a file of its own until then, and names the file in
 * MP_RUNNER_GATE.  Taking the lock shared waits for that; a file that is
 * gone (mprun has let go and closed it) or a lock that is free (or freed:
 * the kernel drops a dead process's locks) lets the program go on at
 * once.  Only the first program to load the provider waits: the variable
 * is removed, so nothing it starts waits again.
 */
static void wait_for_runner(void)
{
	const char *gate = getenv(MP_RUNNER_GATE);
	int fd;

	if (gate == NULL)
		return;
	fd = open(gate, O_RDONLY | O_CLOEXEC);
	unsetenv(MP_RUNNER_GATE);
	if (fd == -1)
		return;
	while (flock(fd, LOCK_SH) == -1 && errno == EINTR)
		;
	close(fd);
}

bool mp__trace_load(void)
{
#if MP_TRACING
	const char *path = getenv("MP_TP_LIBRARY");
	void *provider;

	if (env_is("MP_TRACE", "0"))
		return false;
	if (path == NULL)
		path = MP_TP_LIBRARY_PATH;
	provider = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (provider == NULL)
		provider = dlopen("libmp-tp.so", RTLD_NOW | RTLD_GLOBAL);
	if (provider == NULL) {
		if (getenv("LTTNG_UST_DEBUG") != NULL)
			fprintf(stderr, "mp: tracing off: %s\n", dlerror());
		return false;
	}
	/* Never dlclose() a provider: its probes may still be running. */
	wait_for_runner();
	hook_before = (void (*)(sigset_t *))dlsym(RTLD_DEFAULT, "lttng_ust_before_fork");
	hook_parent = (void (*)(sigset_t *))dlsym(RTLD_DEFAULT, "lttng_ust_after_fork_parent");
	hook_child = (void (*)(sigset_t *))dlsym(RTLD_DEFAULT, "lttng_ust_after_fork_child");
	if (!hook_before || !hook_parent || !hook_child)
		hook_before = NULL;
	else if (!env_is("MP_TRACE_FORK_HOOKS", "1"))
		hook_child = hook_parent;	/* the locks released, no registering */
	return true;
#else
	(void)env_is;
	return false;
#endif
}

void mp__trace_before_fork(sigset_t *saved)
{
	if (hook_before)
		hook_before(saved);
}

void mp__trace_after_fork_parent(sigset_t *saved)
{
	if (hook_before)
		hook_parent(saved);
}

void mp__trace_after_fork_child(sigset_t *saved)
{
	if (hook_before)
		hook_child(saved);
}

pid_t mp__pid_slow(void)
{
	pid_t pid = getpid();

	/* The vfork parent's thread runs again only once its child has
	 * exec'd or exited: from then on its memory is its own. */
	if (pid == mp__pid_cached)
		mp__pid_unsure = false;
	return pid;
}

uint64_t mp__new_id(void)
{
	static _Atomic uint32_t counter;

	return ((uint64_t)mp__pid() << 32) | (atomic_fetch_add(&counter, 1) + 1);
}

/* The first object dl_iterate_phdr() reports is the program itself. */
static int program_base(struct dl_phdr_info *info, size_t size, void *base)
{
	(void)size;
	*(uintptr_t *)base = info->dlpi_addr;
	return 1;
}

void mp__trace_image(void)
{
	char path[4096];
	uintptr_t base = 0;
	ssize_t n;

	if (!mp__tp_on(proc_image))
		return;
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	dl_iterate_phdr(program_base, &base);
	mp__tp(proc_image, mp__pid(), base, path);
}
