/*
 * output.c - what a process writes to stdout and stderr, one out_line
 * event per line, recorded when the bytes reach the fd.
 *
 * Bytes reach fd 1 and 2 two ways.  A write()/writev() by the program
 * (Python's print, a shell's echo) passes through io.c, which hands them
 * here.  C's stdio does not: printf() and puts() end in the C library's
 * internal write, which no preload can wrap.  So stdio's `stdout` and
 * `stderr` are replaced at start-up by streams of the same fd, buffering
 * and mode, made with fopencookie(); their write function is the one place
 * stdio's bytes leave, and it records them as write() would.  A line is
 * therefore recorded when stdio flushes it - at the newline on a terminal,
 * when the buffer fills or the program exits on a pipe - and a child that
 * inherits unflushed text records it again when it flushes: what lesson 1
 * teaches about printf before fork, seen on the timeline.
 *
 * Limits: the buffering is chosen at start-up (stdio chooses at the first
 * output, so a program that moves fd 1 to a file before printing keeps the
 * terminal's line buffering); wide output (wprintf) to stdout fails; after
 * fclose(stdout) or freopen(..., stdout) stdio's lines are not recorded.
 * MP_PRELOAD_STDIO=0 turns the replacement off.
 *
 * A line without its newline yet waits in `pending` for the rest; at exit,
 * exec or _exit it is recorded as it is.  Blank lines are not recorded.
 */
#include "layer.h"
#include "interpose.h"
#include "base/fd.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LINE_MAX_BYTES 1024

static struct pending {
	char text[LINE_MAX_BYTES];
	size_t len;
	atomic_flag busy;	/* another thread, or a signal handler, is here */
} pending[2];

static _Atomic unsigned long lines_recorded;
static unsigned long lines_max = 10000;

/* ---- lines ------------------------------------------------------------- */

static void record_line(int fd, const char *a, size_t alen, const char *b, size_t blen)
{
	char line[LINE_MAX_BYTES];
	size_t len = 0;

	for (size_t i = 0; i < alen && len < sizeof(line) - 1; i++)
		line[len++] = a[i];
	for (size_t i = 0; i < blen && len < sizeof(line) - 1; i++)
		line[len++] = b[i];
	/* Cut on a UTF-8 character boundary; no control bytes in the text. */
	if (len == sizeof(line) - 1)
		while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80)
			len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
			line[i] = '?';
	line[len] = '\0';

	unsigned long n = atomic_fetch_add(&lines_recorded, 1);

	if (n < lines_max) {
		mp__tp(out_line, mp__pid(), fd, line);
	} else if (n == lines_max) {
		char limit[64];

		snprintf(limit, sizeof(limit), "%lu lines (MP_PRELOAD_MAX_LINES)", lines_max);
		mp__tp(untraced, mp__pid(), "lines", limit);
	}
}

void ip_output(int fd, const void *data, size_t n)
{
	const char *s = data, *end = s + n;
	struct pending *p;
	bool mine;

	if ((fd != 1 && fd != 2) || !mp__tp_on(out_line) || ip_fd_owned(fd))
		return;
	p = &pending[fd - 1];
	mine = !atomic_flag_test_and_set(&p->busy);
	while (s < end) {
		const char *nl = memchr(s, '\n', end - s);

		if (nl == NULL) {
			if (!mine) {
				record_line(fd, s, end - s, NULL, 0);
				break;
			}
			size_t room = sizeof(p->text) - p->len;
			size_t take = (size_t)(end - s) < room ? (size_t)(end - s) : room;

			memcpy(p->text + p->len, s, take);
			p->len += take;
			break;
		}
		if (mine) {
			record_line(fd, p->text, p->len, s, nl - s);
			p->len = 0;
		} else {
			record_line(fd, s, nl - s, NULL, 0);
		}
		s = nl + 1;
	}
	if (mine)
		atomic_flag_clear(&p->busy);
}

