/*
 * manager.c - Manager: a server process owning dicts and queues, and the
 * proxies other processes reach them through.
 *
 * Python's SyncManager is a server process that pickles every proxy call
 * over a socket.  This one is the same in C: one process, one poll() loop,
 * many clients; each proxy call is one request frame and one reply frame.
 * Nothing about it is atomic beyond one call: `d["count"] -= 1` is a get
 * and a set, and whatever another client does between them is lost when
 * the set lands (lesson 5).
 *
 * The wire.  Numbers are little-endian.  On connecting, the server sends a
 * hello (8 bytes magic, the manager's id, a 32-byte random challenge); the
 * client answers HMAC-SHA256(authkey, challenge) and its pid; the server
 * compares in constant time and answers one byte, 'W'elcome or 'F'ailure
 * (then hangs up).  After that, frames: a 4-byte length, then the body:
 *
 *   request  op u8, type u8, keylen u16, pid u32, req u64, obj u64,
 *            msg u64, timeout_ms i64, key, value
 *   reply    status i32 (0 or an errno), type u8, 3 spare, arg u64, value
 *
 * The server trusts nothing a client sends: a frame longer than FRAME_MAX,
 * a body shorter than its header, or a key longer than its frame drops
 * that client only; an unknown op or type is answered EINVAL.  Sockets are
 * non-blocking, so a client that sends half a frame, or never reads its
 * replies, holds nothing but its own buffers.
 *
 * A queue get on an empty queue parks the client (its reply is simply not
 * sent yet) until a put or its deadline; poll()'s timeout is the nearest
 * deadline.
 *
 * The client side never blocks without a deadline except in a queue get
 * with no limit, and even then a dead server shows at once: its sockets
 * close with it, and poll() reports the hang-up.
 */
#define _GNU_SOURCE
#include "internal.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAGIC "MPMGR01\n"
#define NONCE_LEN 32
#define MAC_LEN 32
#define HELLO_LEN (8 + 8 + NONCE_LEN)
#define ANSWER_LEN (MAC_LEN + 4)
#define REQ_HEADER 40
#define REPLY_HEADER 16
#define FRAME_MAX (REQ_HEADER + MP_MANAGER_KEY_MAX + MP_MANAGER_VALUE_MAX)
#define IN_MAX (4 + FRAME_MAX + 65536)	/* a client's input buffer at most */
#define HANDSHAKE_SECONDS 10	/* a client that does not answer the challenge: dropped */

enum op { OP_DICT = 1, OP_QUEUE, OP_GET, OP_SET, OP_DEL, OP_LEN, OP_PUT, OP_QGET, OP_QSIZE,
	  OP_SHUTDOWN, OP__END };
enum vtype { V_NONE, V_INT, V_FLOAT, V_STR, V_BYTES, V__END };

static const char *const op_names[] __attribute__((unused)) = {
	[OP_DICT] = "dict", [OP_QUEUE] = "queue", [OP_GET] = "get", [OP_SET] = "set",
	[OP_DEL] = "del", [OP_LEN] = "len", [OP_PUT] = "put", [OP_QGET] = "qget",
	[OP_QSIZE] = "qsize", [OP_SHUTDOWN] = "shutdown",
};

struct mp_dict_proxy {
	mp_manager *m;
	uint64_t obj;
	struct mp_dict_proxy *next;
};

struct mp_queue_proxy {
	mp_manager *m;
	uint64_t obj;
	struct mp_queue_proxy *next;
};

struct mp_manager {
	char address[128];
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned char key[MP_MANAGER_AUTHKEY_MAX];
	size_t keylen;
	uint64_t id;		/* the server's, learned from its hello */
	int fd;			/* this process's connection, or -1 */
	pid_t fd_pid;		/* the process that opened fd */
	int listen_fd;		/* the owner's, until the server has it */
	bool owner;
	mp_process server;
	unsigned char *buf;	/* replies land here */
	size_t buf_size;
	struct mp_dict_proxy *dicts;
	struct mp_queue_proxy *queues;
};

/* ---- little-endian numbers ---------------------------------------------- */

static void put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ---- addresses ---------------------------------------------------------- */

/* "HOST:PORT" (HOST a dotted IPv4 address or a name, "" meaning loopback)
 * or "@NAME".  0, or -1 EINVAL. */
