/*
 * store.c - the manager server's objects: dicts and queues, by id.
 *
 * One function an operation, and a table from op to function.  Each
 * answers with a reply (its status an errno when the op fails), or asks
 * the server to park the client: a get on an empty queue waits for a put
 * (server.c holds the parked clients and their deadlines).
 *
 * A dict is an array searched in order, a queue a linked list of items:
 * a lesson's manager holds a handful of keys, and these are the simplest
 * structures that do.
 */
#define _GNU_SOURCE
#include "manager/manager.h"
#include "base/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	struct entry *entries;		/* a dict */
	size_t n, cap;
	struct item *head, *tail;	/* a queue */
	size_t count;
};

struct store {
	struct object *objs;
	size_t n_objs, cap_objs;
	uint64_t next_obj;
};

static void answer(struct answer *a, int status, enum vtype type, uint64_t arg,
		   const void *val, size_t len)
{
	*a = (struct answer){ .rp = { status, type, arg, val, len } };
}

static struct object *find_obj(struct store *st, uint64_t id)
{
	for (size_t i = 0; i < st->n_objs; i++)
		if (st->objs[i].id == id)
			return &st->objs[i];
	return NULL;
}

static struct entry *find_entry(struct object *o, const char *key, size_t keylen)
{
	for (size_t i = 0; i < o->n; i++)
		if (strlen(o->entries[i].key) == keylen && memcmp(o->entries[i].key, key, keylen) == 0)
			return &o->entries[i];
	return NULL;
}

/* OP_DICT, OP_QUEUE: the object called `key` (made if there is none; no
 * name: always a new one).  Its id, or EEXIST when it is of the other kind. */
static void op_open(struct store *st, struct object *unused, const struct request *rq,
		    struct answer *a)
{
	bool queue = rq->op == OP_QUEUE;

	for (size_t i = 0; rq->keylen > 0 && i < st->n_objs; i++) {
		struct object *o = &st->objs[i];

		if (strlen(o->name) == rq->keylen && memcmp(o->name, rq->key, rq->keylen) == 0) {
			answer(a, o->is_queue != queue ? EEXIST : 0, V_NONE,
			       o->is_queue != queue ? 0 : o->id, NULL, 0);
			return;
		}
	}
	char *name = strndup(rq->key, rq->keylen);
	if (name == NULL || mp__grow(&st->objs, &st->cap_objs, st->n_objs + 1, sizeof(*st->objs)) == -1) {
		free(name);
		answer(a, ENOMEM, V_NONE, 0, NULL, 0);
		return;
	}
	struct object *o = &st->objs[st->n_objs++];
	*o = (struct object){ .id = ((uint64_t)getpid() << 32) | ++st->next_obj,
			      .is_queue = queue, .name = name };
	answer(a, 0, V_NONE, o->id, NULL, 0);
}

/* d[key]: its value, or ENOENT. */
static void op_get(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	struct entry *e = find_entry(o, rq->key, rq->keylen);

	if (e == NULL)
		answer(a, ENOENT, V_NONE, 0, NULL, 0);
	else
		answer(a, 0, e->type, 0, e->val, e->len);
}

/* d[key] = value: an int or float (8 bytes) or a string; EINVAL otherwise. */
static void op_set(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	struct entry *e = find_entry(o, rq->key, rq->keylen);
	unsigned char *copy;

	if (rq->keylen == 0 || (rq->type != V_INT && rq->type != V_FLOAT && rq->type != V_STR) ||
	    (rq->type != V_STR && rq->len != 8)) {
		answer(a, EINVAL, V_NONE, 0, NULL, 0);
		return;
	}
	copy = malloc(rq->len ? rq->len : 1);
	if (copy == NULL)
		goto nomem;
	memcpy(copy, rq->val, rq->len);
	if (e == NULL) {
		char *key = strndup(rq->key, rq->keylen);

		if (key == NULL || mp__grow(&o->entries, &o->cap, o->n + 1, sizeof(*o->entries)) == -1) {
			free(key);
			free(copy);
			goto nomem;
		}
		e = &o->entries[o->n++];
		*e = (struct entry){ .key = key };
	}
	free(e->val);
	*e = (struct entry){ e->key, rq->type, rq->len, copy };
	answer(a, 0, V_NONE, 0, NULL, 0);
	return;
nomem:
	answer(a, ENOMEM, V_NONE, 0, NULL, 0);
}