void ip_output_flush(void)
{
	for (int i = 0; i < 2; i++) {
		struct pending *p = &pending[i];

		if (atomic_flag_test_and_set(&p->busy))
			continue;
		if (p->len > 0 && mp__tp_on(out_line))
			record_line(i + 1, p->text, p->len, NULL, 0);
		p->len = 0;
		atomic_flag_clear(&p->busy);
	}
}

void ip_output_after_fork(void)
{
	pending[0].len = pending[1].len = 0;
	atomic_flag_clear(&pending[0].busy);
	atomic_flag_clear(&pending[1].busy);
	atomic_store(&lines_recorded, 0);
}

/* ---- stdio's stdout and stderr ------------------------------------------ */

static FILE *stdio_original[2];		/* stdout, stderr as the C library made them */
static char stdout_buffer[8192];

/* As the C library's own file write, with the runtime's write_all (which
 * goes on after a short write, and waits out a non-blocking fd): the count
 * written, less than n (or -1) on error. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
	int fd = (int)(intptr_t)cookie;
	bool watch = ip_ready && mp__quiet_depth == 0 && !ip_fd_owned(fd);
	struct iovec left = { (void *)buf, n };
	struct ip_write w;
	size_t done;

	if (watch)
		ip_write_begin(&w, fd, n, "stdio");
	mp__quiet(+1);		/* the writes below are this one */
	done = mp__writev_all(fd, &left, 1, -1, 0) == 0 ? n : n - left.iov_len;
	mp__quiet(-1);
	if (watch) {
		int err = errno;

		ip_write_done(&w, done);
		ip_output(fd, buf, done);
		errno = err;
	}
	return done == 0 && n > 0 ? -1 : (ssize_t)done;
}

static int cookie_seek(void *cookie, off64_t *pos, int whence)
{
	off_t r = lseek((int)(intptr_t)cookie, *pos, whence);

	if (r == -1)
		return -1;
	*pos = r;
	return 0;
}

/* fclose(stdout): the program's stdio goes back to the C library's own
 * stream, whose fd is closed too, so later output fails as it would. */
static int cookie_close(void *cookie)
{
	int fd = (int)(intptr_t)cookie;

	if (fd == 1)
		stdout = stdio_original[0];
	else
		stderr = stdio_original[1];
	return close(fd);
}

static FILE *replacement(int fd, int mode, char *buf, size_t size)
{
	cookie_io_functions_t io = { .write = cookie_write, .seek = cookie_seek,
				     .close = cookie_close };
	FILE *f = fopencookie((void *)(intptr_t)fd, "w", io);

	if (f == NULL)
		return NULL;
	f->_fileno = fd;		/* fileno(stdout) stays 1 */
	setvbuf(f, buf, mode, size);
	return f;
}

void ip_output_install(void)
{
	const char *max = getenv("MP_PRELOAD_MAX_LINES");
	const char *stdio = getenv("MP_PRELOAD_STDIO");
	struct stat st;
	FILE *f;

	if (max != NULL && *max != '\0')
		lines_max = strtoul(max, NULL, 10);
	if (stdio != NULL && strcmp(stdio, "0") == 0)
		return;
	/* The C library's choice: line-buffered on a terminal, else a block
	 * of the fd's st_blksize (at most BUFSIZ). */
	if (stdout != NULL && fileno(stdout) == 1) {
		size_t size = sizeof(stdout_buffer);
		int mode = _IOFBF;

		if (fstat(1, &st) == 0) {
			if (S_ISCHR(st.st_mode) && isatty(1))
				mode = _IOLBF;
			if (st.st_blksize > 0 && (size_t)st.st_blksize < size)
				size = st.st_blksize;
		}
		fflush(stdout);
		if ((f = replacement(1, mode, stdout_buffer, size)) != NULL) {
			stdio_original[0] = stdout;
			stdout = f;
		}
	}
	if (stderr != NULL && fileno(stderr) == 2) {
		fflush(stderr);
		if ((f = replacement(2, _IONBF, NULL, 0)) != NULL) {
			stdio_original[1] = stderr;
			stderr = f;
		}
	}
}
