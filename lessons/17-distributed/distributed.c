/*
 * 17-distributed - a master and its workers over the network: a manager
 * serving two queues on a TCP port, guarded by an authkey.
 *
 * usage: 17-distributed [--workers N] [--tasks N] [--garbage N] [--seed S]
 *        17-distributed --connect HOST:PORT [--authkey KEY]
 *        17-distributed --help
 *
 * The master starts a manager on 127.0.0.1 (any free port) with the
 * authkey "abc", serving a task queue and a result queue; it puts tasks
 * (random numbers n) and waits for the results.  Workers connect by
 * address and key, as they would from another machine, take n and answer
 * "n * n = ...".  Before them, an intruder tries the wrong key and is
 * refused, and a vandal throws random frames at the port; the server goes
 * on serving.  With --connect the program is just a worker: run the master
 * with --workers 0 in one terminal and workers in others.
 *
 * The key never crosses the wire: the server sends a random challenge and
 * the client answers HMAC-SHA256(key, challenge).
 *
 * On the timeline: the master, the manager's process and the workers; an
 * arrow for each task from the master's put to a worker's get, and for
 * each result back; the refused intruder.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define AUTHKEY "abc"

static char address[64];
static const char *authkey = AUTHKEY;
static int garbage_frames = 200;
static unsigned seed;

static void usage(FILE *out)
{
	fprintf(out, "usage: 17-distributed [--workers N] [--tasks N] [--garbage N] [--seed S]\n"
		     "       17-distributed --connect HOST:PORT [--authkey KEY]\n"
		     "A master serves a task queue and a result queue over TCP; workers square numbers.\n");
}

/* task_worker.py: connect, take tasks until none comes for 1 s. */
static int worker(void *arg)
{
	const char *me = mp_current_process()->name;
	mp_manager *m;
	mp_queue_proxy *task, *result;
	int64_t n;
	char r[64];

	mp_printf("%s: connect to server %s...\n", me, address);
	m = mp_manager_connect(address, authkey, strlen(authkey));
	if (m == NULL) {
		mp_printf("%s: refused: %s\n", me, strerror(errno));
		return 1;
	}
	task = mp_manager_queue(m, "task_queue");
	result = mp_manager_queue(m, "result_queue");
	if (task == NULL || result == NULL) {
		fprintf(stderr, "%s: queues: %s\n", me, strerror(errno));
		mp_manager_close(m);
		return 1;
	}
	for (;;) {
		if (mp_queue_proxy_get_int_timeout(task, &n, 1.0) == -1) {
			if (errno == EAGAIN)
				mp_printf("%s: task queue is empty.\n", me);
			else
				mp_printf("%s: get: %s\n", me, strerror(errno));
			break;
		}
		mp_printf("%s: run task %lld * %lld...\n", me, (long long)n, (long long)n);
		snprintf(r, sizeof(r), "%lld * %lld = %lld", (long long)n, (long long)n,
			 (long long)(n * n));
		sleep_ms(20);	/* the work */
		if (mp_queue_proxy_put_str(result, r) == -1) {
			mp_printf("%s: put: %s\n", me, strerror(errno));
			break;
		}
	}
	mp_printf("%s: worker exit.\n", me);
	mp_manager_close(m);
	return 0;
}

/* Someone with the wrong key. */
static int intruder(void *arg)
{
	mp_manager *m = mp_manager_connect(address, "wrong", 5);

	if (m == NULL) {
		mp_printf("intruder: connect with authkey b'wrong': refused (%s)\n",
			  errno == EACCES ? "EACCES: wrong authkey" : strerror(errno));
		return 0;
	}
	mp_printf("intruder: let in!\n");
	mp_manager_close(m);
	return 1;
}

/* Someone who sends random bytes as frames: a length prefix (honest, or
 * too big), then a random body.  Never authenticates. */
static int vandal(void *arg)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	unsigned char frame[4 + 256];
	int sent = 0, conns = 0, fd = -1;

	srand(seed + 17);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in.sin_port = htons((uint16_t)atoi(strrchr(address, ':') + 1));
	for (int i = 0; i < garbage_frames; i++) {
		if (fd < 0) {
			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd == -1 || connect(fd, (struct sockaddr *)&in, sizeof(in)) == -1)
				return 1;
			conns++;
		}
		size_t len = (size_t)(rand() % 256);
		uint32_t prefix = rand() % 8 == 0 ? (uint32_t)rand() | 0x80000000u : (uint32_t)len;

		memcpy(frame, &prefix, 4);
		for (size_t k = 0; k < len; k++)
			frame[4 + k] = (unsigned char)rand();
		if (send(fd, frame, 4 + len, MSG_NOSIGNAL) > 0)
			sent++;
		if (rand() % 4 == 0) {	/* hang up, mid-frame or not */
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	mp_printf("vandal: sent %d random frames over %d connections.\n", sent, conns);
	return 0;
}

