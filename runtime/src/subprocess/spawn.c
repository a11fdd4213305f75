/*
 * spawn.c - starting a program: fork, then exec in the child.
 *
 * Every child is made the same way, in mp__spawn():
 *
 *   parent                                child
 *   pipes for the streams (O_CLOEXEC)
 *   a close-on-exec "exec error" pipe
 *   fork()  -- the runtime's, so the child gets a lane named by its command
 *                                         quiet until exec (sub_spawn says it)
 *                                         signals back to their defaults, mask empty
 *                                         its stream ends onto 0, 1, 2
 *                                         every other descriptor close-on-exec
 *                                         chdir(cwd), exec
 *                                         exec failed: write errno to the pipe, _exit(127)
 *   read the error pipe: end of file means exec closed it, the program runs;
 *   an errno means it never ran: collect the child, return -1 with it.
 *
 * libuv's src/unix/process.c works the same way.  Between fork and exec the
 * child calls only async-signal-safe functions: the parent may have other
 * threads (LTTng's, the watcher's) whose locks the child inherits locked.
 *
 * The pipes are the runtime's own (mp__own_pipe): communicate() records
 * what moves through them (sub_io), and the interposition layer does not.
 * The child's dup2s, closes and exec are not recorded either: the parent's
 * sub_spawn tells the exec, and the program, if the preload can enter it,
 * records its own start.
 */
#define _GNU_SOURCE
#include "subprocess/subprocess.h"
#include "base/fd.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

struct spawn_fds {
	int child[3];		/* what becomes 0, 1, 2: an fd, -1 inherit, -2 "stdout" */
	int parent[3];		/* our pipe ends, -1 none */
	int close_after[4];	/* child-only ends to close in the parent */
	int n_close;
};

static bool stdio_ok(int mode, int fd, bool is_err)
{
	if (mode < MP_INHERIT || mode > MP_FD || (mode == MP_STDOUT && !is_err))
		return false;
	return mode != MP_FD || fd >= 0;
}

bool mp__options_ok(const struct mp_run_options *o)
{
	return stdio_ok(o->in, o->in_fd, false) && stdio_ok(o->out, o->out_fd, false)
	       && stdio_ok(o->err, o->err_fd, true)
	       && (o->in_from == NULL || o->in_from->stdout_fd >= 0)
	       && o->timeout >= 0;	/* false for NaN too */
}

/* Parent's pipe end for `mode` on stream i: makes the pipe or opens
 * /dev/null.  0 or -1 and errno. */
static int stream_setup(struct spawn_fds *s, int i, int mode, int fd, int *devnull)
{
	int p[2];

	switch (mode) {
	case MP_PIPE:
		if (mp__own_pipe(p, O_CLOEXEC) == -1)
			return -1;
		/* stdin: the child reads p[0]; stdout/err: it writes p[1]. */
		s->child[i] = i == 0 ? p[0] : p[1];
		s->parent[i] = i == 0 ? p[1] : p[0];
		s->close_after[s->n_close++] = s->child[i];
		return 0;
	case MP_DEVNULL:
		if (*devnull < 0) {
			*devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (*devnull < 0)
				return -1;
			s->close_after[s->n_close++] = *devnull;
		}
		s->child[i] = *devnull;
		return 0;
	case MP_STDOUT:
		s->child[i] = -2;
		return 0;
	case MP_FD:
		s->child[i] = fd;
		return 0;
	}
	return 0;	/* MP_INHERIT */
}

static void spawn_fds_close(struct spawn_fds *s)
{
	for (int i = 0; i < s->n_close; i++)
		close(s->close_after[i]);
	s->n_close = 0;
}

/* ---- in the child -------------------------------------------------------- */

/* Writes errno to the parent and ends.  Does not return. */
static void child_fail(int errfd)
{
	int err = errno;

	while (write(errfd, &err, sizeof(err)) == -1 && errno == EINTR)
		;
	_exit(127);		/* recorded: a quiet section keeps a process's life */
}