static int parse_address(const char *address, struct sockaddr_storage *sa, socklen_t *len)
{
	memset(sa, 0, sizeof(*sa));
	if (address == NULL || address[0] == '\0' || strlen(address) >= 100)
		goto bad;
	if (address[0] == '@') {
		struct sockaddr_un *un = (struct sockaddr_un *)sa;
		size_t n = strlen(address + 1);

		if (n == 0)
			goto bad;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path + 1, address + 1, n);	/* sun_path[0] = 0: abstract */
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
		return 0;
	}
	const char *colon = strrchr(address, ':');
	char host[100], *end;
	long port;

	if (colon == NULL || colon[1] == '\0')
		goto bad;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || port < 0 || port > 65535)
		goto bad;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - address), address);
	struct sockaddr_in *in = (struct sockaddr_in *)sa;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	if (host[0] == '\0') {
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else if (inet_pton(AF_INET, host, &in->sin_addr) != 1) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;

		if (getaddrinfo(host, NULL, &hints, &ai) != 0)
			goto bad;
		in->sin_addr = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		freeaddrinfo(ai);
	}
	*len = sizeof(*in);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static void format_address(const struct sockaddr_storage *sa, socklen_t len, char *out, size_t size)
{
	if (sa->ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
		int n = (int)(len - offsetof(struct sockaddr_un, sun_path) - 1);

		snprintf(out, size, "@%.*s", n, un->sun_path + 1);
	} else {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		char host[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(out, size, "%s:%u", host, ntohs(in->sin_port));
	}
}

/* ---- bytes with deadlines (client side) --------------------------------- */

/* Waits until fd is ready for `events`, at most until deadline (-1: no
 * limit).  0, or -1 ETIMEDOUT / errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int ms = -1;

		if (deadline >= 0) {
			int64_t left = deadline - mp__now_ns();

			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			ms = (int)((left + 999999) / 1000000);
		}
		int r = poll(&pfd, 1, ms);
		if (r > 0)
			return 0;	/* ready, or hung up: the read or write says which */
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

static int send_all(int fd, const void *p, size_t n, int64_t deadline)
{
	const unsigned char *b = p;

	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w > 0) {
			b += w;
			n -= (size_t)w;
		} else if (errno == EAGAIN || errno == EINTR) {
			if (wait_fd(fd, POLLOUT, deadline) == -1)
				return -1;
		} else {
			if (errno == EPIPE)
				errno = ECONNRESET;
			return -1;
		}
	}
	return 0;
}

static int recv_all(int fd, void *p, size_t n, int64_t deadline)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t r = recv(fd, b, n, 0);

		if (r > 0) {
			b += r;
			n -= (size_t)r;
		} else if (r == 0) {
			errno = ECONNRESET;	/* the server hung up */
			return -1;
		} else if (errno == EAGAIN || errno == EINTR) {
			if (wait_fd(fd, POLLIN, deadline) == -1)
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

static int64_t deadline_in(double seconds)
{
	return mp__now_ns() + (int64_t)(seconds * 1e9);
}

static void hmac(const unsigned char *key, size_t keylen, const unsigned char *nonce,
		 unsigned char mac[MAC_LEN])
{
	unsigned int len = MAC_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, nonce, NONCE_LEN, mac, &len);
}

/* ---- the client's connection ------------------------------------------ */

static void disconnect(mp_manager *m)
{
	if (m->fd >= 0 && m->fd_pid == getpid())
		close(m->fd);
	m->fd = -1;
}

