/*
 * base/exitcode.h - Python's exitcode for a wait status, which the runtime
 * reports (mp_process_exitcode, a subprocess's returncode) and every
 * proc_reap event carries: the exit status, or minus the number of the
 * signal that ended the process.
 */
#ifndef MP_BASE_EXITCODE_H
#define MP_BASE_EXITCODE_H

#include "mp_process.h"		/* MP_EXITCODE_NONE */

#include <sys/wait.h>

/* MP_EXITCODE_NONE for a status that is not an end (stopped, continued). */
static inline int mp__exitcode_from_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return -WTERMSIG(wstatus);
	return MP_EXITCODE_NONE;
}

#endif /* MP_BASE_EXITCODE_H */
