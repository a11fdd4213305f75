/*
 * test_pipe.c - Pipe across processes: both ways and end of file, a message
 * bigger than the pipe, the one-way pipe's wrong direction and EPIPE.
 *
 * Every test runs in its own process (Check) and fails if it leaves a child,
 * a zombie or a file descriptor behind.
 */
#define _GNU_SOURCE
#include "mp.h"

#include "leakcheck.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- Pipe --------------------------------------------------------------------- */

struct ends {
	mp_conn *a, *b;
};

static int echo(void *arg)
{
	struct ends *e = arg;
	char buf[64];
	ssize_t n;

	mp_conn_close(e->a);		/* the parent's end: not ours */
	while ((n = mp_conn_recv(e->b, buf, sizeof(buf))) >= 0)
		if (mp_conn_send(e->b, buf, n) == -1)
			return 1;
	return errno == EPIPE ? 0 : 1;	/* end of file: done */
}

START_TEST(pipe_duplex_both_ways_and_eof)
{
	struct ends e;
	mp_process p;
	char buf[64];

	ck_assert_int_eq(mp_pipe(true, &e.a, &e.b), 0);
	start(&p, echo, &e);
	ck_assert_int_eq(mp_conn_close(e.b), 0);
	for (int i = 0; i < 100; i++) {
		char msg[32];
		snprintf(msg, sizeof(msg), "message %d", i);
		ck_assert_int_eq(mp_conn_send_str(e.a, msg), 0);
		ck_assert_int_eq(mp_conn_recv_str(e.a, buf, sizeof(buf)), (ssize_t)strlen(msg));
		ck_assert_str_eq(buf, msg);
	}
	ck_assert_int_eq(mp_conn_close(e.a), 0);	/* the echo sees EOF and ends */
	ck_assert_int_eq(join(&p), 0);
}
END_TEST

static int send_big(void *arg)
{
	struct ends *e = arg;
	size_t len = 10 << 20;
	uint8_t *msg = malloc(len);

	mp_conn_close(e->a);
	for (size_t i = 0; i < len; i++)
		msg[i] = (uint8_t)(i * 7);
	int r = mp_conn_send(e->b, msg, len) == 0 && mp_conn_send_int(e->b, 42) == 0 ? 0 : 1;
	free(msg);
	return r;
}

START_TEST(pipe_big_message_and_msgsize)
{
	struct ends e;
	mp_process p;
	size_t len = 10 << 20;
	uint8_t *buf = malloc(len);
	int64_t v;

	ck_assert_int_eq(mp_pipe(false, &e.a, &e.b), 0);
	start(&p, send_big, &e);
	ck_assert_int_eq(mp_conn_close(e.b), 0);
	ck_assert_int_eq(mp_conn_poll(e.a, 5), 1);
	ck_assert_int_eq(mp_conn_recv(e.a, buf, 100), -1);	/* too small: stays */
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(mp_conn_recv(e.a, buf, len), (ssize_t)len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(i * 7))		/* one check call, not 10 M */
			ck_abort_msg("byte %zu", i);
	ck_assert_int_eq(mp_conn_recv_int(e.a, &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(join(&p), 0);
	/* Every sending end is closed now: end of file, at once, no hang. */
	ck_assert_int_eq(mp_conn_poll(e.a, 0), 1);
	ck_assert_int_eq(mp_conn_recv(e.a, buf, len), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_int_eq(mp_conn_close(e.a), 0);
	free(buf);
}
END_TEST

START_TEST(pipe_oneway_refuses_wrong_direction_and_epipe)
{
	mp_conn *r, *w;
	char buf[8];

	ck_assert_int_eq(mp_pipe(false, &r, &w), 0);
	ck_assert_int_eq(mp_conn_send_str(r, "no"), -1);	/* r only receives */
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(mp_conn_recv(w, buf, sizeof(buf)), -1);	/* w only sends */
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(mp_conn_poll(r, 0.05), 0);		/* nothing yet */
	ck_assert_int_eq(mp_conn_poll(r, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(mp_conn_close(r), 0);
	/* Nobody can read any more: an error, not a SIGPIPE death. */
	ck_assert_int_eq(mp_conn_send_str(w, "lost"), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_int_eq(mp_conn_close(w), 0);
	ck_assert_int_eq(mp_conn_send_str(w, "closed"), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(mp_conn_close(w), -1);
	ck_assert_int_eq(mp_pipe(true, NULL, &w), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

int main(void)
{
	return leakcheck_main("pipe", 60, NULL, NULL, (const TTest *[]){
		pipe_duplex_both_ways_and_eof,
		pipe_big_message_and_msgsize,
		pipe_oneway_refuses_wrong_direction_and_epipe,
		NULL,
	});
}
