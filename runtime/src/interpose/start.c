/*
 * start.c - the interposition layer starts, linked in (mp__layer_start,
 * from the runtime's one constructor) or preloaded (preload.c): the C
 * library's definitions found, the `mp` provider loaded, LTTng's code
 * noted, the table of byte offsets attached, stdout and stderr watched.
 *
 * Environment (the names say "preload"; they hold linked in too):
 *   MP_TRACE=0             load nothing, record nothing: every wrapper goes
 *                          straight to the C library (base/trace.c).
 *   MP_TP_LIBRARY=PATH     the provider (base/trace.c).
 *   MP_PRELOAD_SHM=/NAME   the table of byte offsets shared by every process
 *                          of the run, exec'd ones included (streams.c).  The
 *                          launcher chooses the name and removes it after.
 *   MP_PRELOAD_STDIO=0     leave stdio's stdout and stderr alone (output.c).
 *   MP_PRELOAD_MAX_LINES=N lines of output recorded per process (10000).
 */
#include "layer.h"
#include "interpose.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

/* Loads the provider and makes the layer record.  false if tracing
 * stays off. */
static bool start_tracing(void)
{
	mp__quiet_depth++;
	if (!mp__trace_load()) {
		mp__quiet_depth--;
		return false;
	}
	ip_note_quiet_code();
	ip_streams_attach();
	ip_output_install();
	mp__quiet_depth--;
	ip_ready = true;
	return true;
}

void ip_start(bool linked, bool tracing)
{
	ip_next_all();
	ip_linked = linked;
	mp__pid_cached = getpid();
	pthread_atfork(NULL, NULL, ip_after_fork_child);
	if (tracing)
		start_tracing();
	ip_started = true;
}

void mp__layer_start(bool tracing)
{
	ip_start(true, tracing);
	/* From the program's own constructor: registered after the C
	 * library's destructor pass, so it runs before (preload.c). */
	on_exit(ip_at_exit, NULL);
}

bool mp__layer_start_tracing(void)
{
	return ip_ready || (ip_started && start_tracing());
}
