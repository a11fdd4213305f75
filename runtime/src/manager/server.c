/*
 * server.c - the manager's server process: one poll() loop, many clients.
 *
 * A client's life: C_HELLO until it answers the challenge (auth.c) within
 * HANDSHAKE_SECONDS, then C_READY: each whole frame it sends is one
 * request, done by the store (store.c) and answered with one reply.  A get
 * on an empty queue parks the client (C_PARKED: its reply is simply not
 * sent yet) until a put or its deadline; poll()'s timeout is the nearest
 * deadline.
 *
 * The server trusts nothing a client sends: a frame longer than FRAME_MAX
 * or a malformed one drops that client only; an unknown op or type is
 * answered EINVAL.  Sockets are non-blocking, so a client that sends half
 * a frame, or never reads its replies, holds nothing but its own buffers.
 */
#define _GNU_SOURCE
#include "manager/manager.h"
#include "base/buf.h"
#include "base/fd.h"
#include "base/time.h"
#include "interpose/interpose.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IN_MAX (4 + FRAME_MAX + 65536)	/* a client's input buffer at most */
#define HANDSHAKE_SECONDS 10	/* a client that does not answer the challenge: dropped */

enum cstate { C_HELLO, C_READY, C_PARKED, C_DEAD };

struct client {
	int fd;
	enum cstate state;
	unsigned char nonce[NONCE_LEN];
	struct mp__buf in;	/* bytes received, not yet handled */
	struct mp__buf out;	/* bytes to send; out_off of them sent */
	size_t out_off;
	int64_t deadline;	/* C_HELLO: of the answer; C_PARKED: of the get */
	uint64_t park_obj, park_seq;
	bool closing;		/* hang up once `out` is sent */
};

struct server {
	mp_manager *m;
	int listen_fd;
	struct store *store;
	struct client *clients;
	size_t n_clients, cap_clients;
	uint64_t park_seq;
	bool stop;
};

static void reply(struct client *c, const struct reply *rp)
{
	unsigned char head[4 + REPLY_HEADER];

	mp__reply_head(head, rp);
	if (mp__buf_append(&c->out, head, sizeof(head)) == -1 ||
	    mp__buf_append(&c->out, rp->val, rp->len) == -1)
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
	reply(c, &a->rp);
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
		reply(first, &a.rp);
		free(a.taken);
	}
}

/* Handles one request frame (body: n bytes).  false: drop the client. */
static bool handle(struct server *s, struct client *c, const unsigned char *b, size_t n)
{
	struct request rq;
	struct answer a;

	if (mp__request_parse(b, n, &rq) == -1)
		return false;
	if (rq.op == OP_SHUTDOWN) {
		reply(c, &(struct reply){ 0 });
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
		c->closing = true;
		return;
	}
	mp__buf_append(&c->out, "W", 1);
	c->state = C_READY;
}

/* Handles what c has sent, as long as it is not parked. */
static void consume(struct server *s, struct client *c)
{
	size_t at = 0;

	if (c->state == C_HELLO && c->in.len >= ANSWER_LEN) {
		check_answer(s, c);
		at = ANSWER_LEN;
	}
	while (c->state == C_READY && !c->closing && c->in.len - at >= 4) {
		size_t n = mp__le_get(c->in.data + at, 4);

		if (n > FRAME_MAX) {
			c->state = C_DEAD;
			return;
		}
		if (c->in.len - at - 4 < n)
			break;	/* half a frame: wait for the rest */
		if (!handle(s, c, c->in.data + at + 4, n)) {
			c->state = C_DEAD;
			return;
		}
		at += 4 + n;
	}
	mp__buf_consume(&c->in, at);
}

static void read_from(struct server *s, struct client *c)
{
	for (;;) {
		/* Short of room: twice as much, up to IN_MAX. */
		if (c->in.cap - c->in.len < 4096 && c->in.cap < IN_MAX &&
		    mp__buf_reserve(&c->in, c->in.cap - c->in.len + 4096) == -1) {
			c->state = C_DEAD;
			return;
		}
		size_t room = c->in.cap - c->in.len;
		if (room == 0) {
			c->state = C_DEAD;	/* cannot happen: a whole frame fits */
			return;
		}
		ssize_t r = recv(c->fd, c->in.data + c->in.len, room, 0);

		if (r > 0) {
			c->in.len += (size_t)r;
			consume(s, c);
			if (c->state != C_READY || c->out.len > 0)
				return;	/* parked, dead, or replies to send first */
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			c->state = C_DEAD;
		return;
	}
}

static void write_to(struct client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t w = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);

		if (w > 0) {
			c->out_off += (size_t)w;
		} else {
			if (w == -1 && errno != EAGAIN && errno != EINTR)
				c->state = C_DEAD;
			return;
		}
	}
	c->out_off = c->out.len = 0;
	if (c->closing)
		c->state = C_DEAD;
}

