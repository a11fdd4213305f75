/*
 * test_manager_faults.c - a Manager attacked over its socket (issue 15):
 * random frames from a client that knows the key, 500 connections held
 * open under a low descriptor limit, requests pipelined with their
 * replies never read.  Through each, the server's memory stays within its
 * bound, it uses no CPU while nothing happens, and a well-behaved client
 * (a new connection, the handshake, one request) has its answer within
 * 100 ms.
 *
 * The bound (runtime/src/manager/server.h): the server holds at most
 * IN_MAX + OUT_MAX bytes (2.13 MiB) for a client that knows the key,
 * a few KiB for one still in its handshake, and the store's own data.
 * Memory is read from /proc/PID/status (VmHWM: the peak), CPU from
 * /proc/PID/stat (utime + stime).  Every test prints what it measured.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"
#include "manager_raw.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEY "secret"
#define ANSWER_MS 100.0		/* a well-behaved client's answer, at most */
#define IDLE_CPU 5.0		/* percent of a CPU an idle server may use, at most */
#define CLIENT_BOUND_KIB 2304	/* IN_MAX + OUT_MAX, rounded up */
#define SLACK_KIB 2048		/* malloc's own overhead, the stack, libcrypto */
#define FD_LIMIT 64		/* the server's, when connections are held */
#define HELD 500
#define BIG ((size_t)1 << 20)	/* the largest value: MP_MANAGER_VALUE_MAX */

static mp_manager *m;
static const char *addr;
static pid_t server;

/* ---- what is measured of the server, from /proc ----------------------------- */

/* A field of /proc/PID/status in KiB ("VmRSS", "VmHWM"). */
static long status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	long kib = -1;
	size_t n = strlen(field);

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			kib = atol(line + n + 1);
	fclose(f);
	ck_assert_int_ge(kib, 0);
	return kib;
}

/* The CPU time the process has used, in clock ticks (utime + stime). */
static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024];
	long utime, stime;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	/* After the name, which may hold spaces: fields 3.. ; utime is 14th. */
	const char *p = strrchr(buf, ')');
	ck_assert_int_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld",
				&utime, &stime), 2);
	return utime + stime;
}

/* The server's CPU, in percent of one CPU, over `seconds` in which no
 * client does anything: the window is the measurement. */
static double idle_cpu(double seconds)
{
	long before = cpu_ticks(server);

	usleep((useconds_t)(seconds * 1e6));
	return (double)(cpu_ticks(server) - before) * 100.0 / (double)sysconf(_SC_CLK_TCK) / seconds;
}

/* A new client's connect, handshake and one get, in milliseconds. */
static double answer_ms(void)
{
	double t0 = now();
	mp_manager *c = mp_manager_connect(addr, KEY, strlen(KEY));
	int64_t v = 0;

	ck_assert_msg(c != NULL, "a well-behaved client could not connect: %s", strerror(errno));
	mp_dict_proxy *d = mp_manager_dict(c, "legit");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "n", &v), 0);
	double ms = (now() - t0) * 1e3;
	ck_assert_int_eq(v, 7);
	mp_manager_close(c);
	return ms;
}

/* What every phase checks: idle, bounded, answering. */
static void check_server(const char *phase, long base_kib, long bound_kib)
{
	double cpu = idle_cpu(0.5), ms = answer_ms();
	long peak = status_kib(server, "VmHWM") - base_kib;

	printf("%s: idle CPU %.1f%%, peak RSS +%ld KiB (bound %ld KiB), answer in %.2f ms\n",
	       phase, cpu, peak, bound_kib, ms);
	fflush(stdout);
	ck_assert_msg(cpu <= IDLE_CPU, "%s: the idle server used %.1f%% of a CPU", phase, cpu);
	ck_assert_msg(peak <= bound_kib, "%s: RSS grew by %ld KiB", phase, peak);
	ck_assert_msg(ms <= ANSWER_MS, "%s: the answer took %.1f ms", phase, ms);
}

static void setup(void)
{
	m = mp_manager_serve(NULL, KEY, strlen(KEY));
	ck_assert_ptr_nonnull(m);
	addr = mp_manager_address(m);
	server = mp_manager_pid(m);
	mp_dict_proxy *legit = mp_manager_dict(m, "legit");
	ck_assert_ptr_nonnull(legit);
	ck_assert_int_eq(mp_dict_proxy_set_int(legit, "n", 7), 0);
}

static void teardown(void)
{
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}

/* An authenticated raw connection, and the id of object `name` (op
 * RAW_DICT or RAW_QUEUE) on it. */
