/*
 * bench_manager.c - manager: d["count"] -= 1, two round trips over a socketpair
 * against a Manager's dict proxy (bench.c says what it measures).
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>
/* ---- manager: d["count"] -= 1 through a manager (a get and a set) --------- */

/* The floor: two request/reply round trips of 8 bytes over a Unix socket
 * to a process that answers at once.  (The manager's server is a process
 * of its own; its CPU is the scheduler's choice in both.) */
struct run manager_raw(long n, int cpus)
{
	pid_t parent = getpid();
	int sv[2];
	uint64_t msg = 0;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	child_pid = CHECK(raw_fork());
	if (child_pid == 0) {
		in_child = true;
		die_with_parent(parent);
		child_placement(cpus);
		CHECK(close(sv[0]));
		while (CHECK(raw_read(sv[1], &msg, 8)) == 8)
			EXPECT(CHECK(raw_write(sv[1], &msg, 8)) == 8);
		raw_exit(0);
	}
	CHECK(close(sv[1]));
	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		for (int k = 0; k < 2; k++) {		/* get, then set */
			EXPECT(CHECK(raw_write(sv[0], &i, 8)) == 8);
			EXPECT(CHECK(raw_read(sv[0], &msg, 8)) == 8 && msg == (uint64_t)i);
		}
	}
	double seconds = now() - start;
	CHECK(close(sv[0]));
	raw_reap(child_pid);
	return (struct run){ n, seconds };
}

struct run manager_runtime(long n, int cpus)
{
	mp_manager *m = CHECK_PTR(mp_manager_start());
	mp_dict_proxy *d = CHECK_PTR(mp_manager_dict(m, NULL));
	int64_t v;

	CHECK(mp_dict_proxy_set_int(d, "count", 0));
	double start = 0;
	for (long i = -WARMUP; i < n; i++) {
		if (i == 0)
			start = now();
		CHECK(mp_dict_proxy_get_int(d, "count", &v));
		CHECK(mp_dict_proxy_set_int(d, "count", v - 1));
	}
	double seconds = now() - start;
	EXPECT(v == -(n + WARMUP) + 1);
	CHECK(mp_manager_shutdown(m));
	return (struct run){ n, seconds };
}
