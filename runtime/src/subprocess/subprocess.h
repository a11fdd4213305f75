/*
 * subprocess/subprocess.h - the subprocess folder's parts.
 *
 *   spawn.c        fork + exec, with the exec-error pipe
 *   popen.c        Popen: poll, wait, signals, close
 *   communicate.c  feeding stdin and draining stdout/stderr without deadlock
 *   lines.c        a line at a time: write to stdin, read a line of stdout
 *   run.c          run, call, check_output, system
 *   ospopen.c      os.popen and pclose
 */
#ifndef MP_SUBPROCESS_INTERNAL_H
#define MP_SUBPROCESS_INTERNAL_H

#include "mp.h"

#include <stdint.h>

/* ---- spawn.c ---- */

/* true if the options are valid for a child (streams, in_from, timeout). */
bool mp__options_ok(const struct mp_run_options *o);

/* Starts argv with the streams `o` asks for.  `label` names the lane and
 * the sub_spawn event.  NULL and errno (exec's, if the program could not
 * be started: the child has been collected then). */
mp_subprocess *mp__spawn(char *const argv[], const struct mp_run_options *o, const char *label);

/* ---- popen.c ---- */

/* Collects p if it has ended (flags 0: waits for it; WNOHANG: does not).
 * 1 collected (now or before), 0 still running, -1 and errno. */
int mp__reap(mp_subprocess *p, int flags);

/* Waits for p until deadline (base/time.h; -1 no limit): 0 collected,
 * -1 and errno (ETIMEDOUT). */
int mp__wait_until(mp_subprocess *p, int64_t deadline);

/* Closes the parent's ends of p's pipes. */
void mp__close_pipes(mp_subprocess *p);

#endif /* MP_SUBPROCESS_INTERNAL_H */
