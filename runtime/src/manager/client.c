/*
 * client.c - a process's connection to a manager, and one call on it.
 *
 * Each process opens its own connection on its first call (a forked
 * child's copy of its parent's would interleave frames of two processes),
 * and authenticates.  The client never blocks without a deadline except in
 * a queue get with no limit, and even then a dead server shows at once:
 * its sockets close with it, and the receive returns.  A call is one
 * send() of the whole request and, for a small reply, one recv().
 *
 * Every request and reply is traced here, in the calling process
 * (mgr_request, mgr_reply), and a queue's put and get as a message
 * (msg_send, msg_recv), so a timeline draws the arrow.
 */
#define _GNU_SOURCE
#include "manager/manager.h"
#include "base/buf.h"
#include "base/time.h"
#include "base/trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mp__client_disconnect(mp_manager *m)
{
	if (m->fd >= 0 && m->fd_pid == mp__pid())
		close(m->fd);
	m->fd = -1;
}

int mp__client_connect(mp_manager *m)
{
	int64_t deadline;
	int fd, err;

	/* A forked child's copy of its parent's connection is not its own. */
	if (m->fd >= 0 && m->fd_pid != mp__pid()) {
		close(m->fd);
		m->fd = -1;
	}
	if (m->fd >= 0)
		return 0;
	deadline = mp__deadline(MP_MANAGER_TIMEOUT);
	fd = mp__net_connect(&m->sa, m->salen, deadline);
	if (fd == -1)
		return -1;
	if (mp__auth_client(fd, m->key, m->keylen, deadline, &m->id) == -1 ||
	    mp__net_blocking(fd, MP_MANAGER_TIMEOUT) == -1) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	m->fd = fd;
	m->fd_pid = mp__pid();
	return 0;
}

/* One reply into m->buf: its header parsed into *rp, its value after it
 * (NUL-terminated).  A small reply takes one recv(). */
static int recv_reply(mp_manager *m, struct reply *rp, int64_t deadline)
{
	const size_t head = 4 + REPLY_HEADER;
	ssize_t got, len;

	if (mp__grow(&m->buf, &m->buf_cap, head + 256, 1) == -1)
		return -1;
	got = mp__net_recv_some(m->fd, m->buf, head, m->buf_cap - 1, deadline);
	if (got == -1 || (len = mp__reply_parse(m->buf, rp)) == -1)
		return -1;
	size_t total = head + (size_t)len;
	if ((size_t)got > total) {
		errno = EPROTO;		/* more than one reply: not a manager */
		return -1;
	}
	if (mp__grow(&m->buf, &m->buf_cap, total + 1, 1) == -1 ||
	    mp__net_recv(m->fd, m->buf + got, total - (size_t)got, deadline) == -1)
		return -1;
	m->buf[total] = 0;
	rp->val = m->buf + head;
	rp->len = (size_t)len;
	return 0;
}

int mp__call(mp_manager *m, struct call *c)
{
	struct request *rq = &c->rq;
	struct reply *rp = &c->rp;
	unsigned char head[4 + REQ_HEADER];
	const char *key = rq->key;
	char text[96] __attribute__((unused));	/* the events' only */
	int err;

	rq->keylen = key ? strlen(key) : 0;
	if (rq->keylen > MP_MANAGER_KEY_MAX || rq->len > MP_MANAGER_VALUE_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (mp__client_connect(m) == -1)
		return -1;
	rq->pid = (uint32_t)m->fd_pid;
	rq->req = mp__new_id();
	rq->timeout_ms = -1;
	if (rq->op == OP_QGET && c->timeout <= MP__NO_LIMIT)
		rq->timeout_ms = (int64_t)(c->timeout * 1000);
	mp__request_head(head, rq);

	/* The values as text only when the events are recorded. */
	mp__tp(mgr_request, mp__pid(), m->id, rq->req, mp__op_names[rq->op], key ? key : "",
	       mp__value_text(rq->type, rq->val, rq->len, text, sizeof(text)));
	if (rq->op == OP_PUT)
		mp__tp(msg_send, mp__pid(), rq->obj, rq->msg, rq->len, "put");

	/* The reply may take as long as the get's own wait, and a little. */
	int64_t deadline = -1;
	if (rq->op != OP_QGET)
		deadline = mp__deadline(MP_MANAGER_TIMEOUT);
	else if (rq->timeout_ms >= 0)
		deadline = mp__deadline(MP_MANAGER_TIMEOUT + c->timeout);

	/* The whole request in one send: a server woken by its first bytes
	 * would find half a frame. */
	struct iovec iov[3] = { { head, sizeof(head) }, { (void *)key, rq->keylen },
				{ (void *)rq->val, rq->len } };
	if (mp__net_sendv(m->fd, iov, 3, deadline) == -1 || recv_reply(m, rp, deadline) == -1)
		goto broken;
	if (rq->op == OP_QGET && rp->status == 0)
		mp__tp(msg_recv, mp__pid(), rq->obj, rp->arg, rp->len, "get");
	mp__tp(mgr_reply, mp__pid(), m->id, rq->req, rp->status,
	       mp__value_text(rp->type, rp->val, rp->len, text, sizeof(text)));
	return 0;
broken:
	err = errno;
	mp__client_disconnect(m);
	mp__tp(mgr_reply, mp__pid(), m->id, rq->req, err, "");
	errno = err;
	return -1;
}

int mp__call_ok(mp_manager *m, struct call *c)
{
	if (mp__call(m, c) == -1)
		return -1;
	if (c->rp.status != 0) {
		errno = c->rp.status;
		return -1;
	}
	return 0;
}

struct proxy *mp__proxy_open(mp_manager *m, enum op op, const char *name)
{
	struct call c = { .rq = { .op = op, .key = name } };
	struct proxy *p;

	if (m == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (mp__call_ok(m, &c) == -1 || (p = malloc(sizeof(*p))) == NULL)
		return NULL;
	*p = (struct proxy){ m, c.rp.arg, m->proxies };
	m->proxies = p;
	return p;
}

int mp__proxy_count(struct proxy *p, enum op op)
{
	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .rq = { .op = op, .obj = p->obj } };
	if (mp__call_ok(p->m, &c) == -1)
		return -1;
	return (int)c.rp.arg;
}
