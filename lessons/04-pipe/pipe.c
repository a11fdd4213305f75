/*
 * 04-pipe - a Pipe: two connected ends, and what "end of file" means.
 *
 * usage: 04-pipe [--help]
 *
 * mp_pipe() gives two connection ends.  Part 1, duplex (Python's Pipe()):
 * each end sends and receives, so parent and child talk both ways.  Part 2,
 * one-way (Pipe(duplex=False)): the first end only receives, the second
 * only sends, and the wrong direction is refused.  Part 3: end of file.  A
 * receiver learns "no more messages will ever come" only when *every* copy
 * of the sending end is closed - in every process.  The child closes its
 * copy and exits; the parent still holds one (fork copied it), so recv()
 * would wait forever; poll() with a timeout shows it.  Once the parent
 * closes its own copy, recv() reports end of file (Python's EOFError).
 *
 * On the timeline: arrows for messages both ways in part 1, one way in parts
 * 2 and 3, and the end-of-file mark on the parent's lane.
 */
#define _GNU_SOURCE
#include "mp.h"
#include "lesson.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 04-pipe [--help]\n"
		     "A duplex pipe, a one-way pipe, and end of file.\n");
}

static void run(mp_process *p, mp_target_fn body, void *arg, const char *name)
{
	mp_process_init(p, body, arg, name);
	if (mp_process_start(p) == -1)
		lesson_fail("start");
}

/* ---- 1. duplex -------------------------------------------------------------- */

struct duplex { mp_conn *parent_end, *child_end; };

static int duplex_child(void *arg)
{
	struct duplex *d = arg;
	char msg[64];

	mp_conn_close(d->parent_end);		/* not ours */
	if (mp_conn_send_str(d->child_end, "Hello, parent!") == -1 ||
	    mp_conn_recv_str(d->child_end, msg, sizeof(msg)) == -1)
		return 1;
	mp_printf("child  received: %s\n", msg);
	return 0;
}

/* ---- 2. one-way ------------------------------------------------------------- */

struct oneway { mp_conn *r, *w; };

static int oneway_child(void *arg)
{
	struct oneway *o = arg;

	mp_conn_close(o->r);
	for (int64_t i = 1; i <= 3; i++)
		if (mp_conn_send_int(o->w, i * 10) == -1)
			return 1;
	return 0;
}

/* ---- 3. end of file ---------------------------------------------------------- */

static int eof_child(void *arg)
{
	struct oneway *o = arg;

	mp_conn_close(o->r);
	for (int i = 0; i < 3; i++) {
		char msg[32];
		snprintf(msg, sizeof(msg), "message %d", i);
		if (mp_conn_send_str(o->w, msg) == -1)
			return 1;
	}
	mp_conn_close(o->w);			/* the child's copy: gone */
	return 0;
}

int main(int argc, char **argv)
{
	struct duplex d;
	struct oneway o, e;
	mp_process p;
	char msg[64];
	int64_t v;

	lesson_no_options(argc, argv, usage);

	mp_printf("== 1. Duplex Pipe(): both ends send and receive\n");
	if (mp_pipe(true, &d.parent_end, &d.child_end) == -1)
		lesson_fail("pipe");
	run(&p, duplex_child, &d, "child");
	mp_conn_close(d.child_end);		/* the child's: not ours */
	if (mp_conn_send_str(d.parent_end, "Hello, child!") == -1 ||
	    mp_conn_recv_str(d.parent_end, msg, sizeof(msg)) == -1)
		lesson_fail("parent send/recv");
	mp_printf("parent received: %s\n", msg);
	mp_process_join(&p);
	mp_conn_close(d.parent_end);

	mp_printf("\n== 2. One-way Pipe(duplex=False): r only receives, w only sends\n");
	if (mp_pipe(false, &o.r, &o.w) == -1)
		lesson_fail("pipe");
	run(&p, oneway_child, &o, "sender");
	mp_conn_close(o.w);
	for (int i = 0; i < 3; i++) {
		if (mp_conn_recv_int(o.r, &v) == -1)
			lesson_fail("recv");
		mp_printf("parent received: %lld\n", (long long)v);
	}
	if (mp_conn_send_int(o.r, 99) == -1)
		mp_printf("parent: send on the receiving end r: %s (refused)\n", strerror(errno));
	mp_process_join(&p);
	mp_conn_close(o.r);

	mp_printf("\n== 3. End of file: every sending end closed, in every process\n");
	if (mp_pipe(false, &e.r, &e.w) == -1)
		lesson_fail("pipe");
	run(&p, eof_child, &e, "last-sender");
	mp_process_join(&p);			/* sent 3, closed its end, exited */
	mp_printf("child sent 3 messages, closed its end and exited\n");
	while (mp_conn_poll(e.r, 0) == 1 && mp_conn_recv_str(e.r, msg, sizeof(msg)) >= 0)
		mp_printf("parent received: %s\n", msg);
	if (mp_conn_poll(e.r, 0.2) == 0)
		mp_printf("parent: nothing within 0.2 s, and no end of file: the parent still "
			  "holds a sending end (fork copied it), so recv() would wait forever\n");
	mp_conn_close(e.w);
	mp_printf("parent closes its own sending end\n");
	if (mp_conn_recv_str(e.r, msg, sizeof(msg)) == -1 && errno == EPIPE)
		mp_printf("parent: recv: end of file (EPIPE; Python raises EOFError)\n");
	mp_conn_close(e.r);
	return EXIT_SUCCESS;
}