static int raw_open(int op, const char *name, uint64_t *obj)
{
	unsigned char frame[4 + RAW_REQ_HEADER + 64];
	uint32_t len;
	int fd = tcp_connect(addr);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(authenticate(fd, KEY), 0);
	size_t n = raw_frame(frame, op, 0, 0, 0, name, NULL, 0);
	ck_assert_int_eq(send(fd, frame, n, MSG_NOSIGNAL), (ssize_t)n);
	ck_assert_int_eq(raw_reply(fd, obj, &len), 0);
	return fd;
}

/* ---- the tests ---------------------------------------------------------------- */

/* 1,000 frames of random shape from a client that knows the key: ops,
 * types, objects, keys and values at random, and one frame in ten with a
 * length over the limit or under a header. */
START_TEST(random_frames)
{
	static unsigned char frame[4 + RAW_REQ_HEADER + 300 + 2048], junk[2048];
	uint64_t dict, queue, obj;
	long base = status_kib(server, "VmRSS"), doomed = 0;
	int fd = raw_open(RAW_QUEUE, "q", &queue);

	close(fd);
	fd = raw_open(RAW_DICT, "d", &dict);
	rnd_state = 1515;
	for (size_t k = 0; k < sizeof(junk); k++)
		junk[k] = (unsigned char)rnd();
	for (int i = 1; i <= 1000; i++) {
		char key[301];
		size_t keylen = rnd() % 8 ? rnd() % 16 : rnd() % 300;	/* over 255: malformed */
		uint32_t r = rnd() % 3;

		for (size_t k = 0; k < keylen; k++)
			key[k] = (char)(1 + rnd() % 255);
		key[keylen] = '\0';
		obj = r == 0 ? dict : r == 1 ? queue : rnd();
		int op = rnd() % 10 ? 1 + (int)(rnd() % (RAW_SHUTDOWN - 1)) : (int)(rnd() % 256);
		if (op == RAW_SHUTDOWN)
			op = RAW_GET;
		size_t n = raw_frame(frame, op, (int)(rnd() % 7), obj, rnd() % 20, key, junk,
				     rnd() % sizeof(junk));
		bool bad = keylen > 255;
		if (rnd() % 10 == 0) {
			le_put(frame, rnd() % 2 ? 0xffffffffu - rnd() % 16 : rnd() % RAW_REQ_HEADER, 4);
			bad = true;
		}
		/* A send fails if the server dropped this client: fair. */
		bool gone = send(fd, frame, n, MSG_NOSIGNAL) != (ssize_t)n;
		if (bad || gone) {
			doomed += bad;
			close(fd);	/* the server hangs up on it: a new connection */
			fd = raw_open(RAW_DICT, "d", &dict);
		} else {
			drain(fd);
		}
		if (i % 500 == 0) {
			char phase[64];
			snprintf(phase, sizeof(phase), "random frames, %d sent", i);
			/* The store keeps what the frames set: at most 1,000 values. */
			check_server(phase, base, CLIENT_BOUND_KIB + SLACK_KIB + 1000 * 3);
		}
	}
	printf("random frames: %ld of them malformed or over the limit\n", doomed);
	close(fd);
}
END_TEST

/* A whole frame and, in the same packet, a length over the limit: the
 * frame is answered before the server hangs up. */
START_TEST(valid_frame_then_bad_length)
{
	unsigned char frame[4 + RAW_REQ_HEADER + 8];
	uint64_t legit, arg;
	uint32_t len;
	int64_t v = 0;
	int fd = raw_open(RAW_DICT, "legit", &legit);
	size_t n = raw_frame(frame, RAW_GET, 0, legit, 0, "n", NULL, 0);

	le_put(frame + n, 0xffffffffu, 4);
	ck_assert_int_eq(send(fd, frame, n + 4, MSG_NOSIGNAL), (ssize_t)(n + 4));
	ck_assert_int_eq(raw_reply(fd, &arg, &len), 0);
	ck_assert_int_eq(len, 8);
	ck_assert_int_eq(recv(fd, &v, 8, MSG_WAITALL), 8);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(recv(fd, frame, 1, 0), 0);	/* then it hangs up */
	close(fd);
}
END_TEST

/* Descriptors for HELD connections the test holds, and a few more. */
static void raise_own_fd_limit(void)
{
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_msg(rl.rlim_max >= HELD + 64, "this test needs %d descriptors", HELD + 64);
	if (rl.rlim_cur < HELD + 64) {
		rl.rlim_cur = HELD + 64;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
}

/* True once every connection has had the server's hello or was closed
 * by it: the server has seen them all. */
static bool all_seen(const int *fds, int n)
{
	for (int i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = fds[i], .events = POLLIN };

		if (poll(&pfd, 1, 0) != 1)
			return false;
	}
	return true;
}

