/*
 * forkbomb.c - a fork bomb, for mprun's tests: every process forks in a
 * loop, its children do the same, and a fork that fails is tried again at
 * once, so a place freed by killing one process is taken again at once.
 *
 * usage: forkbomb [--limit N]     (N from 0 to 5000, default 1000)
 *
 * The limit is a safety net for a shared machine, not what the tests test:
 * the processes share a count of forks made minus children collected, and
 * stop forking (sleeping 1 ms between looks) while it is at N.  A child
 * orphaned by its parent's death is collected by someone else and never
 * subtracted, so the count only errs high, and a runner that fails to end
 * the bomb costs the machine at most N processes.  --limit 0 takes the net
 * away, for a run under a limit the kernel holds (`ulimit -u` for a user
 * other than root): there the count's error would let a runner that kills
 * one process at a time win after N kills.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long limit = 1000;

	if (argc == 3 && strcmp(argv[1], "--limit") == 0) {
		char *end;
		limit = strtol(argv[2], &end, 10);
		if (*argv[2] == '\0' || *end != '\0' || limit < 0 || limit > 5000) {
			fprintf(stderr, "forkbomb: --limit wants 0-5000, not '%s'\n", argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: forkbomb [--limit N]\n");
		return 2;
	}

	atomic_long *live = mmap(NULL, sizeof(*live), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (live == MAP_FAILED) {
		perror("forkbomb: mmap");
		return 1;
	}
	atomic_store(live, 1);

	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			atomic_fetch_sub(live, 1);
		if (atomic_fetch_add(live, 1) >= limit && limit > 0) {
			atomic_fetch_sub(live, 1);
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
			continue;
		}
		switch (fork()) {
		case -1:	/* EAGAIN at a process limit: try again at once */
			atomic_fetch_sub(live, 1);
			sched_yield();
			break;
		case 0:		/* child: the same loop */
			break;
		default:	/* parent: the same loop */
			break;
		}
	}
}
