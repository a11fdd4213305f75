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
#include <stdio.h>
#include <stdlib.h>
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

/* For a lesson whose only option is --help: --help prints the usage and
 * exits 0; any other option or argument prints it on stderr and exits 2. */
static inline void lesson_no_options(int argc, char **argv, void (*usage)(FILE *))
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			exit(EXIT_SUCCESS);
		}
		usage(stderr);
		exit(2);
	}
	if (optind < argc) {
		usage(stderr);
		exit(2);
	}
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
	if (end == arg || *end != '\0' || errno != 0 || v < lo || v > hi) {
		fprintf(stderr, "%s: %s wants %ld-%ld, not '%s'\n", program_invocation_short_name,
			name, lo, hi, arg);
		usage(stderr);
		exit(2);
	}
	return v;
}

#endif /* LESSON_H */
