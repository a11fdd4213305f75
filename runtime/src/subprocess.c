/*
 * subprocess.c - running other programs: system, popen, run, Popen,
 * communicate, pipelines (mp_subprocess.h).
 *
 * Every child is made the same way, in spawn():
 *
 *   parent                                child
 *   pipes for the streams (O_CLOEXEC)
 *   a close-on-exec "exec error" pipe
 *   fork()  -- the runtime's, so the child gets a lane named by its command
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
 * communicate() is the one loop that may not deadlock: the child may fill
 * its stdout pipe while we are still writing its stdin, or fill stderr while
 * we read stdout.  So all three parent ends are non-blocking and served by
 * one poll(), whichever is ready, until both outputs reach end of file.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define CHUNK ((size_t)64 << 10)	/* read at least this much at a time */

struct spawn_fds {
	int child[3];		/* what becomes 0, 1, 2: an fd, -1 inherit, -2 "stdout" */
	int parent[3];		/* our pipe ends, -1 none */
	int close_after[4];	/* child-only ends to close in the parent */
	int n_close;
};

/* ---- small helpers ------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* The lane's label: the program's file name and its arguments, joined by
 * spaces, those a shell would split or expand in quotes, cut to fit. */
static void label_argv(char *buf, size_t size, char *const argv[])
{
	const char *program = strrchr(argv[0], '/');
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; argv[i] != NULL && used + 1 < size; i++) {
		const char *word = i == 0 && program && program[1] ? program + 1 : argv[i];
		bool quote = word[0] == '\0' || strpbrk(word, " \t\n|&;<>()$*?[]'\"\\") != NULL;

		used += snprintf(buf + used, size - used, quote ? "%s'%s'" : "%s%s",
				 i ? " " : "", word);
	}
}

static bool stdio_ok(int mode, int fd, bool is_err)
{
	if (mode < MP_INHERIT || mode > MP_FD || (mode == MP_STDOUT && !is_err))
		return false;
	return mode != MP_FD || fd >= 0;
}

static bool options_ok(const struct mp_run_options *o)
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
		if (pipe2(p, O_CLOEXEC) == -1)
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
	_exit(127);
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

/* ---- spawning ------------------------------------------------------------ */

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

static void subprocess_free(mp_subprocess *p)
{
	close_fd(&p->stdin_fd);
	close_fd(&p->stdout_fd);
	close_fd(&p->stderr_fd);
	close_fd(&p->mp__pidfd);
	free(p->mp__out);
	free(p->mp__err);
	free(p);
}

/* Collects p if it has ended (flags 0: waits for it).  1 collected (now or
 * before), 0 still running, -1 and errno. */
static int reap(mp_subprocess *p, int flags)
{
	int status;
	pid_t r;

	if (p->returncode != MP_EXITCODE_NONE)
		return 1;
	r = MP__NOINTR(waitpid(p->pid, &status, flags));	/* records proc_reap */
	if (r <= 0)
		return r;
	p->returncode = mp__exitcode_from_status(status);
	p->mp__wstatus = status;
	return 1;
}

/* Starts argv with the streams `o` asks for.  `label` names the lane and the
 * sub_spawn event.  NULL and errno. */
static mp_subprocess *spawn(char *const argv[], const struct mp_run_options *o,
			    const char *label)
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
	if (pipe2(errpipe, O_CLOEXEC) == -1)
		goto fail;

	/* What stdio holds would be lost, or printed after the child's. */
	fflush(stdout);
	fflush(stderr);
	mp__set_next_child_name(label);
	pid = fork();
	if (pid == 0)
		child_exec(&s, errpipe[1], argv, o->cwd, o->env);
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
	mp__tp(sub_spawn, getpid(), pid, label, err);
	if (err != 0) {
		reap(p, 0);
		errno = err;
		goto fail;
	}
	spawn_fds_close(&s);
	p->stdin_fd = s.parent[0];
	p->stdout_fd = s.parent[1];
	p->stderr_fd = s.parent[2];
	p->mp__pidfd = (int)syscall(SYS_pidfd_open, pid, 0);	/* close-on-exec */
	if (o->in_from != NULL)
		close_fd(&o->in_from->stdout_fd);
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

