/*
 * pipe.c - Pipe: two connected ends that send and receive whole messages.
 *
 * A pipe(2) carries bytes, not messages: a reader may get half of what a
 * writer wrote, or two writes at once.  So every message travels as a
 * 16-byte header (its length and id) followed by its bytes, and recv()
 * reads exactly one message.  A duplex connection is two pipes, one each
 * way (cheaper than a socketpair); a one-way Pipe is one pipe, its first end
 * only reading, its second only writing.
 *
 * End of file: read() returns 0 only when every copy of the writing end is
 * closed - in every process.  A child that inherits a writing end it does
 * not use must close it, or the reader waits forever (lesson 4).
 *
 * A connection end is meant for one process at a time, as in Python: it
 * buffers what it reads, so two readers of one end would split messages.
 *
 * The pipes are the runtime's own (mp__own_pipe): the messages are
 * recorded (msg_send, msg_recv), the bytes that carry them are not.
 */
#define _GNU_SOURCE
#include "messages/messages.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <errno.h>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define HEADER_SIZE 16
#define BUFFER_SIZE 65536

struct header {
	uint64_t len;
	uint64_t msg_id;
};

struct mp_conn {
	int rfd, wfd;		/* -1 where this end may not go */
	uint64_t id;		/* the pipe's id, the same at both ends */
	bool closed;
	bool have_header;	/* `next` is read, its bytes are not */
	struct header next;
	unsigned char *buf;	/* bytes read ahead, [start, end) */
	size_t start, end;
	struct mp_conn *next_conn;	/* every handle stays reachable (see sync.h) */
};

static struct mp_conn *conns;

static mp_conn *conn_new(int rfd, int wfd, uint64_t id)
{
	mp_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	if (rfd >= 0 && (c->buf = malloc(BUFFER_SIZE)) == NULL) {
		free(c);
		return NULL;
	}
	c->rfd = rfd;
	c->wfd = wfd;
	c->id = id;
	c->next_conn = conns;
	conns = c;
	return c;
}

int mp_pipe(bool duplex, mp_conn **a, mp_conn **b)
{
	MP__SITE();
	int p1[2], p2[2] = { -1, -1 };
	uint64_t id = mp__new_id();

	if (a == NULL || b == NULL) {
		errno = EINVAL;
		return -1;
	}
	mp__no_sigpipe();
	if (mp__own_pipe(p1, O_CLOEXEC) == -1)
		return -1;
	if (duplex && mp__own_pipe(p2, O_CLOEXEC) == -1) {
		int err = errno;
		close(p1[0]);
		close(p1[1]);
		errno = err;
		return -1;
	}
	/* One-way: a reads p1, b writes p1.  Duplex: also a writes p2, b reads p2. */
	*a = conn_new(p1[0], p2[1], id);
	*b = conn_new(p2[0], p1[1], id);
	if (*a == NULL || *b == NULL) {
		int fds[] = { p1[0], p1[1], p2[0], p2[1] };
		for (int i = 0; i < 4; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		if (*a)
			(*a)->closed = true;
		if (*b)
			(*b)->closed = true;
		errno = ENOMEM;
		return -1;
	}
	mp__tp(chan_open, mp__pid(), id, duplex ? "pipe" : "pipe-oneway", 0);
	return 0;
}

static int usable(mp_conn *c, int fd)
{
	if (c == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (c->closed || fd < 0) {
		errno = EBADF;	/* closed, or the wrong direction of a one-way pipe */
		return -1;
	}
	return 0;
}

int mp_conn_send(mp_conn *c, const void *msg, size_t len)
{
	MP__SITE();
	struct header h;

	if (usable(c, c ? c->wfd : -1) == -1)
		return -1;
	if (msg == NULL && len > 0) {
		errno = EINVAL;
		return -1;
	}
	if (len > MP_PIPE_MSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	h.len = len;
	h.msg_id = mp__new_id();
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)msg, len } };
	/* Recorded before the write, so the receiver's event cannot come
	 * first; a send that then fails says so. */
	mp__tp(msg_send, mp__pid(), c->id, h.msg_id, len, "send");
	if (mp__writev_all(c->wfd, iov, len > 0 ? 2 : 1, -1, 0) == -1) {
		int err = errno;	/* EPIPE: nobody has the other end open */
		mp__tp(chan_op, mp__pid(), c->id, "send_failed", err);
		errno = err;
		return -1;
	}
	return 0;
}

