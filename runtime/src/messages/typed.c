/*
 * typed.c - strings and integers as messages.
 *
 * C has no pickle: a message is bytes with a length.  A string travels as
 * its bytes without the NUL, which the receiver adds; an integer as its 8
 * bytes.  These helpers hold that convention once for every kind of
 * message (messages.h).
 */
#include "messages/messages.h"

#include <errno.h>
#include <string.h>

int mp__send_str(mp__send_fn send, void *to, const char *s, double seconds)
{
	if (s == NULL) {
		errno = EINVAL;
		return -1;
	}
	return send(to, s, strlen(s), seconds);
}

int mp__send_int(mp__send_fn send, void *to, int64_t v, double seconds)
{
	return send(to, &v, sizeof(v), seconds);
}

ssize_t mp__recv_str(mp__recv_fn recv, void *from, char *buf, size_t size, double seconds)
{
	ssize_t n;

	if (buf == NULL || size == 0) {
		errno = EINVAL;
		return -1;
	}
	n = recv(from, buf, size - 1, seconds);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int mp__recv_int(mp__recv_fn recv, void *from, int64_t *v, double seconds)
{
	int64_t value;
	ssize_t n;

	if (v == NULL) {
		errno = EINVAL;
		return -1;
	}
	n = recv(from, &value, sizeof(value), seconds);
	if (n == -1)
		return -1;
	if (n != sizeof(value)) {
		errno = EBADMSG;
		return -1;
	}
	*v = value;
	return 0;
}
