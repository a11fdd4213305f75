/*
 * client.c - a process's connection to a manager, and one call on it.
 *
 * Each process opens its own connection on its first call (a forked
 * child's copy of its parent's would interleave frames of two processes),
 * and authenticates.  The client never blocks without a deadline except in
 * a queue get with no limit, and even then a dead server shows at once:
 * its sockets close with it, and poll() reports the hang-up.
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
	if (m->fd >= 0 && m->fd_pid == getpid())
		close(m->fd);
	m->fd = -1;
}

int mp__client_connect(mp_manager *m)
{
	int64_t deadline = mp__deadline(MP_MANAGER_TIMEOUT);
	int fd, err;

	/* A forked child's copy of its parent's connection is not its own. */
	if (m->fd >= 0 && m->fd_pid != getpid()) {
		close(m->fd);
		m->fd = -1;
	}
	if (m->fd >= 0)
		return 0;
	fd = mp__net_connect(&m->sa, m->salen, deadline);
	if (fd == -1)
		return -1;
	if (mp__auth_client(fd, m->key, m->keylen, deadline, &m->id) == -1) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	m->fd = fd;
	m->fd_pid = getpid();
	return 0;
}

int mp__call(mp_manager *m, struct call *c)
{
	struct request *rq = &c->rq;
	struct reply *rp = &c->rp;
	unsigned char head[4 + REQ_HEADER], rhead[4 + REPLY_HEADER];
	const char *key = rq->key;
	char text[96];
	ssize_t len;
	int err;

	rq->keylen = key ? strlen(key) : 0;
	if (rq->keylen > MP_MANAGER_KEY_MAX || rq->len > MP_MANAGER_VALUE_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (mp__client_connect(m) == -1)
		return -1;
	rq->pid = (uint32_t)getpid();
	rq->req = mp__new_id();
	rq->timeout_ms = -1;
	if (rq->op == OP_QGET && c->timeout <= MP__NO_LIMIT)
		rq->timeout_ms = (int64_t)(c->timeout * 1000);
	mp__request_head(head, rq);

	mp__value_text(rq->type, rq->val, rq->len, text, sizeof(text));
	mp__tp(mgr_request, mp__pid(), m->id, rq->req, mp__op_names[rq->op], key ? key : "", text);
	if (rq->op == OP_PUT)
		mp__tp(msg_send, mp__pid(), rq->obj, rq->msg, rq->len, "put");

	/* The reply may take as long as the get's own wait, and a little. */
	int64_t deadline = -1;
	if (rq->op != OP_QGET)
		deadline = mp__deadline(MP_MANAGER_TIMEOUT);
	else if (rq->timeout_ms >= 0)
		deadline = mp__deadline(MP_MANAGER_TIMEOUT + c->timeout);

	if (mp__net_send(m->fd, head, sizeof(head), deadline) == -1 ||
	    mp__net_send(m->fd, key, rq->keylen, deadline) == -1 ||
	    mp__net_send(m->fd, rq->val, rq->len, deadline) == -1 ||
	    mp__net_recv(m->fd, rhead, sizeof(rhead), deadline) == -1 ||
	    (len = mp__reply_parse(rhead, rp)) == -1 ||
	    mp__grow(&m->buf, &m->buf_cap, (size_t)len + 1, 1) == -1 ||
	    mp__net_recv(m->fd, m->buf, (size_t)len, deadline) == -1)
		goto broken;
	m->buf[len] = 0;
	rp->val = m->buf;
	rp->len = (size_t)len;
	mp__value_text(rp->type, rp->val, rp->len, text, sizeof(text));
	if (rq->op == OP_QGET && rp->status == 0)
		mp__tp(msg_recv, mp__pid(), rq->obj, rp->arg, rp->len, "get");
	mp__tp(mgr_reply, mp__pid(), m->id, rq->req, rp->status, text);
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
