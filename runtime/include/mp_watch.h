/*
 * mp_watch.h - process states as ps sees them, from /proc.  (Part of mp.h,
 * whose conventions hold here: include mp.h.)
 *
 * Python has no counterpart: `ps -o pid,ppid,stat` does this from outside.
 * The runner mprun watches every lesson with it, so a zombie (state Z) or
 * an adoption (a new ppid) shows on the timeline.
 */
#ifndef MP_WATCH_H
#define MP_WATCH_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mp_proc_info {
	pid_t pid;
	pid_t ppid;
	char state;		/* R running, S sleeping, D disk wait, T stopped, Z zombie, ... */
	char comm[32];		/* the program's name, as ps shows it */
};

/* Reads /proc/PID/stat.  -1 and errno ESRCH when there is no such process
 * (any more). */
int mp_proc_info(pid_t pid, struct mp_proc_info *info);

/* A watcher: a thread that samples every descendant of `root` (its children,
 * theirs, and orphans adopted by it) every `interval` seconds and records a
 * proc_state event whenever one's state or parent changes, and state "X"
 * when it is gone.  Processes that vanish while it reads are simply
 * forgotten: no error, no message.  NULL and errno on failure. */
typedef struct mp_watch mp_watch;

struct mp_watch_stats {
	long samples;		/* rounds over the whole tree */
	long changes;		/* proc_state events recorded */
	int most_watched;	/* the most processes seen in one round */
	double seconds;		/* from start to stop */
	double cpu_seconds;	/* CPU time the watcher thread used */
};

mp_watch *mp_watch_start(pid_t root, double interval);

/* Stops the watcher, waits for its thread, frees it; stats may be NULL. */
int mp_watch_stop(mp_watch *w, struct mp_watch_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* MP_WATCH_H */
