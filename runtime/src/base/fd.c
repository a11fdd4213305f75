/*
 * base/fd.c - whole reads and writes with a deadline (fd.h).
 */
#define _GNU_SOURCE
#include "base/fd.h"
#include "base/time.h"

#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int mp__fd_wait(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int r;

		if (deadline >= 0 && mp__now_ns() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = poll(&pfd, 1, mp__ms_left(deadline));
		if (r > 0)
			return 0;	/* ready, or hung up: the read or write says which */
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

int mp__writev_all(int fd, struct iovec *iov, int n, int64_t deadline, int flags)
{
	while (n > 0) {
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t w = flags & MP__SOCKET ? sendmsg(fd, &msg, MSG_NOSIGNAL)
			  : n == 1 ? write(fd, iov->iov_base, iov->iov_len)	/* the cheaper call */
			  : writev(fd, iov, n);

		if (w == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && mp__fd_wait(fd, POLLOUT, deadline) == 0)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int mp__write_all(int fd, const void *p, size_t len, int64_t deadline, int flags)
{
	struct iovec iov = { (void *)p, len };

	return mp__writev_all(fd, &iov, len > 0, deadline, flags);
}

ssize_t mp__read_all(int fd, void *p, size_t len, int64_t deadline)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, (char *)p + got, len - got);

		if (r > 0) {
			got += (size_t)r;
		} else if (r == 0) {
			break;		/* end of file */
		} else if (errno == EINTR) {
			continue;
		} else if (errno != EAGAIN || mp__fd_wait(fd, POLLIN, deadline) == -1) {
			return -1;
		}
	}
	return (ssize_t)got;
}

void mp__no_sigpipe(void)
{
	struct sigaction sa;

	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal(SIGPIPE, SIG_IGN);
}

int mp__nonblock(int fd)
{
	int fl;

	if (fd < 0)
		return 0;
	fl = fcntl(fd, F_GETFL);
	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void mp__close(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

int mp__pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}
