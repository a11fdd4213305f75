/*
 * mp_subprocess.h - running other programs: a C mirror of Python's
 * os.system, os.popen and subprocess.  (Part of mp.h, whose conventions
 * hold here: include mp.h.)
 *
 *     Python                                   C
 *     os.system("ls | wc -l")                  st = mp_system("ls | wc -l");  (a wait status)
 *     f = os.popen("uname -r"); f.read()       FILE *f = mp_popen("uname -r", "r"); fgets(...)
 *     f.close()                                mp_pclose(f);                  (a wait status)
 *     subprocess.call(["ls", "-l"])            mp_call(argv, &rc);
 *     subprocess.run(argv, capture_output=True, struct mp_run_options o = { .out = MP_PIPE,
 *                    check=True, timeout=5)       .err = MP_PIPE, .check = true, .timeout = 5 };
 *                                              mp_run(argv, &o, &r);  ... mp_completed_free(&r);
 *     subprocess.run("ls *.c", shell=True)     mp_run_shell("ls *.c", &o, &r);
 *     subprocess.check_output(argv,            o.err = MP_STDOUT;
 *                    stderr=subprocess.STDOUT) mp_check_output(argv, &o, &r);
 *     p = Popen(argv, stdin=PIPE, stdout=PIPE) p = mp_subprocess_popen(argv, &o);
 *     p.poll(); p.wait(1.5); p.returncode      mp_subprocess_poll(p); mp_subprocess_wait_timeout(p, 1.5);
 *                                              p->returncode
 *     out, err = p.communicate(b"hi")          mp_subprocess_communicate(p, "hi", 2, &r);
 *     p.communicate(b"hi", timeout=5)          mp_subprocess_communicate_timeout(p, "hi", 2, 5, &r);
 *     p.stdin.write(b"a\n"); p.stdin.flush()   mp_subprocess_write(p, "a\n", 2);
 *     line = p.stdout.readline()               mp_subprocess_readline(p, line, sizeof(line));
 *     p.send_signal(s); p.terminate(); p.kill() mp_subprocess_send_signal(p, s); ..._terminate(p); ..._kill(p);
 *     p2 = Popen(["wc"], stdin=p1.stdout)      o2.in_from = p1;  p2 = mp_subprocess_popen(wc, &o2);
 *     with Popen(...) as p: ...                mp_subprocess_close(p);
 *
 * An argument vector is a NULL-terminated array, argv[0] the program: a
 * name without '/' is looked up in PATH.  No shell sees it, so "|", "*" and
 * "$HOME" are plain characters.  The _shell calls hand one line to
 * /bin/sh -c, which does understand them (and whatever else the line says:
 * never build a shell line from untrusted text).
 *
 * A child gets stdin, stdout and stderr as asked and no other descriptor of
 * the parent (Python's close_fds=True); its signal mask is empty and every
 * signal has its default action (SIGPIPE too, which the runtime ignores in
 * the parent, as Python does).
 *
 * A program that cannot be started (no such file, not executable, a bad
 * cwd) is reported by the spawning call as -1 (or NULL) with exec's errno -
 * ENOENT, EACCES, ENOEXEC, ENOTDIR... - never as a child exiting 127: the
 * child sends exec's errno back through a close-on-exec pipe, and the
 * parent collects the child before it returns.
 *
 * On the timeline each child is a lane labelled with its command (the
 * argument vector joined by spaces, or "sh -c LINE"), from fork to its exit
 * status; the parent records sub_spawn when exec has succeeded (or failed,
 * with its errno), proc_reap when it collects the child, proc_signal for
 * every signal it sends, and proc_join/proc_joined around a wait.
 *
 * Timeouts follow mp.h's rule - except the `timeout` field of struct
 * mp_run_options, where 0 (the zero-initialised default) means no limit,
 * as Python's timeout=None.
 *
 * Returncodes follow Python: the exit status (0..255), or minus the signal
 * number for a child a signal ended.  Errors: -1 (or NULL) and errno; no
 * call exits the program.
 */
#ifndef MP_SUBPROCESS_H
#define MP_SUBPROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where a child's standard stream goes (fields in, out, err below). */
enum mp_stdio {
	MP_INHERIT = 0,	/* the parent's own (Python's None): the default */
	MP_PIPE,	/* a new pipe; the parent's end is p->stdin_fd etc. */
	MP_DEVNULL,	/* /dev/null */
	MP_STDOUT,	/* err only: wherever stdout goes (stderr=STDOUT) */
	MP_FD,		/* the descriptor in_fd / out_fd / err_fd; the
			 * parent keeps its own copy open */
};

/* errno of a check=true call whose child did not exit 0 (Python's
 * CalledProcessError); the result holds the returncode and the output. */
#define MP_CALLED_PROCESS_ERROR EPROTO

typedef struct mp_subprocess mp_subprocess;

