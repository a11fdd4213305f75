/*
 * spawns.c - children the C library starts without fork(): system(),
 * popen() and posix_spawnp().
 *
 * usage: spawns
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char line[128];
	int status;

	status = system("echo from system");
	printf("system: status %d\n", status);

	FILE *p = popen("echo from popen", "r");
	if (p == NULL)
		return perror("popen"), 1;
	if (fgets(line, sizeof(line), p) != NULL)
		printf("popen read: %s", line);
	printf("pclose: status %d\n", pclose(p));

	pid_t pid;
	char *argv[] = { "true", NULL };
	int err = posix_spawnp(&pid, "true", NULL, NULL, argv, environ);
	if (err != 0)
		return fprintf(stderr, "posix_spawnp: %s\n", strerror(err)), 1;
	waitpid(pid, &status, 0);
	printf("posix_spawnp: child %d, status %d\n", pid, status);
	return 0;
}