/* 500 connections that never answer the challenge, against a server
 * allowed 64 descriptors; then every descriptor held by clients that do
 * know the key, and one more waiting. */
START_TEST(held_connections_at_fd_limit)
{
	struct rlimit low = { FD_LIMIT, FD_LIMIT };
	static int held[HELD];
	long base = status_kib(server, "VmRSS");

	raise_own_fd_limit();
	ck_assert_int_eq(prlimit(server, RLIMIT_NOFILE, &low, NULL), 0);
	for (int i = 0; i < HELD; i++)
		ck_assert_int_ge(held[i] = tcp_connect(addr), 0);
	WAIT_UNTIL(all_seen(held, HELD), 10);
	check_server("500 connections held, 64 descriptors", base, FD_LIMIT * 8 + SLACK_KIB);
	for (int i = 0; i < HELD; i++)
		close(held[i]);

	/* Clients that know the key are never dropped to make room: the
	 * next one waits, and gets in as soon as one leaves. */
	int n = 0, waiting;
	for (;;) {
		ck_assert_int_lt(n, FD_LIMIT);
		int fd = tcp_connect(addr);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		ck_assert_int_ge(fd, 0);
		if (poll(&pfd, 1, 300) == 0) {
			waiting = fd;	/* no hello in 300 ms: the server is full */
			break;
		}
		ck_assert_int_eq(authenticate(fd, KEY), 0);
		held[n++] = fd;
	}
	double cpu = idle_cpu(0.5);
	printf("every descriptor held by %d clients, one waiting: idle CPU %.1f%%\n", n, cpu);
	ck_assert_msg(cpu <= IDLE_CPU, "the full server used %.1f%% of a CPU", cpu);
	close(held[0]);
	double t0 = now();
	struct pollfd pfd = { .fd = waiting, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	double ms = (now() - t0) * 1e3;
	printf("a client left: the one waiting had its hello in %.2f ms\n", ms);
	ck_assert_msg(ms <= ANSWER_MS, "the waiting client got in after %.1f ms", ms);
	ck_assert_int_eq(authenticate(waiting, KEY), 0);
	close(waiting);
	for (int i = 1; i < n; i++)
		close(held[i]);
}
END_TEST

#define PIPELINED 200	/* gets of a 1 MiB value: 9.4 KB of requests */

/* A client that sends many gets of a big value and never reads. */
START_TEST(pipelined_gets_unread)
{
	static unsigned char frames[PIPELINED * (4 + RAW_REQ_HEADER + 3)], value[BIG];
	unsigned char *set = malloc(4 + RAW_REQ_HEADER + 3 + BIG);
	uint64_t dict, arg;
	uint32_t len;
	int fd = raw_open(RAW_DICT, "d", &dict);
	size_t n;

	ck_assert_ptr_nonnull(set);
	memset(value, 'x', BIG);
	n = raw_frame(set, RAW_SET, 3, dict, 0, "big", value, BIG);	/* type 3: a string */
	ck_assert_int_eq(send(fd, set, n, MSG_NOSIGNAL), (ssize_t)n);
	ck_assert_int_eq(raw_reply(fd, &arg, &len), 0);
	free(set);
	long base = status_kib(server, "VmRSS");

	n = 0;
	for (int i = 0; i < PIPELINED; i++)
		n += raw_frame(frames + n, RAW_GET, 0, dict, 0, "big", NULL, 0);
	ck_assert_int_eq(send(fd, frames, n, MSG_NOSIGNAL), (ssize_t)n);
	check_server("200 gets of 1 MiB pipelined, unread", base, CLIENT_BOUND_KIB + SLACK_KIB);

	/* Nothing was lost: every reply comes once the client reads. */
	for (int i = 0; i < PIPELINED; i++) {
		ck_assert_int_eq(raw_reply(fd, &arg, &len), 0);
		ck_assert_int_eq(len, BIG);
		ck_assert_int_eq(recv(fd, value, BIG, MSG_WAITALL), (ssize_t)BIG);
	}
	close(fd);
}
END_TEST

int main(void)
{
	return leakcheck_main("manager_faults", 60, setup, teardown, (const TTest *[]){
		random_frames,
		valid_frame_then_bad_length,
		held_connections_at_fd_limit,
		pipelined_gets_unread,
		NULL,
	});
}
