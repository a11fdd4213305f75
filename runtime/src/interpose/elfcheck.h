/*
 * elfcheck.h - can a preload library enter this program?
 *
 * The dynamic linker reads LD_PRELOAD; a program that has none (a static
 * binary: no PT_INTERP program header) never runs it, and one that runs
 * set-uid or set-gid to another user runs in secure mode, where the linker
 * ignores a preload given by path.  Used by the exec wrappers (exec.c) and
 * by the mp-preloadable tool.  Async-signal-safe: open, pread, close, stat.
 */
#ifndef MP_ELFCHECK_H
#define MP_ELFCHECK_H

#include <stddef.h>

#pragma GCC visibility push(hidden)

enum mp_exec_kind {
	MP_EXEC_DYNAMIC,	/* a preload enters it */
	MP_EXEC_STATIC,		/* no dynamic linker: a preload cannot enter */
	MP_EXEC_SETUID,		/* secure mode: the preload is ignored */
	MP_EXEC_UNKNOWN,	/* not found, not readable, not ELF nor #! */
};

/* What `path` is; for a "#!" script, what its interpreter is (followed up
 * to four levels).  `interp` (size bytes, may be NULL) gets the program
 * the answer is about: path itself, or the script's interpreter. */
enum mp_exec_kind mp_exec_kind(const char *path, char *interp, size_t size);

/* The first PATH entry (from the environment, else "/bin:/usr/bin") where
 * `file` is executable, into buf; `file` itself if it has a '/'.  0, or -1
 * if none. */
int mp_exec_search(const char *file, char *buf, size_t size);

/* A word for each kind: "dynamic", "static", "setuid", "unknown". */
const char *mp_exec_kind_name(enum mp_exec_kind kind);

#pragma GCC visibility pop

#endif /* MP_ELFCHECK_H */
