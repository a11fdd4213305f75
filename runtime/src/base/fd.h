/*
 * base/fd.h - file descriptors: whole reads and writes, with a deadline.
 *
 * A pipe or socket moves bytes, not messages: a write may take part of
 * what it was given, a read may bring part of what was sent, and either
 * may be interrupted by a signal (EINTR).  These helpers loop until all is
 * done.  On a non-blocking descriptor they wait in poll() for it to be
 * ready, at most until the deadline (base/time.h; -1: no limit).
 */
#ifndef MP_BASE_FD_H
#define MP_BASE_FD_H

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Retries a system call while it fails with EINTR: `r = MP__NOINTR(read(...))`. */
#define MP__NOINTR(call) ({                                  \
	__typeof__(call) mp__r;                              \
	do { mp__r = (call); } while (mp__r == -1 && errno == EINTR); \
	mp__r; })

/* Flags of the writes: the descriptor is a socket, so a peer gone is
 * EPIPE rather than a SIGPIPE (send's MSG_NOSIGNAL; on a pipe, SIGPIPE is
 * the program's business: mp_pipe() ignores it, as Python does). */
#define MP__SOCKET 1

/* Waits until fd is ready for `events` (POLLIN, POLLOUT), hung up or in
 * error, at most until deadline.  0, or -1 and errno (ETIMEDOUT). */
int mp__fd_wait(int fd, short events, int64_t deadline);

/* Writes all of iov[0..n) (iov is used up), or all of p[0..len).  0, or
 * -1 and errno: EPIPE (nobody reads any more), ETIMEDOUT, the write's. */
int mp__writev_all(int fd, struct iovec *iov, int n, int64_t deadline, int flags);
int mp__write_all(int fd, const void *p, size_t len, int64_t deadline, int flags);

/* Reads until len bytes have come or the end of file: the count read (less
 * than len only at the end of file), or -1 and errno (ETIMEDOUT). */
ssize_t mp__read_all(int fd, void *p, size_t len, int64_t deadline);

/* O_NONBLOCK on; fd -1 is left alone.  0 or -1 and errno. */
int mp__nonblock(int fd);

/* As Python does: a write to a pipe nobody reads fails with EPIPE rather
 * than killing the program.  SIGPIPE is ignored from then on, unless the
 * program has chosen a handler of its own (left alone). */
void mp__no_sigpipe(void);

/* Closes *fd if it is open and sets it to -1. */
void mp__close(int *fd);

/* A descriptor that turns readable when process pid ends (close-on-exec),
 * or -1 and errno ENOSYS on a kernel without pidfd_open (before 5.3). */
int mp__pidfd_open(pid_t pid);

#endif /* MP_BASE_FD_H */