static mp_subprocess *popen_checked(char *const argv[], const struct mp_run_options *opt,
				    const char *label)
{
	static const struct mp_run_options none;

	if (opt == NULL)
		opt = &none;
	if (argv == NULL || argv[0] == NULL || !options_ok(opt)) {
		errno = EINVAL;
		return NULL;
	}
	return spawn(argv, opt, label);
}

mp_subprocess *mp_subprocess_popen(char *const argv[], const struct mp_run_options *opt)
{
	char label[sizeof(((mp_subprocess *)0)->mp__cmd)];

	if (argv == NULL || argv[0] == NULL) {
		errno = EINVAL;
		return NULL;
	}
	label_argv(label, sizeof(label), argv);
	return popen_checked(argv, opt, label);
}

mp_subprocess *mp_subprocess_popen_shell(const char *cmd, const struct mp_run_options *opt)
{
	char label[sizeof(((mp_subprocess *)0)->mp__cmd)];
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };

	if (cmd == NULL) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(label, sizeof(label), "sh -c '%s'", cmd);
	return popen_checked(argv, opt, label);
}

/* ---- waiting and signals ------------------------------------------------- */

/* Waits for p until deadline (mp__now_ns clock, -1 no limit): 0 collected,
 * -1 and errno (ETIMEDOUT). */
