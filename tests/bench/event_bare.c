/*
 * event_bare.c - mp-event-bare: LTTng-UST's own cost per event, the floor
 * for the runtime's (event_runtime.c).  Each iteration records two events
 * of the provider mp_bare (bare-tp.h), shaped as the runtime's msg_send and
 * msg_recv: a pid, three 64-bit numbers and a short string, with the pid
 * read once as any program would.
 */
#define _GNU_SOURCE
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "bare-tp.h"
#include "event_loop.h"

#include <unistd.h>

static int loop(long n)
{
	static uint64_t next_msg;
	int pid = getpid();

	for (long i = 0; i < n; i++) {
		uint64_t msg = ((uint64_t)pid << 32) | ++next_msg;

		lttng_ust_tracepoint(mp_bare, msg, pid, 1, msg, 8, "put");
		lttng_ust_tracepoint(mp_bare, msg, pid, 1, msg, 8, "get");
	}
	return 0;
}

int main(int argc, char **argv)
{
	return event_loop_main("bare", loop, argc, argv);
}
