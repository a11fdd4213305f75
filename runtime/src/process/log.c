/*
 * log.c - printing and logging, each line also recorded on the timeline.
 *
 * mp_printf() is printf() that flushes at once, so lines from several
 * processes come out in the order they were printed and none sits in a
 * buffer when a process forks.  mp_log() is Python's multiprocessing logger:
 * "[INFO/Process-1] message" on stderr, once mp_log_to_stderr() set a level.
 *
 * A line mp_printf printed is a `print` event, one mp_log wrote a `log`
 * event; the interposition layer, which records any other line a process
 * writes to stdout or stderr as an `out_line` (printf's, puts', write's),
 * is kept quiet about these two, so that no line is recorded twice.
 */
#define _GNU_SOURCE
#include "process/process.h"
#include "base/fd.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int log_level;		/* 0: logging off */

/* Records each line of text as one event of the given kind. */
static void trace_lines(int kind, const char *text)
{
	char line[1024];

	while (*text != '\0') {
		size_t len = strcspn(text, "\n");
		size_t keep = len < sizeof(line) - 1 ? len : sizeof(line) - 1;

		memcpy(line, text, keep);
		line[keep] = '\0';
		if (keep == 0)
			;	/* a blank line says nothing on a timeline */
		else if (kind == 'p')
			mp__tp(print, mp__pid(), line);
		else
			mp__tp(mark, mp__pid(), line);
		text += len;
		if (*text == '\n')
			text++;
	}
	(void)line;
}

int mp_printf(const char *fmt, ...)
{
	MP__SITE();
	va_list ap;
	char *text;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	/* What the program printed before, and stdio still holds, is its own
	 * (out_line): out first.  Then this, recorded as print below. */
	fflush(stdout);
	mp__quiet(+1);
	if (fputs(text, stdout) == EOF || fflush(stdout) == EOF)
		n = -1;
	mp__quiet(-1);
	trace_lines('p', text);
	free(text);
	return n;
}

void mp_mark(const char *fmt, ...)
{
	MP__SITE();
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) >= 0) {
		trace_lines('m', text);
		free(text);
	}
	va_end(ap);
}

const char *mp_log_level_name(int level)
{
	MP__SITE();
	static __thread char other[16];

	switch (level) {
	case MP_SUBDEBUG: return "SUBDEBUG";
	case MP_DEBUG: return "DEBUG";
	case MP_INFO: return "INFO";
	case MP_WARNING: return "WARNING";
	case MP_ERROR: return "ERROR";
	case MP_CRITICAL: return "CRITICAL";
	}
	snprintf(other, sizeof(other), "Level %d", level);
	return other;
}

void mp_log_to_stderr(int level)
{
	MP__SITE();
	log_level = level < 0 ? 0 : level;
}

static void vlog(int level, const char *fmt, va_list ap)
{
	char msg[900], line[1024];
	int n;

	if (log_level == 0 || level < log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = snprintf(line, sizeof(line), "[%s/%s] %s\n", mp_log_level_name(level),
		     mp_current_process()->name, msg);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	/* One write(2) per record: records from many processes never mix. */
	fflush(stderr);
	mp__quiet(+1);		/* recorded below, as a log event */
	(void)!MP__NOINTR(write(STDERR_FILENO, line, n));
	mp__quiet(-1);
	mp__tp(log, mp__pid(), level, msg);
}

void mp_log(int level, const char *fmt, ...)
{
	MP__SITE();
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}
