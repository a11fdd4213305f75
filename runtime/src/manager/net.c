/*
 * net.c - the manager's sockets: addresses, connecting, listening, and
 * bytes with deadlines (redis keeps the same in anet.c).
 *
 * Every wait has a deadline, so a server that stops answering costs a
 * timeout, never a hang, and a server that dies shows at once (its end
 * hangs up).  A socket is non-blocking while it connects and
 * authenticates, each wait a poll() to the deadline; a client's then
 * blocks, each call at most MP_MANAGER_TIMEOUT (SO_RCVTIMEO, SO_SNDTIMEO),
 * so that a request is one send() and its reply one recv() - half the
 * system calls - and the deadline is checked whenever a call returns.
 *
 * The sockets are the runtime's own (mp__own_fd): the requests and replies
 * are recorded (mgr_request, mgr_reply), the bytes that carry them are not.
 */
#define _GNU_SOURCE
#include "manager/manager.h"
#include "base/fd.h"
#include "base/time.h"
#include "interpose/interpose.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

int mp__net_parse(const char *address, struct sockaddr_storage *sa, socklen_t *len)
{
	memset(sa, 0, sizeof(*sa));
	if (address == NULL || address[0] == '\0' || strlen(address) >= 100)
		goto bad;
	if (address[0] == '@') {
		struct sockaddr_un *un = (struct sockaddr_un *)sa;
		size_t n = strlen(address + 1);

		if (n == 0)
			goto bad;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path + 1, address + 1, n);	/* sun_path[0] = 0: abstract */
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
		return 0;
	}
	const char *colon = strrchr(address, ':');
	char host[100], *end;
	long port;

	if (colon == NULL || colon[1] == '\0')
		goto bad;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || port < 0 || port > 65535)
		goto bad;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - address), address);
	struct sockaddr_in *in = (struct sockaddr_in *)sa;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	if (host[0] == '\0') {
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else if (inet_pton(AF_INET, host, &in->sin_addr) != 1) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;

		if (getaddrinfo(host, NULL, &hints, &ai) != 0)
			goto bad;
		in->sin_addr = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		freeaddrinfo(ai);
	}
	*len = sizeof(*in);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

void mp__net_format(const struct sockaddr_storage *sa, socklen_t len, char *out, size_t size)
{
	if (sa->ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
		int n = (int)(len - offsetof(struct sockaddr_un, sun_path) - 1);

		snprintf(out, size, "@%.*s", n, un->sun_path + 1);
	} else {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		char host[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(out, size, "%s:%u", host, ntohs(in->sin_port));
	}
}

int mp__net_listen(struct sockaddr_storage *sa, socklen_t *len)
{
	int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd == -1)
		return -1;
	mp__own_fd(fd);
	if (sa->ss_family == AF_INET)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)sa, *len) == -1 || listen(fd, SOMAXCONN) == -1)
		goto fail;
	*len = sizeof(*sa);
	if (getsockname(fd, (struct sockaddr *)sa, len) == -1)
		goto fail;
	return fd;
fail:;
	int err = errno;
	close(fd);
	errno = err;
	return -1;
}

int mp__net_connect(const struct sockaddr_storage *sa, socklen_t len, int64_t deadline)
{
	int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err;
	socklen_t elen = sizeof(err);

	if (fd == -1)
		return -1;
	mp__own_fd(fd);
	while (connect(fd, (const struct sockaddr *)sa, len) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {	/* a Unix socket's backlog is full */
			if (mp__now_ns() >= deadline) {
				errno = ETIMEDOUT;
				goto fail;
			}
			usleep(1000);
			continue;
		}
		if (errno != EINPROGRESS || mp__fd_wait(fd, POLLOUT, deadline) == -1)
			goto fail;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err != 0) {
			errno = err;
			goto fail;
		}
		break;
	}
	if (sa->ss_family == AF_INET) {
		int one = 1;	/* requests are small: do not wait to fill a packet */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int mp__net_blocking(int fd, double seconds)
{
	struct timeval tv = { (time_t)seconds, (suseconds_t)((seconds - (time_t)seconds) * 1e6) };
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		return -1;
	return 0;
}

int mp__net_sendv(int fd, struct iovec *iov, int n, int64_t deadline)
{
	if (mp__writev_all(fd, iov, n, deadline, MP__SOCKET) == 0)
		return 0;
	if (errno == EPIPE)
		errno = ECONNRESET;
	return -1;
}

int mp__net_send(int fd, const void *p, size_t n, int64_t deadline)
{
	struct iovec iov = { (void *)p, n };

	return mp__net_sendv(fd, &iov, 1, deadline);
}

ssize_t mp__net_recv_some(int fd, void *p, size_t min, size_t max, int64_t deadline)
{
	size_t got = 0;

	while (got < min) {
		ssize_t r = recv(fd, (char *)p + got, max - got, 0);

		if (r > 0) {
			got += (size_t)r;
			if (got < min && deadline >= 0 && mp__now_ns() >= deadline)
				break;	/* bytes trickling in must not stretch the wait */
		} else if (r == 0) {
			errno = ECONNRESET;	/* the server hung up */
			return -1;
		} else if (errno != EINTR && (errno != EAGAIN || mp__fd_wait(fd, POLLIN, deadline) == -1)) {
			return -1;
		}
	}
	if (got < min) {
		errno = ETIMEDOUT;
		return -1;
	}
	return (ssize_t)got;
}

int mp__net_recv(int fd, void *p, size_t n, int64_t deadline)
{
	return mp__net_recv_some(fd, p, n, n, deadline) == -1 ? -1 : 0;
}