static void accept_clients(struct server *s)
{
	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
		unsigned char hello[HELLO_LEN];

		if (fd == -1)
			return;	/* EAGAIN: no more; EMFILE & co: try again later */
		mp__own_fd(fd);		/* net.c: the runtime's own */
		if (mp__grow(&s->clients, &s->cap_clients, s->n_clients + 1, sizeof(*s->clients)) == -1) {
			close(fd);
			return;
		}
		struct client *c = &s->clients[s->n_clients++];
		*c = (struct client){ .fd = fd, .state = C_HELLO, .in.max = IN_MAX,
				      .deadline = mp__deadline(HANDSHAKE_SECONDS) };
		if (mp__auth_hello(hello, s->m->id, c->nonce) == -1) {
			c->state = C_DEAD;
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));	/* fails on Unix: fine */
		mp__buf_append(&c->out, hello, sizeof(hello));
		write_to(c);
	}
}

static void drop_dead(struct server *s)
{
	for (size_t i = 0; i < s->n_clients;) {
		struct client *c = &s->clients[i];

		if (c->state != C_DEAD) {
			i++;
			continue;
		}
		close(c->fd);
		mp__buf_free(&c->in);
		mp__buf_free(&c->out);
		*c = s->clients[--s->n_clients];
	}
}

/* Timeouts: parked gets that expired, handshakes that took too long.
 * Returns the next deadline (-1: none). */
static int64_t expire(struct server *s)
{
	int64_t now = mp__now_ns(), next = -1;

	for (size_t i = 0; i < s->n_clients; i++) {
		struct client *c = &s->clients[i];

		if ((c->state != C_PARKED && c->state != C_HELLO) || c->deadline < 0)
			continue;
		if (c->deadline > now) {
			if (next < 0 || c->deadline < next)
				next = c->deadline;
		} else if (c->state == C_HELLO) {
			c->state = C_DEAD;
		} else {
			c->state = C_READY;
			reply(c, &(struct reply){ .status = EAGAIN });
		}
	}
	return next;
}

/* What poll() should watch c for: read only what can be handled - not
 * while a reply waits to go out, nor while parked. */
static short interest(const struct client *c)
{
	if (c->out.len > 0)
		return POLLOUT;
	if (c->state == C_HELLO || c->state == C_READY)
		return POLLIN;
	if (c->state == C_PARKED)
		return POLLRDHUP;	/* hung up while waiting */
	return 0;
}

/* Serves every client poll() found ready (pfds[i + 1] is client i). */
static void serve_ready(struct server *s, const struct pollfd *pfds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct client *c = &s->clients[i];
		short re = pfds[i + 1].revents;

		if (re & POLLOUT)
			write_to(c);
		if ((re & (POLLIN | POLLHUP | POLLERR | POLLRDHUP)) && c->state != C_DEAD) {
			if (c->state == C_PARKED) {
				c->state = C_DEAD;	/* gone while waiting */
				continue;
			}
			read_from(s, c);
		}
		if (c->out.len > 0 && c->state != C_DEAD)
			write_to(c);	/* most replies go out at once */
	}
	/* A put may have unparked a client other than the one served; an
	 * unparked client may have requests waiting behind its get. */
	for (size_t i = 0; i < s->n_clients; i++) {
		struct client *c = &s->clients[i];

		if (c->state == C_READY && c->out.len == 0 && c->in.len > 0)
			consume(s, c);
		if (c->out.len > 0 && c->state != C_DEAD)
			write_to(c);
	}
}

/* The shutdown reply out before hanging up. */
static void close_all(struct server *s)
{
	for (size_t i = 0; i < s->n_clients; i++) {
		struct client *c = &s->clients[i];

		if (c->out.len > 0) {
			fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK);
			write_to(c);
		}
		c->state = C_DEAD;
	}
	drop_dead(s);
	close(s->listen_fd);
}

int mp__serve(void *arg)
{
	struct server s = { .m = arg, .listen_fd = ((mp_manager *)arg)->listen_fd,
			    .store = mp__store_new() };
	struct pollfd *pfds = NULL;
	size_t cap = 0;

	if (s.store == NULL)
		return 1;
	/* Python's manager ignores Ctrl-C: the program that started it
	 * decides when it ends. */
	signal(SIGINT, SIG_IGN);
	while (!s.stop) {
		int64_t next = expire(&s);

		drop_dead(&s);
		if (mp__grow(&pfds, &cap, s.n_clients + 1, sizeof(*pfds)) == -1) {
			usleep(10000);
			continue;
		}
		pfds[0] = (struct pollfd){ .fd = s.listen_fd, .events = POLLIN };
		for (size_t i = 0; i < s.n_clients; i++)
			pfds[i + 1] = (struct pollfd){ .fd = s.clients[i].fd,
						       .events = interest(&s.clients[i]) };
		size_t n = s.n_clients;
		if (poll(pfds, n + 1, mp__ms_left(next)) == -1)
			continue;	/* EINTR */
		serve_ready(&s, pfds, n);
		if (pfds[0].revents & POLLIN)
			accept_clients(&s);
	}
	close_all(&s);
	free(pfds);
	free(s.clients);
	mp__store_free(s.store);
	return 0;
}
