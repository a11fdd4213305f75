/*
 * interpose/interpose.h - the interposition layer, as the rest of the
 * runtime sees it.
 *
 * The layer (this folder; README.md) defines functions with the C
 * library's names: fork, the exec and wait families, pipe, dup2, close,
 * read and write on pipes and sockets, kill, sigaction, sem_post,
 * pthread_create...  Each does the real work through the C library, then
 * records an event.  Linked into every program built with the runtime,
 * it sees a lesson's plain system calls, and the runtime's own, which is
 * how a Process's fork, join and exit reach the trace.  The same files are
 * built as libmp-preload.so for any other program.
 *
 * The runtime records most of what it does itself (a Queue's messages, a
 * Pipe's, mp_printf's lines): the calls here keep the layer quiet about
 * those, so that nothing is recorded twice.
 */
#ifndef MP_INTERPOSE_H
#define MP_INTERPOSE_H

#include "base/trace.h"

#include <stdbool.h>
#include <sys/types.h>

/* Starts the layer: before anything else in the runtime's constructor
 * (process/start.c).  Loads the provider (base/trace.c) if `tracing`, and
 * registers the exit handler that records proc_exit. */
void mp__layer_start(bool tracing);

/* Loads the provider later, for a layer started without: from then on
 * the layer records.  true if tracing is on. */
bool mp__layer_start_tracing(void);

/* Registers fn to be called in every new child of fork(), before fork()
 * returns there.  One at a time: the runtime keeps its current process up
 * to date with it (process/self.c). */
void mp__on_fork_child(void (*fn)(void));

/* fork(), its child named `name` on the timeline (proc_fork, and the
 * child's proc_start). */
pid_t mp__fork(const char *name);

/* fork() recording nothing: for a child that only execs, whose start its
 * parent records itself (mprun's spawn). */
pid_t mp__fork_quiet(void);

/* waitpid() retried on EINTR, for the runtime's own waits: the reap is
 * recorded (proc_reap), the wait is not, for the runtime records its own
 * (proc_join). */
pid_t mp__waitpid(pid_t pid, int *wstatus, int options);

/*
 * The seam (seam.h says it for any program):
 *
 * mp__quiet(+1) ... mp__quiet(-1): between the two, this thread's system
 * calls are not recorded, but for a process's life (fork, exit, reap).
 * Sections nest; a child forked inside one starts inside it; a thread
 * made inside one is quiet for life.  Async-signal-safe.
 */
static inline void mp__quiet(int delta)
{
	mp__quiet_depth += delta;
}

/* fd is the runtime's own channel (a socket of the manager's): reads,
 * writes, dup and close on it are not recorded.  close() ends the mark; a
 * forked child inherits it.  fds 0 to 4095. */
void mp__own_fd(int fd);

/* pipe2() for a channel of the runtime's own: neither the pipe nor what
 * goes through it is recorded (both ends are mp__own_fd).  0 or -1. */
int mp__own_pipe(int fds[2], int flags);

#endif /* MP_INTERPOSE_H */
