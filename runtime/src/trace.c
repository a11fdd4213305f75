/*
 * trace.c - the thin layer between the runtime and LTTng-UST.
 *
 * The probes live in their own library, libmp-tp.so (trace/), which this file
 * dlopen()s when a program starts.  Programs link only libdl, so they run the
 * same on a machine without LTTng: the tracepoints stay silent no-ops.
 * LTTNG_UST_DEBUG=1 makes LTTng say why a trace stays empty.
 *
 * Environment:
 *   MP_TRACE=0             do not load the provider at all.
 *   MP_TP_LIBRARY=PATH     load the provider from PATH (default: the one built).
 *   MP_TRACE_FORK_HOOKS=1  call LTTng's fork hooks around every fork().
 *
 * Why the fork hooks are off by default, measured on the project's machine
 * with a session recording (50 forks): without them, every child event was
 * recorded and a child's first event came 0.27 ms after fork; with them, also
 * every event, but 5.9 ms after fork (11.5 ms worst), because each child
 * registers again with the session daemon before it may go on.  That delay
 * would show on every timeline.  What the hooks fix is only LTTng's vpid and
 * procname contexts, which stay the parent's in a child; our events carry the
 * pid in their payload, and the scripts read that instead.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "internal.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mp__process_init(void);	/* process.c */

static void (*hook_before)(sigset_t *);
static void (*hook_parent)(sigset_t *);
static void (*hook_child)(sigset_t *);

static bool env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, value) == 0;
}

static void mp__trace_load(void)
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

/*
 * Runs before main().  It is defined after LTTng's own constructors (from
 * the header above, in this same file), so the tracepoints are registered
 * by the time it records the main process's start.
 */
__attribute__((constructor)) static void mp__init(void)
{
	mp__trace_load();
	mp__process_init();
}
