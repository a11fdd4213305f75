/*
 * trace/events/io.h - the `mp` events of pipes and sockets made, copied and
 * closed, the bytes through them, and the lines a process writes to stdout
 * and stderr.
 *
 * Read by mp-tp.h alone, inside its multi-read section: no include guard,
 * for LTTng's macros read it more than once.  trace/README.md describes
 * each event and field.
 */

/* A pipe ("pipe": fd0 reads, fd1 writes, one inode) or a socketpair
 * ("socketpair": two sockets, an inode each) is made. */
LTTNG_UST_TRACEPOINT_EVENT(mp, fd_pipe,
	MP_TP_ARGS(int, pid, const char *, kind, int, fd0, int, fd1,
		uint64_t, ino0, uint64_t, ino1),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_string(kind, kind)
		lttng_ust_field_integer(int, fd0, fd0)
		lttng_ust_field_integer(int, fd1, fd1)
		lttng_ust_field_integer(uint64_t, ino0, ino0)
		lttng_ust_field_integer(uint64_t, ino1, ino1)))

/* The pipe or socket `ino` open as `oldfd` is now also `newfd`. */
LTTNG_UST_TRACEPOINT_EVENT(mp, fd_dup,
	MP_TP_ARGS(int, pid, int, oldfd, int, newfd, uint64_t, ino),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, oldfd, oldfd)
		lttng_ust_field_integer(int, newfd, newfd)
		lttng_ust_field_integer(uint64_t, ino, ino)))

/* `pid` closed `fd`, an end of pipe or socket `ino` (close, or the fd a
 * dup2/dup3 replaced). */
LTTNG_UST_TRACEPOINT_EVENT(mp, fd_close,
	MP_TP_ARGS(int, pid, int, fd, uint64_t, ino),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, ino, ino)))

/* Bytes through a pipe or socket: `stream` is the inode the bytes travel
 * in (a pipe's; for a socketpair, the writing socket's), `offset` where
 * they begin in it, counted across every process of the run; `call` the
 * function ("write", "send", "stdio", ...). */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(mp, io,
	MP_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, const char *, call),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, stream, stream)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(int64_t, bytes, bytes)
		lttng_ust_field_string(call, call)))

/* Recorded before the write: `bytes` asked for.  If fewer went, an
 * io_short follows. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, io, mp, io_write,
	MP_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, const char *, call))

/* Recorded after the read: `bytes` read, 0 at end of file. */
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(mp, io, mp, io_read,
	MP_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, const char *, call))

/* The io_write at (stream, offset) moved only `bytes` (0: it failed);
 * `hole` bytes of offsets stay unused, shifting the stream's later ones. */
LTTNG_UST_TRACEPOINT_EVENT(mp, io_short,
	MP_TP_ARGS(int, pid, int, fd, uint64_t, stream, uint64_t, offset,
		int64_t, bytes, int64_t, hole),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, stream, stream)
		lttng_ust_field_integer(uint64_t, offset, offset)
		lttng_ust_field_integer(int64_t, bytes, bytes)
		lttng_ust_field_integer(int64_t, hole, hole)))

/* One line `pid` wrote to its stdout (fd 1) or stderr (fd 2), recorded
 * when written: when stdio flushed it, not when printf was called. */
LTTNG_UST_TRACEPOINT_EVENT(mp, out_line,
	MP_TP_ARGS(int, pid, int, fd, const char *, text),
	MP_TP_FIELDS(
		lttng_ust_field_integer(int, pid, pid)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_string(text, text)))
