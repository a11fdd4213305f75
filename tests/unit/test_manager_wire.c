/*
 * test_manager_wire.c - the Manager on a TCP port: the authkey, garbage
 * frames, half-sent frames and a client that never reads its replies.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.  Raw sockets to the server have
 * receive and send timeouts, so no test can hang on it.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"
#include "manager_raw.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

int main(void)
{
	return leakcheck_main("manager_wire", 120, NULL, NULL, (const TTest *[]){
		test_authkey,
		test_garbage_and_slow_client,
		NULL,
	});
}
