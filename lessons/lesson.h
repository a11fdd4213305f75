/*
 * lesson.h - the few lines every lesson would otherwise repeat.
 *
 * TLPI keeps its helpers in one header (tlpi_hdr.h) so that each listing
 * shows only its subject; the lessons do the same with these.
 */
#ifndef LESSON_H
#define LESSON_H

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* glibc's name of this program, as the shell saw it (declared by <errno.h>
 * only with _GNU_SOURCE). */
extern char *program_invocation_short_name;

/* Sleeps `ms` milliseconds, even if a signal interrupts the sleep. */
static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* TLPI's errExit: "PROGRAM: WHAT: strerror(errno)" on stderr (WHAT
 * printf-style), then exit status 1.  For the main program; a Process's
 * body returns 1 instead, as a Python process ends with exit code 1 on an
 * exception.  Does not return. */
__attribute__((format(printf, 1, 2), noreturn))
static inline void lesson_fail(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(EXIT_FAILURE);
}

/* Bad usage: "PROGRAM: MESSAGE" (printf-style; NULL for none), the usage
 * on stderr, exit status 2.  Does not return. */
__attribute__((format(printf, 2, 3), noreturn))
static inline void lesson_usage_error(void (*usage)(FILE *), const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		fprintf(stderr, "%s: ", program_invocation_short_name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	usage(stderr);
	exit(2);
}

/* The end of every lesson's getopt switch, for what it does not handle
 * itself: --help ('h') prints the usage and exits 0, anything else is a
 * usage error.  Does not return. */
__attribute__((noreturn))
static inline void lesson_other_option(int opt, void (*usage)(FILE *))
{
	if (opt == 'h') {
		usage(stdout);
		exit(EXIT_SUCCESS);
	}
	lesson_usage_error(usage, NULL);
}

/* After the options: an argument left over is a usage error. */
static inline void lesson_no_arguments(int argc, void (*usage)(FILE *))
{
	if (optind < argc)
		lesson_usage_error(usage, NULL);
}

/* For a lesson whose only option is --help. */
static inline void lesson_no_options(int argc, char **argv, void (*usage)(FILE *))
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1)
		lesson_other_option(opt, usage);
	lesson_no_arguments(argc, usage);
}

/* The whole number `arg` given to option `name`, if it is in lo..hi; else
 * "PROGRAM: NAME wants LO-HI, not 'ARG'", the usage, and exit status 2. */
static inline long lesson_number(const char *arg, const char *name, long lo, long hi,
				 void (*usage)(FILE *))
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || v < lo || v > hi)
		lesson_usage_error(usage, "%s wants %ld-%ld, not '%s'", name, lo, hi, arg);
	return v;
}

/* The durations given to --durations: `count` seconds, comma-separated,
 * each 0-60 (as the Python lessons take them), into seconds[]; else
 * "PROGRAM: --durations wants COUNT seconds, each 0-60, not 'ARG'", the
 * usage, and exit status 2. */
static inline void lesson_durations(const char *arg, double *seconds, long count,
				    void (*usage)(FILE *))
{
	const char *p = arg;
	long n = 0;

	while (n < count) {
		char *end;

		errno = 0;
		double v = strtod(p, &end);
		if (end == p || errno != 0 || !(v >= 0 && v <= 60) || (*end != ',' && *end != '\0'))
			break;
		seconds[n++] = v;
		p = end + 1;
		if (*end == '\0')
			break;
	}
	if (n != count || p[-1] != '\0')
		lesson_usage_error(usage, "--durations wants %ld seconds, each 0-60, not '%s'",
				   count, arg);
}

/* The durations as --durations takes them ("0.5,1.25,3"), into buf. */
static inline const char *lesson_durations_text(const double *seconds, long count, char *buf,
						size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (long i = 0; i < count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%g", i ? "," : "", seconds[i]);
	return buf;
}

#endif /* LESSON_H */
