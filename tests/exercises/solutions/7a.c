/*
 * Exercise 7a, a solution: the child waits until getppid() changes, then
 * names its new parent.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	pid_t parent = getpid(), pid;

	mp_printf("Parent %d starts.\n", (int)parent);
	pid = fork();
	if (pid == -1)
		lesson_fail("fork");
	if (pid == 0) {
		mp_printf("Child %d: my parent is %d.\n", (int)getpid(), (int)getppid());
		while (getppid() == parent)
			sleep_ms(1);
		mp_printf("Child %d: adopted by %d.\n", (int)getpid(), (int)getppid());
		sleep_ms(100);
		_exit(EXIT_SUCCESS);
	}
	sleep_ms(300);
	mp_printf("Parent %d: ending, leaving child %d behind.\n", (int)parent, (int)pid);
	return EXIT_SUCCESS;
}