static int wait_until(mp_subprocess *p, int64_t deadline)
{
	int r;

	if (deadline < 0)
		return reap(p, 0) == 1 ? 0 : -1;
	while ((r = reap(p, WNOHANG)) == 0) {
		int64_t left = deadline - mp__now_ns();

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (p->mp__pidfd >= 0) {
			/* A pidfd turns readable when its process ends. */
			struct pollfd pfd = { .fd = p->mp__pidfd, .events = POLLIN };
			struct timespec ts = { left / 1000000000, left % 1000000000 };

			if (ppoll(&pfd, 1, &ts, NULL) == -1 && errno != EINTR)
				return -1;
		} else {
			struct timespec ts = { 0, left < 1000000 ? left : 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	return r == 1 ? 0 : -1;
}

int mp_subprocess_poll(mp_subprocess *p)
{
	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	return reap(p, WNOHANG);
}

static int wait_traced(mp_subprocess *p, double seconds)
{
	int64_t deadline = mp__deadline(seconds);
	int r, err;

	if (p == NULL || deadline == -2) {
		errno = EINVAL;
		return -1;
	}
	if (p->returncode != MP_EXITCODE_NONE)
		return 0;
	mp__tp(proc_join, getpid(), p->pid, mp__timeout_us(seconds));
	r = wait_until(p, deadline);
	err = errno;
	mp__tp(proc_joined, getpid(), p->pid, r == 0);
	errno = err;
	return r;
}

int mp_subprocess_wait(mp_subprocess *p)
{
	return wait_traced(p, MP_FOREVER);
}

int mp_subprocess_wait_timeout(mp_subprocess *p, double seconds)
{
	return wait_traced(p, seconds);
}

int mp_subprocess_send_signal(mp_subprocess *p, int signo)
{
	if (p == NULL || signo < 0 || signo >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	/* Not collected yet, so the pid cannot have been reused. */
	if (reap(p, WNOHANG) != 0)
		return 0;
	if (kill(p->pid, signo) == -1)
		return -1;
	mp__tp(proc_signal, getpid(), p->pid, signo);
	return 0;
}

int mp_subprocess_terminate(mp_subprocess *p)
{
	return mp_subprocess_send_signal(p, SIGTERM);
}

int mp_subprocess_kill(mp_subprocess *p)
{
	return mp_subprocess_send_signal(p, SIGKILL);
}

int mp_subprocess_close(mp_subprocess *p)
{
	int r;

	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* Closed first: a child blocked writing to us gets EPIPE and ends. */
	close_fd(&p->stdin_fd);
	close_fd(&p->stdout_fd);
	close_fd(&p->stderr_fd);
	r = wait_until(p, -1);
	subprocess_free(p);
	return r;
}

/* ---- communicate --------------------------------------------------------- */

/* Room for CHUNK more bytes (and a NUL) in *buf.  0 or -1 ENOMEM. */
static int grow(char **buf, size_t len, size_t *cap)
{
	if (*cap - len > CHUNK)
		return 0;
	size_t bigger = *cap ? *cap : CHUNK;

	while (bigger - len <= CHUNK)
		bigger *= 2;
	char *b = realloc(*buf, bigger);
	if (b == NULL)
		return -1;
	*buf = b;
	*cap = bigger;
	return 0;
}

/* Reads what is there from the child's stream (1 stdout, 2 stderr) into
 * the buffer; closes the pipe at end of file.  The bytes read are one
 * sub_io event.  0 or -1 and errno. */
static int drain(mp_subprocess *p, int stream, int *fd, char **buf,
		 size_t *len, size_t *cap)
{
	size_t before = *len;
	int r = 0;

	for (;;) {
		if (grow(buf, *len, cap) == -1) {
			r = -1;
			break;
		}
		ssize_t n = read(*fd, *buf + *len, *cap - *len - 1);

		if (n > 0) {
			*len += n;
			continue;
		}
		if (n == 0)
			close_fd(fd);
		else if (errno != EAGAIN && errno != EINTR)
			r = -1;
		break;
	}
	if (*len > before) {
		int err = errno;

		mp__tp(sub_io, getpid(), p->pid, stream, (uint64_t)(*len - before));
		errno = err;
	}
	return r;
}

/* Writes what stdin takes of the input now; closes stdin when all is
 * written or the child stopped reading (EPIPE).  0 or -1 and errno. */
static int feed_some(mp_subprocess *p, const char *input, size_t len)
{
	while (p->mp__input_done < len) {
		size_t left = len - p->mp__input_done;
		ssize_t n = write(p->stdin_fd, input + p->mp__input_done,
				  left < CHUNK ? left : CHUNK);

		if (n >= 0) {
			p->mp__input_done += n;
			continue;
		}
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno != EPIPE)
			return -1;
		break;
	}
	close_fd(&p->stdin_fd);
	return 0;
}

/* feed_some(), and the bytes it wrote as one sub_io event. */
static int feed(mp_subprocess *p, const char *input, size_t len)
{
	size_t before = p->mp__input_done;
	int r = feed_some(p, input, len);
	int err = errno;

	if (p->mp__input_done > before)
		mp__tp(sub_io, getpid(), p->pid, 0,
		       (uint64_t)(p->mp__input_done - before));
	errno = err;
	return r;
}

static void nonblock(int fd)
{
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A NUL-terminated copy (or the buffer itself, handed over) for a result. */
static char *result_text(char **buf, size_t len, bool hand_over)
{
	char *text;

	if (*buf == NULL)
		return NULL;
	(*buf)[len] = '\0';		/* grow() always left room */
	if (!hand_over)
		return strndup(*buf, len);
	text = *buf;
	*buf = NULL;
	return text;
}

/* Serves the pipes until both outputs end and the child is collected, or
 * the deadline.  0 or -1 and errno. */
static int pump(mp_subprocess *p, const char *input, size_t len, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd[3];
		int n = 0;

		if (p->stdin_fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = p->stdin_fd, .events = POLLOUT };
		if (p->stdout_fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = p->stdout_fd, .events = POLLIN };
		if (p->stderr_fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = p->stderr_fd, .events = POLLIN };
		if (n == 0)
			return wait_until(p, deadline);

		int64_t left = deadline < 0 ? -1 : deadline - mp__now_ns();
		struct timespec ts = { left / 1000000000, left % 1000000000 };

		if (deadline >= 0 && left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (ppoll(pfd, n, deadline < 0 ? NULL : &ts, NULL) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* Serve every end that may be ready: an idle one costs one EAGAIN. */
		if (p->stdin_fd >= 0 && feed(p, input, len) == -1)
			return -1;
		if (p->stdout_fd >= 0
		    && drain(p, 1, &p->stdout_fd, &p->mp__out, &p->mp__out_len,
			     &p->mp__out_cap) == -1)
			return -1;
		if (p->stderr_fd >= 0
		    && drain(p, 2, &p->stderr_fd, &p->mp__err, &p->mp__err_len,
			     &p->mp__err_cap) == -1)
			return -1;
	}
}

int mp_subprocess_communicate(mp_subprocess *p, const void *input, size_t input_len,
			      double seconds, struct mp_completed *result)
{
	int64_t deadline = mp__deadline(seconds);
	struct sigaction sa;
	int r, err;

	if (result != NULL)
		memset(result, 0, sizeof(*result));
	if (p == NULL || result == NULL || deadline == -2
	    || (input_len > 0 && (input == NULL || (p->stdin_fd < 0 && p->mp__input_done == 0)))) {
		errno = EINVAL;
		if (result != NULL)
			result->returncode = MP_EXITCODE_NONE;
		return -1;
	}
	/* A child that ends without reading its input must not kill us. */
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal(SIGPIPE, SIG_IGN);
	/* Buffers exist for the pipes: a pipe that carried nothing gives "". */
	if ((p->stdout_fd >= 0 && grow(&p->mp__out, 0, &p->mp__out_cap) == -1)
	    || (p->stderr_fd >= 0 && grow(&p->mp__err, 0, &p->mp__err_cap) == -1))
		return -1;
	nonblock(p->stdin_fd);
	nonblock(p->stdout_fd);
	nonblock(p->stderr_fd);
	if (p->stdin_fd >= 0 && p->mp__input_done >= input_len)
		close_fd(&p->stdin_fd);		/* nothing (more) to say: EOF */

	r = pump(p, input, input_len, deadline);
	err = errno;
	result->returncode = p->returncode;
	result->timed_out = r == -1 && err == ETIMEDOUT;
	/* Done: the buffers are the caller's.  Not done: a copy, and we keep
	 * ours to go on from. */
	result->out = result_text(&p->mp__out, p->mp__out_len, r == 0);
	result->out_len = p->mp__out_len;
	result->err = result_text(&p->mp__err, p->mp__err_len, r == 0);
	result->err_len = p->mp__err_len;
	if (r == 0)
		p->mp__out_len = p->mp__out_cap = p->mp__err_len = p->mp__err_cap = 0;
	errno = err;
	return r;
}

void mp_completed_free(struct mp_completed *r)
{
	if (r == NULL)
		return;
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
	r->returncode = MP_EXITCODE_NONE;
}

/* ---- run and its conveniences -------------------------------------------- */

/* Python's run(): spawn, communicate, on timeout kill and collect. */
static int run(char *const argv[], const char *shell_cmd, const struct mp_run_options *opt,
	       struct mp_completed *result, int *wstatus)
{
	static const struct mp_run_options none;
	struct mp_run_options o = opt ? *opt : none;
	mp_subprocess *p;
	int r, err;

	if (result == NULL || !options_ok(&o) || o.in_from != NULL
	    || (o.input_len > 0 && o.input == NULL)) {
		errno = EINVAL;
		return -1;
	}
	memset(result, 0, sizeof(*result));
	result->returncode = MP_EXITCODE_NONE;
	if (o.input != NULL)
		o.in = MP_PIPE;
	p = shell_cmd ? mp_subprocess_popen_shell(shell_cmd, &o) : mp_subprocess_popen(argv, &o);
	if (p == NULL)
		return -1;
	r = mp_subprocess_communicate(p, o.input, o.input_len,
				      o.timeout > 0 ? o.timeout : MP_FOREVER, result);
	err = errno;
	if (r == -1 && err == ETIMEDOUT) {
		/* Collect it without reading on: a grandchild may hold the
		 * pipes open for as long as it likes. */
		mp_subprocess_kill(p);
		close_fd(&p->stdin_fd);
		close_fd(&p->stdout_fd);
		close_fd(&p->stderr_fd);
		wait_until(p, -1);
		result->returncode = p->returncode;
	} else if (r == -1) {
		mp_completed_free(result);
		mp_subprocess_kill(p);
	}
	if (wstatus != NULL)
		*wstatus = p->mp__wstatus;
	mp_subprocess_close(p);
	if (r == 0 && o.check && result->returncode != 0) {
		err = MP_CALLED_PROCESS_ERROR;
		r = -1;
	}
	errno = err;
	return r;
}

int mp_run(char *const argv[], const struct mp_run_options *opt, struct mp_completed *result)
{
	return run(argv, NULL, opt, result, NULL);
}

int mp_run_shell(const char *cmd, const struct mp_run_options *opt, struct mp_completed *result)
{
	if (cmd == NULL) {
		errno = EINVAL;
		return -1;
	}
	return run(NULL, cmd, opt, result, NULL);
}

int mp_call(char *const argv[], int *returncode)
{
	struct mp_completed r;

	if (returncode == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (mp_run(argv, NULL, &r) == -1)
		return -1;
	*returncode = r.returncode;
	mp_completed_free(&r);
	return 0;
}

int mp_check_output(char *const argv[], const struct mp_run_options *opt,
		    struct mp_completed *result)
{
	static const struct mp_run_options none;
	struct mp_run_options o = opt ? *opt : none;

	o.out = MP_PIPE;
	o.check = true;
	return mp_run(argv, &o, result);
}

int mp_system(const char *cmd)
{
	struct mp_completed r;
	int wstatus = 0;

	if (cmd == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (run(NULL, cmd, NULL, &r, &wstatus) == -1)
		return -1;
	mp_completed_free(&r);
	return wstatus;
}

/* ---- os.popen ------------------------------------------------------------ */

/* The streams mp_popen() handed out, and their children. */
struct popen_entry {
	FILE *f;
	mp_subprocess *p;
	struct popen_entry *next;
};

static struct popen_entry *popened;
static pthread_mutex_t popen_lock = PTHREAD_MUTEX_INITIALIZER;

FILE *mp_popen(const char *cmd, const char *mode)
{
	struct mp_run_options o = { 0 };
	struct popen_entry *e;
	bool reading = mode != NULL && strcmp(mode, "r") == 0;
	mp_subprocess *p;
	int *fd;

	if (cmd == NULL || (!reading && (mode == NULL || strcmp(mode, "w") != 0))) {
		errno = EINVAL;
		return NULL;
	}
	e = malloc(sizeof(*e));
	if (e == NULL)
		return NULL;
	if (reading)
		o.out = MP_PIPE;
	else
		o.in = MP_PIPE;
	p = mp_subprocess_popen_shell(cmd, &o);
	if (p == NULL) {
		free(e);
		return NULL;
	}
	fd = reading ? &p->stdout_fd : &p->stdin_fd;
	e->f = fdopen(*fd, reading ? "r" : "w");
	if (e->f == NULL) {
		int err = errno;

		free(e);
		mp_subprocess_kill(p);
		mp_subprocess_close(p);
		errno = err;
		return NULL;
	}
	*fd = -1;	/* the FILE owns it now */
	e->p = p;
	pthread_mutex_lock(&popen_lock);
	e->next = popened;
	popened = e;
	pthread_mutex_unlock(&popen_lock);
	return e->f;
}

int mp_pclose(FILE *f)
{
	struct popen_entry **link, *e = NULL;
	int status;

	pthread_mutex_lock(&popen_lock);
	for (link = &popened; *link != NULL; link = &(*link)->next) {
		if ((*link)->f == f && f != NULL) {
			e = *link;
			*link = e->next;
			break;
		}
	}
	pthread_mutex_unlock(&popen_lock);
	if (e == NULL) {
		errno = EINVAL;
		return -1;
	}
	fclose(f);
	wait_until(e->p, -1);
	status = e->p->mp__wstatus;
	mp_subprocess_close(e->p);
	free(e);
	return status;
}