/* Options of run, check_output and Popen: zero-initialise, then set what
 * you need ({ 0 } inherits all three streams, no timeout, no check). */
struct mp_run_options {
	int in, out, err;		/* enum mp_stdio */
	int in_fd, out_fd, err_fd;	/* with MP_FD */
	/* Pipeline: this child's stdin is `in_from`'s stdout pipe, which the
	 * parent then closes (Python: stdin=p1.stdout; p1.stdout.close()),
	 * so the first child gets SIGPIPE if this one ends early.  `in_from`
	 * must have been opened with out = MP_PIPE; `in` is ignored. */
	mp_subprocess *in_from;
	/* run/check_output: bytes fed to stdin (Python's input=), which then
	 * is a pipe whatever `in` says. */
	const void *input;
	size_t input_len;
	/* run/check_output: seconds before the child is killed (0: no limit). */
	double timeout;
	bool check;			/* a non-zero returncode is an error */
	const char *cwd;		/* the child's working directory (NULL: ours) */
	char *const *env;		/* its environment (NULL: ours) */
};

/* What run, check_output and communicate hand back (CompletedProcess). */
struct mp_completed {
	int returncode;		/* MP_EXITCODE_NONE if the child was not collected */
	char *out;		/* captured stdout, NUL-terminated (malloc'd), */
	size_t out_len;		/*   NULL when stdout was not a pipe           */
	char *err;		/* captured stderr, likewise */
	size_t err_len;
	bool timed_out;		/* the timeout fired (errno ETIMEDOUT) */
};

/* Frees out and err and clears r.  Safe on a zeroed or freed result. */
void mp_completed_free(struct mp_completed *r);

/* ---- os.system and os.popen ------------------------------------------- */

/* Runs `cmd` with /bin/sh -c, the streams inherited, and waits for it.
 * Returns the wait status as os.system does: exit status << 8, or the
 * signal number in the low 7 bits (WEXITSTATUS/WTERMSIG take it apart).
 * -1 and errno: EINVAL (cmd NULL), or fork's errors (EAGAIN, ENOMEM). */
int mp_system(const char *cmd);

/* Starts `cmd` with /bin/sh -c and returns a stream connected to its
 * stdout (mode "r") or stdin (mode "w"); the other streams are inherited.
 * NULL and errno: EINVAL (cmd NULL, mode not "r" or "w"), EMFILE, ENOMEM,
 * fork's errors. */
FILE *mp_popen(const char *cmd, const char *mode);

/* Closes a stream from mp_popen() and waits for its command: the wait
 * status (as mp_system()), -1 and errno EINVAL when f did not come from
 * mp_popen() (or was closed already). */
int mp_pclose(FILE *f);

/* ---- subprocess.run and its conveniences -------------------------------- */

/*
 * Runs argv, feeds it opt->input, collects what the pipes among its
 * streams carry, waits for it, fills *result (free it with
 * mp_completed_free, whatever the call returned).  opt may be NULL.
 *
 * 0 when the child ran and was collected (result->returncode says how it
 * ended, unless check).  -1 and errno:
 *   EINVAL     argv NULL or empty, argv[0] NULL, result NULL, a bad
 *              option (negative or NaN timeout, MP_STDOUT for in or out,
 *              an MP_FD with a negative descriptor, in_from without a
 *              stdout pipe)
 *   ETIMEDOUT  the timeout fired: the child was killed (SIGKILL) and
 *              collected; result holds returncode -9, timed_out, and the
 *              output captured until then.  Only the child is killed, not
 *              what it started: a shell line that should die with it
 *              ends in `exec prog` rather than `prog`
 *   MP_CALLED_PROCESS_ERROR (EPROTO)  check, and the returncode was not
 *              0; result holds it and the output
 *   ENOENT, EACCES, ENOEXEC, ENOTDIR, ...  exec (or chdir to cwd) failed
 *              in the child; nothing ran
 *   EMFILE, ENFILE, ENOMEM, EAGAIN  no pipe, memory or process to be had
 */
int mp_run(char *const argv[], const struct mp_run_options *opt, struct mp_completed *result);

/* mp_run() of /bin/sh -c cmd (shell=True).  EINVAL for a NULL cmd. */
int mp_run_shell(const char *cmd, const struct mp_run_options *opt, struct mp_completed *result);

/* subprocess.call: runs argv with the streams inherited and waits for it;
 * *returncode gets its returncode.  0, or -1 and errno as mp_run (EINVAL
 * also for a NULL returncode). */
int mp_call(char *const argv[], int *returncode);

/* subprocess.check_output: mp_run() with stdout a pipe and check on; set
 * opt->err = MP_STDOUT to merge stderr into it.  The output is result->out. */
int mp_check_output(char *const argv[], const struct mp_run_options *opt,
		    struct mp_completed *result);

/* ---- Popen -------------------------------------------------------------- */

