/*
 * trace_queue.c - mp-trace-queue: the traces of scripts/bench-trace.
 *
 * usage: mp-trace-queue N
 *
 * The main process puts the integers 1..N on a Queue; one reader process
 * gets them, checks each, and ends after the last.  About 2N events: a
 * msg_send and a msg_recv per message.  Prints one line at the end.
 * Exit status 0; 1 if a call failed or a number came wrong; 2 bad usage.
 */
#define _GNU_SOURCE
#include "mp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mp_queue *q;
static long n;

static int reader(void *arg)
{
	int64_t v;

	for (long i = 1; i <= n; i++) {
		if (mp_queue_get_int(q, &v) != 0 || v != i)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	mp_process p;

	if (argc == 2)
		n = strtol(argv[1], &end, 10);
	if (argc != 2 || *end != '\0' || n < 1) {
		fprintf(stderr, "usage: mp-trace-queue N\n");
		return 2;
	}
	if ((q = mp_queue_new(0)) == NULL || mp_process_init(&p, reader, NULL, "reader") != 0 ||
	    mp_process_start(&p) != 0) {
		perror("mp-trace-queue");
		return 1;
	}
	for (long i = 1; i <= n; i++) {
		if (mp_queue_put_int(q, i) != 0) {
			perror("mp-trace-queue: put");
			mp_process_kill(&p);
			mp_process_join(&p);
			return 1;
		}
	}
	if (mp_process_join(&p) != 0 || mp_process_exitcode(&p) != 0) {
		fprintf(stderr, "mp-trace-queue: the reader failed\n");
		return 1;
	}
	mp_queue_close(q);
	printf("%ld integers through a Queue\n", n);
	return 0;
}
