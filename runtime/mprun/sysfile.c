/*
 * sysfile.c - the small text files of /proc and /sys/fs/cgroup, read and
 * written with system calls alone: no stdio, no malloc, so that the
 * signal handler that cleans up after a fatal signal may use them too.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void path_join(char *out, size_t size, const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);

	if (d + 1 + n + 1 > size) {	/* never with PATH_MAX buffers */
		out[0] = '\0';
		return;
	}
	memcpy(out, dir, d);
	out[d] = '/';
	memcpy(out + d + 1, name, n + 1);
}

ssize_t sysfile_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd == -1)
		return -1;
	do
		n = read(fd, buf, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

int sysfile_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(text);
	ssize_t n;

	if (fd == -1)
		return -1;
	do
		n = write(fd, text, len);
	while (n == -1 && errno == EINTR);
	int err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

int sysfile_each_pid(const char *path, void (*fn)(pid_t, void *), void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[4096];
	long pid = -1;		/* the number being read, -1 between numbers */
	ssize_t n;

	if (fd == -1)
		return -1;
	/* Read in pieces: a number may be cut between two of them. */
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n == -1 && errno == EINTR)) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = (pid < 0 ? 0 : pid * 10) + (buf[i] - '0');
			} else if (pid >= 0) {
				fn((pid_t)pid, arg);
				pid = -1;
			}
		}
	}
	if (pid >= 0)
		fn((pid_t)pid, arg);
	close(fd);
	return n == 0 ? 0 : -1;
}
