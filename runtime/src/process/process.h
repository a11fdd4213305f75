/*
 * process/process.h - what the process folder gives the rest of the runtime.
 *
 *   self.c      the process this code runs in: its mp_process, its identity
 *   children.c  the children it started and has not collected; waiting for one
 *   log.c       mp_printf, mp_mark, mp_log
 *   process.c   Process: mp_process_*
 *   start.c     the runtime's one constructor, and what runs at exit
 *   watch.c     process states from /proc: mp_proc_info, mp_watch_*
 */
#ifndef MP_PROCESS_INTERNAL_H
#define MP_PROCESS_INTERNAL_H

#include "mp.h"

#include <stdint.h>

/* An mp_process's mp__state. */
enum { MP__NEW = 1, MP__STARTED, MP__ENDED };

/* ---- self.c ---- */

/* A program may name its main process's lane by defining this (mprun
 * does); "MainProcess" otherwise. */
extern const char mp__main_name[] __attribute__((weak));

/* A program may load the provider later, itself, by defining this true
 * and calling mp__self_start_tracing() (mprun does: it registers with
 * LTTng's session daemon while the lesson it started does). */
extern const bool mp__trace_later __attribute__((weak));

/* Loads the provider, for a program that defines mp__trace_later, and
 * records the main process's start then.  true if tracing is on. */
bool mp__self_start_tracing(void);

/* Sets up the main process and records its proc_start; from then on, the
 * child of a plain fork() keeps its parent's name with its own pid, as
 * after Python's os.fork().  Once, before main (start.c). */
void mp__self_init(void);

/* Gives a new Process what it inherits from this process: the daemon flag,
 * and the next identity ("2", or "1:3" for a child's third child). */
void mp__self_init_child(mp_process *p);

/* In a started Process's child: from now on this process is p. */
void mp__self_become(mp_process *p);

/* true in a daemon process (which may not have children). */
bool mp__self_is_daemon(void);

/* ---- children.c ---- */

/* Makes room for one more child before fork, so that after fork nothing
 * can fail.  0, or -1 and ENOMEM. */
int mp__children_reserve(void);

/* Records a child just forked (with a pidfd, if the kernel has them);
 * caller made room with mp__children_reserve(). */
void mp__children_add(pid_t pid, bool daemon, const char *name);

/* The child's pidfd, or -1 (not in the table, or no pidfd). */
int mp__children_pidfd(pid_t pid);

/* Sends signo to a child not collected yet (so its pid cannot have been
 * reused), and records proc_signal.  0, or -1 and errno. */
int mp__signal_child(pid_t pid, int signo);

/* Drops a child that has been collected. */
void mp__children_forget(pid_t pid);

/* Python's _exit_function(): terminates the daemon children, then joins
 * every child not collected yet.  At exit, and at the end of a child's
 * body. */
void mp__children_finish(void);

/* True if child `pid` has ended and waits to be collected: what its
 * pidfd would say, asked without one.  Collects nothing (WNOWAIT). */
bool mp__child_ended(pid_t pid);

/* Waits until child `pid` ends and collects it (*status: its wait status),
 * at most until deadline (base/time.h; -1: no limit).  `pidfd` (or -1)
 * lets the wait sleep until the end; without one it naps 1 ms at a time.
 * 0, or -1 and errno: ETIMEDOUT (it still runs), waitpid's. */
int mp__wait_child(pid_t pid, int pidfd, int64_t deadline, int *status);

#endif /* MP_PROCESS_INTERNAL_H */
