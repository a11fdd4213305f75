/*
 * io.c - read() and write() and their kin, on pipes and sockets only.
 *
 *   io_write  before a write: fd, stream, offset, the bytes asked for
 *   io_short  after it, only if fewer bytes went (0: it failed)
 *   io_read   after a read: fd, stream, offset, the bytes read (0: EOF)
 *
 * streams.c explains stream and offset, and what is exact.  A write is
 * recorded before it happens so that its reader, woken on another CPU the
 * moment the bytes land, can never record first.
 *
 * Wrapped: read, write, readv, writev, send, recv, sendto, recvfrom,
 * sendmsg, recvmsg, and the fortified __read_chk, __recv_chk and
 * __recvfrom_chk that programs built with _FORTIFY_SOURCE call instead.
 * A recv with MSG_PEEK takes nothing and is not recorded.  Bytes written to
 * fd 1 and 2 also go to output.c as lines, whatever the fd is.
 */
#include "layer.h"

#include <sys/uio.h>

/* Whether a call on fd from `caller` is recorded.  The cheapest test
 * first: while no session records, a wrapper costs a load and a test. */
static bool watching(bool on, int fd, const void *caller)
{
	return on && !ip_fd_owned(fd) && ip_may(caller);
}

static void read_done(int fd, ssize_t r, const char *call)
{
	uint64_t ino, stream, offset;
	int err = errno;

	if (r < 0 || !mp__tp_on(io_read) || ip_fd_kind(fd, &ino) == IP_OTHER) {
		errno = err;
		return;
	}
	stream = ip_stream_for_read(ino);
	offset = ip_stream_take(stream, (uint64_t)r);
	mp__tp(io_read, mp__pid(), fd, stream, offset, (int64_t)r, call);
	errno = err;
}

static size_t iov_bytes(const struct iovec *iov, int n)
{
	size_t sum = 0;

	for (int i = 0; i < n; i++)
		sum += iov[i].iov_len;
	return sum;
}

/* Lines of output from the first `done` bytes of an iovec. */
static void output_iov(int fd, const struct iovec *iov, int n, size_t done)
{
	for (int i = 0; i < n && done > 0; i++) {
		size_t k = iov[i].iov_len < done ? iov[i].iov_len : done;

		ip_output(fd, iov[i].iov_base, k);
		done -= k;
	}
}

/* ---- writes ------------------------------------------------------------- */

/* The shape of every write wrapper: record, call, correct, lines. */
#define WRITE_BODY(fd, n, name, call, lines) do {			\
		struct ip_write w_;					\
		bool watch_ = watching(mp__tp_on(io_write) ||		\
				       mp__tp_on(out_line), fd, IP_CALLER); \
		if (watch_)						\
			ip_write_begin(&w_, fd, n, name);		\
		ssize_t r_ = call;					\
		if (watch_) {						\
			int err_ = errno;				\
			ip_write_done(&w_, r_);				\
			if (r_ > 0 && (fd == 1 || fd == 2))		\
				lines;					\
			errno = err_;					\
		}							\
		return r_;						\
	} while (0)

ssize_t write(int fd, const void *buf, size_t n)
{
	MP__SITE();
	WRITE_BODY(fd, n, "write", REAL(write)(fd, buf, n), ip_output(fd, buf, r_));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	MP__SITE();
	WRITE_BODY(fd, iov_bytes(iov, iovcnt), "writev", REAL(writev)(fd, iov, iovcnt),
		   output_iov(fd, iov, iovcnt, r_));
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	MP__SITE();
	WRITE_BODY(fd, n, "send", REAL(send)(fd, buf, n, flags), (void)0);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	MP__SITE();
	WRITE_BODY(fd, n, "sendto", REAL(sendto)(fd, buf, n, flags, to, tolen), (void)0);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	MP__SITE();
	WRITE_BODY(fd, iov_bytes(msg->msg_iov, msg->msg_iovlen), "sendmsg",
		   REAL(sendmsg)(fd, msg, flags), (void)0);
}

/* ---- reads -------------------------------------------------------------- */

#define READ_BODY(fd, n, name, call, peek) do {				\
		bool watch_ = (n) > 0 && !(peek) &&			\
			watching(mp__tp_on(io_read), fd, IP_CALLER);	\
		ssize_t r_ = call;					\
		if (watch_)						\
			read_done(fd, r_, name);			\
		return r_;						\
	} while (0)

ssize_t read(int fd, void *buf, size_t n)
{
	MP__SITE();
	READ_BODY(fd, n, "read", REAL(read)(fd, buf, n), false);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	MP__SITE();
	READ_BODY(fd, n, "read", REAL(__read_chk)(fd, buf, n, buflen), false);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	MP__SITE();
	READ_BODY(fd, iov_bytes(iov, iovcnt), "readv", REAL(readv)(fd, iov, iovcnt), false);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	MP__SITE();
	READ_BODY(fd, n, "recv", REAL(recv)(fd, buf, n, flags), flags & MSG_PEEK);
}

ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	MP__SITE();
	READ_BODY(fd, n, "recv", REAL(__recv_chk)(fd, buf, n, buflen, flags), flags & MSG_PEEK);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	MP__SITE();
	READ_BODY(fd, n, "recvfrom", REAL(recvfrom)(fd, buf, n, flags, from, fromlen),
		  flags & MSG_PEEK);
}

ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
		       struct sockaddr *from, socklen_t *fromlen)
{
	MP__SITE();
	READ_BODY(fd, n, "recvfrom",
		  REAL(__recvfrom_chk)(fd, buf, n, buflen, flags, from, fromlen),
		  flags & MSG_PEEK);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	MP__SITE();
	READ_BODY(fd, iov_bytes(msg->msg_iov, msg->msg_iovlen), "recvmsg",
		  REAL(recvmsg)(fd, msg, flags), flags & MSG_PEEK);
}
