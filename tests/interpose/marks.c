/*
 * marks.c - a program linked with the runtime, whose own tracepoints
 * (mp_mark) fill LTTng's buffers, so that LTTng wakes its consumer with a
 * write() from inside the runtime's code: the preload must stay quiet.
 *
 * usage: marks N
 *
 * Then one byte through a pipe of its own, which the preload must record.
 */
#include "mp.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fds[2], n = argc == 2 ? atoi(argv[1]) : 0;
	char byte;

	if (n <= 0) {
		fprintf(stderr, "usage: marks N\n");
		return 2;
	}
	if (pipe(fds) == -1)
		return perror("pipe"), 1;
	for (int i = 0; i < n; i++)
		mp_mark("mark %d", i);
	if (write(fds[1], "x", 1) != 1 || read(fds[0], &byte, 1) != 1)
		return perror("pipe"), 1;
	printf("marked %d\n", n);
	return 0;
}
