/*
 * gate.c - mprun registers with LTTng's session daemon while the lesson
 * does, and the lesson's first event still comes after mprun's proc_fork.
 *
 * Every program that loads LTTng-UST waits, before its main, until the
 * session daemon has given it the recording sessions' channels, buffers
 * and events (docs/recording-cost.md has the figures).  mprun and the
 * lesson it execs would each wait in turn; instead mprun starts the lesson
 * first and loads the provider after (mp__trace_later, main.c), so the two
 * wait at the same time.  mprun's proc_fork must still be recorded before
 * anything the lesson records, and either may be registered first.
 *
 * So mprun holds an exclusive lock (flock) on a file of its own, an
 * anonymous one (memfd), from before the fork until it has recorded
 * proc_fork, and names it in the lesson's environment as
 * MP_RUNNER_GATE=/proc/PID/fd/N.  The lesson, once registered, takes the
 * lock shared before its first event (base/trace.c): it waits only while
 * mprun is still registering.  Nothing is left behind: the file goes with
 * its last descriptor, and the kernel drops the lock of a runner that dies.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

int gate_hold(void)
{
	char path[64];
	int fd = memfd_create("mprun-gate", MFD_CLOEXEC);

	if (fd == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), fd);
	if (flock(fd, LOCK_EX) == -1 || setenv(MP_RUNNER_GATE, path, 1) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

void gate_leave_env(void)
{
	unsetenv(MP_RUNNER_GATE);
}

void gate_open(int fd)
{
	if (fd >= 0)
		close(fd);
}
