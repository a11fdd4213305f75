/*
 * test_manager.c - the Manager's life: start, serve, connect, the dict's
 * operations, a queue between processes, a server that dies, and who may
 * shut it down.
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

int main(void)
{
	return leakcheck_main("manager", 120, NULL, NULL, (const TTest *[]){
		test_dict_ops,
		test_bad_addresses,
		test_queue,
		test_server_death,
		test_shutdown_rules,
		NULL,
	});
}
