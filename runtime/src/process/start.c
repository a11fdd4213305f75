/*
 * start.c - the runtime's one constructor, and what runs at exit.
 *
 * This file defines the provider's tracepoints (LTTNG_UST_TRACEPOINT_DEFINE
 * below), and with them LTTng's own constructors, which register the
 * tracepoints.  mp__start() is defined after them in the same file, so it
 * runs after them: by the time it records the main process's start, the
 * tracepoints can be enabled.  CMake links mp__start into every program
 * (`-u mp__start`), even one that calls nothing of this folder.
 */
#define _GNU_SOURCE
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "process/process.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <stdlib.h>
#include <unistd.h>

/* Python's _exit_function(), at the end of main. */
static void at_exit(void)
{
	mp_log(MP_INFO, "process shutting down");
	mp__children_finish();
}

void mp__start(void) __attribute__((constructor));

void mp__start(void)
{
	/* First: the provider, and the exit handler that records proc_exit.
	 * Exit handlers run last-registered first: children are finished
	 * before the process records its own exit.  A program that loads
	 * the provider later itself (mprun) starts the layer without. */
	mp__layer_start(&mp__trace_later == NULL || !mp__trace_later);
	atexit(at_exit);
	mp__self_init();
}
