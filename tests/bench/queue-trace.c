/*
 * queue-trace N: N integers put through a Queue to one reader process.
 *
 * The workload of `make bench-read` (scripts/bench-read): recorded, it
 * makes a trace of about 2N events (a msg_send and a msg_recv each), the
 * size the trace tools are timed on against babeltrace2's own read.
 *
 * Exit status: 0; 1 if a put, a get or the reader failed; 2 bad usage.
 */
#include "mp.h"

#include <stdio.h>
#include <stdlib.h>

static mp_queue *queue;

static int reader(void *arg)
{
	long n = *(const long *)arg;
	int64_t value;

	for (long i = 0; i < n; i++) {
		if (mp_queue_get_int(queue, &value) == -1) {
			perror("queue-trace: get");
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : -1;

	if (argc != 2 || end == argv[1] || *end != '\0' || n < 0) {
		fprintf(stderr, "usage: queue-trace N\n");
		return 2;
	}
	queue = mp_queue_new(0);
	if (queue == NULL) {
		perror("queue-trace: queue");
		return 1;
	}
	mp_process p;
	if (mp_process_init(&p, reader, &n, "reader") == -1 ||
	    mp_process_start(&p) == -1) {
		perror("queue-trace: reader");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (mp_queue_put_int(queue, i) == -1) {
			perror("queue-trace: put");
			return 1;
		}
	}
	if (mp_process_join(&p) == -1 || mp_process_exitcode(&p) != 0) {
		fprintf(stderr, "queue-trace: the reader failed\n");
		return 1;
	}
	mp_printf("%ld integers through the queue\n", n);
	return 0;
}
