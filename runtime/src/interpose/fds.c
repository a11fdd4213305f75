/*
 * fds.c - pipe(), pipe2(), socketpair(), dup(), dup2(), dup3() and close(),
 * as far as they concern pipes and sockets.
 *
 *   fd_pipe   a pipe or a socketpair is made: both fds and their inodes
 *   fd_dup    a pipe or socket fd is copied to another number
 *   fd_close  a pipe or socket fd is closed (also the one dup2 replaces)
 *
 * A pipe is known by its inode: both ends of one pipe have the same, in
 * every process that holds them, so the inode is the pipe's id across the
 * whole run.  The two sockets of a socketpair have an inode each; the
 * shared table (streams.c) learns that they are each other's peer.
 *
 * Files, ttys and everything else stay quiet: knowing which is which costs
 * an fstat(), made only while a session records the event in question.
 */
#include "layer.h"
#include "interpose.h"
#include "seam.h"

#include <stdatomic.h>
#include <sys/stat.h>

/* ---- what an fd is ----------------------------------------------------- */

enum ip_kind ip_fd_kind(int fd, uint64_t *ino)
{
	struct stat st;

	*ino = 0;
	if (fd < 0 || fstat(fd, &st) == -1)
		return IP_OTHER;
	*ino = (uint64_t)st.st_ino;
	if (S_ISFIFO(st.st_mode))
		return IP_PIPE;
	if (S_ISSOCK(st.st_mode))
		return IP_SOCKET;
	return IP_OTHER;
}

/* ---- the runtime's own fds (seam.h) ------------------------------------ */

#define OWNED_MAX 4096
static _Atomic uint64_t owned[OWNED_MAX / 64];

bool ip_fd_owned(int fd)
{
	if (fd < 0 || fd >= OWNED_MAX)
		return false;
	return atomic_load_explicit(&owned[fd / 64], memory_order_relaxed) & (1ull << (fd % 64));
}

void ip_fd_set_owned(int fd, bool own)
{
	if (fd < 0 || fd >= OWNED_MAX)
		return;
	if (own)
		atomic_fetch_or(&owned[fd / 64], 1ull << (fd % 64));
	else
		atomic_fetch_and(&owned[fd / 64], ~(1ull << (fd % 64)));
}

void mp_preload_own_fd(int fd, int own)
{
	ip_fd_set_owned(fd, own != 0);
}

void mp__own_fd(int fd)
{
	ip_fd_set_owned(fd, true);
}

int mp__own_pipe(int fds[2], int flags)
{
	int r;

	mp__quiet(+1);
	r = pipe2(fds, flags);
	mp__quiet(-1);
	if (r == 0) {
		ip_fd_set_owned(fds[0], true);
		ip_fd_set_owned(fds[1], true);
	}
	return r;
}

/* ---- making pipes ------------------------------------------------------ */

static void record_pair(const char *kind, const int fds[2])
{
	uint64_t ino0, ino1;

	if (ip_fd_kind(fds[0], &ino0) == IP_OTHER || ip_fd_kind(fds[1], &ino1) == IP_OTHER)
		return;
	mp__tp(fd_pipe, mp__pid(), kind, fds[0], fds[1], ino0, ino1);
}

int pipe(int fds[2])
{
	MP__SITE();
	int r = REAL(pipe)(fds);

	if (r == 0 && mp__tp_on(fd_pipe) && ip_may(IP_CALLER)) {
		int err = errno;

		record_pair("pipe", fds);
		errno = err;
	}
	return r;
}

int pipe2(int fds[2], int flags)
{
	MP__SITE();
	int r = REAL(pipe2)(fds, flags);

	if (r == 0 && mp__tp_on(fd_pipe) && ip_may(IP_CALLER)) {
		int err = errno;

		record_pair("pipe", fds);
		errno = err;
	}
	return r;
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
	MP__SITE();
	int r = REAL(socketpair)(domain, type, protocol, fds);
	uint64_t ino0, ino1;

	if (r == 0 && ip_ready && !ip_quiet_code(IP_CALLER)) {
		int err = errno;

		/* The peers are noted even when nothing records: a session may
		 * start before their first byte. */
		ip_fd_kind(fds[0], &ino0);
		ip_fd_kind(fds[1], &ino1);
		ip_stream_pair(ino0, ino1);
		if (mp__quiet_depth == 0 && mp__tp_on(fd_pipe))
			mp__tp(fd_pipe, mp__pid(), "socketpair", fds[0], fds[1], ino0, ino1);
		errno = err;
	}
	return r;
}

/* ---- copying and closing ----------------------------------------------- */

/* What `fd` is before a call that closes or replaces it: its inode if it is
 * a pipe or socket worth a fd_close event, else 0. */
static uint64_t closing(int fd, const void *caller)
{
	uint64_t ino;

	if (!mp__tp_on(fd_close) || ip_fd_owned(fd) || !ip_may(caller))
		return 0;
	return ip_fd_kind(fd, &ino) == IP_OTHER ? 0 : ino;
}

static void record_dup(int oldfd, int newfd, uint64_t replaced, const void *caller)
{
	uint64_t ino;
	int err = errno;

	if (ip_fd_owned(oldfd)) {
		ip_fd_set_owned(newfd, true);
		return;
	}
	ip_fd_set_owned(newfd, false);
	if (replaced != 0)
		mp__tp(fd_close, mp__pid(), newfd, replaced);
	if (mp__tp_on(fd_dup) && ip_may(caller) && ip_fd_kind(newfd, &ino) != IP_OTHER)
		mp__tp(fd_dup, mp__pid(), oldfd, newfd, ino);
	errno = err;
}

int dup(int oldfd)
{
	MP__SITE();
	int r = REAL(dup)(oldfd);

	if (r >= 0 && ip_ready)
		record_dup(oldfd, r, 0, IP_CALLER);
	return r;
}

int dup2(int oldfd, int newfd)
{
	MP__SITE();
	uint64_t replaced = oldfd != newfd ? closing(newfd, IP_CALLER) : 0;
	int r = REAL(dup2)(oldfd, newfd);

	if (r >= 0 && ip_ready && oldfd != newfd)
		record_dup(oldfd, r, replaced, IP_CALLER);
	return r;
}

int dup3(int oldfd, int newfd, int flags)
{
	MP__SITE();
	uint64_t replaced = closing(newfd, IP_CALLER);
	int r = REAL(dup3)(oldfd, newfd, flags);

	if (r >= 0 && ip_ready)
		record_dup(oldfd, r, replaced, IP_CALLER);
	return r;
}

int close(int fd)
{
	MP__SITE();
	uint64_t ino = closing(fd, IP_CALLER);
	int r = REAL(close)(fd);

	/* Linux frees the number even when close() fails (EINTR, EIO). */
	ip_fd_set_owned(fd, false);
	if (ino != 0 && (r == 0 || errno != EBADF)) {
		int err = errno;

		mp__tp(fd_close, mp__pid(), fd, ino);
		errno = err;
	}
	return r;
}