/* Reads more into the buffer.  1 if bytes came, 0 at end of file, -1. */
static int fill(mp_conn *c)
{
	ssize_t n;

	if (c->start == c->end)
		c->start = c->end = 0;
	else if (c->end == BUFFER_SIZE) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	n = MP__NOINTR(read(c->rfd, c->buf + c->end, BUFFER_SIZE - c->end));
	if (n == -1)
		return -1;
	c->end += n;
	return n > 0;
}

static int eof(mp_conn *c)
{
	mp__tp(chan_eof, mp__pid(), c->id);
	errno = EPIPE;		/* Python's EOFError */
	return -1;
}

ssize_t mp_conn_recv(mp_conn *c, void *buf, size_t size)
{
	MP__SITE();
	if (usable(c, c ? c->rfd : -1) == -1)
		return -1;
	if (buf == NULL && size > 0) {
		errno = EINVAL;
		return -1;
	}
	while (!c->have_header) {
		if (c->end - c->start >= HEADER_SIZE) {
			memcpy(&c->next, c->buf + c->start, HEADER_SIZE);
			c->start += HEADER_SIZE;
			c->have_header = true;
			break;
		}
		int r = fill(c);
		if (r <= 0)
			return r == 0 ? eof(c) : -1;
	}
	if (c->next.len > size) {
		errno = EMSGSIZE;	/* it stays, for a bigger buffer */
		return -1;
	}
	size_t got = c->end - c->start < c->next.len ? c->end - c->start : c->next.len;
	if (got > 0)	/* an empty message may go to NULL */
		memcpy(buf, c->buf + c->start, got);
	c->start += got;
	/* The rest of a long message goes straight into the caller's buffer. */
	if (got < c->next.len) {
		ssize_t n = mp__read_all(c->rfd, (char *)buf + got, c->next.len - got, -1);

		if (n == -1)
			return -1;
		if ((size_t)n < c->next.len - got)
			return eof(c);	/* the writer died in the middle of a message */
	}
	c->have_header = false;
	mp__tp(msg_recv, mp__pid(), c->id, c->next.msg_id, c->next.len, "recv");
	return (ssize_t)c->next.len;
}

int mp_conn_poll(mp_conn *c, double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);

	if (usable(c, c ? c->rfd : -1) == -1 || deadline == -2)
		return -1;
	if (c->have_header || c->end > c->start)
		return 1;
	for (;;) {
		struct timespec ts;
		struct pollfd pfd = { .fd = c->rfd, .events = POLLIN };
		int r = ppoll(&pfd, 1, mp__time_left(deadline, &ts), NULL);

		if (r >= 0)
			return r > 0;	/* readable, or hung up: end of file is news too */
		if (errno != EINTR)
			return -1;
	}
}

ssize_t mp_conn_recv_timeout(mp_conn *c, void *buf, size_t size, double seconds)
{
	MP__SITE();
	int r = mp_conn_poll(c, seconds);

	if (r == 0)
		errno = EAGAIN;		/* nothing came */
	return r == 1 ? mp_conn_recv(c, buf, size) : -1;
}

/* mp_conn_send_str, _int; mp_conn_recv_str, _str_timeout, _int,
 * _int_timeout (messages.h). */
MP__TYPED_SEND_NOWAIT(mp_conn, mp_conn_send, mp_conn_send)
MP__TYPED_RECV(mp_conn, mp_conn_recv, mp_conn_recv_timeout)

int mp_conn_close(mp_conn *c)
{
	MP__SITE();
	if (c == NULL || c->closed) {
		errno = c == NULL ? EINVAL : EBADF;
		return -1;
	}
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0)
		close(c->wfd);
	free(c->buf);
	c->buf = NULL;
	c->rfd = c->wfd = -1;
	c->closed = true;
	mp__tp(chan_op, mp__pid(), c->id, "close", 0);
	return 0;
}
