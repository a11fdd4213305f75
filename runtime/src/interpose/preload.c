/*
 * preload.c - the interposition layer as libmp-preload.so: what only the
 * preloaded build does.  The rest of this folder is the same layer the
 * runtime links into every program it builds (README.md).
 *
 * usage: LD_PRELOAD=/path/to/libmp-preload.so PROGRAM [ARG...]
 *
 * start.c lists the environment it reads.
 *
 * A program linked with the runtime carries the layer already: it records
 * its own calls, and the copy in this library steps aside (every wrapper
 * goes straight to the C library, and nothing is recorded twice).  It
 * knows such a program by the seam (seam.h) the program exports: its own
 * mp_preload_quiet, found before ours.  The exec'd programs of such a
 * program are entered by this library as any other.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "layer.h"

#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>

/* Whether the main program defines `name` itself (it is loaded first). */
static bool program_defines(const char *name)
{
	void *sym = dlsym(RTLD_DEFAULT, name);
	struct link_map *map = NULL;
	Dl_info info;

	return sym != NULL && dladdr1(sym, &info, (void **)&map, RTLD_DL_LINKMAP) &&
	       map != NULL && map->l_prev == NULL;
}

/*
 * Defined after LTTng's constructors (from the header included above, in
 * this same file), so our tracepoints are registered when it records.
 */
__attribute__((constructor)) static void preload_init(void)
{
	if (program_defines("mp_preload_quiet")) {
		ip_next_all();
		ip_started = true;	/* and never ready: records nothing */
		return;
	}
	ip_start(false, true);
	if (ip_ready) {
		mp__trace_image();
		mp__tp(proc_start, mp__pid(), getppid(), ip_child_name());
	}
}

/*
 * The exit handler that records proc_exit for exit() and a return from
 * main is registered as main starts, not in the constructor: the C
 * library registers the dynamic linker's destructor pass (LTTng's
 * destructors unregister our tracepoints) after every library's
 * constructor has run, and exit handlers run last-registered first.
 */
static int (*program_main)(int, char **, char **);

static int main_with_exit_handler(int argc, char **argv, char **envp)
{
	on_exit(ip_at_exit, NULL);
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