/* del d[key], or ENOENT. */
static void op_del(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	struct entry *e = find_entry(o, rq->key, rq->keylen);

	if (e == NULL) {
		answer(a, ENOENT, V_NONE, 0, NULL, 0);
		return;
	}
	free(e->key);
	free(e->val);
	*e = o->entries[--o->n];
	answer(a, 0, V_NONE, 0, NULL, 0);
}

/* len(d). */
static void op_len(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	answer(a, 0, V_NONE, o->n, NULL, 0);
}

/* q.put(value): the item goes to the end of the queue (server.c then
 * hands it to a parked get, if one waits). */
static void op_put(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	struct item *it = malloc(sizeof(*it) + rq->len);

	if (it == NULL) {
		answer(a, ENOMEM, V_NONE, 0, NULL, 0);
		return;
	}
	*it = (struct item){ .msg = rq->msg, .len = rq->len };
	memcpy(it->data, rq->val, rq->len);
	if (o->tail)
		o->tail->next = it;
	else
		o->head = it;
	o->tail = it;
	o->count++;
	answer(a, 0, V_NONE, 0, NULL, 0);
}

/* Takes the oldest item of queue o into *a, for the caller to free once
 * replied. */
static void take(struct object *o, struct answer *a)
{
	struct item *it = o->head;

	o->head = it->next;
	if (o->head == NULL)
		o->tail = NULL;
	o->count--;
	answer(a, 0, V_BYTES, it->msg, it->data, it->len);
	a->taken = it;
}

/* q.get(): the oldest item; if there is none, EAGAIN for a get that may
 * not wait, or park the client. */
static void op_qget(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	if (o->head != NULL) {
		take(o, a);
		return;
	}
	answer(a, rq->timeout_ms == 0 ? EAGAIN : 0, V_NONE, 0, NULL, 0);
	a->park = rq->timeout_ms != 0;
}

/* q.qsize(). */
static void op_qsize(struct store *st, struct object *o, const struct request *rq, struct answer *a)
{
	answer(a, 0, V_NONE, o->count, NULL, 0);
}

typedef void op_fn(struct store *, struct object *, const struct request *, struct answer *);

static const struct {
	op_fn *fn;
	int on;		/* what the op's object must be: 0 none, 'd' a dict, 'q' a queue */
} ops[OP__END] = {
	[OP_DICT] = { op_open, 0 },	[OP_QUEUE] = { op_open, 0 },
	[OP_GET] = { op_get, 'd' },	[OP_SET] = { op_set, 'd' },
	[OP_DEL] = { op_del, 'd' },	[OP_LEN] = { op_len, 'd' },
	[OP_PUT] = { op_put, 'q' },	[OP_QGET] = { op_qget, 'q' },
	[OP_QSIZE] = { op_qsize, 'q' },
};

void mp__store_do(struct store *st, const struct request *rq, struct answer *a)
{
	struct object *o = NULL;

	if (rq->op <= 0 || rq->op >= OP__END || ops[rq->op].fn == NULL || rq->type >= V__END) {
		answer(a, EINVAL, V_NONE, 0, NULL, 0);
		return;
	}
	if (ops[rq->op].on != 0) {
		o = find_obj(st, rq->obj);
		if (o == NULL || o->is_queue != (ops[rq->op].on == 'q')) {
			answer(a, EBADF, V_NONE, 0, NULL, 0);
			return;
		}
	}
	ops[rq->op].fn(st, o, rq, a);
}

bool mp__store_take(struct store *st, uint64_t obj, struct answer *a)
{
	struct object *o = find_obj(st, obj);

	if (o == NULL || o->head == NULL)
		return false;
	take(o, a);
	return true;
}

struct store *mp__store_new(void)
{
	return calloc(1, sizeof(struct store));
}

void mp__store_free(struct store *st)
{
	for (size_t i = 0; st != NULL && i < st->n_objs; i++) {
		struct object *o = &st->objs[i];

		for (size_t k = 0; k < o->n; k++) {
			free(o->entries[k].key);
			free(o->entries[k].val);
		}
		for (struct item *it = o->head, *next; it != NULL; it = next) {
			next = it->next;
			free(it);
		}
		free(o->entries);
		free(o->name);
	}
	if (st != NULL)
		free(st->objs);
	free(st);
}
