/*
 * mp.h - a small C mirror of Python's multiprocessing, traced by LTTng.
 *
 * Names follow Python so a lesson can sit beside its Python original:
 *
 *     Python                               C
 *     p = Process(target=f, args=(x,))     mp_process p; mp_process_init(&p, f, &x, NULL);
 *     p.start(); p.join()                  mp_process_start(&p); mp_process_join(&p);
 *     p.join(1.5); p.is_alive()            mp_process_join_timeout(&p, 1.5); mp_process_is_alive(&p);
 *     p.terminate(); p.kill()              mp_process_terminate(&p); mp_process_kill(&p);
 *     p.exitcode, p.pid, p.name            mp_process_exitcode(&p), p.pid, p.name
 *     p.daemon = True                      p.daemon = true;   (before start)
 *     current_process().name               mp_current_process()->name
 *     class Worker(Process): def run(self) struct worker { mp_process base; ... }; base.run = fn
 *     log_to_stderr(); setLevel(INFO)      mp_log_to_stderr(MP_INFO);
 *
 * Errors: a call that fails returns -1 (or NULL, or false) and sets errno.
 * No call exits the program on the caller's behalf.
 *
 * Every call records LTTng-UST events of the provider "mp" (trace/README.md),
 * and so do fork(), wait(), waitpid() and _exit() made in plain sight by a
 * program linked with this library (runtime/src/interpose/syscalls.c).
 */
#ifndef MP_H
#define MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- processes -------------------------------------------------------- */

#define MP_NAME_MAX 64

/* What mp_process_exitcode() returns while a process has not ended (Python's
 * None).  Every real exit code is in -64..255. */
#define MP_EXITCODE_NONE (-1000)

typedef struct mp_process mp_process;

/* The body of a process in the function form: its return value is the
 * exit code (0..255). */
typedef int (*mp_target_fn)(void *arg);

/* The body in the "subclass" form: embed an mp_process as the first member
 * of your own struct and set `run`; `self` points at it. */
typedef int (*mp_run_fn)(mp_process *self);

struct mp_process {
	/* Yours to set between mp_process_init() and mp_process_start(). */
	char name[MP_NAME_MAX];	/* "Process-N" unless you give one */
	bool daemon;		/* ended when its parent's program ends */
	mp_target_fn target;	/* the function form ...            */
	void *arg;
	mp_run_fn run;		/* ... or the subclass form (wins)  */

	/* Read-only. */
	pid_t pid;		/* 0 before start */

	/* Private to the runtime. */
	int mp__state;
	int mp__exitcode;
	pid_t mp__parent;
	char mp__identity[32];	/* "2", or "1:3" for a child's third child */
};

/* Prepares p with a body and a name (NULL: "Process-N", N counting the
 * processes this process has made, as in Python).  Cannot fail on valid
 * arguments; -1/EINVAL when p is NULL or the name is too long. */
int mp_process_init(mp_process *p, mp_target_fn target, void *arg, const char *name);

/* Forks a child that runs the body, then _exit()s with its return value.
 * stdout and stderr are flushed first, so no line prints twice.  The child
 * starts with SIGTERM at its default action, so mp_process_terminate() ends
 * it whatever handler the parent had.
 * -1 and errno: EINVAL (p not prepared, started already, or no body),
 * EPERM (the calling process is a daemon: daemons may not have children),
 * or fork's own errors (EAGAIN, ENOMEM). */
int mp_process_start(mp_process *p);

/* Waits until p ends, then collects it (it is no longer a zombie).
 * 0 when p has ended; -1 and errno: EINVAL (never started), ECHILD (p is
 * not a child of the calling process). */
int mp_process_join(mp_process *p);

/* As mp_process_join(), waiting at most `seconds` (>= 0).
 * -1 with errno ETIMEDOUT when p is still running at the end. */
int mp_process_join_timeout(mp_process *p, double seconds);

/* true while p runs.  Collects p if it has ended.  false, too, for a
 * process not started (errno EINVAL) or started by another (ECHILD). */
