/*
 * Exercise 16a, a solution: communicate() reads the pipe while it waits.
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
	struct mp_completed r;
	mp_subprocess *p;

	if ((p = mp_subprocess_popen(argv, &o)) == NULL)
		lesson_fail("Popen head");
	mp_printf("waiting for head to end...\n");
	if (mp_subprocess_communicate(p, NULL, 0, &r) == -1)
		lesson_fail("communicate");
	mp_printf("head wrote %zu bytes, returncode %d\n", r.out_len, r.returncode);
	mp_completed_free(&r);
	mp_subprocess_close(p);
	return EXIT_SUCCESS;
}