/* Connects, answers the challenge.  0, or -1 and errno. */
static int connect_to(mp_manager *m)
{
	int64_t deadline = deadline_in(MP_MANAGER_TIMEOUT);
	unsigned char hello[HELLO_LEN], answer[ANSWER_LEN], verdict;
	int fd, err;

	/* A forked child's copy of its parent's connection is not its own:
	 * frames of two processes would interleave on it. */
	if (m->fd >= 0 && m->fd_pid != getpid()) {
		close(m->fd);
		m->fd = -1;
	}
	if (m->fd >= 0)
		return 0;
	fd = socket(m->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	while (connect(fd, (struct sockaddr *)&m->sa, m->salen) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {	/* a Unix socket's backlog is full */
			if (mp__now_ns() >= deadline) {
				errno = ETIMEDOUT;
				goto fail;
			}
			usleep(1000);
			continue;
		}
		if (errno != EINPROGRESS)
			goto fail;
		socklen_t elen = sizeof(err);
		if (wait_fd(fd, POLLOUT, deadline) == -1)
			goto fail;
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err != 0) {
			errno = err;
			goto fail;
		}
		break;
	}
	if (m->sa.ss_family == AF_INET) {
		int one = 1;	/* requests are small: do not wait to fill a packet */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	if (recv_all(fd, hello, sizeof(hello), deadline) == -1)
		goto fail;
	if (memcmp(hello, MAGIC, 8) != 0) {
		errno = EPROTO;
		goto fail;
	}
	m->id = get_le(hello + 8, 8);
	hmac(m->key, m->keylen, hello + 16, answer);
	put_le(answer + MAC_LEN, (uint32_t)getpid(), 4);
	if (send_all(fd, answer, sizeof(answer), deadline) == -1 ||
	    recv_all(fd, &verdict, 1, deadline) == -1) {
		if (errno == ECONNRESET)
			errno = EACCES;	/* hung up on our answer */
		goto fail;
	}
	if (verdict != 'W') {
		errno = EACCES;
		goto fail;
	}
	m->fd = fd;
	m->fd_pid = getpid();
	return 0;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

struct call {
	/* in */
	enum op op;
	uint64_t obj;
	const char *key;	/* NULL: none */
	enum vtype type;
	const void *val;
	size_t len;
	uint64_t msg;
	double timeout;		/* a queue get's, seconds */
	/* out */
	int status;
	enum vtype rtype;
	uint64_t arg;
	const unsigned char *rval;
	size_t rlen;
};

/* A value as the trace shows it: numbers in decimal, text as it is (cut
 * at 80 bytes), other bytes by their size. */
static void value_text(enum vtype type, const void *val, size_t len, char *out, size_t size)
{
	const unsigned char *b = val;
	int64_t i;
	double d;

	out[0] = '\0';
	if ((type == V_INT || type == V_FLOAT) && len != 8)
		return;
	switch (type) {
	case V_INT:
		memcpy(&i, b, 8);
		snprintf(out, size, "%lld", (long long)i);
		break;
	case V_FLOAT:
		memcpy(&d, b, 8);
		snprintf(out, size, "%g", d);
		break;
	case V_STR:
	case V_BYTES:
		if (len == 0)
			break;
		for (size_t k = 0; k < len; k++) {
			if (b[k] < 0x20 || b[k] > 0x7e) {
				if (!(k == len - 1 && b[k] == 0)) {
					snprintf(out, size, "<%zu bytes>", len);
					return;
				}
			}
		}
		snprintf(out, size, "%.*s", (int)(len < 80 ? len : 80), (const char *)b);
		break;
	default:
		break;
	}
}

static int reserve(mp_manager *m, size_t n)
{
	if (n <= m->buf_size)
		return 0;
	unsigned char *bigger = realloc(m->buf, n);

	if (bigger == NULL)
		return -1;
	m->buf = bigger;
	m->buf_size = n;
	return 0;
}

/* One request, one reply.  0 when the server answered (c->status may
 * still be an errno: the caller decides), -1 and errno when the
 * connection failed (it is dropped). */
static int call(mp_manager *m, struct call *c)
{
	size_t keylen = c->key ? strlen(c->key) : 0;
	uint64_t req = mp__new_id();
	pid_t pid = getpid();
	unsigned char head[4 + REQ_HEADER];
	char text[96];
	int64_t timeout_ms = -1;
	int err;

	if (keylen > MP_MANAGER_KEY_MAX || c->len > MP_MANAGER_VALUE_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (connect_to(m) == -1)
		return -1;
	if (c->op == OP_QGET && c->timeout <= MP__NO_LIMIT)
		timeout_ms = (int64_t)(c->timeout * 1000);
	put_le(head, REQ_HEADER + keylen + c->len, 4);
	head[4] = (unsigned char)c->op;
	head[5] = (unsigned char)c->type;
	put_le(head + 6, keylen, 2);
	put_le(head + 8, (uint32_t)pid, 4);
	put_le(head + 12, req, 8);
	put_le(head + 20, c->obj, 8);
	put_le(head + 28, c->msg, 8);
	put_le(head + 36, (uint64_t)timeout_ms, 8);

	value_text(c->type, c->val, c->len, text, sizeof(text));
	mp__tp(mgr_request, pid, m->id, req, op_names[c->op], c->key ? c->key : "", text);
	if (c->op == OP_PUT)
		mp__tp(msg_send, pid, c->obj, c->msg, c->len, "put");

	/* The reply may take as long as the get's own wait, and a little. */
	int64_t deadline = -1;
	if (timeout_ms < 0 && c->op != OP_QGET)
		deadline = deadline_in(MP_MANAGER_TIMEOUT);
	else if (timeout_ms >= 0)
		deadline = deadline_in(MP_MANAGER_TIMEOUT + c->timeout);
	unsigned char rhead[4 + REPLY_HEADER];
	size_t len;

	if (send_all(m->fd, head, sizeof(head), deadline) == -1 ||
	    send_all(m->fd, c->key, keylen, deadline) == -1 ||
	    send_all(m->fd, c->val, c->len, deadline) == -1 ||
	    recv_all(m->fd, rhead, sizeof(rhead), deadline) == -1)
		goto broken;
	len = get_le(rhead, 4);
	if (len < REPLY_HEADER || len > FRAME_MAX) {
		errno = EPROTO;
		goto broken;
	}
	len -= REPLY_HEADER;
	if (reserve(m, len + 1) == -1 || recv_all(m->fd, m->buf, len, deadline) == -1)
		goto broken;
	m->buf[len] = 0;
	c->status = (int)(int32_t)get_le(rhead + 4, 4);
	c->rtype = rhead[8];
	c->arg = get_le(rhead + 12, 8);
	c->rval = m->buf;
	c->rlen = len;
	value_text(c->rtype, c->rval, c->rlen, text, sizeof(text));
	if (c->op == OP_QGET && c->status == 0)
		mp__tp(msg_recv, pid, c->obj, c->arg, len, "get");
	mp__tp(mgr_reply, pid, m->id, req, c->status, text);
	return 0;
broken:
	err = errno;
	disconnect(m);
	mp__tp(mgr_reply, pid, m->id, req, err, "");
	errno = err;
	return -1;
}

/* As call(), and a non-zero status becomes -1 and errno. */
static int call_ok(mp_manager *m, struct call *c)
{
	if (call(m, c) == -1)
		return -1;
	if (c->status != 0) {
		errno = c->status;
		return -1;
	}
	return 0;
}

/* ---- the server ----------------------------------------------------------- */

struct entry {
	char *key;
	enum vtype type;
	size_t len;
	unsigned char *val;
};

struct item {
	struct item *next;
	uint64_t msg;
	size_t len;
	unsigned char data[];
};

struct object {
	uint64_t id;
	bool is_queue;
	char *name;
	struct entry *entries;	/* a dict: an array searched in order */
	size_t n, cap;
	struct item *head, *tail;	/* a queue */
	size_t count;
};

enum cstate { C_HELLO, C_READY, C_PARKED, C_DEAD };

struct client {
	int fd;
	enum cstate state;
	pid_t pid;
	unsigned char nonce[NONCE_LEN];
	unsigned char *in;	/* bytes received, not yet handled */
	size_t in_len, in_cap;
	unsigned char *out;	/* bytes to send */
	size_t out_len, out_off, out_cap;
	int64_t deadline;	/* C_HELLO: of the answer; C_PARKED: of the get */
	uint64_t park_obj, park_seq;
	bool closing;		/* hang up once `out` is sent */
};

struct server {
	mp_manager *m;
	int listen_fd;
	struct object *objs;
	size_t n_objs;
	struct client *clients;
	size_t n_clients;
	uint64_t next_obj, park_seq;
	bool stop;
};

static struct object *find_obj(struct server *s, uint64_t id)
{
	for (size_t i = 0; i < s->n_objs; i++)
		if (s->objs[i].id == id)
			return &s->objs[i];
	return NULL;
}

static struct entry *find_entry(struct object *o, const char *key, size_t keylen)
{
	for (size_t i = 0; i < o->n; i++)
		if (strlen(o->entries[i].key) == keylen && memcmp(o->entries[i].key, key, keylen) == 0)
			return &o->entries[i];
	return NULL;
}

static int out_append(struct client *c, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 256;

		while (cap < c->out_len + n)
			cap *= 2;
		unsigned char *bigger = realloc(c->out, cap);
		if (bigger == NULL)
			return -1;
		c->out = bigger;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
	return 0;
}

static void reply(struct client *c, int status, enum vtype type, uint64_t arg,
		  const void *val, size_t len)
{
	unsigned char head[4 + REPLY_HEADER] = { 0 };

	put_le(head, REPLY_HEADER + len, 4);
	put_le(head + 4, (uint32_t)status, 4);
	head[8] = (unsigned char)type;
	put_le(head + 12, arg, 8);
	if (out_append(c, head, sizeof(head)) == -1 || out_append(c, val, len) == -1)
		c->state = C_DEAD;
}

static uint64_t open_obj(struct server *s, const char *name, size_t len, bool queue, int *status)
{
	for (size_t i = 0; len > 0 && i < s->n_objs; i++) {
		struct object *o = &s->objs[i];

		if (strlen(o->name) == len && memcmp(o->name, name, len) == 0) {
			if (o->is_queue != queue) {
				*status = EEXIST;
				return 0;
			}
			return o->id;
		}
	}
	struct object *bigger = realloc(s->objs, (s->n_objs + 1) * sizeof(*bigger));
	if (bigger == NULL) {
		*status = ENOMEM;
		return 0;
	}
	s->objs = bigger;
	struct object *o = &s->objs[s->n_objs];
	memset(o, 0, sizeof(*o));
	o->name = strndup(name, len);
	if (o->name == NULL) {
		*status = ENOMEM;
		return 0;
	}
	o->id = ((uint64_t)getpid() << 32) | ++s->next_obj;
	o->is_queue = queue;
	s->n_objs++;
	return o->id;
}

static void serve_set(struct client *c, struct object *o, const char *key, size_t keylen,
		     enum vtype type, const unsigned char *val, size_t len)
{
	struct entry *e = find_entry(o, key, keylen);
	unsigned char *copy = malloc(len ? len : 1);

	if (type != V_INT && type != V_FLOAT && type != V_STR) {
		free(copy);
		reply(c, EINVAL, V_NONE, 0, NULL, 0);
		return;
	}
	if (copy == NULL || ((type == V_INT || type == V_FLOAT) && len != 8)) {
		free(copy);
		reply(c, copy == NULL ? ENOMEM : EINVAL, V_NONE, 0, NULL, 0);
		return;
	}
	memcpy(copy, val, len);
	if (e == NULL) {
		if (o->n == o->cap) {
			size_t cap = o->cap ? 2 * o->cap : 8;
			struct entry *bigger = realloc(o->entries, cap * sizeof(*bigger));

			if (bigger == NULL) {
				free(copy);
				reply(c, ENOMEM, V_NONE, 0, NULL, 0);
				return;
			}
			o->entries = bigger;
			o->cap = cap;
		}
		e = &o->entries[o->n];
		e->key = strndup(key, keylen);
		if (e->key == NULL) {
			free(copy);
			reply(c, ENOMEM, V_NONE, 0, NULL, 0);
			return;
		}
		e->val = NULL;
		o->n++;
	}
	free(e->val);
	e->val = copy;
	e->len = len;
	e->type = type;
	reply(c, 0, V_NONE, 0, NULL, 0);
}

/* Hands the item to the first client parked on the queue, if any. */
static bool give_to_parked(struct server *s, struct object *o, struct item *it)
{
	struct client *first = NULL;

	for (size_t i = 0; i < s->n_clients; i++) {
		struct client *c = &s->clients[i];

		if (c->state == C_PARKED && c->park_obj == o->id &&
		    (first == NULL || c->park_seq < first->park_seq))
			first = c;
	}
	if (first == NULL)
		return false;
	first->state = C_READY;
	reply(first, 0, V_BYTES, it->msg, it->data, it->len);
	return true;
}

/* Handles one request frame (body: n bytes).  false: drop the client. */
static bool handle(struct server *s, struct client *c, const unsigned char *b, size_t n)
{
	if (n < REQ_HEADER)
		return false;
	enum op op = b[0];
	enum vtype type = b[1];
	size_t keylen = get_le(b + 2, 2);
	uint64_t objid = get_le(b + 16, 8), msg = get_le(b + 24, 8);
	int64_t timeout_ms = (int64_t)get_le(b + 32, 8);
	const char *key = (const char *)b + REQ_HEADER;
	const unsigned char *val = b + REQ_HEADER + keylen;
	size_t len;
	struct object *o;
	int status = 0;

	if (keylen > MP_MANAGER_KEY_MAX || REQ_HEADER + keylen > n)
		return false;
	len = n - REQ_HEADER - keylen;
	if (op <= 0 || op >= OP__END || type >= V__END) {
		reply(c, EINVAL, V_NONE, 0, NULL, 0);
		return true;
	}
	if (op == OP_DICT || op == OP_QUEUE) {
		uint64_t id = open_obj(s, key, keylen, op == OP_QUEUE, &status);

		reply(c, status, V_NONE, id, NULL, 0);
		return true;
	}
	if (op == OP_SHUTDOWN) {
		reply(c, 0, V_NONE, 0, NULL, 0);
		s->stop = true;
		return true;
	}
	o = find_obj(s, objid);
	if (o == NULL || o->is_queue != (op >= OP_PUT)) {
		reply(c, EBADF, V_NONE, 0, NULL, 0);
		return true;
	}
	switch (op) {
	case OP_GET: {
		struct entry *e = find_entry(o, key, keylen);

		if (e == NULL)
			reply(c, ENOENT, V_NONE, 0, NULL, 0);
		else
			reply(c, 0, e->type, 0, e->val, e->len);
		break;
	}
	case OP_SET:
		if (keylen == 0)
			reply(c, EINVAL, V_NONE, 0, NULL, 0);
		else
			serve_set(c, o, key, keylen, type, val, len);
		break;
	case OP_DEL: {
		struct entry *e = find_entry(o, key, keylen);

		if (e == NULL) {
			reply(c, ENOENT, V_NONE, 0, NULL, 0);
			break;
		}
		free(e->key);
		free(e->val);
		*e = o->entries[--o->n];
		reply(c, 0, V_NONE, 0, NULL, 0);
		break;
	}
	case OP_LEN:
		reply(c, 0, V_NONE, o->n, NULL, 0);
		break;
	case OP_QSIZE:
		reply(c, 0, V_NONE, o->count, NULL, 0);
		break;
	case OP_PUT: {
		struct item *it = malloc(sizeof(*it) + len);

		if (it == NULL) {
			reply(c, ENOMEM, V_NONE, 0, NULL, 0);
			break;
		}
		it->next = NULL;
		it->msg = msg;
		it->len = len;
		memcpy(it->data, val, len);
		reply(c, 0, V_NONE, 0, NULL, 0);
		if (give_to_parked(s, o, it)) {
			free(it);
			break;
		}
		if (o->tail)
			o->tail->next = it;
		else
			o->head = it;
		o->tail = it;
		o->count++;
		break;
	}
	case OP_QGET: {
		struct item *it = o->head;

		if (it != NULL) {
			o->head = it->next;
			if (o->head == NULL)
				o->tail = NULL;
			o->count--;
			reply(c, 0, V_BYTES, it->msg, it->data, it->len);
			free(it);
		} else if (timeout_ms == 0) {
			reply(c, EAGAIN, V_NONE, 0, NULL, 0);
		} else {
			c->state = C_PARKED;
			c->park_obj = o->id;
			c->park_seq = ++s->park_seq;
			c->deadline = timeout_ms < 0 ? -1 : mp__deadline(timeout_ms / 1e3);
		}
		break;
	}
	default:
		reply(c, EINVAL, V_NONE, 0, NULL, 0);
	}
	return true;
}

/* The client's challenge answer is in c->in. */
static void check_answer(struct server *s, struct client *c)
{
	unsigned char mac[MAC_LEN];

	hmac(s->m->key, s->m->keylen, c->nonce, mac);
	c->pid = (pid_t)get_le(c->in + MAC_LEN, 4);
	if (CRYPTO_memcmp(mac, c->in, MAC_LEN) != 0) {
		/* Logged, and the first few on the timeline (a flood of them
		 * would bury it); the client learns only "no".  The pid is what
		 * the client said: a random one from a client sending garbage. */
		static unsigned long refused;

		mp_log(MP_WARNING, "manager: refused a client (says pid %d): wrong authkey", c->pid);
		if (++refused <= 3)
			mp_mark("manager refused a client (says pid %d): wrong authkey%s", c->pid,
				refused == 3 ? " (no more marks of this)" : "");
		out_append(c, "F", 1);
		c->closing = true;
		return;
	}
	out_append(c, "W", 1);
	c->state = C_READY;
}

/* Handles what c has sent, as long as it is not parked. */
static void consume(struct server *s, struct client *c)
{
	size_t at = 0;

	if (c->state == C_HELLO) {
		if (c->in_len >= ANSWER_LEN) {
			check_answer(s, c);
			at = ANSWER_LEN;
		}
	}
	while (c->state == C_READY && !c->closing && c->in_len - at >= 4) {
		size_t n = get_le(c->in + at, 4);

		if (n > FRAME_MAX) {
			c->state = C_DEAD;
			return;
		}
		if (c->in_len - at - 4 < n)
			break;	/* half a frame: wait for the rest */
		if (!handle(s, c, c->in + at + 4, n)) {
			c->state = C_DEAD;
			return;
		}
		at += 4 + n;
	}
	memmove(c->in, c->in + at, c->in_len - at);
	c->in_len -= at;
}

static void read_from(struct server *s, struct client *c)
{
	for (;;) {
		if (c->in_cap - c->in_len < 4096 && c->in_cap < IN_MAX) {
			size_t cap = c->in_cap ? 2 * c->in_cap : 8192;

			if (cap > IN_MAX)
				cap = IN_MAX;
			unsigned char *bigger = realloc(c->in, cap);
			if (bigger == NULL) {
				c->state = C_DEAD;
				return;
			}
			c->in = bigger;
			c->in_cap = cap;
		}
		if (c->in_len == c->in_cap) {
			c->state = C_DEAD;	/* cannot happen: a whole frame fits */
			return;
		}
		ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);

		if (r > 0) {
			c->in_len += (size_t)r;
			consume(s, c);
			if (c->state != C_READY || c->out_len > 0)
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
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (w > 0) {
			c->out_off += (size_t)w;
		} else {
			if (w == -1 && errno != EAGAIN && errno != EINTR)
				c->state = C_DEAD;
			return;
		}
	}
	c->out_off = c->out_len = 0;
	if (c->closing)
		c->state = C_DEAD;
}

static void accept_clients(struct server *s)
{
	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd == -1)
			return;	/* EAGAIN: no more; EMFILE & co: try again later */
		struct client *bigger = realloc(s->clients, (s->n_clients + 1) * sizeof(*bigger));
		if (bigger == NULL) {
			close(fd);
			return;
		}
		s->clients = bigger;
		struct client *c = &s->clients[s->n_clients++];
		unsigned char hello[HELLO_LEN];

		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->state = C_HELLO;
		c->deadline = deadline_in(HANDSHAKE_SECONDS);
		if (getrandom(c->nonce, NONCE_LEN, 0) != NONCE_LEN) {
			c->state = C_DEAD;
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));	/* fails on Unix: fine */
		memcpy(hello, MAGIC, 8);
		put_le(hello + 8, s->m->id, 8);
		memcpy(hello + 16, c->nonce, NONCE_LEN);
		out_append(c, hello, sizeof(hello));
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
		free(c->in);
		free(c->out);
		*c = s->clients[--s->n_clients];
	}
}

