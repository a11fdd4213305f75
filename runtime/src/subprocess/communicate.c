/*
 * communicate.c - Popen.communicate(): the one loop that may not deadlock.
 *
 * The child may fill its stdout pipe while we are still writing its stdin,
 * or fill stderr while we read stdout.  So all three parent ends are
 * non-blocking and served by one poll(), whichever is ready, until both
 * outputs reach end of file.
 */
#define _GNU_SOURCE
#include "subprocess/subprocess.h"
#include "base/buf.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK ((size_t)64 << 10)	/* read at least this much at a time */

/* Room for CHUNK more bytes (and a NUL) in *buf.  0 or -1 ENOMEM. */
static int grow(char **buf, size_t len, size_t *cap)
{
	return mp__grow(buf, cap, len + CHUNK + 1, 1);
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
			mp__close(fd);
		else if (errno != EAGAIN && errno != EINTR)
			r = -1;
		break;
	}
	if (*len > before) {
		int err = errno;

		mp__tp(sub_io, mp__pid(), p->pid, stream, (uint64_t)(*len - before));
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
	mp__close(&p->stdin_fd);
	return 0;
}

/* feed_some(), and the bytes it wrote as one sub_io event. */
static int feed(mp_subprocess *p, const char *input, size_t len)
{
	size_t before = p->mp__input_done;
	int r = feed_some(p, input, len);
	int err = errno;

	if (p->mp__input_done > before)
		mp__tp(sub_io, mp__pid(), p->pid, 0,
		       (uint64_t)(p->mp__input_done - before));
	errno = err;
	return r;
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
			return mp__wait_until(p, deadline);

		struct timespec ts;

		if (deadline >= 0 && mp__now_ns() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (ppoll(pfd, n, mp__time_left(deadline, &ts), NULL) == -1) {
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

int mp_subprocess_communicate_timeout(mp_subprocess *p, const void *input, size_t input_len,
				      double seconds, struct mp_completed *result)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);
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
	mp__no_sigpipe();	/* a child that ends without reading its input */
	/* Buffers exist for the pipes: a pipe that carried nothing gives "". */
	if ((p->stdout_fd >= 0 && grow(&p->mp__out, 0, &p->mp__out_cap) == -1)
	    || (p->stderr_fd >= 0 && grow(&p->mp__err, 0, &p->mp__err_cap) == -1))
		return -1;
	mp__nonblock(p->stdin_fd);
	mp__nonblock(p->stdout_fd);
	mp__nonblock(p->stderr_fd);
	if (p->stdin_fd >= 0 && p->mp__input_done >= input_len)
		mp__close(&p->stdin_fd);		/* nothing (more) to say: EOF */

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

int mp_subprocess_communicate(mp_subprocess *p, const void *input, size_t input_len,
			      struct mp_completed *result)
{
	MP__SITE();
	return mp_subprocess_communicate_timeout(p, input, input_len, MP_FOREVER, result);
}

void mp_completed_free(struct mp_completed *r)
{
	MP__SITE();
	if (r == NULL)
		return;
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
	r->returncode = MP_EXITCODE_NONE;
}
