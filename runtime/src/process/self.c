/*
 * self.c - the process this code runs in.
 *
 * mp_current_process() is "MainProcess" in the main program, the
 * mp_process itself inside a started Process's body, and after a plain
 * fork() a copy of the parent's with the child's own pid.  This file
 * keeps that answer up to date, and the identity from which the next
 * Process's default name is made ("Process-2", or "Process-1:3" for a
 * child's third child, as in Python).
 */
#define _GNU_SOURCE
#include "process/process.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static mp_process main_process;		/* "MainProcess" */
static mp_process forked_process;	/* this process, after a plain fork() */
static const mp_process *current = &main_process;
static char identity[32];		/* this process's: "" in main */
static unsigned made;			/* processes this one has made */
static bool i_am_daemon;

/* In the child of a plain fork(), before fork() returns there. */
static void forked(void)
{
	if (current != &forked_process)
		forked_process = *current;
	forked_process.pid = getpid();
	current = &forked_process;
}

static void record_start(void)
{
	mp__trace_image();
	mp__tp(proc_start, mp__pid(), getppid(), main_process.name);
}

void mp__self_init(void)
{
	const char *name = mp__main_name != NULL ? mp__main_name : "MainProcess";

	snprintf(main_process.name, sizeof(main_process.name), "%s", name);
	main_process.pid = getpid();
	main_process.mp__state = MP__STARTED;
	main_process.mp__exitcode = MP_EXITCODE_NONE;
	mp__on_fork_child(forked);
	record_start();
}

bool mp__self_start_tracing(void)
{
	if (!mp__layer_start_tracing())
		return false;
	record_start();
	return true;
}

void mp__self_init_child(mp_process *p)
{
	p->daemon = i_am_daemon;	/* Python: inherited from the creator */
	snprintf(p->mp__identity, sizeof(p->mp__identity), "%.20s%s%u",
		 identity, identity[0] ? ":" : "", ++made);
}

void mp__self_become(mp_process *p)
{
	current = p;
	p->pid = getpid();
	memcpy(identity, p->mp__identity, sizeof(identity));
	made = 0;
	i_am_daemon = p->daemon;
}

bool mp__self_is_daemon(void)
{
	return i_am_daemon;
}

const mp_process *mp_current_process(void)
{
	MP__SITE();
	return current;
}

int mp_cpu_count(void)
{
	MP__SITE();
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}
