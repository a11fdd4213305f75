/*
 * bench_util.c - checking every call, the bare calls past the runtime's
 * wrappers, time, and where processes run (bench.h).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <dlfcn.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- checking every call ------------------------------------------------ */

pid_t child_pid;
bool in_child;

void fail(const char *call, int line)
{
	int err = errno;

	fprintf(stderr, "mp-bench: line %d: %s: %s\n", line, call, strerror(err));
	if (in_child)
		syscall(SYS_exit_group, 1);
	if (child_pid > 0) {
		kill(child_pid, SIGKILL);
		wait4(child_pid, NULL, 0, NULL);
	}
	exit(1);
}

/* ---- the bare calls, past the runtime's wrappers ------------------------ */

/* The C library's definition of `name` (RTLD_NEXT: the one after this
 * program's own), found once per call site. */
#define LIBC(name) ({							\
	static __typeof__(&name) f_;					\
	if (f_ == NULL && (f_ = (__typeof__(&name))dlsym(RTLD_NEXT, #name)) == NULL) { \
		errno = ENOSYS;						\
		fail("dlsym " #name, __LINE__);				\
	}								\
	f_; })

pid_t raw_fork(void)
{
	return LIBC(fork)();
}

ssize_t raw_read(int fd, void *buf, size_t n)
{
	return LIBC(read)(fd, buf, n);
}

ssize_t raw_write(int fd, const void *buf, size_t n)
{
	return LIBC(write)(fd, buf, n);
}

void raw_exit(int code)
{
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

/* Collects the raw child `pid` and checks it exited with 0. */
void raw_reap(pid_t pid)
{
	int status;

	CHECK(LIBC(wait4)(pid, &status, 0, NULL));
	child_pid = 0;
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Joins the runtime child p and checks it exited with 0. */
void runtime_reap(mp_process *p)
{
	CHECK(mp_process_join(p));
	child_pid = 0;
	EXPECT(mp_process_exitcode(p) == 0);
}

/* ---- time and place ----------------------------------------------------- */

double now(void)
{
	struct timespec ts;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &ts));
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set));
}

/* The first thing every child does.  The parent is on CPU 0 already. */
void child_placement(int cpus)
{
	if (cpus == 2)
		pin_to_cpu(1);
}

/* Children that live a while (queue, pipe) die with their parent, even if
 * the parent is killed: a bench must leave nothing running. */
void die_with_parent(pid_t parent)
{
	CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL));
	if (getppid() != parent)
		raw_exit(1);
}
