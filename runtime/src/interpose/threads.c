/*
 * threads.c - threads a program starts: Python's Pool starts three, each
 * Queue a feeder.
 *
 *   thread_start  the new thread's first moment: its tid and its creator's
 *   thread_end    it ends: its function returned, it called pthread_exit,
 *                 or it was cancelled (a cleanup handler sees all three)
 *
 * pthread_create() hands the new thread our start function, which records,
 * then runs the program's.  A thread made by a quiet thread, or from
 * LTTng's own code (liblttng-ust starts two listener threads), is quiet for
 * its whole life: nothing it calls is recorded.
 */
#include "layer.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct start {
	void *(*fn)(void *);
	void *arg;
	pid_t creator;
	bool quiet;
};

static void ended(void *unused)
{
	if (ip_ready && mp__quiet_depth == 0)
		mp__tp(thread_end, mp__pid(), gettid());
}

static void *started(void *p)
{
	struct start s = *(struct start *)p;
	void *result;

	free(p);
	if (s.quiet) {
		mp__quiet_depth = 1;
		return s.fn(s.arg);
	}
	if (ip_ready)
		mp__tp(thread_start, mp__pid(), gettid(), s.creator);
	pthread_cleanup_push(ended, NULL);
	result = s.fn(s.arg);
	pthread_cleanup_pop(1);
	return result;
}

/* Before start-up the code ranges are not known yet: ask the loader. */
static bool lttng_by_name(const void *addr)
{
	Dl_info info;

	return dladdr(addr, &info) && info.dli_fname != NULL &&
	       strstr(info.dli_fname, "liblttng-ust") != NULL;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	MP__SITE();
	/* Before start-up LTTng's listeners may be made too (a program that
	 * links liblttng-ust): the return address tells them apart. */
	bool quiet = mp__quiet_depth > 0 || ip_quiet_code(IP_CALLER) ||
		     (!ip_started && lttng_by_name(IP_CALLER));
	struct start *s;
	int r;

	if (!quiet && !ip_ready)
		return REAL(pthread_create)(thread, attr, fn, arg);
	s = malloc(sizeof(*s));
	if (s == NULL)
		return REAL(pthread_create)(thread, attr, fn, arg);
	*s = (struct start){ fn, arg, gettid(), quiet };
	r = REAL(pthread_create)(thread, attr, started, s);
	if (r != 0)
		free(s);
	return r;
}
