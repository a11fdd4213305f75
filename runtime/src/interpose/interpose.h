/*
 * interpose/interpose.h - system calls the runtime sees being made.
 *
 * A program linked with the runtime gets the runtime's fork(), wait(),
 * waitpid() and _exit() (syscalls.c): the C library's own, each followed
 * by its event.  Lessons call them in plain sight; the runtime calls them
 * too, and names the child a fork is about to make.
 */
#ifndef MP_INTERPOSE_H
#define MP_INTERPOSE_H

#include <sys/types.h>

/* Registers fn to be called in every new child of fork(), before fork()
 * returns there (after LTTng's own fork hook).  One at a time: the runtime
 * keeps its current process up to date with it (process/self.c). */
void mp__on_fork_child(void (*fn)(void));

/* The name the next fork()'s child gets on the timeline ("child" if
 * unset), in this thread; fork() uses it once. */
void mp__set_next_child_name(const char *name);

/* The C library's fork(), recording nothing and running no hook: for a
 * child that only execs, whose start its parent records itself (mprun's
 * spawn). */
pid_t mp__fork_quiet(void);

/* Under libmp-preload.so (runtime/src/interpose/seam.h): +1 starts a
 * section in which the calling thread's system calls are not recorded,
 * -1 ends it.  Does nothing without the preload. */
void mp__preload_quiet(int delta);

#endif /* MP_INTERPOSE_H */
