/*
 * manager/server.h - the server process's clients, shared by its two files:
 *
 *   server.c    the poll() loop: accepting, reading, writing, timeouts
 *   requests.c  what a client's bytes ask for: the handshake's answer,
 *               then one reply a request (or a parked get)
 *
 * What the server holds for one client is bounded, whatever it sends:
 *   - before it has answered the challenge, its input (ANSWER_LEN bytes
 *     are all it needs; a few KiB at most) and the 48-byte hello;
 *   - after, at most IN_MAX bytes of requests and OUT_MAX of replies.  A
 *     client's requests are handled only while less than OUT_HIGH bytes
 *     of its replies wait to be sent, and it is not read from while any
 *     wait: a client that does not read its replies stops being served,
 *     and the kernel's socket buffers then stop its sends.  Replies can
 *     never pass OUT_MAX (one more reply of the largest value); if they
 *     did, the client would be dropped.
 * So 2.13 MiB at most for a client that knows the key, and the clients are
 * at most as many as the server's descriptors (RLIMIT_NOFILE); the store's
 * own data comes on top.
 */
#ifndef MP_MANAGER_SERVER_H
#define MP_MANAGER_SERVER_H

#include "manager/manager.h"
#include "base/buf.h"

#define IN_MAX (4 + FRAME_MAX + 65536)
#define OUT_HIGH 65536
#define OUT_MAX (OUT_HIGH + 4 + REPLY_HEADER + MP_MANAGER_VALUE_MAX)
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
	bool closing;		/* hang up once `out` is sent; read nothing more */
};

struct server {
	mp_manager *m;
	int listen_fd;
	int64_t accept_after;	/* out of descriptors: accept again then (0: now) */
	struct store *store;
	struct client *clients;
	size_t n_clients, cap_clients;
	uint64_t park_seq;
	bool stop;
};

/* ---- requests.c ---- */

/* Handles what c has sent (c->in): the challenge's answer, then whole
 * request frames, as long as c is ready and its replies are few. */
void mp__serve_consume(struct server *s, struct client *c);

/* Queues one reply to c (a client past its OUT_MAX is dropped). */
void mp__serve_reply(struct client *c, const struct reply *rp);

/* Hangs up on c once the replies it has been given are sent. */
void mp__serve_hang_up(struct client *c);

#endif /* MP_MANAGER_SERVER_H */
