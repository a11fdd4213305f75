/*
 * queue_proxy.c - a queue on the manager's server, reached through a proxy.
 *
 * A get on an empty queue waits on the server (server.c parks it), so the
 * wait costs no polling; the reply may take as long as the get's timeout
 * and MP_MANAGER_TIMEOUT more.
 */
#define _GNU_SOURCE
#include "manager/manager.h"
#include "messages/messages.h"
#include "base/trace.h"

#include <errno.h>
#include <string.h>

mp_queue_proxy *mp_manager_queue(mp_manager *m, const char *name)
{
	MP__SITE();
	return (mp_queue_proxy *)mp__proxy_open(m, OP_QUEUE, name);
}

int mp_queue_proxy_put(mp_queue_proxy *q, const void *msg, size_t len)
{
	MP__SITE();
	if (q == NULL || (msg == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .rq = { .op = OP_PUT, .obj = q->p.obj, .type = V_BYTES, .val = msg,
				  .len = len, .msg = mp__new_id() } };
	return mp__call_ok(q->p.m, &c);
}

ssize_t mp_queue_proxy_get_timeout(mp_queue_proxy *q, void *buf, size_t size, double seconds)
{
	MP__SITE();
	if (q == NULL || (buf == NULL && size > 0) || !(seconds >= 0)) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .rq = { .op = OP_QGET, .obj = q->p.obj }, .timeout = seconds };
	if (mp__call_ok(q->p.m, &c) == -1)
		return -1;
	if (c.rp.len > size) {
		errno = EMSGSIZE;
		return -1;
	}
	if (c.rp.len > 0)
		memcpy(buf, c.rp.val, c.rp.len);
	return (ssize_t)c.rp.len;
}

ssize_t mp_queue_proxy_get(mp_queue_proxy *q, void *buf, size_t size)
{
	MP__SITE();
	return mp_queue_proxy_get_timeout(q, buf, size, MP_FOREVER);
}

/* mp_queue_proxy_put_str, _int (a put waits for no one but the server: no
 * timeout); mp_queue_proxy_get_str, _str_timeout, _int, _int_timeout
 * (messages/messages.h). */
MP__TYPED_SEND_NOWAIT(mp_queue_proxy, mp_queue_proxy_put, mp_queue_proxy_put)
MP__TYPED_RECV(mp_queue_proxy, mp_queue_proxy_get, mp_queue_proxy_get_timeout)

int mp_queue_proxy_qsize(mp_queue_proxy *q)
{
	MP__SITE();
	return mp__proxy_count((struct proxy *)q, OP_QSIZE);	/* its first member */
}
