/*
 * writes.c - a write to a pipe or socket recorded with its byte range, in
 * two halves around the write itself: io.c's wrappers (write, send, ...)
 * and output.c's stdio both use them.
 *
 *   ip_write_begin  before the write: its stream and range reserved
 *                   (streams.c), io_write recorded
 *   ip_write_done   after it: io_short if fewer bytes went, and the range
 *                   given back where it still can be
 */
#include "layer.h"

void ip_write_begin(struct ip_write *w, int fd, size_t n, const char *call)
{
	uint64_t ino;
	int err = errno;

	w->stream = 0;
	w->fd = fd;
	w->bytes = n;
	if (n == 0 || !mp__tp_on(io_write) || ip_fd_kind(fd, &ino) == IP_OTHER) {
		errno = err;
		return;
	}
	w->stream = ip_stream_for_write(ino);
	w->offset = ip_stream_reserve(w->stream, n);
	mp__tp(io_write, mp__pid(), fd, w->stream, w->offset, (int64_t)n, call);
	errno = err;
}

void ip_write_done(struct ip_write *w, ssize_t result)
{
	uint64_t done = result > 0 ? (uint64_t)result : 0;
	int err = errno;

	if (w->stream == 0 || done == w->bytes)
		return;
	bool exact = ip_stream_unreserve(w->stream, w->offset, w->bytes, done);

	mp__tp(io_short, mp__pid(), w->fd, w->stream, w->offset, (int64_t)done,
	      exact ? 0 : (int64_t)(w->bytes - done));
	errno = err;
}