static int master(int workers, int tasks)
{
	mp_manager *m;
	mp_queue_proxy *task, *result;
	mp_process *w = calloc((size_t)workers + 2, sizeof(*w));
	char r[64];
	int failed = 0;

	/* QueueManager(address=('127.0.0.1', 0), authkey=b'abc').start() */
	m = mp_manager_serve("127.0.0.1:0", authkey, strlen(authkey));
	if (m == NULL || w == NULL)
		lesson_fail("serve");
	snprintf(address, sizeof(address), "%s", mp_manager_address(m));
	mp_printf("master: serving task_queue and result_queue on %s, authkey b'%s'.\n",
		  address, authkey);
	task = mp_manager_queue(m, "task_queue");
	result = mp_manager_queue(m, "result_queue");
	if (task == NULL || result == NULL)
		lesson_fail("queues");
	srand(seed);
	for (int i = 0; i < tasks; i++) {
		int n = rand() % 10001;

		mp_printf("master: put task %d...\n", n);
		mp_queue_proxy_put_int(task, n);
	}

	/* The intruder and the vandal go first: the workers then show the
	 * server still serving. */
	mp_process_init(&w[0], intruder, NULL, "intruder");
	mp_process_init(&w[1], vandal, NULL, "vandal");
	for (int i = 0; i < 2; i++) {
		mp_process_start(&w[i]);
		mp_process_join(&w[i]);
		failed |= mp_process_exitcode(&w[i]) != 0;
	}
	for (int i = 0; i < workers; i++) {
		char name[32];

		snprintf(name, sizeof(name), "worker-%d", i + 1);
		mp_process_init(&w[2 + i], worker, NULL, name);
		if (mp_process_start(&w[2 + i]) == -1) {
			fprintf(stderr, "17-distributed: start: %s\n", strerror(errno));
			workers = i;
			break;
		}
	}

	mp_printf("master: try get results...\n");
	for (int i = 0; i < tasks; i++) {
		if (mp_queue_proxy_get_str_timeout(result, r, sizeof(r), 10.0) == -1) {
			mp_printf("master: no result within 10 s: %s\n", strerror(errno));
			failed = 1;
			break;
		}
		mp_printf("master: result: %s\n", r);
	}
	for (int i = 0; i < workers; i++) {
		mp_process_join(&w[2 + i]);
		failed |= mp_process_exitcode(&w[2 + i]) != 0;
	}
	mp_manager_shutdown(m);
	mp_printf("master exit.\n");
	free(w);
	return failed;
}

/* host_port() in the Python: "HOST:PORT" with a port of 1-65535, or a
 * usage error (a HOST that does not resolve is the connect's error). */
static void check_address(const char *arg)
{
	const char *colon = strrchr(arg, ':');

	if (colon == NULL || strlen(arg) >= sizeof(address))
		lesson_usage_error(usage, "--connect wants HOST:PORT, not '%s'", arg);
	lesson_number(colon + 1, "--connect's PORT", 1, 65535, usage);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "workers", required_argument, NULL, 'w' },
		{ "tasks", required_argument, NULL, 't' },
		{ "garbage", required_argument, NULL, 'g' },
		{ "seed", required_argument, NULL, 's' },
		{ "connect", required_argument, NULL, 'c' },
		{ "authkey", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int workers = 2, tasks = 10, opt;
	const char *connect_to = NULL;

	seed = (unsigned)getpid();
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			workers = (int)lesson_number(optarg, "--workers", 0, 16, usage);
			break;
		case 't':
			tasks = (int)lesson_number(optarg, "--tasks", 0, 1000, usage);
			break;
		case 'g':
			garbage_frames = (int)lesson_number(optarg, "--garbage", 0, 100000, usage);
			break;
		case 's':
			seed = (unsigned)lesson_number(optarg, "--seed", 0, 1000000000, usage);
			break;
		case 'c':
			check_address(optarg);
			connect_to = optarg;
			break;
		case 'k':
			authkey = optarg;
			break;
		default:
			lesson_other_option(opt, usage);
		}
	}
	lesson_no_arguments(argc, usage);
	if (authkey[0] == '\0' || strlen(authkey) > MP_MANAGER_AUTHKEY_MAX)
		lesson_usage_error(usage, NULL);
	if (connect_to != NULL) {
		snprintf(address, sizeof(address), "%s", connect_to);
		return worker(NULL) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	return master(workers, tasks) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
