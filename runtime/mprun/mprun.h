/*
 * mprun.h - what mprun's files share.  main.c is the runner (options, the
 * wait loop, exit statuses); the parts it uses:
 *
 *   end.c     the one way to end the tree: freeze, name, kill, collect
 *   cgroup.c  a cgroup of its own for the tree: freeze, kill, pids.max
 *   tree.c    the tree through /proc: count it, stop it, name it, kill it
 *   spawn.c   start the program inside the cgroup
 *   preload.c --preload: the program's environment, its shared memory
 *   gate.c    the lesson's first event waits for mprun's proc_fork
 *   sysfile.c the small files of /proc and cgroupfs, read and written
 *
 * What mprun uses of the runtime: mp__now_ns (base/time.h), mp__tp and
 * MP_RUNNER_GATE (base/trace.h), mp__exitcode_from_status (base/exitcode.h),
 * mp__trace_later and mp__self_start_tracing (process/process.h),
 * mp__fork_quiet and mp__quiet (interpose/interpose.h), all through the
 * build's include path and included here only; mp_proc_info and
 * mp_watch_start/stop (mp.h).
 */
#ifndef MPRUN_H
#define MPRUN_H

#include "mp.h"			/* mp_proc_info, mp_watch_start/stop */
#include "base/time.h"		/* mp__now_ns */
#include "base/exitcode.h"	/* mp__exitcode_from_status */
#include "base/trace.h"		/* mp__tp */
#include "interpose/interpose.h"	/* mp__fork_quiet, mp__quiet */
#include "process/process.h"	/* mp__trace_later, mp__self_start_tracing */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* ---- sysfile.c: system calls alone, safe in a signal handler ---------- */

/* out = dir "/" name; "" if it does not fit in size. */
void path_join(char *out, size_t size, const char *dir, const char *name);

/* The whole file (up to size - 1 bytes) into buf, ended by '\0': its
 * length, or -1 and errno. */
ssize_t sysfile_read(const char *path, char *buf, size_t size);

/* Writes text into the file in one write().  0, or -1 and errno. */
int sysfile_write(const char *path, const char *text);

/* Calls fn for each number in the file (pids, one a line or space
 * separated), however long the file.  0, or -1 and errno. */
int sysfile_each_pid(const char *path, void (*fn)(pid_t, void *), void *arg);

/* ---- cgroup.c ---------------------------------------------------------- */

/* A cgroup of mprun's own, in every hierarchy where it could make one
 * (cgroup v2, and v1's freezer and pids), created empty. */
struct cgroup;

enum cgroup_mode { CGROUP_AUTO, CGROUP_V2, CGROUP_V1, CGROUP_NONE };

/* Makes the cgroup: one that can freeze its processes, and with max_tasks
 * > 0 one whose pids.max holds them to that many tasks, where either can
 * be made.  NULL when nothing could be made, with the reason in why. */
struct cgroup *cgroup_create(enum cgroup_mode mode, long max_tasks, char *why, size_t size);

/* The cgroup.procs files a new process writes "0" into to join it (open,
 * close-on-exec); returns how many (at most max). */
int cgroup_join_fds(const struct cgroup *cg, int *fds, int max);

/* What it can do: freeze its processes (CGROUP_FREEZE), kill them in one
 * step that no fork escapes, frozen or not (CGROUP_KILL: cgroup.kill),
 * hold them to max_tasks (CGROUP_CAP: pids.max).  cg may be NULL. */
enum { CGROUP_FREEZE = 1, CGROUP_KILL = 2, CGROUP_CAP = 4 };
bool cgroup_can(const struct cgroup *cg, unsigned what);

/* Whether pids.max has refused a fork (pids.events). */
bool cgroup_cap_reached(const struct cgroup *cg);

/* Freezes (or thaws) every process in it, waiting up to `seconds` for the
 * freeze to complete: each process must run to freeze, and on a busy
 * machine a thousand of them take a while.  0 when done; -1 when it has
 * no freezer or the freeze did not complete in time. */
int cgroup_freeze(struct cgroup *cg, bool frozen, double seconds);

/* SIGKILL to every process in it: by cgroup.kill, or to each process in
 * cgroup.procs. */
void cgroup_kill(struct cgroup *cg);

/* Removes the cgroup (its processes must be gone) and frees it.  0, or
 * -1 with a message on stderr. */
