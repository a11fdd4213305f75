/*
 * wire.c - the manager's bytes on the socket (manager.h has the layout).
 *
 * The server trusts nothing a client sends: mp__request_parse() refuses a
 * body shorter than its header or a key longer than its frame, and the
 * server drops that client only.
 */
#include "manager/manager.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *const mp__op_names[OP__END] = {
	[OP_DICT] = "dict", [OP_QUEUE] = "queue", [OP_GET] = "get", [OP_SET] = "set",
	[OP_DEL] = "del", [OP_LEN] = "len", [OP_PUT] = "put", [OP_QGET] = "qget",
	[OP_QSIZE] = "qsize", [OP_SHUTDOWN] = "shutdown",
};

void mp__le_put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t mp__le_get(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void mp__request_head(unsigned char head[4 + REQ_HEADER], const struct request *rq)
{
	mp__le_put(head, REQ_HEADER + rq->keylen + rq->len, 4);
	head[4] = (unsigned char)rq->op;
	head[5] = (unsigned char)rq->type;
	mp__le_put(head + 6, rq->keylen, 2);
	mp__le_put(head + 8, rq->pid, 4);
	mp__le_put(head + 12, rq->req, 8);
	mp__le_put(head + 20, rq->obj, 8);
	mp__le_put(head + 28, rq->msg, 8);
	mp__le_put(head + 36, (uint64_t)rq->timeout_ms, 8);
}

int mp__request_parse(const unsigned char *b, size_t n, struct request *rq)
{
	if (n < REQ_HEADER)
		return -1;
	rq->op = b[0];
	rq->type = b[1];
	rq->keylen = mp__le_get(b + 2, 2);
	rq->pid = (uint32_t)mp__le_get(b + 4, 4);
	rq->req = mp__le_get(b + 8, 8);
	rq->obj = mp__le_get(b + 16, 8);
	rq->msg = mp__le_get(b + 24, 8);
	rq->timeout_ms = (int64_t)mp__le_get(b + 32, 8);
	if (rq->keylen > MP_MANAGER_KEY_MAX || REQ_HEADER + rq->keylen > n)
		return -1;
	rq->key = (const char *)b + REQ_HEADER;
	rq->val = b + REQ_HEADER + rq->keylen;
	rq->len = n - REQ_HEADER - rq->keylen;
	return 0;
}

void mp__reply_head(unsigned char head[4 + REPLY_HEADER], const struct reply *rp)
{
	memset(head, 0, 4 + REPLY_HEADER);
	mp__le_put(head, REPLY_HEADER + rp->len, 4);
	mp__le_put(head + 4, (uint32_t)rp->status, 4);
	head[8] = (unsigned char)rp->type;
	mp__le_put(head + 12, rp->arg, 8);
}

ssize_t mp__reply_parse(const unsigned char head[4 + REPLY_HEADER], struct reply *rp)
{
	size_t len = mp__le_get(head, 4);

	if (len < REPLY_HEADER || len > FRAME_MAX) {
		errno = EPROTO;
		return -1;
	}
	rp->status = (int)(int32_t)mp__le_get(head + 4, 4);
	rp->type = head[8];
	rp->arg = mp__le_get(head + 12, 8);
	return (ssize_t)(len - REPLY_HEADER);
}

const char *mp__value_text(enum vtype type, const void *val, size_t len, char *out, size_t size)
{
	const unsigned char *b = val;
	int64_t i;
	double d;

	out[0] = '\0';
	if ((type == V_INT || type == V_FLOAT) && len != 8)
		return out;
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
			if ((b[k] < 0x20 || b[k] > 0x7e) && !(k == len - 1 && b[k] == 0)) {
				snprintf(out, size, "<%zu bytes>", len);
				return out;
			}
		}
		snprintf(out, size, "%.*s", (int)(len < 80 ? len : 80), (const char *)b);
		break;
	default:
		break;
	}
	return out;
}
