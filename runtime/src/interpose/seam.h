/*
 * seam.h - how a program that records its own events keeps libmp-preload.so
 * quiet about them, so that nothing is recorded twice.
 *
 * The runtime records its Queue, Pipe, Manager and subprocess traffic, and
 * mp_printf's lines, as events of their own.  When such a program also runs
 * under LD_PRELOAD=libmp-preload.so, the preload would see the same bytes
 * go through write() and record them again.  Two calls prevent that; the
 * program finds them at start-up with
 *
 *	void (*quiet)(int) = dlsym(RTLD_DEFAULT, "mp_preload_quiet");
 *	void (*own_fd)(int, int) = dlsym(RTLD_DEFAULT, "mp_preload_own_fd");
 *
 * and gets NULL when the preload is not there (then it calls nothing).
 *
 * mp_preload_quiet(+1) ... mp_preload_quiet(-1)
 *	Between the two, the calling thread's wrapped calls record nothing
 *	(they still keep the preload's books: fds, semaphores, a child's state
 *	after fork).  Sections nest.  A child forked inside a section starts
 *	inside it too and must leave it as the parent does.  Async-signal-safe.
 *
 * mp_preload_own_fd(fd, 1)
 *	fd is the program's own channel: reads, writes, dup and close on it are
 *	not recorded.  dup/dup2/dup3 of an own fd give an own fd; close (or
 *	mp_preload_own_fd(fd, 0)) ends it.  The mark lives in the process's
 *	memory: a forked child inherits it, an exec'd program starts without.
 *	fds from 0 to 4095 only.
 *
 * What the preload already knows without being told: a function the main
 * program defines itself (the runtime's fork, wait, waitpid and _exit) is
 * reached only through the program's own definition, which records it; and
 * when the main program defines _exit, the program records its own start
 * and exit (proc_start, proc_exit), so the preload does not.
 */
#ifndef MP_PRELOAD_SEAM_H
#define MP_PRELOAD_SEAM_H

__attribute__((visibility("default"))) void mp_preload_quiet(int delta);
__attribute__((visibility("default"))) void mp_preload_own_fd(int fd, int own);

#endif /* MP_PRELOAD_SEAM_H */
