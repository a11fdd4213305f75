/*
 * mp-trace-stop - stop an LTTng recording session and wait until its trace
 * is whole on disk, looking every 2 ms.
 *
 * usage: mp-trace-stop SESSION [SECONDS]
 *
 * `lttng stop SESSION` does the same, but when the consumer daemon has not
 * yet written the last buffers out at its first look (most runs: a program
 * has just exited), it sleeps 200 ms before looking again.  A lesson's
 * buffers are written out within a few ms, so those 200 ms were most of
 * what stopping a recording cost (docs/recording-cost.md).  This is the
 * same two calls of liblttng-ctl, lttng_stop_tracing_no_wait() then
 * lttng_data_pending() until it says 0, with a shorter sleep between.
 *
 * Exit status: 0 when the trace is whole; 1 if LTTng refused (its reason on
 * stderr) or the data was still pending after SECONDS (default 30); 2 for
 * bad usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <lttng/lttng.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { LOOK_EVERY_NS = 2000000 };

static int usage(void)
{
	fprintf(stderr, "usage: mp-trace-stop SESSION [SECONDS]\n");
	return 2;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct timespec pause = { 0, LOOK_EVERY_NS };
	double seconds = 30, deadline;
	char *end;
	int ret;

	if (argc < 2 || argc > 3 || argv[1][0] == '\0' || argv[1][0] == '-')
		return usage();
	if (argc == 3) {
		errno = 0;
		seconds = strtod(argv[2], &end);
		if (errno != 0 || end == argv[2] || *end != '\0' || !(seconds > 0 && seconds <= 3600))
			return usage();
	}
	const char *session = argv[1];

	ret = lttng_stop_tracing_no_wait(session);
	if (ret < 0 && ret != -LTTNG_ERR_TRACE_ALREADY_STOPPED) {
		fprintf(stderr, "mp-trace-stop: %s: %s\n", session, lttng_strerror(ret));
		return 1;
	}
	deadline = now() + seconds;
	while ((ret = lttng_data_pending(session)) == 1) {
		if (now() > deadline) {
			fprintf(stderr, "mp-trace-stop: %s: data still pending after %g s\n",
				session, seconds);
			return 1;
		}
		nanosleep(&pause, NULL);
	}
	if (ret < 0) {
		fprintf(stderr, "mp-trace-stop: %s: %s\n", session, lttng_strerror(ret));
		return 1;
	}
	return 0;
}
