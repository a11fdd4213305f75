/*
 * Exercise 16a - no deadlock: read while you wait.
 *
 * main starts `head -c 1048576 /dev/zero` with its stdout a pipe, and
 * waits for it to end before reading what it wrote.  But a pipe holds
 * 64 KiB: head fills it and waits for someone to read, while main waits
 * for head to end.  Neither ever goes on; here mprun ends them at the
 * time limit.
 *
 * Your task: main gets all of head's 1048576 bytes and head ends by
 * itself, with no process waiting on the other for long:
 * mp_subprocess_communicate() reads the pipe while it waits, then
 * collects the child.  Keep the last line as it is.
 *
 * Predict, then run `make exercise-16a`: what state are the two lanes in
 * during the deadlock, and for how long?
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char *const argv[] = { "head", "-c", "1048576", "/dev/zero", NULL };
	struct mp_run_options o = { .out = MP_PIPE };
	char buf[65536];
	size_t total = 0;
	ssize_t n;
	mp_subprocess *p;

	if ((p = mp_subprocess_popen(argv, &o)) == NULL)
		lesson_fail("Popen head");
	mp_printf("waiting for head to end...\n");
	if (mp_subprocess_wait(p) == -1)	/* head waits for us to read */
		lesson_fail("wait");
	while ((n = read(p->stdout_fd, buf, sizeof(buf))) > 0)
		total += (size_t)n;
	mp_printf("head wrote %zu bytes, returncode %d\n", total, p->returncode);
	mp_subprocess_close(p);
	return EXIT_SUCCESS;
}
