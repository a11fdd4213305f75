/*
 * seam.h - how a program that records its own events keeps the
 * interposition layer quiet about them, so that nothing is recorded twice.
 *
 * The runtime records its Queue, Pipe, Manager and subprocess traffic, and
 * mp_printf's lines, as events of their own; the layer would see the same
 * bytes go through write() and record them again.  The runtime, which has
 * the layer linked in, calls interpose.h's mp__quiet and mp__own_fd
 * directly.  Any other program finds the same two calls, when it runs
 * under libmp-preload.so, with
 *
 *	void (*quiet)(int) = dlsym(RTLD_DEFAULT, "mp_preload_quiet");
 *	void (*own_fd)(int, int) = dlsym(RTLD_DEFAULT, "mp_preload_own_fd");
 *
 * and gets NULL when the preload is not there (then it calls nothing).
 *
 * mp_preload_quiet(+1) ... mp_preload_quiet(-1)
 *	Between the two, the calling thread's wrapped calls record nothing
 *	but a process's life: a fork, an exit, a reap are recorded whatever
 *	the section.  The layer's books are kept all the same (fds,
 *	semaphores, a child's state after fork).  Sections nest.  A child
 *	forked inside a section starts inside it too; a thread made inside one
 *	is quiet for life.  Async-signal-safe.
 *
 * mp_preload_own_fd(fd, 1)
 *	fd is the program's own channel: reads, writes, dup and close on it are
 *	not recorded.  dup/dup2/dup3 of an own fd give an own fd; close (or
 *	mp_preload_own_fd(fd, 0)) ends it.  The mark lives in the process's
 *	memory: a forked child inherits it, an exec'd program starts without.
 *	fds from 0 to 4095 only.
 *
 * A program linked with the runtime exports these two itself: the
 * preload, finding them defined by the main program, leaves that program
 * to the layer linked into it (preload.c).
 */
#ifndef MP_PRELOAD_SEAM_H
#define MP_PRELOAD_SEAM_H

__attribute__((visibility("default"))) void mp_preload_quiet(int delta);
__attribute__((visibility("default"))) void mp_preload_own_fd(int fd, int own);

#endif /* MP_PRELOAD_SEAM_H */
