/*
 * lines.c - what printf, fprintf(stderr) and write() print, and when stdio
 * really writes it.
 *
 * usage: lines
 *
 * With stdout a pipe or a file, stdio buffers: "before fork" is still in
 * the buffer when the process forks, so parent and child both print it
 * (TLPI's and lesson 1's lesson).  Each line must be recorded by the
 * process that wrote it, when it wrote it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	printf("parent %d starts\n", getpid());
	printf("before fork, ");
	pid_t child = fork();

	if (child == -1)
		return perror("fork"), 1;
	if (child == 0) {
		printf("child %d here\n", getpid());
		return 0;		/* exit(): stdio flushes both lines now */
	}
	waitpid(child, NULL, 0);
	printf("parent %d after its child\n", getpid());
	fflush(stdout);
	fprintf(stderr, "parent %d on stderr\n", getpid());
	/* One line in two writes, past stdio. */
	(void)!write(STDOUT_FILENO, "raw ", 4);
	(void)!write(STDOUT_FILENO, "write\n", 6);
	return 0;
}
