/*
 * seam.c - a program that records its own traffic, as the runtime does,
 * and keeps the preload quiet about it through seam.h's two calls.
 *
 * usage: seam
 *
 * Two pipes: "own" is marked with mp_preload_own_fd, "plain" is not.  One
 * write to each; then one more to "plain" inside a quiet section.  Under
 * the preload only the first write to "plain" may be recorded.  Prints the
 * two pipes' fds.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	void (*quiet)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "mp_preload_quiet");
	void (*own_fd)(int, int) = (void (*)(int, int))dlsym(RTLD_DEFAULT, "mp_preload_own_fd");
	int own[2], plain[2];
	char buf[8];

	if (quiet == NULL || own_fd == NULL) {
		fprintf(stderr, "seam: not running under libmp-preload.so\n");
		return 2;
	}
	if (pipe(own) == -1 || pipe(plain) == -1)
		return perror("pipe"), 1;
	own_fd(own[0], 1);
	own_fd(own[1], 1);
	if (write(own[1], "own", 3) != 3 || write(plain[1], "plain", 5) != 5)
		return perror("write"), 1;
	quiet(+1);
	if (write(plain[1], "quiet", 5) != 5)
		return perror("write"), 1;
	quiet(-1);
	if (read(own[0], buf, 3) != 3)
		return perror("read"), 1;
	printf("own %d %d plain %d %d\n", own[0], own[1], plain[0], plain[1]);
	return 0;
}
