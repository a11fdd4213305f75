/*
 * mp_process.h - Process: a function run in a child process.  (Part of
 * mp.h, whose conventions hold here: include mp.h.)
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
 *     os.cpu_count()                       mp_cpu_count()
 */
#ifndef MP_PROCESS_H
#define MP_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

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
 * not a child of the calling process); the _timeout twin also ETIMEDOUT
 * when p still runs at the end. */
int mp_process_join(mp_process *p);
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

#ifdef __cplusplus
}
#endif

#endif /* MP_PROCESS_H */
