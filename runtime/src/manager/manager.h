/*
 * manager/manager.h - a Manager's parts, shared by the manager folder.
 *
 *   wire.c         the bytes: little-endian numbers, request and reply frames
 *   net.c          addresses, connecting and listening, bytes with deadlines
 *   auth.c         the authkey handshake (HMAC-SHA256 of a random challenge)
 *   client.c       a process's connection, and one call: a request, a reply
 *   server.c       the server process: one poll() loop, many clients
 *   requests.c     what a client's bytes ask the server (server.h: what the two share)
 *   store.c        the server's objects, dicts and queues: one function an op
 *   manager.c      start, serve, connect, shut down
 *   dict_proxy.c   mp_dict_*: a dict on the server
 *   queue_proxy.c  mp_queue_proxy_*: a queue on the server
 *
 * Python's SyncManager is a server process that pickles every proxy call
 * over a socket.  This one is the same in C: each proxy call is one
 * request frame and one reply frame.  Nothing about it is atomic beyond
 * one call: `d["count"] -= 1` is a get and a set, and whatever another
 * client does between them is lost when the set lands (lesson 5).
 */
#ifndef MP_MANAGER_INTERNAL_H
#define MP_MANAGER_INTERNAL_H

#include "mp.h"

#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* ---- wire.c ---------------------------------------------------------------
 *
 * Numbers are little-endian.  On connecting, the server sends a hello
 * (8 bytes magic, the manager's id, a 32-byte random challenge); the client
 * answers HMAC-SHA256(authkey, challenge) and its pid; the server answers
 * one byte, 'W'elcome or 'F'ailure (then hangs up).  After that, frames: a
 * 4-byte length, then the body:
 *
 *   request  op u8, type u8, keylen u16, pid u32, req u64, obj u64,
 *            msg u64, timeout_ms i64, key, value
 *   reply    status i32 (0 or an errno), type u8, 3 spare, arg u64, value
 */
#define MAGIC "MPMGR01\n"
#define NONCE_LEN 32
#define MAC_LEN 32
#define HELLO_LEN (8 + 8 + NONCE_LEN)
#define ANSWER_LEN (MAC_LEN + 4)
#define REQ_HEADER 40
#define REPLY_HEADER 16
#define FRAME_MAX (REQ_HEADER + MP_MANAGER_KEY_MAX + MP_MANAGER_VALUE_MAX)

enum op { OP_DICT = 1, OP_QUEUE, OP_GET, OP_SET, OP_DEL, OP_LEN, OP_PUT, OP_QGET, OP_QSIZE,
	  OP_SHUTDOWN, OP__END };
enum vtype { V_NONE, V_INT, V_FLOAT, V_STR, V_BYTES, V__END };

extern const char *const mp__op_names[OP__END];

struct request {
	enum op op;
	enum vtype type;
	uint32_t pid;
	uint64_t req, obj, msg;
	int64_t timeout_ms;	/* a queue get's; -1 no limit */
	const char *key;	/* not NUL-terminated */
	size_t keylen;
	const void *val;
	size_t len;
};

struct reply {
	int status;		/* 0, or an errno */
	enum vtype type;
	uint64_t arg;		/* an object's id, a count, a message's id */
	const void *val;
	size_t len;
};

void mp__le_put(unsigned char *p, uint64_t v, int n);
uint64_t mp__le_get(const unsigned char *p, int n);

/* A request's length and header; its key and value follow on the wire. */
void mp__request_head(unsigned char head[4 + REQ_HEADER], const struct request *rq);

/* Reads a request's body (n bytes, after the length).  0, or -1 when it is
 * malformed: shorter than its header, or its key longer than the frame. */
int mp__request_parse(const unsigned char *body, size_t n, struct request *rq);

/* A reply's length and header; its value follows. */
void mp__reply_head(unsigned char head[4 + REPLY_HEADER], const struct reply *rp);

/* Reads a reply's length and header: the value's length, or -1 (EPROTO). */
ssize_t mp__reply_parse(const unsigned char head[4 + REPLY_HEADER], struct reply *rp);

/* A value as the trace shows it, written into out (returned): numbers in
 * decimal, text as it is (cut at 80 bytes), other bytes by their size. */
const char *mp__value_text(enum vtype type, const void *val, size_t len, char *out, size_t size);

/* ---- net.c ---- */

/* "HOST:PORT" (HOST a dotted IPv4 address or a name, "" meaning loopback)
 * or "@NAME" (Linux's abstract namespace).  0, or -1 EINVAL. */
int mp__net_parse(const char *address, struct sockaddr_storage *sa, socklen_t *len);
void mp__net_format(const struct sockaddr_storage *sa, socklen_t len, char *out, size_t size);

/* A non-blocking socket listening at *sa (port 0: any free one; *sa and
 * *len then say which), or -1 and errno. */
int mp__net_listen(struct sockaddr_storage *sa, socklen_t *len);

/* A non-blocking socket connected to sa by deadline, or -1 and errno. */
int mp__net_connect(const struct sockaddr_storage *sa, socklen_t len, int64_t deadline);

/* Makes fd blocking, each send and receive at most `seconds`.  0, or -1. */
int mp__net_blocking(int fd, double seconds);

/* All n bytes out, or in, by deadline.  0, or -1 and errno: ECONNRESET
 * when the peer hung up, ETIMEDOUT. */
int mp__net_send(int fd, const void *p, size_t n, int64_t deadline);
int mp__net_sendv(int fd, struct iovec *iov, int n, int64_t deadline);
int mp__net_recv(int fd, void *p, size_t n, int64_t deadline);

/* At least min bytes in, and what else has come up to max: the count, or
 * -1 and errno as mp__net_recv. */
ssize_t mp__net_recv_some(int fd, void *p, size_t min, size_t max, int64_t deadline);

/* ---- auth.c ---- */

/* The server's hello to a new client, with a fresh challenge (kept in
 * nonce).  0, or -1 and errno. */
int mp__auth_hello(unsigned char hello[HELLO_LEN], uint64_t id, unsigned char nonce[NONCE_LEN]);

/* The client's side on a fresh connection: reads the hello, answers the
 * challenge with the key, reads the verdict.  The server's id in *id.
 * 0, or -1 and errno: EACCES (refused), EPROTO (not a manager). */
int mp__auth_client(int fd, const unsigned char *key, size_t keylen, int64_t deadline,
		    uint64_t *id);

/* The server's check of a client's answer: true if it knows the key.  The
 * pid the client gives (unchecked) in *pid. */
bool mp__auth_check(const unsigned char *key, size_t keylen, const unsigned char nonce[NONCE_LEN],
		    const unsigned char answer[ANSWER_LEN], pid_t *pid);

/* ---- the manager, as its users hold it ---- */

/* A proxy: an object on the server, by its id.  A dict's and a queue's
 * are this under two names, so that the compiler tells them apart. */
struct proxy {
	mp_manager *m;
	uint64_t obj;
	struct proxy *next;	/* the manager's list, freed with it */
};

struct mp_dict_proxy {
	struct proxy p;
};

struct mp_queue_proxy {
	struct proxy p;
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
	size_t buf_cap;
	struct proxy *proxies;
};

/* ---- client.c ---- */

struct call {
	struct request rq;	/* in: op, obj, key (NUL-terminated, or NULL), type, val, len, msg */
	double timeout;		/* in: a queue get's, seconds */
	struct reply rp;	/* out: its value is in m->buf until the next call */
};

/* Connects (again, in a forked child) and authenticates.  0, or -1. */
int mp__client_connect(mp_manager *m);
void mp__client_disconnect(mp_manager *m);

/* One request, one reply.  0 when the server answered (c->rp.status may
 * still be an errno: the caller decides), -1 and errno when the
 * connection failed (it is dropped). */
int mp__call(mp_manager *m, struct call *c);

/* As mp__call(), and a non-zero status becomes -1 and errno. */
int mp__call_ok(mp_manager *m, struct call *c);

/* A proxy for the dict or queue (op OP_DICT, OP_QUEUE) called `name`
 * (NULL: a new anonymous one), on m's list.  NULL and errno (EEXIST: the
 * name is an object of the other kind). */
struct proxy *mp__proxy_open(mp_manager *m, enum op op, const char *name);

/* A count the server keeps of a proxy's object (op OP_LEN, OP_QSIZE), or
 * -1 and errno. */
int mp__proxy_count(struct proxy *p, enum op op);

/* ---- server.c ---- */

/* The body of the server process: serves m's listening socket until a
 * shutdown request. */
int mp__serve(void *m);

/* ---- store.c: the server's objects ---- */

struct store;

/* What the store answers a request: a reply, or `park` (a get that must
 * wait for a put).  `taken`: an item the reply's value points into, for
 * the caller to free once the reply is sent. */
struct answer {
	struct reply rp;
	bool park;
	void *taken;
};

struct store *mp__store_new(void);
void mp__store_free(struct store *st);

/* Does one request (any op but OP_SHUTDOWN). */
void mp__store_do(struct store *st, const struct request *rq, struct answer *a);

/* Takes the oldest item of queue `obj` for a parked get (*a as
 * mp__store_do's): false if it is empty. */
bool mp__store_take(struct store *st, uint64_t obj, struct answer *a);

#endif /* MP_MANAGER_INTERNAL_H */