/* Timeouts: parked gets that expired, handshakes that took too long.
 * Returns poll()'s timeout until the next one, in ms (-1: none). */
static int expire(struct server *s)
{
	int64_t now = mp__now_ns(), next = -1;

	for (size_t i = 0; i < s->n_clients; i++) {
		struct client *c = &s->clients[i];

		if ((c->state != C_PARKED && c->state != C_HELLO) || c->deadline < 0)
			continue;
		if (c->deadline <= now) {
			if (c->state == C_HELLO) {
				c->state = C_DEAD;
			} else {
				c->state = C_READY;
				reply(c, EAGAIN, V_NONE, 0, NULL, 0);
			}
		} else if (next < 0 || c->deadline < next) {
			next = c->deadline;
		}
	}
	return next < 0 ? -1 : (int)((next - now + 999999) / 1000000);
}

static int serve(void *arg)
{
	struct server s = { .m = arg, .listen_fd = ((mp_manager *)arg)->listen_fd };
	struct pollfd *pfds = NULL;

	/* Python's manager ignores Ctrl-C: the program that started it
	 * decides when it ends. */
	signal(SIGINT, SIG_IGN);
	while (!s.stop) {
		int timeout = expire(&s);

		drop_dead(&s);
		struct pollfd *bigger = realloc(pfds, (s.n_clients + 1) * sizeof(*pfds));
		if (bigger == NULL) {
			usleep(10000);
			continue;
		}
		pfds = bigger;
		pfds[0] = (struct pollfd){ .fd = s.listen_fd, .events = POLLIN };
		for (size_t i = 0; i < s.n_clients; i++) {
			struct client *c = &s.clients[i];
			short ev = 0;

			/* Read only what can be handled: not while a reply
			 * waits to go out, nor while parked. */
			if (c->out_len > 0)
				ev |= POLLOUT;
			else if (c->state == C_HELLO || c->state == C_READY)
				ev |= POLLIN;
			else if (c->state == C_PARKED)
				ev |= POLLRDHUP;	/* hung up while waiting */
			pfds[i + 1] = (struct pollfd){ .fd = c->fd, .events = ev };
		}
		size_t n = s.n_clients;
		if (poll(pfds, n + 1, timeout) == -1)
			continue;	/* EINTR */
		for (size_t i = 0; i < n; i++) {
			struct client *c = &s.clients[i];
			short re = pfds[i + 1].revents;

			if (re & POLLOUT)
				write_to(c);
			if ((re & (POLLIN | POLLHUP | POLLERR | POLLRDHUP)) && c->state != C_DEAD) {
				if (c->state == C_PARKED) {
					c->state = C_DEAD;	/* gone while waiting */
					continue;
				}
				read_from(&s, c);
			}
			if (c->out_len > 0 && c->state != C_DEAD)
				write_to(c);	/* most replies go out at once */
		}
		/* A put may have unparked a client other than the one served;
		 * an unparked client may have requests waiting behind its get. */
		for (size_t i = 0; i < s.n_clients; i++) {
			struct client *c = &s.clients[i];

			if (c->state == C_READY && c->out_len == 0 && c->in_len > 0)
				consume(&s, c);
			if (c->out_len > 0 && c->state != C_DEAD)
				write_to(c);
		}
		if (pfds[0].revents & POLLIN)
			accept_clients(&s);
	}
	/* The shutdown reply out before hanging up; everything else dies
	 * with the process. */
	for (size_t i = 0; i < s.n_clients; i++) {
		struct client *c = &s.clients[i];

		if (c->out_len > 0) {
			int fl = fcntl(c->fd, F_GETFL);
			fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK);
			write_to(c);
		}
		close(c->fd);
	}
	close(s.listen_fd);
	return 0;
}

