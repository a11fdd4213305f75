/*
 * lines.c - talking to a child a line at a time, as Python's
 *
 *     p.stdin.write(b"lttng.org\n"); p.stdin.flush()
 *     answer = p.stdout.readline()
 *
 * do.  Each call records what it moved (sub_io, as communicate() does), so
 * the timeline draws each question and each answer between the two lanes.
 * A line at a time is safe while each side answers before it asks again;
 * for all of the input and output at once, communicate() (lesson 16's
 * deadlock is what happens otherwise).
 */
#define _GNU_SOURCE
#include "subprocess/subprocess.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <poll.h>

ssize_t mp_subprocess_write(mp_subprocess *p, const void *buf, size_t len)
{
	MP__SITE();
	if (p == NULL || (buf == NULL && len > 0) || p->stdin_fd < 0) {
		errno = EINVAL;
		return -1;
	}
	mp__no_sigpipe();	/* a child that has stopped reading: EPIPE */
	if (mp__write_all(p->stdin_fd, buf, len, -1, 0) == -1)
		return -1;
	if (len > 0)
		mp__tp(sub_io, mp__pid(), p->pid, 0, (uint64_t)len);
	return (ssize_t)len;
}

ssize_t mp_subprocess_readline_timeout(mp_subprocess *p, char *buf, size_t size,
				       double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);
	size_t len = 0;
	int err = 0;		/* why it stopped before a line's end: an errno */

	if (p == NULL || buf == NULL || size == 0 || p->stdout_fd < 0 || deadline == -2) {
		errno = EINVAL;
		return -1;
	}
	while (len + 1 < size) {
		if (mp__fd_wait(p->stdout_fd, POLLIN, deadline) == -1) {
			err = errno;
			break;
		}
		ssize_t n = read(p->stdout_fd, buf + len, 1);	/* never past the line */

		if (n == 1) {
			if (buf[len++] == '\n')
				break;
		} else if (n == 0) {
			break;			/* end of file */
		} else if (errno != EINTR && errno != EAGAIN) {
			err = errno;
			break;
		}
	}
	buf[len] = '\0';
	if (len > 0)
		mp__tp(sub_io, mp__pid(), p->pid, 1, (uint64_t)len);
	if (err != 0) {
		errno = err;	/* what was read is in buf, without its end */
		return -1;
	}
	return (ssize_t)len;
}

ssize_t mp_subprocess_readline(mp_subprocess *p, char *buf, size_t size)
{
	MP__SITE();
	return mp_subprocess_readline_timeout(p, buf, size, MP_FOREVER);
}