/* Between fork and exec: async-signal-safe calls only.  Does not return. */
static void child_exec(struct spawn_fds *s, int errfd, char *const argv[],
		       const char *cwd, char *const *env)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int *fd = s->child;

	/* Handlers vanish with exec, but an ignored signal stays ignored:
	 * SIGPIPE would be, and `yes | head` would never end. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* A source already sitting on 0..2 but not its own slot would be
	 * overwritten by an earlier dup2: move it out of the way first. */
	if (errfd < 3 && (errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3)) == -1)
		_exit(127);
	for (int i = 0; i < 3; i++)
		if (fd[i] >= 0 && fd[i] < 3 && fd[i] != i
		    && (fd[i] = fcntl(fd[i], F_DUPFD_CLOEXEC, 3)) == -1)
			child_fail(errfd);
	for (int i = 0; i < 3; i++) {
		int from = fd[i] == -2 ? 1 : fd[i];

		if (from == i) {
			if (fcntl(i, F_SETFD, 0) == -1)	/* keep it across exec */
				child_fail(errfd);
		} else if (from >= 0 && dup2(from, i) == -1) {
			child_fail(errfd);
		}
	}
	/* No other descriptor of the parent reaches the program (Python's
	 * close_fds=True).  Marked, not closed: errfd must live until exec. */
	if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) == -1) {
		long max = sysconf(_SC_OPEN_MAX);

		for (int i = 3; i < (max > 0 && max < 65536 ? max : 65536); i++)
			if (i != errfd)
				fcntl(i, F_SETFD, FD_CLOEXEC);
	}
	if (cwd != NULL && chdir(cwd) == -1)
		child_fail(errfd);
	if (env != NULL)
		execvpe(argv[0], argv, env);
	else
		execvp(argv[0], argv);
	child_fail(errfd);
}

/* ---- in the parent ------------------------------------------------------- */

static mp_subprocess *subprocess_new(const char *label)
{
	mp_subprocess *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->stdin_fd = p->stdout_fd = p->stderr_fd = p->mp__pidfd = -1;
	p->returncode = MP_EXITCODE_NONE;
	snprintf(p->mp__cmd, sizeof(p->mp__cmd), "%s", label);
	return p;
}

mp_subprocess *mp__spawn(char *const argv[], const struct mp_run_options *o, const char *label)
{
	struct spawn_fds s = { .child = { -1, -1, -1 }, .parent = { -1, -1, -1 } };
	int devnull = -1, errpipe[2], err = 0;
	mp_subprocess *p;
	ssize_t n;
	pid_t pid;

	p = subprocess_new(label);
	if (p == NULL)
		return NULL;
	if (o->in_from != NULL)
		s.child[0] = o->in_from->stdout_fd;
	else if (stream_setup(&s, 0, o->in, o->in_fd, &devnull) == -1)
		goto fail;
	if (stream_setup(&s, 1, o->out, o->out_fd, &devnull) == -1
	    || stream_setup(&s, 2, o->err, o->err_fd, &devnull) == -1)
		goto fail;
	if (mp__own_pipe(errpipe, O_CLOEXEC) == -1)
		goto fail;

	/* What stdio holds would be lost, or printed after the child's. */
	fflush(stdout);
	fflush(stderr);
	pid = mp__fork(label);
	if (pid == 0) {
		mp__quiet(+1);
		child_exec(&s, errpipe[1], argv, o->cwd, o->env);
	}
	err = errno;
	close(errpipe[1]);
	if (pid == -1) {
		close(errpipe[0]);
		errno = err;
		goto fail;
	}
	p->pid = pid;
	/* End of file: exec succeeded and closed the pipe.  An int: it failed. */
	n = MP__NOINTR(read(errpipe[0], &err, sizeof(err)));
	close(errpipe[0]);
	if (n != sizeof(err))
		err = 0;
	mp__tp(sub_spawn, mp__pid(), pid, label, err);
	if (err != 0) {
		mp__waitpid(pid, NULL, 0);	/* it never ran: collect it */
		errno = err;
		goto fail;
	}
	spawn_fds_close(&s);
	p->stdin_fd = s.parent[0];
	p->stdout_fd = s.parent[1];
	p->stderr_fd = s.parent[2];
	p->mp__pidfd = mp__pidfd_open(pid);
	if (o->in_from != NULL)
		mp__close(&o->in_from->stdout_fd);
	return p;

fail:
	err = errno;
	spawn_fds_close(&s);
	for (int i = 0; i < 3; i++)
		if (s.parent[i] >= 0)
			close(s.parent[i]);
	free(p);
	errno = err;
	return NULL;
}