/* ---- managers: start, serve, connect, shut down ------------------------- */

static unsigned managers_made;

static mp_manager *manager_new(const char *address, const void *authkey, size_t keylen)
{
	mp_manager *m;

	if ((authkey == NULL && keylen > 0) || keylen > MP_MANAGER_AUTHKEY_MAX) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->fd = m->listen_fd = -1;
	if (parse_address(address, &m->sa, &m->salen) == -1) {
		free(m);
		return NULL;
	}
	if (keylen > 0)
		memcpy(m->key, authkey, keylen);
	m->keylen = keylen;
	return m;
}

static mp_manager *start(const char *address, const void *authkey, size_t keylen)
{
	mp_manager *m = manager_new(address, authkey, keylen);
	char name[MP_NAME_MAX];
	int one = 1, err;

	if (m == NULL)
		return NULL;
	m->listen_fd = socket(m->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->listen_fd == -1)
		goto fail;
	if (m->sa.ss_family == AF_INET)
		setsockopt(m->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->listen_fd, (struct sockaddr *)&m->sa, m->salen) == -1 ||
	    listen(m->listen_fd, SOMAXCONN) == -1)
		goto fail;
	m->salen = sizeof(m->sa);
	if (getsockname(m->listen_fd, (struct sockaddr *)&m->sa, &m->salen) == -1)
		goto fail;
	format_address(&m->sa, m->salen, m->address, sizeof(m->address));
	m->id = mp__new_id();
	snprintf(name, sizeof(name), "SyncManager-%u", ++managers_made);
	mp_process_init(&m->server, serve, m, name);
	m->server.daemon = true;	/* never outlives the program */
	if (mp_process_start(&m->server) == -1)
		goto fail;
	/* Only the server accepts: a copy here would keep the address
	 * alive after the server died, and connects would hang, not fail. */
	close(m->listen_fd);
	m->listen_fd = -1;
	m->owner = true;
	return m;