int cgroup_remove(struct cgroup *cg);

/* For a fatal signal to mprun: kills what is in it and removes it, with
 * async-signal-safe calls only. */
void cgroup_end_now(struct cgroup *cg);

/* One line per directory, "mprun: cgroup v2 PATH: freeze, kill". */
void cgroup_describe(const struct cgroup *cg, FILE *out);

/* ---- tree.c -------------------------------------------------------------- */

/* The processes of the tree seen so far, each once. */
struct tree {
	struct mp_proc_info *procs;	/* as /proc showed each when first seen */
	size_t n, cap;
	unsigned long *seen;	/* a bit per pid */
	size_t seen_words;
};

/* Lists the tree into t (emptied first) in one pass, and returns how many
 * tasks (processes and their threads) it holds, stopping once past
 * stop_past if that is > 0.  Complete only when nothing in the tree can
 * fork (it is frozen); else a count. */
long tree_list(struct tree *t, long stop_past);

/* Stops the tree with SIGSTOP and lists it into t (emptied first): sweeps
 * until a sweep finds no new process and sees every one stopped.  0, or
 * -1 at deadline (mp__now_ns() clock), the tree not known all stopped. */
int tree_stop(struct tree *t, int64_t deadline);

/* SIGKILL to every process in t. */
void tree_kill(const struct tree *t);

/* Names the processes of t on stderr, "mprun:   killed pid 12 (sleep),
 * child of 11", the first `most` of them, then "and N more". */
void tree_name(const struct tree *t, size_t most);

void tree_free(struct tree *t);

/* ---- spawn.c ------------------------------------------------------------- */

enum spawn_step { SPAWN_FORK, SPAWN_JOIN, SPAWN_EXEC };

/* Starts argv[0] (searched in PATH) as a child of mprun that first joins
 * the cgroups whose cgroup.procs are open as join_fds, with no signal
 * blocked and every signal at its default, with the environment envp
 * (NULL: mprun's own).  Its pid; or -1 with errno, and *failed says which
 * step failed (the child is collected). */
pid_t spawn(char **argv, char **envp, const int *join_fds, int njoin,
	    enum spawn_step *failed);

/* ---- preload.c ----------------------------------------------------------- */

/* mprun's environment with the library lib first in LD_PRELOAD and
 * MP_PRELOAD_SHM naming a new shared-memory object (made here, empty).
 * NULL, said on stderr, if lib cannot be read or no object can be made. */
char **preload_env(const char *lib);

/* Removes the shared-memory object, if one was made.  Async-signal-safe:
 * also for a fatal signal to mprun. */
void preload_remove(void);

/* ---- gate.c ------------------------------------------------------------- */

/* Takes the gate: an exclusive lock on a new anonymous file, named in
 * mprun's environment as MP_RUNNER_GATE for the program it starts.  Its
 * descriptor, or -1 with errno (the lesson then does not wait). */
int gate_hold(void);

/* Removes MP_RUNNER_GATE from mprun's own environment once the lesson has
 * started: mprun loads the provider after, and must not wait for itself. */
void gate_leave_env(void);

/* Lets the lesson go on: after mprun has recorded its proc_fork.  fd may
 * be -1. */
void gate_open(int fd);

/* ---- main.c, end.c: a run ------------------------------------------------ */

struct run {
	char **argv;			/* PROGRAM [ARG...] */
	char **envp;			/* its environment; NULL: mprun's */
	long max_procs;			/* --max-procs; 0: no cap */
	bool verbose;
	struct cgroup *cg;		/* NULL: none */
	pid_t lesson;			/* PROGRAM's pid */
	bool lesson_done;
	int lesson_status;		/* its wait status, once done */
	struct tree counted;		/* the last count of the tree, for the cap */
	int64_t start_ns;		/* when PROGRAM started (mp__now_ns) */
};

/* Collects every child that has ended, without waiting, and keeps the
 * lesson's wait status.  Returns true when mprun has no child left. */
bool collect(struct run *r);

/* Ends the tree below mprun: freezes it, names what is in it under "mprun:
 * WHY: ended the tree (N processes)", kills and collects it.  Returns N. */
size_t end_tree(struct run *r, const char *why);

/* Whether the tree has tried to hold more than --max-procs tasks. */
bool cap_passed(struct run *r);

#endif /* MPRUN_H */
