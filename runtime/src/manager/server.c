/*
 * server.c - the manager's server process: one poll() loop, many clients.
 *
 * A client's life: C_HELLO until it answers the challenge within
 * HANDSHAKE_SECONDS, then C_READY; requests.c handles what it sends.
 * Sockets are non-blocking, and a client is read from only when what it
 * sent can be handled: not while its replies wait to go out, nor while it
 * is parked.  So a client that sends half a frame, or never reads its
 * replies, holds nothing but its own bounded buffers (server.h).  poll()'s
 * timeout is the nearest deadline: a parked get's, a handshake's, or the
 * next try at accepting when descriptors ran out.
 */
#define _GNU_SOURCE
#include "manager/server.h"
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

#define ACCEPT_PAUSE_MS 100	/* out of descriptors, nothing to drop: try again then */

/* Reads and handles what c sends, until it has replies to take, is
 * parked or gone, or has nothing more to say for now. */
static void read_from(struct server *s, struct client *c)
{
	for (;;) {
		mp__serve_consume(s, c);
		if ((c->state != C_READY && c->state != C_HELLO) || c->out.len > 0)
			return;
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
		s->accept_after = 0;	/* a descriptor is free again */
	}
}

/* Drops the client that has waited longest in its handshake: false if
 * every client has answered the challenge. */
static bool drop_oldest_stranger(struct server *s)
{
	struct client *oldest = NULL;

	for (size_t i = 0; i < s->n_clients; i++) {
		struct client *c = &s->clients[i];

		if (c->state == C_HELLO && (oldest == NULL || c->deadline < oldest->deadline))
			oldest = c;
	}
	if (oldest == NULL)
		return false;
	oldest->state = C_DEAD;
	drop_dead(s);
	return true;
}

/* Out of descriptors (EMFILE, ENFILE) or memory, the listening socket
 * stays readable, and poll() would return at once for ever.  Room is made
 * by dropping a client that has not shown it knows the key (a flood of
 * connections needs none); if every client has, the listening socket is
 * left out of poll() until a client leaves or ACCEPT_PAUSE_MS pass, and
 * new clients wait in the backlog. */
static void accept_clients(struct server *s)
{
	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), one = 1;
		unsigned char hello[HELLO_LEN];

		if (fd == -1 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd == -1 && errno == EAGAIN)
			return;		/* no more */
		if (fd == -1 && (errno == EMFILE || errno == ENFILE)) {
			/* accept() says so before it looks for a connection. */
			struct pollfd pfd = { .fd = s->listen_fd, .events = POLLIN };
			if (poll(&pfd, 1, 0) != 1)
				return;
			if (drop_oldest_stranger(s))
				continue;
		}
		if (fd == -1 ||
		    mp__grow(&s->clients, &s->cap_clients, s->n_clients + 1, sizeof(*s->clients)) == -1) {
			if (fd != -1)
				close(fd);
			s->accept_after = mp__deadline(ACCEPT_PAUSE_MS / 1e3);
			return;
		}
		mp__own_fd(fd);		/* net.c: the runtime's own */
		struct client *c = &s->clients[s->n_clients++];
		*c = (struct client){ .fd = fd, .state = C_HELLO, .in.max = IN_MAX, .out.max = OUT_MAX,
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

/* Timeouts: parked gets that expired, handshakes that took too long.
 * Returns the next deadline (-1: none). */
static int64_t expire(struct server *s, int64_t now)
{
	int64_t next = -1;

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
			mp__serve_reply(c, &(struct reply){ .status = EAGAIN });
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

/* Handles c's requests already received and sends their replies, for as
 * long as its socket takes them at once. */
static void flush(struct server *s, struct client *c)
{
	while (c->state == C_READY && c->out.len == 0 && c->in.len > 0) {
		size_t before = c->in.len;

		mp__serve_consume(s, c);
		if (c->in.len == before)
			break;	/* half a frame */
		write_to(c);
	}
	if (c->out.len > 0 && c->state != C_DEAD)
		write_to(c);
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
			if (c->state == C_PARKED)
				c->state = C_DEAD;	/* gone while waiting */
			else if (c->out.len == 0)	/* else the write says if it is gone */
				read_from(s, c);
		}
	}
	/* Replies out at once, most of the time; and a put may have unparked
	 * a client other than the one served, with requests waiting. */
	for (size_t i = 0; i < s->n_clients; i++)
		flush(s, &s->clients[i]);
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
		int64_t now = mp__now_ns(), next = expire(&s, now);

		drop_dead(&s);
		if (mp__grow(&pfds, &cap, s.n_clients + 1, sizeof(*pfds)) == -1) {
			usleep(10000);
			continue;
		}
		bool paused = s.accept_after > now;
		if (paused && (next < 0 || s.accept_after < next))
			next = s.accept_after;
		pfds[0] = (struct pollfd){ .fd = paused ? -1 : s.listen_fd, .events = POLLIN };
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