fail:
	err = errno;
	if (m->listen_fd >= 0)
		close(m->listen_fd);
	free(m);
	errno = err;
	return NULL;
}

mp_manager *mp_manager_start(void)
{
	unsigned char key[32];
	char address[64];

	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return NULL;
	snprintf(address, sizeof(address), "@mp-%d-%u", getpid(), managers_made + 1);
	return start(address, key, sizeof(key));
}

mp_manager *mp_manager_serve(const char *address, const void *authkey, size_t keylen)
{
	if (keylen == 0) {
		errno = EINVAL;
		return NULL;
	}
	return start(address ? address : "127.0.0.1:0", authkey, keylen);
}

mp_manager *mp_manager_connect(const char *address, const void *authkey, size_t keylen)
{
	mp_manager *m;

	if (keylen == 0) {
		errno = EINVAL;
		return NULL;
	}
	m = manager_new(address, authkey, keylen);
	if (m == NULL)
		return NULL;
	format_address(&m->sa, m->salen, m->address, sizeof(m->address));
	if (connect_to(m) == -1) {
		int err = errno;

		free(m);
		errno = err;
		return NULL;
	}
	return m;
}

const char *mp_manager_address(const mp_manager *m)
{
	if (m == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return m->address;
}

pid_t mp_manager_pid(const mp_manager *m)
{
	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	return m->owner ? m->server.pid : 0;
}

static void manager_free(mp_manager *m)
{
	disconnect(m);
	while (m->dicts) {
		struct mp_dict_proxy *next = m->dicts->next;

		free(m->dicts);
		m->dicts = next;
	}
	while (m->queues) {
		struct mp_queue_proxy *next = m->queues->next;

		free(m->queues);
		m->queues = next;
	}
	free(m->buf);
	free(m);
}

int mp_manager_shutdown(mp_manager *m)
{
	struct call c = { .op = OP_SHUTDOWN };

	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (!m->owner || m->server.mp__parent != getpid()) {
		errno = EPERM;
		return -1;
	}
	/* If the server is dead already, the call fails: join it anyway. */
	call(m, &c);
	disconnect(m);
	if (mp_process_join_timeout(&m->server, MP_MANAGER_TIMEOUT) == -1) {
		mp_process_kill(&m->server);
		mp_process_join(&m->server);
	}
	manager_free(m);
	return 0;
}

int mp_manager_close(mp_manager *m)
{
	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	manager_free(m);
	return 0;
}

/* ---- proxies ------------------------------------------------------------ */

static int open_obj_call(mp_manager *m, const char *name, enum op op, uint64_t *id)
{
	struct call c = { .op = op, .key = name };

	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (call_ok(m, &c) == -1)
		return -1;
	*id = c.arg;
	return 0;
}

mp_dict_proxy *mp_manager_dict(mp_manager *m, const char *name)
{
	mp_dict_proxy *d;
	uint64_t id;

	if (open_obj_call(m, name, OP_DICT, &id) == -1)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->m = m;
	d->obj = id;
	d->next = m->dicts;
	m->dicts = d;
	return d;
}

mp_queue_proxy *mp_manager_queue(mp_manager *m, const char *name)
{
	mp_queue_proxy *q;
	uint64_t id;

	if (open_obj_call(m, name, OP_QUEUE, &id) == -1)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return NULL;
	q->m = m;
	q->obj = id;
	q->next = m->queues;
	m->queues = q;
	return q;
}

static int dict_set(mp_dict_proxy *d, const char *key, enum vtype type, const void *v, size_t len)
{
	if (d == NULL || key == NULL || v == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (key[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .op = OP_SET, .obj = d->obj, .key = key, .type = type, .val = v, .len = len };
	return call_ok(d->m, &c);
}

int mp_dict_set_int(mp_dict_proxy *d, const char *key, int64_t value)
{
	return dict_set(d, key, V_INT, &value, 8);
}

int mp_dict_set_float(mp_dict_proxy *d, const char *key, double value)
{
	return dict_set(d, key, V_FLOAT, &value, 8);
}

int mp_dict_set_str(mp_dict_proxy *d, const char *key, const char *value)
{
	return dict_set(d, key, V_STR, value, value ? strlen(value) : 0);
}

/* d[key] into c.  0, or -1 and errno. */
static int dict_get(mp_dict_proxy *d, const char *key, struct call *c)
{
	if (d == NULL || key == NULL) {
		errno = EINVAL;
		return -1;
	}
	*c = (struct call){ .op = OP_GET, .obj = d->obj, .key = key };
	if (call_ok(d->m, c) == -1)
		return -1;
	if ((c->rtype == V_INT || c->rtype == V_FLOAT) && c->rlen != 8) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int mp_dict_get_int(mp_dict_proxy *d, const char *key, int64_t *value)
{
	struct call c;

	if (value == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (dict_get(d, key, &c) == -1)
		return -1;
	if (c.rtype != V_INT) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(value, c.rval, 8);
	return 0;
}

int mp_dict_get_float(mp_dict_proxy *d, const char *key, double *value)
{
	struct call c;
	int64_t i;

	if (value == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (dict_get(d, key, &c) == -1)
		return -1;
	if (c.rtype == V_FLOAT) {
		memcpy(value, c.rval, 8);
	} else if (c.rtype == V_INT) {
		memcpy(&i, c.rval, 8);
		*value = (double)i;
	} else {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

ssize_t mp_dict_get_str(mp_dict_proxy *d, const char *key, char *buf, size_t size)
{
	struct call c;

	if (buf == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (dict_get(d, key, &c) == -1)
		return -1;
	if (c.rtype != V_STR) {
		errno = EBADMSG;
		return -1;
	}
	if (c.rlen + 1 > size) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, c.rval, c.rlen);
	buf[c.rlen] = '\0';
	return (ssize_t)c.rlen;
}

int mp_dict_del(mp_dict_proxy *d, const char *key)
{
	if (d == NULL || key == NULL) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .op = OP_DEL, .obj = d->obj, .key = key };
	return call_ok(d->m, &c);
}

int mp_dict_len(mp_dict_proxy *d)
{
	if (d == NULL) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .op = OP_LEN, .obj = d->obj };
	if (call_ok(d->m, &c) == -1)
		return -1;
	return (int)c.arg;
}

int mp_queue_proxy_put(mp_queue_proxy *q, const void *msg, size_t len)
{
	if (q == NULL || (msg == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .op = OP_PUT, .obj = q->obj, .type = V_BYTES, .val = msg, .len = len,
			  .msg = mp__new_id() };
	return call_ok(q->m, &c);
}

ssize_t mp_queue_proxy_get(mp_queue_proxy *q, void *buf, size_t size, double seconds)
{
	if (q == NULL || (buf == NULL && size > 0) || !(seconds >= 0)) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .op = OP_QGET, .obj = q->obj, .timeout = seconds };
	if (call_ok(q->m, &c) == -1)
		return -1;
	if (c.rlen > size) {
		errno = EMSGSIZE;
		return -1;
	}
	if (c.rlen > 0)
		memcpy(buf, c.rval, c.rlen);
	return (ssize_t)c.rlen;
}

int mp_queue_proxy_put_str(mp_queue_proxy *q, const char *s)
{
	if (s == NULL) {
		errno = EINVAL;
		return -1;
	}
	return mp_queue_proxy_put(q, s, strlen(s));
}

int mp_queue_proxy_put_int(mp_queue_proxy *q, int64_t v)
{
	return mp_queue_proxy_put(q, &v, sizeof(v));
}

ssize_t mp_queue_proxy_get_str(mp_queue_proxy *q, char *buf, size_t size, double seconds)
{
	ssize_t n;

	if (buf == NULL || size == 0) {
		errno = EINVAL;
		return -1;
	}
	n = mp_queue_proxy_get(q, buf, size - 1, seconds);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int mp_queue_proxy_get_int(mp_queue_proxy *q, int64_t *v, double seconds)
{
	int64_t x;
	ssize_t n = mp_queue_proxy_get(q, &x, sizeof(x), seconds);

	if (n == -1)
		return -1;
	if (n != sizeof(x) || v == NULL) {
		errno = n != sizeof(x) ? EBADMSG : EINVAL;
		return -1;
	}
	*v = x;
	return 0;
}

int mp_queue_proxy_qsize(mp_queue_proxy *q)
{
	if (q == NULL) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .op = OP_QSIZE, .obj = q->obj };
	if (call_ok(q->m, &c) == -1)
		return -1;
	return (int)c.arg;
}