bool mp_process_is_alive(mp_process *p);

/* Python's exitcode: the exit status, minus the signal number if a signal
 * ended p, or MP_EXITCODE_NONE while p runs or before it starts. */
int mp_process_exitcode(mp_process *p);

/* Sends SIGTERM / SIGKILL.  Does nothing (returns 0) if p has ended. */
int mp_process_terminate(mp_process *p);
int mp_process_kill(mp_process *p);

/* The process this code runs in: "MainProcess" in the main program, the
 * mp_process itself inside a child's body.  After a plain fork() the child
 * keeps its parent's name (with its own pid), as after Python's os.fork(). */
const mp_process *mp_current_process(void);

/* Number of CPUs this process may run on. */
int mp_cpu_count(void);

/* ---- printing and logging --------------------------------------------- */

/* printf to stdout, flushed at once, and each line recorded on the
 * timeline as a "print" event of the calling process. */
int mp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Names a moment on the timeline without printing anything. */
void mp_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum mp_log_level {
	MP_SUBDEBUG = 5,
	MP_DEBUG = 10,
	MP_INFO = 20,
	MP_WARNING = 30,
	MP_ERROR = 40,
	MP_CRITICAL = 50,
};

/* Python's log_to_stderr() and setLevel(): from now on, records at `level`
 * or above go to stderr as "[LEVEL/ProcessName] message".  The runtime logs
 * its own steps too (a child starting its body, a process exiting).
 * Children inherit the setting.  Logging is off until this is called. */
void mp_log_to_stderr(int level);

/* Writes one record, if its level is enabled, and records it as a "log"
 * event. */
void mp_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "DEBUG", "INFO", ... for a level; "Level N" for others. */
const char *mp_log_level_name(int level);

/* ---- messages: Queue, JoinableQueue, Pipe ------------------------------ */

/*
 * A message is bytes with a length (C has no pickle); the _str and _int
 * helpers carry a string or a 64-bit integer.  Queues, pipes and events are
 * shared with the processes started *after* they were made: make them in
 * the parent, then start the children, as in Python.
 *
 * Timeouts are in seconds: 0 means "do not wait", MP_FOREVER no limit;
 * negative or NaN is EINVAL.
 */
#define MP_FOREVER (1.0 / 0.0)

/* The largest message a queue takes by default (its ring of shared memory
 * holds at least one); a pipe takes up to MP_PIPE_MSG_MAX. */
#define MP_QUEUE_MSG_MAX ((size_t)4 << 20)
#define MP_PIPE_MSG_MAX ((size_t)64 << 20)

typedef struct mp_queue mp_queue;

/* Python's Queue(maxsize): at most maxsize messages (0: no limit but the
 * ring's size, 16 MiB, which a put also waits for).  NULL and errno. */
mp_queue *mp_queue_new(int maxsize);

/* Python's JoinableQueue: a Queue that also counts unfinished tasks. */
mp_queue *mp_joinable_queue_new(int maxsize);

/* Puts a copy of msg[0..len).  Waits while the queue is full, at most
 * `seconds`; -1 and errno EAGAIN if it is still full then (Python's Full),
 * EMSGSIZE over MP_QUEUE_MSG_MAX, EBADF after close, EINVAL. */
int mp_queue_put(mp_queue *q, const void *msg, size_t len);
int mp_queue_put_timeout(mp_queue *q, const void *msg, size_t len, double seconds);

/* Takes the oldest message into buf (at most size bytes) and returns its
 * length.  Waits while empty, at most `seconds`: -1 EAGAIN if still empty
 * (Python's Empty).  EMSGSIZE: the message is longer than size; it stays
 * in the queue.  EBADF after close, EINVAL. */
ssize_t mp_queue_get(mp_queue *q, void *buf, size_t size);
ssize_t mp_queue_get_timeout(mp_queue *q, void *buf, size_t size, double seconds);

