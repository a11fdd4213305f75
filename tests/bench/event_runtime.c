/*
 * event_runtime.c - mp-event-runtime: the runtime's cost per event, against
 * LTTng-UST's own (event_bare.c).  Each iteration puts an 8-byte message on
 * a Queue and gets it back, in one process: two events, msg_send and
 * msg_recv, the most frequent of a lesson's trace.  Untraced, the loop is
 * what a Queue costs; recorded, the difference is what its events cost.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "event_loop.h"

static mp_queue *q;

static int loop(long n)
{
	int64_t v;

	for (long i = 0; i < n; i++) {
		if (mp_queue_put_int(q, i) != 0 || mp_queue_get_int(q, &v) != 0 || v != i)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status;

	q = mp_queue_new(0);
	if (q == NULL) {
		perror("mp-event-runtime: mp_queue_new");
		return 1;
	}
	status = event_loop_main("runtime", loop, argc, argv);
	mp_queue_close(q);
	return status;
}
