/*
 * dict_proxy.c - a dict on the manager's server, reached through a proxy:
 * mp_dict_proxy_*.
 *
 * Every call is one request and one reply (client.c).  A key is a string
 * of 1..MP_MANAGER_KEY_MAX bytes; a value an int, a float or a string.
 */
#define _GNU_SOURCE
#include "base/trace.h"
#include "manager/manager.h"

#include <errno.h>
#include <string.h>

mp_dict_proxy *mp_manager_dict(mp_manager *m, const char *name)
{
	MP__SITE();
	return (mp_dict_proxy *)mp__proxy_open(m, OP_DICT, name);
}

static int dict_set(mp_dict_proxy *d, const char *key, enum vtype type, const void *v, size_t len)
{
	if (d == NULL || key == NULL || v == NULL || key[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .rq = { .op = OP_SET, .obj = d->p.obj, .key = key, .type = type,
				  .val = v, .len = len } };
	return mp__call_ok(d->p.m, &c);
}

int mp_dict_proxy_set_int(mp_dict_proxy *d, const char *key, int64_t value)
{
	MP__SITE();
	return dict_set(d, key, V_INT, &value, 8);
}

int mp_dict_proxy_set_float(mp_dict_proxy *d, const char *key, double value)
{
	MP__SITE();
	return dict_set(d, key, V_FLOAT, &value, 8);
}

int mp_dict_proxy_set_str(mp_dict_proxy *d, const char *key, const char *value)
{
	MP__SITE();
	return dict_set(d, key, V_STR, value, value ? strlen(value) : 0);
}

/* d[key] into c, which must be of `type` (an int is also a float).  0, or
 * -1 and errno (EBADMSG: another type). */
static int dict_get(mp_dict_proxy *d, const char *key, void *out, enum vtype type,
		    struct call *c)
{
	if (d == NULL || key == NULL || out == NULL) {
		errno = EINVAL;
		return -1;
	}
	*c = (struct call){ .rq = { .op = OP_GET, .obj = d->p.obj, .key = key } };
	if (mp__call_ok(d->p.m, c) == -1)
		return -1;
	if ((c->rp.type == V_INT || c->rp.type == V_FLOAT) && c->rp.len != 8) {
		errno = EPROTO;
		return -1;
	}
	if (c->rp.type != type && !(type == V_FLOAT && c->rp.type == V_INT)) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

int mp_dict_proxy_get_int(mp_dict_proxy *d, const char *key, int64_t *value)
{
	MP__SITE();
	struct call c;

	if (dict_get(d, key, value, V_INT, &c) == -1)
		return -1;
	memcpy(value, c.rp.val, 8);
	return 0;
}

int mp_dict_proxy_get_float(mp_dict_proxy *d, const char *key, double *value)
{
	MP__SITE();
	struct call c;
	int64_t i;

	if (dict_get(d, key, value, V_FLOAT, &c) == -1)
		return -1;
	if (c.rp.type == V_FLOAT) {
		memcpy(value, c.rp.val, 8);
	} else {
		memcpy(&i, c.rp.val, 8);
		*value = (double)i;	/* as Python would */
	}
	return 0;
}

ssize_t mp_dict_proxy_get_str(mp_dict_proxy *d, const char *key, char *buf, size_t size)
{
	MP__SITE();
	struct call c;

	if (dict_get(d, key, buf, V_STR, &c) == -1)
		return -1;
	if (c.rp.len + 1 > size) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, c.rp.val, c.rp.len);
	buf[c.rp.len] = '\0';
	return (ssize_t)c.rp.len;
}

int mp_dict_proxy_del(mp_dict_proxy *d, const char *key)
{
	MP__SITE();
	if (d == NULL || key == NULL) {
		errno = EINVAL;
		return -1;
	}
	struct call c = { .rq = { .op = OP_DEL, .obj = d->p.obj, .key = key } };
	return mp__call_ok(d->p.m, &c);
}

int mp_dict_proxy_len(mp_dict_proxy *d)
{
	MP__SITE();
	return mp__proxy_count((struct proxy *)d, OP_LEN);	/* its first member */
}
