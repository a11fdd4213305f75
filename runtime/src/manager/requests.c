/*
 * requests.c - what a client's bytes ask the manager's server for.
 *
 * First the answer to the challenge (auth.c), then request frames: each
 * one is done by the store (store.c) and answered with one reply, put in
 * the client's output for server.c to send.  A get on an empty queue
 * parks the client instead (C_PARKED: its reply is simply not made yet)
 * until a put or its deadline.
 *
 * The server trusts nothing a client sends: a frame longer than FRAME_MAX
 * or a malformed one ends that client only, after the replies to the
 * frames before it; an unknown op or type is answered EINVAL.  And it
 * never answers faster than the client reads (server.h: OUT_HIGH).
 */
#define _GNU_SOURCE
#include "manager/server.h"
#include "base/time.h"

#include <stdlib.h>

void mp__serve_reply(struct client *c, const struct reply *rp)
{
	unsigned char head[4 + REPLY_HEADER];

	mp__reply_head(head, rp);
	if (mp__buf_append(&c->out, head, sizeof(head)) == -1 ||
	    mp__buf_append(&c->out, rp->val, rp->len) == -1)
		c->state = C_DEAD;	/* past OUT_MAX, or out of memory */
}

void mp__serve_hang_up(struct client *c)
{
	c->closing = true;
	if (c->out.len == 0)
		c->state = C_DEAD;
}

/* Sends the store's answer, or parks the client. */
static void answer(struct server *s, struct client *c, const struct request *rq, struct answer *a)
{
	if (a->park) {
		c->state = C_PARKED;
		c->park_obj = rq->obj;
		c->park_seq = ++s->park_seq;
		c->deadline = rq->timeout_ms < 0 ? -1 : mp__deadline(rq->timeout_ms / 1e3);
		return;
	}
	mp__serve_reply(c, &a->rp);
	free(a->taken);
}

/* After a put to queue obj: its items go to the clients parked on it,
 * first parked first. */
static void unpark(struct server *s, uint64_t obj)
{
	for (;;) {
		struct client *first = NULL;
		struct answer a;

		for (size_t i = 0; i < s->n_clients; i++) {
			struct client *c = &s->clients[i];

			if (c->state == C_PARKED && c->park_obj == obj &&
			    (first == NULL || c->park_seq < first->park_seq))
				first = c;
		}
		if (first == NULL || !mp__store_take(s->store, obj, &a))
			return;
		first->state = C_READY;
		mp__serve_reply(first, &a.rp);
		free(a.taken);
	}
}

/* Handles one request frame (body: n bytes).  false: it is malformed. */
static bool handle(struct server *s, struct client *c, const unsigned char *b, size_t n)
{
	struct request rq;
	struct answer a;

	if (mp__request_parse(b, n, &rq) == -1)
		return false;
	if (rq.op == OP_SHUTDOWN) {
		mp__serve_reply(c, &(struct reply){ 0 });
		s->stop = true;
		return true;
	}
	mp__store_do(s->store, &rq, &a);
	answer(s, c, &rq, &a);
	if (rq.op == OP_PUT && a.rp.status == 0)
		unpark(s, rq.obj);
	return true;
}

/* The client's challenge answer is in c->in. */
static void check_answer(struct server *s, struct client *c)
{
	pid_t pid;

	if (!mp__auth_check(s->m->key, s->m->keylen, c->nonce, c->in.data, &pid)) {
		/* Logged, and the first few on the timeline (a flood of them
		 * would bury it); the client learns only "no".  The pid is what
		 * the client said: a random one from a client sending garbage. */
		static unsigned long refused;

		mp_log(MP_WARNING, "manager: refused a client (says pid %d): wrong authkey", pid);
		if (++refused <= 3)
			mp_mark("manager refused a client (says pid %d): wrong authkey%s", pid,
				refused == 3 ? " (no more marks of this)" : "");
		mp__buf_append(&c->out, "F", 1);
		mp__serve_hang_up(c);
		return;
	}
	mp__buf_append(&c->out, "W", 1);
	c->state = C_READY;
}

void mp__serve_consume(struct server *s, struct client *c)
{
	size_t at = 0;

	if (c->state == C_HELLO && c->in.len >= ANSWER_LEN) {
		check_answer(s, c);
		at = ANSWER_LEN;
	}
	while (c->state == C_READY && !c->closing && c->out.len < OUT_HIGH && c->in.len - at >= 4) {
		size_t n = mp__le_get(c->in.data + at, 4);

		if (n > FRAME_MAX) {
			mp__serve_hang_up(c);
			break;
		}
		if (c->in.len - at - 4 < n)
			break;	/* half a frame: wait for the rest */
		if (!handle(s, c, c->in.data + at + 4, n)) {
			mp__serve_hang_up(c);
			break;
		}
		at += 4 + n;
	}
	mp__buf_consume(&c->in, at);
}