int mp_queue_put_str(mp_queue *q, const char *s);
int mp_queue_put_int(mp_queue *q, int64_t v);
/* As mp_queue_get; the string is NUL-terminated (EMSGSIZE if it does not
 * fit), the integer must be an 8-byte message (EBADMSG otherwise). */
ssize_t mp_queue_get_str(mp_queue *q, char *buf, size_t size, double seconds);
int mp_queue_get_int(mp_queue *q, int64_t *v, double seconds);

/* Messages in the queue now - a moment later it may differ (Python says
 * the same of qsize(), empty() and full()).  -1 and errno on error. */
int mp_queue_qsize(mp_queue *q);
bool mp_queue_empty(mp_queue *q);
bool mp_queue_full(mp_queue *q);

/* JoinableQueue: a consumer calls task_done() once per message it got;
 * join() waits until every message ever put has been marked done.
 * task_done: -1 EINVAL when called more times than messages were put
 * (Python's ValueError), or on a plain Queue. */
int mp_queue_task_done(mp_queue *q);
int mp_queue_join(mp_queue *q);
int mp_queue_join_timeout(mp_queue *q, double seconds);	/* ETIMEDOUT */

/* This process is done with the queue: its shared memory is unmapped here
 * (the other processes keep theirs), later calls on q fail with EBADF. */
int mp_queue_close(mp_queue *q);

typedef struct mp_conn mp_conn;

/* Python's Pipe(duplex): two connected ends.  Duplex: both ends send and
 * receive.  One-way (duplex false): *a only receives, *b only sends - the
 * wrong direction is EBADF.  -1 and errno (EMFILE, ENOMEM). */
int mp_pipe(bool duplex, mp_conn **a, mp_conn **b);

/* Sends one whole message.  -1 and errno: EPIPE when no process has the
 * other end open any more (never a SIGPIPE: the runtime ignores it, as
 * Python does), EMSGSIZE over MP_PIPE_MSG_MAX, EBADF. */
int mp_conn_send(mp_conn *c, const void *msg, size_t len);

/* Receives one whole message into buf, returns its length.  -1 and errno:
 * EPIPE at end of file - every sending end is closed in every process
 * (Python's EOFError); EMSGSIZE when it is longer than size (it stays, to be
 * received with a bigger buffer); EBADF. */
ssize_t mp_conn_recv(mp_conn *c, void *buf, size_t size);

/* 1 if a message (or end of file) can be received without waiting, 0 if
 * none came within `seconds`, -1 and errno. */
int mp_conn_poll(mp_conn *c, double seconds);

int mp_conn_send_str(mp_conn *c, const char *s);
int mp_conn_send_int(mp_conn *c, int64_t v);
ssize_t mp_conn_recv_str(mp_conn *c, char *buf, size_t size);
int mp_conn_recv_int(mp_conn *c, int64_t *v);

/* Closes this process's end; later calls on c fail with EBADF. */
int mp_conn_close(mp_conn *c);

/* ---- Event --------------------------------------------------------------- */

typedef struct mp_event mp_event;

/* Python's Event: a flag that processes can wait for.  Starts clear. */
mp_event *mp_event_new(void);
int mp_event_set(mp_event *e);		/* wakes every waiter */
int mp_event_clear(mp_event *e);
bool mp_event_is_set(mp_event *e);
/* 0 once the flag is set; -1 ETIMEDOUT if it was not set within `seconds`
 * (Python's wait() returning False). */
int mp_event_wait(mp_event *e);
int mp_event_wait_timeout(mp_event *e, double seconds);
int mp_event_close(mp_event *e);

/* ---- process states, as ps sees them in /proc ------------------------- */

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

/* ---- the rest, one header per part ------------------------------------ */

#include "mp_pool.h"		/* Pool */
#include "mp_subprocess.h"	/* system, popen, run, Popen, communicate */
#include "mp_shared.h"		/* Lock, RLock, Manager */

#ifdef __cplusplus
}
#endif

#endif /* MP_H */
