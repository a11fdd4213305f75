/*
 * base/trace.c - the thin layer between the runtime and LTTng-UST.
 *
 * The probes live in their own library, libmp-tp.so (trace/), which this
 * file dlopen()s when a program starts.  Programs link only libdl, so they
 * run the same on a machine without LTTng: the tracepoints stay silent
 * no-ops.  LTTNG_UST_DEBUG=1 makes LTTng say why a trace stays empty.
 *
 * Environment:
 *   MP_TRACE=0             do not load the provider at all.
 *   MP_TP_LIBRARY=PATH     load the provider from PATH (default: the one built).
 *   MP_TRACE_FORK_HOOKS=1  call LTTng's fork hooks around every fork().
 *
 * The fork hooks are off by default because each child then registers again
 * with the session daemon before it may go on, which delays its first event
 * by milliseconds on every timeline (docs/measurements.md has the figures).
 * What they fix is only LTTng's vpid and procname contexts, which stay the
 * parent's in a child; our events carry the pid in their payload, and the
 * scripts read that instead.
 */
#define _GNU_SOURCE
#include "base/trace.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*hook_before)(sigset_t *);
static void (*hook_parent)(sigset_t *);
static void (*hook_child)(sigset_t *);

static bool env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, value) == 0;
}

void mp__trace_load(void)
{
#if MP_TRACING
	const char *path = getenv("MP_TP_LIBRARY");
	void *provider;

	if (env_is("MP_TRACE", "0"))
		return;
	if (path == NULL)
		path = MP_TP_LIBRARY_PATH;
	provider = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (provider == NULL)
		provider = dlopen("libmp-tp.so", RTLD_NOW | RTLD_GLOBAL);
	if (provider == NULL) {
		if (getenv("LTTNG_UST_DEBUG") != NULL)
			fprintf(stderr, "mp: tracing off: %s\n", dlerror());
		return;
	}
	/* Never dlclose() a provider: its probes may still be running. */
	if (env_is("MP_TRACE_FORK_HOOKS", "1")) {
		hook_before = (void (*)(sigset_t *))dlsym(RTLD_DEFAULT, "lttng_ust_before_fork");
		hook_parent = (void (*)(sigset_t *))dlsym(RTLD_DEFAULT, "lttng_ust_after_fork_parent");
		hook_child = (void (*)(sigset_t *))dlsym(RTLD_DEFAULT, "lttng_ust_after_fork_child");
		if (!hook_before || !hook_parent || !hook_child)
			hook_before = NULL;
	}
#else
	(void)env_is;
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

pid_t mp__pid_cache;

static void forget_pid(void)
{
	mp__pid_cache = 0;
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, forget_pid);
}

pid_t mp__pid_slow(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, watch_forks);
	return mp__pid_cache = getpid();
}

uint64_t mp__new_id(void)
{
	static _Atomic uint32_t counter;

	return ((uint64_t)mp__pid() << 32) | (atomic_fetch_add(&counter, 1) + 1);
}
