/*
 * test_manager.c - the Manager: dict and queue proxies, many clients, a
 * server that dies, the authkey, and clients that send garbage.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Waits have deadlines.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int join(mp_process *p)
{
	ck_assert_int_eq(mp_process_join_timeout(p, 60), 0);
	return mp_process_exitcode(p);
}

/* ---- dict ---------------------------------------------------------------- */

START_TEST(test_dict_ops)
{
	mp_manager *m = mp_manager_start();
	mp_dict_proxy *d;
	int64_t i;
	double f;
	char s[16];

	ck_assert_ptr_nonnull(m);
	ck_assert_int_gt(mp_manager_pid(m), 0);
	ck_assert_int_eq(mp_manager_address(m)[0], '@');
	d = mp_manager_dict(m, NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(mp_dict_proxy_len(d), 0);
	ck_assert_int_eq(mp_dict_proxy_set_int(d, "count", 100), 0);
	ck_assert_int_eq(mp_dict_proxy_set_float(d, "pi", 3.25), 0);
	ck_assert_int_eq(mp_dict_proxy_set_str(d, "name", "manager"), 0);
	ck_assert_int_eq(mp_dict_proxy_len(d), 3);
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "count", &i), 0);
	ck_assert_int_eq(i, 100);
	ck_assert_int_eq(mp_dict_proxy_get_float(d, "pi", &f), 0);
	ck_assert(f == 3.25);
	ck_assert_int_eq(mp_dict_proxy_get_float(d, "count", &f), 0);	/* int -> float */
	ck_assert(f == 100.0);
	ck_assert_int_eq(mp_dict_proxy_get_str(d, "name", s, sizeof(s)), 7);
	ck_assert_str_eq(s, "manager");
	/* Overwrite, with another type. */
	ck_assert_int_eq(mp_dict_proxy_set_str(d, "count", "many"), 0);
	ck_assert_int_eq(mp_dict_proxy_len(d), 3);

	/* Bad input: errno, never a crash. */
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "missing", &i), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "count", &i), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(mp_dict_proxy_get_str(d, "pi", s, sizeof(s)), -1);
	ck_assert_int_eq(errno, EBADMSG);
	ck_assert_int_eq(mp_dict_proxy_get_str(d, "name", s, 4), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(mp_dict_proxy_set_int(d, "", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	char longkey[MP_MANAGER_KEY_MAX + 2];
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	ck_assert_int_eq(mp_dict_proxy_set_int(d, longkey, 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	char *big = malloc(MP_MANAGER_VALUE_MAX + 2);
	memset(big, 'v', MP_MANAGER_VALUE_MAX + 1);
	big[MP_MANAGER_VALUE_MAX + 1] = '\0';
	ck_assert_int_eq(mp_dict_proxy_set_str(d, "big", big), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	big[MP_MANAGER_VALUE_MAX] = '\0';	/* the largest: taken */
	ck_assert_int_eq(mp_dict_proxy_set_str(d, "big", big), 0);
	ck_assert_int_eq(mp_dict_proxy_get_str(d, "big", big, MP_MANAGER_VALUE_MAX + 1), MP_MANAGER_VALUE_MAX);
	free(big);
	ck_assert_int_eq(mp_dict_proxy_del(d, "big"), 0);
	ck_assert_int_eq(mp_dict_proxy_del(d, "big"), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(mp_dict_proxy_set_int(NULL, "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* Named objects: the same dict again; a queue's name is taken. */
	mp_dict_proxy *a = mp_manager_dict(m, "shared");
	ck_assert_int_eq(mp_dict_proxy_set_int(a, "x", 7), 0);
	mp_dict_proxy *b = mp_manager_dict(m, "shared");
	ck_assert_int_eq(mp_dict_proxy_get_int(b, "x", &i), 0);
	ck_assert_int_eq(i, 7);
	ck_assert_ptr_nonnull(mp_manager_queue(m, "q"));
	ck_assert_ptr_null(mp_manager_dict(m, "q"));
	ck_assert_int_eq(errno, EEXIST);

	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

START_TEST(test_bad_addresses)
{
	const char *bad[] = { "", "nocolon", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:-1",
			      "127.0.0.1:12x", "@", "1.2.3:80x" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(mp_manager_serve(bad[i], "k", 1));
		ck_assert_msg(errno == EINVAL, "%s: %s", bad[i], strerror(errno));
		ck_assert_ptr_null(mp_manager_connect(bad[i], "k", 1));
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_ptr_null(mp_manager_serve(NULL, "k", 0));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_manager_serve(NULL, "k", MP_MANAGER_AUTHKEY_MAX + 1));
	ck_assert_int_eq(errno, EINVAL);
	/* Nobody listens there. */
	ck_assert_ptr_null(mp_manager_connect("@mp-test-nobody-here", "k", 1));
	ck_assert_int_eq(errno, ECONNREFUSED);
}
END_TEST

/* ---- many clients at once ------------------------------------------------- */

#define CLIENTS 16
#define OPS 200

struct client_arg {
	mp_dict_proxy *d;
	int id;
};

static int client(void *arg)
{
	struct client_arg *a = arg;
	char key[32];
	int64_t v;

	for (int i = 0; i < OPS; i++) {
		snprintf(key, sizeof(key), "c%d", a->id);
		if (mp_dict_proxy_set_int(a->d, key, i) == -1)
			return 1;
		if (mp_dict_proxy_get_int(a->d, key, &v) == -1 || v != i)
			return 2;
	}
	return 0;
}

START_TEST(test_many_clients)
{
	mp_manager *m = mp_manager_start();
	mp_dict_proxy *d = mp_manager_dict(m, NULL);
	mp_process p[CLIENTS];
	struct client_arg a[CLIENTS];
	char key[32];
	int64_t v;

	ck_assert_ptr_nonnull(d);
	for (int i = 0; i < CLIENTS; i++) {
		a[i] = (struct client_arg){ d, i };
		start(&p[i], client, &a[i]);
	}
	for (int i = 0; i < CLIENTS; i++)
		ck_assert_int_eq(join(&p[i]), 0);
	ck_assert_int_eq(mp_dict_proxy_len(d), CLIENTS);
	for (int i = 0; i < CLIENTS; i++) {
		snprintf(key, sizeof(key), "c%d", i);
		ck_assert_int_eq(mp_dict_proxy_get_int(d, key, &v), 0);
		ck_assert_int_eq(v, OPS - 1);
	}
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* Lesson 14's way: 5 workers each set d[i], the parent reads them all. */
static int fill(void *arg)
{
	struct client_arg *a = arg;
	char key[8];

	snprintf(key, sizeof(key), "%d", a->id);
	return mp_dict_proxy_set_int(a->d, key, (int64_t)a->id * a->id) == 0 ? 0 : 1;
}

START_TEST(test_workers_fill_dict)
{
	mp_manager *m = mp_manager_start();
	mp_dict_proxy *d = mp_manager_dict(m, NULL);
	mp_process p[5];
	struct client_arg a[5];
	int64_t v;

	for (int i = 0; i < 5; i++) {
		a[i] = (struct client_arg){ d, i };
		start(&p[i], fill, &a[i]);
	}
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(join(&p[i]), 0);
	for (int i = 0; i < 5; i++) {
		char key[8];

		snprintf(key, sizeof(key), "%d", i);
		ck_assert_int_eq(mp_dict_proxy_get_int(d, key, &v), 0);
		ck_assert_int_eq(v, i * i);
	}
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* ---- queue ------------------------------------------------------------------ */

static int producer(void *arg)
{
	mp_queue_proxy *q = arg;

	for (int i = 0; i < 100; i++)
		if (mp_queue_proxy_put_int(q, i) == -1)
			return 1;
	return 0;
}

START_TEST(test_queue)
{
	mp_manager *m = mp_manager_start();
	mp_queue_proxy *q = mp_manager_queue(m, "jobs");
	mp_process p;
	char s[32];
	int64_t v;

	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(mp_queue_proxy_get_timeout(q, s, sizeof(s), 0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	double t0 = now();
	ck_assert_int_eq(mp_queue_proxy_get_timeout(q, s, sizeof(s), 0.1), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert(now() - t0 >= 0.09);
	ck_assert_int_eq(mp_queue_proxy_put_str(q, "hello"), 0);
	ck_assert_int_eq(mp_queue_proxy_qsize(q), 1);
	ck_assert_int_eq(mp_queue_proxy_get_str_timeout(q, s, sizeof(s), 1), 5);
	ck_assert_str_eq(s, "hello");
	/* A get that waits, released by another process's puts, in order. */
	start(&p, producer, q);
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(mp_queue_proxy_get_int_timeout(q, &v, 30), 0);
		ck_assert_int_eq(v, i);
	}
	ck_assert_int_eq(join(&p), 0);
	ck_assert_int_eq(mp_queue_proxy_qsize(q), 0);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* ---- the server dies ----------------------------------------------------------- */

struct waiter {
	mp_queue_proxy *q;
	int ready[2];
};

/* Waits on an empty queue with no limit; must be told when the server dies. */
static int wait_forever(void *arg)
{
	struct waiter *w = arg;
	char b[8];

	if (mp_queue_proxy_qsize(w->q) != 0 || write(w->ready[1], "x", 1) != 1)
		return 1;
	if (mp_queue_proxy_get(w->q, b, sizeof(b)) != -1)
		return 2;
	return errno == ECONNRESET ? 0 : 3;
}

START_TEST(test_server_death)
{
	mp_manager *m = mp_manager_start();
	mp_dict_proxy *d = mp_manager_dict(m, NULL);
	struct waiter w = { mp_manager_queue(m, NULL), { -1, -1 } };
	mp_process p;
	int64_t v;
	char b;

	ck_assert_int_eq(mp_dict_proxy_set_int(d, "x", 1), 0);
	ck_assert_int_eq(pipe(w.ready), 0);
	start(&p, wait_forever, &w);
	ck_assert_int_eq(read(w.ready[0], &b, 1), 1);
	usleep(20000);	/* (only to let it reach its get; the test holds either way) */

	double t0 = now();
	ck_assert_int_eq(kill(mp_manager_pid(m), SIGKILL), 0);
	/* This process's next call fails, within a second. */
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "x", &v), -1);
	ck_assert_msg(errno == ECONNRESET || errno == ECONNREFUSED, "%s", strerror(errno));
	ck_assert_int_eq(join(&p), 0);
	ck_assert_double_lt(now() - t0, 1.0);
	/* And the calls after it: nobody listens any more (or, while the
	 * dying server's sockets close, the connect is reset). */
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "x", &v), -1);
	ck_assert_msg(errno == ECONNREFUSED || errno == ECONNRESET, "%s", strerror(errno));
	ck_assert_int_eq(mp_manager_shutdown(m), 0);	/* collects the server */
	close(w.ready[0]);
	close(w.ready[1]);
}
END_TEST

START_TEST(test_shutdown_rules)
{
	mp_manager *m = mp_manager_start();

	ck_assert_int_eq(mp_manager_shutdown(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
	/* A client's handle may only be closed. */
	m = mp_manager_serve(NULL, "key", 3);
	ck_assert_ptr_nonnull(m);
	mp_manager *c = mp_manager_connect(mp_manager_address(m), "key", 3);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(mp_manager_pid(c), 0);
	ck_assert_int_eq(mp_manager_shutdown(c), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(mp_manager_close(c), 0);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* ---- TCP and the authkey -------------------------------------------------------- */

START_TEST(test_authkey)
{
	mp_manager *m = mp_manager_serve("127.0.0.1:0", "secret", 6);
	const char *addr;
	int64_t v;

	ck_assert_ptr_nonnull(m);
	addr = mp_manager_address(m);
	ck_assert_msg(strncmp(addr, "127.0.0.1:", 10) == 0 && strcmp(addr, "127.0.0.1:0") != 0, "%s", addr);
	ck_assert_ptr_null(mp_manager_connect(addr, "wrong!", 6));
	ck_assert_int_eq(errno, EACCES);
	ck_assert_ptr_null(mp_manager_connect(addr, "secre", 5));
	ck_assert_int_eq(errno, EACCES);

	mp_manager *c = mp_manager_connect(addr, "secret", 6);
	ck_assert_ptr_nonnull(c);
	mp_dict_proxy *d = mp_manager_dict(c, "d");
	ck_assert_int_eq(mp_dict_proxy_set_int(d, "n", 42), 0);
	mp_dict_proxy *d2 = mp_manager_dict(m, "d");
	ck_assert_int_eq(mp_dict_proxy_get_int(d2, "n", &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(mp_manager_close(c), 0);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* ---- garbage on the port, and a slow client --------------------------------------- */

#define GARBAGE_FRAMES 10000

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static int tcp_connect(const char *addr)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	const char *colon = strrchr(addr, ':');
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	in.sin_port = htons((uint16_t)atoi(colon + 1));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || connect(fd, (struct sockaddr *)&in, sizeof(in)) == -1) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	struct timeval tv = { 5, 0 };	/* never hang on the server */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Connects and answers the challenge as a proxy would: 0 on welcome. */
static int authenticate(int fd, const char *key)
{
	unsigned char hello[48], answer[36], verdict;
	unsigned int len = 32;
	pid_t pid = getpid();

	if (recv(fd, hello, sizeof(hello), MSG_WAITALL) != sizeof(hello))
		return -1;
	HMAC(EVP_sha256(), key, (int)strlen(key), hello + 16, 32, answer, &len);
	memcpy(answer + 32, &pid, 4);
	if (send(fd, answer, sizeof(answer), MSG_NOSIGNAL) != sizeof(answer) ||
	    recv(fd, &verdict, 1, 0) != 1)
		return -1;
	return verdict == 'W' ? 0 : -1;
}

static void drain(int fd)
{
	char buf[4096];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

struct garbage_stats {
	long frames, oversized, half, unauthenticated, reconnects;
};

/*
 * What a hostile or broken client sends.  Every frame has a random body
 * (random op, type, key length, object id, ...); its length prefix is
 * honest 8 times in 10, else one of: over the size limit, shorter than a
 * request header, or the frame is cut off halfway and the connection
 * closed.  Every 50th connection skips the handshake and sends random
 * bytes as its answer.
 */
static int garbage(void *arg)
{
	const char *addr = arg;
	struct garbage_stats st = { 0 };
	unsigned char frame[4 + 600];
	int fd = -1;

	rnd_state = 0x9e3779b9u ^ (uint32_t)getpid();
	while (st.frames < GARBAGE_FRAMES) {
		if (fd < 0) {
			if ((fd = tcp_connect(addr)) == -1)
				return 1;
			st.reconnects++;
			if (st.reconnects % 50 == 0) {
				unsigned char junk[64];

				for (size_t i = 0; i < sizeof(junk); i++)
					junk[i] = (unsigned char)rnd();
				send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
				st.unauthenticated++;
				close(fd);
				fd = -1;
				continue;
			}
			if (authenticate(fd, "secret") == -1)
				return 2;
		}
		size_t body = rnd() % 600;
		uint32_t len = (uint32_t)body, kind = rnd() % 10;

		for (size_t i = 0; i < body; i++)
			frame[4 + i] = (unsigned char)rnd();
		if (body >= 2 && rnd() % 2)
			frame[4] = (unsigned char)(1 + rnd() % 9);	/* a real op, now and then */
		if (kind == 0) {
			len = 0x7fffffff - rnd() % 1000;	/* over the limit */
			st.oversized++;
		} else if (kind == 1) {
			len = rnd() % 40;			/* shorter than a header */
			body = len;
		}
		memcpy(frame, &len, 4);
		st.frames++;
		if (kind == 2) {				/* half a frame, then gone */
			send(fd, frame, 4 + body / 2, MSG_NOSIGNAL);
			st.half++;
			close(fd);
			fd = -1;
			continue;
		}
		if (send(fd, frame, 4 + body, MSG_NOSIGNAL) != (ssize_t)(4 + body)) {
			close(fd);	/* dropped by the server: fair */
			fd = -1;
			continue;
		}
		drain(fd);
		if (kind == 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	printf("garbage: %ld frames (%ld over the limit, %ld cut in half), %ld connections, "
	       "%ld unauthenticated\n", st.frames, st.oversized, st.half, st.reconnects,
	       st.unauthenticated);
	return 0;
}

START_TEST(test_garbage_and_slow_client)
{
	mp_manager *m = mp_manager_serve(NULL, "secret", 6);
	const char *addr = mp_manager_address(m);
	mp_dict_proxy *d = mp_manager_dict(m, "d");
	mp_process p;
	int64_t v;

	ck_assert_ptr_nonnull(d);
	/* A slow client: authenticated, sends two bytes of a frame header,
	 * then nothing.  Another never answers the challenge. */
	int slow = tcp_connect(addr), mute = tcp_connect(addr);
	ck_assert_int_ge(slow, 0);
	ck_assert_int_ge(mute, 0);
	ck_assert_int_eq(authenticate(slow, "secret"), 0);
	ck_assert_int_eq(send(slow, "\x10\x00", 2, MSG_NOSIGNAL), 2);

	start(&p, garbage, (void *)addr);
	/* Meanwhile the server keeps serving this well-behaved client. */
	for (int i = 0; mp_process_is_alive(&p); i++) {
		ck_assert_int_eq(mp_dict_proxy_set_int(d, "n", i), 0);
		ck_assert_int_eq(mp_dict_proxy_get_int(d, "n", &v), 0);
		ck_assert_int_eq(v, i);
	}
	ck_assert_int_eq(join(&p), 0);
	ck_assert_int_eq(mp_dict_proxy_set_int(d, "n", -1), 0);
	ck_assert_int_eq(mp_dict_proxy_get_int(d, "n", &v), 0);
	ck_assert_int_eq(v, -1);
	/* The slow client is still connected (the server sees only its half
	 * frame): nothing to read, and no hang-up. */
	struct pollfd pfd = { .fd = slow, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	close(slow);
	close(mute);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* ---- lesson 5's race, 50 times each way ------------------------------------ */

struct race {
	mp_dict_proxy *d;
	mp_lock *lock;
	long window_us;
};

static int decrement(void *arg)
{
	struct race *r = arg;
	int64_t v;

	if (r->lock && mp_lock_acquire(r->lock) != 0)
		return 1;
	if (mp_dict_proxy_get_int(r->d, "count", &v) == -1)
		return 2;
	if (r->window_us)
		usleep((useconds_t)r->window_us);
	if (mp_dict_proxy_set_int(r->d, "count", v - 1) == -1)
		return 3;
	if (r->lock && mp_lock_release(r->lock) != 0)
		return 4;
	return 0;
}

/* 20 processes each decrement {"count": 100}; the final count. */
static int64_t race_once(mp_manager *m, mp_lock *lock, long window_us)
{
	struct race r = { mp_manager_dict(m, NULL), lock, window_us };
	mp_process p[20];
	int64_t v;

	ck_assert_ptr_nonnull(r.d);
	ck_assert_int_eq(mp_dict_proxy_set_int(r.d, "count", 100), 0);
	for (int i = 0; i < 20; i++)
		start(&p[i], decrement, &r);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(join(&p[i]), 0);
	ck_assert_int_eq(mp_dict_proxy_get_int(r.d, "count", &v), 0);
	return v;
}

START_TEST(test_race_locked_exact)
{
	mp_manager *m = mp_manager_start();
	mp_lock *lock = mp_lock_new();

	for (int run = 0; run < 50; run++)
		ck_assert_int_eq(race_once(m, lock, 0), 80);
	mp_lock_close(lock);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* With 2 ms between get and set, all 20 gets land before most sets. */
START_TEST(test_race_window_loses)
{
	mp_manager *m = mp_manager_start();

	for (int run = 0; run < 50; run++)
		ck_assert_int_gt(race_once(m, NULL, 2000), 80);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

int main(void)
{
	Suite *s;
	TCase *tc = leakcheck_case(&s, "manager", 120);

	tcase_add_test(tc, test_dict_ops);
	tcase_add_test(tc, test_bad_addresses);
	tcase_add_test(tc, test_many_clients);
	tcase_add_test(tc, test_workers_fill_dict);
	tcase_add_test(tc, test_queue);
	tcase_add_test(tc, test_server_death);
	tcase_add_test(tc, test_shutdown_rules);
	tcase_add_test(tc, test_authkey);
	tcase_add_test(tc, test_garbage_and_slow_client);
	tcase_add_test(tc, test_race_locked_exact);
	tcase_add_test(tc, test_race_window_loses);
	return leakcheck_run(s);
}
