/*
 * base/time.h - the runtime's one clock and its one timeout rule.
 *
 * Every wait in the runtime is bounded by a deadline: an absolute time in
 * nanoseconds on CLOCK_MONOTONIC (mp__now_ns()), or -1 for no limit.  A
 * public call's timeout in seconds becomes a deadline in one place,
 * mp__deadline(), so every call reads the same timeout the same way.
 */
#ifndef MP_BASE_TIME_H
#define MP_BASE_TIME_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>

/* A timeout longer than this many seconds (31 years) is no limit. */
#define MP__NO_LIMIT 1e9

/* Monotonic time in nanoseconds. */
static inline int64_t mp__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * The timeout rule (mp.h): the deadline for a timeout of `seconds`.  0 is
 * now (do not wait); MP_FOREVER, or more than MP__NO_LIMIT, is -1 (no
 * limit); negative or NaN is -2 with errno EINVAL.
 */
static inline int64_t mp__deadline(double seconds)
{
	if (!(seconds >= 0)) {
		errno = EINVAL;
		return -2;
	}
	if (seconds > MP__NO_LIMIT)
		return -1;
	return mp__now_ns() + (int64_t)(seconds * 1e9);
}

/* A timeout as an event records it: microseconds, -1 for no limit. */
static inline int64_t mp__timeout_us(double seconds)
{
	return seconds >= 0 && seconds <= MP__NO_LIMIT ? (int64_t)(seconds * 1e6) : -1;
}

/* Nanoseconds as a struct timespec (an absolute time or a length). */
static inline struct timespec mp__timespec(int64_t ns)
{
	return (struct timespec){ ns / 1000000000, ns % 1000000000 };
}

/* For ppoll() and sigtimedwait(): the time left until deadline in *ts
 * (0 once it has passed), or NULL for no deadline. */
static inline struct timespec *mp__time_left(int64_t deadline, struct timespec *ts)
{
	int64_t left;

	if (deadline < 0)
		return NULL;
	left = deadline - mp__now_ns();
	*ts = mp__timespec(left > 0 ? left : 0);
	return ts;
}

/* For poll(): the milliseconds left until deadline, rounded up; -1 for no
 * deadline. */
static inline int mp__ms_left(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = (deadline - mp__now_ns() + 999999) / 1000000;
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

#endif /* MP_BASE_TIME_H */