struct mp_subprocess {
	/* Read-only. */
	pid_t pid;
	int stdin_fd;		/* the parent's pipe ends, -1 when the */
	int stdout_fd;		/*   stream is not MP_PIPE (or was     */
	int stderr_fd;		/*   closed by communicate/in_from)    */
	int returncode;		/* MP_EXITCODE_NONE until collected */

	/* Private to the runtime. */
	int mp__pidfd;
	char *mp__out, *mp__err;	/* what communicate read so far */
	size_t mp__out_len, mp__out_cap, mp__err_len, mp__err_cap;
	size_t mp__input_done;		/* bytes of input written so far */
	int mp__wstatus;		/* the raw wait status, once collected */
	char mp__cmd[80];
};

/* Starts argv (Popen(args)) and returns at once.  opt may be NULL; its
 * input, timeout and check are for run() and ignored here.
 * NULL and errno as mp_run() (less ETIMEDOUT and EPROTO). */
mp_subprocess *mp_subprocess_popen(char *const argv[], const struct mp_run_options *opt);

/* The same with /bin/sh -c cmd (shell=True). */
mp_subprocess *mp_subprocess_popen_shell(const char *cmd, const struct mp_run_options *opt);

/* Collects p if it has ended, without waiting: 1 ended (p->returncode is
 * set), 0 still running, -1 and errno EINVAL (p NULL). */
int mp_subprocess_poll(mp_subprocess *p);

/* Waits until p ends and collects it: 0, or -1 and errno EINVAL; the
 * _timeout twin ETIMEDOUT if p still runs then (it keeps running).
 * Beware: a child writing into a pipe nobody reads stops when the pipe is
 * full (64 KiB) and never ends - use communicate() (lesson 16). */
int mp_subprocess_wait(mp_subprocess *p);
int mp_subprocess_wait_timeout(mp_subprocess *p, double seconds);

/*
 * Writes input[0..input_len) to p's stdin and closes it, reads its stdout
 * and stderr to their end, all at once (poll, non-blocking), so no amount
 * of output on either stream can deadlock; then collects p.  Everything
 * read is in result->out/err (NULL for a stream that is not a pipe);
 * result->returncode is p's.  A child that stops reading its stdin early
 * is not an error (the rest of the input is dropped).
 * 0, or -1 and errno:
 *   EINVAL     p or result NULL, a bad timeout, input given but stdin is
 *              not a pipe
 *   ENOMEM
 *   ETIMEDOUT  (the _timeout twin) not finished within `seconds`: result
 *              holds a copy of what was read so far, timed_out is set, and
 *              p still runs - kill it (or not) and call communicate again,
 *              with the same input, to get the rest (it goes on where it
 *              stopped), as in Python
 */
int mp_subprocess_communicate(mp_subprocess *p, const void *input, size_t input_len,
			      struct mp_completed *result);
int mp_subprocess_communicate_timeout(mp_subprocess *p, const void *input, size_t input_len,
				      double seconds, struct mp_completed *result);

/*
 * A line at a time (Python's p.stdin.write() then flush(), and
 * p.stdout.readline()), for a child that answers each line before the
 * next: for everything at once, communicate().  Each records what it
 * moved, as communicate() does.
 *
 * mp_subprocess_write: all of buf[0..len) into p's stdin, at once (no
 * buffering).  len, or -1 and errno: EINVAL (p NULL, buf NULL with len,
 * stdin not a pipe or closed), EPIPE (the child closed its stdin: SIGPIPE
 * is ignored from the first call on, as communicate() does).
 *
 * mp_subprocess_readline: one line from p's stdout into buf, its newline
 * kept, NUL-terminated; at most size - 1 bytes (a longer line comes in
 * pieces).  Its length; 0 at end of file; -1 and errno: EINVAL (p or buf
 * NULL, size 0, stdout not a pipe, a bad timeout), ETIMEDOUT (the _timeout
 * twin: no whole line within `seconds`; what came is in buf).
 */
ssize_t mp_subprocess_write(mp_subprocess *p, const void *buf, size_t len);
ssize_t mp_subprocess_readline(mp_subprocess *p, char *buf, size_t size);
ssize_t mp_subprocess_readline_timeout(mp_subprocess *p, char *buf, size_t size,
				       double seconds);

/* Sends a signal (SIGTERM for terminate, SIGKILL for kill).  0, also when
 * p has been collected already (nothing is sent); -1 and errno EINVAL (p
 * NULL, a bad signal number). */
int mp_subprocess_send_signal(mp_subprocess *p, int signo);
int mp_subprocess_terminate(mp_subprocess *p);
int mp_subprocess_kill(mp_subprocess *p);

/* Python's `with Popen(...) as p:` exit: closes the parent's pipe ends,
 * waits for p (without limit: kill it first if it might never end), frees
 * it.  0 or -1 and errno EINVAL; p is freed either way. */
int mp_subprocess_close(mp_subprocess *p);

#ifdef __cplusplus
}
#endif

#endif /* MP_SUBPROCESS_H */
