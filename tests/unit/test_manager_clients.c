/*
 * test_manager_clients.c - many processes on one Manager: clients that
 * each keep a key, lesson 14's workers filling a dict, and lesson 5's race
 * made to happen (every get before any set) and prevented by a Lock.
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

/* ---- lesson 5's race, made to happen, and the lock that prevents it ---------- */

struct race {
	mp_dict_proxy *d;
	mp_lock *lock;		/* held from get to set, or NULL */
	mp_queue *got;		/* without a lock: "I have read the count" */
	mp_event *go;		/* ... and the set waits for this */
};

static int decrement(void *arg)
{
	struct race *r = arg;
	int64_t v;

	if (r->lock && mp_lock_acquire(r->lock) != 0)
		return 1;
	if (mp_dict_proxy_get_int(r->d, "count", &v) == -1)
		return 2;
	if (r->go && (mp_queue_put_int(r->got, v) == -1 || mp_event_wait(r->go) == -1))
		return 3;
	if (mp_dict_proxy_set_int(r->d, "count", v - 1) == -1)
		return 4;
	if (r->lock && mp_lock_release(r->lock) != 0)
		return 5;
	return 0;
}

/* 20 processes each decrement {"count": 100}; the final count.  Without a
 * lock, every get is made to come before any set (the widest window the
 * race can have), so the outcome does not depend on scheduling. */
static int64_t race_once(mp_manager *m, mp_lock *lock)
{
	struct race r = { mp_manager_dict(m, NULL), lock, NULL, NULL };
	mp_process p[20];
	int64_t v;

	ck_assert_ptr_nonnull(r.d);
	if (lock == NULL) {
		r.got = mp_queue_new(0);
		r.go = mp_event_new();
		ck_assert(r.got != NULL && r.go != NULL);
	}
	ck_assert_int_eq(mp_dict_proxy_set_int(r.d, "count", 100), 0);
	for (int i = 0; i < 20; i++)
		start(&p[i], decrement, &r);
	if (lock == NULL) {
		for (int i = 0; i < 20; i++) {
			ck_assert_int_eq(mp_queue_get_int_timeout(r.got, &v, 60), 0);
			ck_assert_int_eq(v, 100);	/* nobody has set anything yet */
		}
		ck_assert_int_eq(mp_event_set(r.go), 0);
	}
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(join(&p[i]), 0);
	ck_assert_int_eq(mp_dict_proxy_get_int(r.d, "count", &v), 0);
	if (lock == NULL) {
		mp_queue_close(r.got);
		mp_event_close(r.go);
	}
	return v;
}

START_TEST(test_race_locked_exact)
{
	mp_manager *m = mp_manager_start();
	mp_lock *lock = mp_lock_new();

	for (int run = 0; run < 50; run++)
		ck_assert_int_eq(race_once(m, lock), 80);
	mp_lock_close(lock);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

/* All 20 read 100 and all write 99: 19 of the 20 updates are lost. */
START_TEST(test_race_unlocked_loses)
{
	mp_manager *m = mp_manager_start();

	for (int run = 0; run < 5; run++)
		ck_assert_int_eq(race_once(m, NULL), 99);
	ck_assert_int_eq(mp_manager_shutdown(m), 0);
}
END_TEST

int main(void)
{
	return leakcheck_main("manager_clients", 120, NULL, NULL, (const TTest *[]){
		test_many_clients,
		test_workers_fill_dict,
		test_race_locked_exact,
		test_race_unlocked_loses,
		NULL,
	});
}
