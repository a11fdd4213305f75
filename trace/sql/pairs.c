/* The messages table: each message id's msg_send and msg_recv paired as
 * the events stream by, so that no tool walks a Queue's million events in
 * Python to pair them.  The one place the converter knows the mp
 * provider; scripts/mptrace/pairing.py's messages() is the definition
 * (the tests compare the two), and computes the table itself when this
 * one is not made:
 *
 *   messages(chan, msg, sender, send_ts, receiver, recv_ts, size, op,
 *            failed BOOLEAN)
 *
 * one row per msg id, in the order of its first event: its channel from
 * that event, its sender and receiver from its first msg_send and first
 * msg_recv, its size and op from the send (else the receive); failed if a
 * chan_op send_failed came after it was its sender's latest msg_send on
 * that chan.  Not made (pairs->unsure) if a field is missing, of another
 * type, an integer past 2^63 or a text not ASCII: Python would keep
 * those otherwise.  Beside it, row for row (the same rowid):
 *
 *   message_counts(msg, sends, receives, recv_lo, recv_hi)
 *
 * how many msg_send and msg_recv the id had, and the least and the most
 * bytes received (NULL: none), for trace-check's messages-once
 * (check/bysql.py); made only where every send of an id was its
 * sender's with its size, every receive its receiver's, and all on its
 * channel (pairs->mixed: else the check counts the events). */
#include "tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct message {
	int64_t first, chan, msg, sender, send_ts, receiver, recv_ts, size;
	int64_t sends, receives, recv_lo, recv_hi, send_size;
	int sent, received, failed;
	char op[16];
};

/* An open-addressing map of a 64-bit key (+ a second) to an index. */
struct map {
	int64_t *keys, *keys2;
	size_t *values, size, used;     /* values: index + 1; 0 empty */
};

struct pairs {
	struct message *msgs;
	size_t n, cap;
	struct map by_msg, last_send;   /* msg -> msgs; (pid, chan) -> msgs */
	int unsure;
	int mixed;      /* a message's sends or receives differ: no counts */
};

static size_t slot(const struct map *m, int64_t k, int64_t k2)
{
	uint64_t h = ((uint64_t)k * 0x9e3779b97f4a7c15u) ^
		((uint64_t)k2 * 0xc2b2ae3d27d4eb4fu);
	size_t i = (size_t)(h >> 17) & (m->size - 1);

	while (m->values[i] && (m->keys[i] != k || m->keys2[i] != k2))
		i = (i + 1) & (m->size - 1);
	return i;
}

static int grow(struct map *m)
{
	struct map old = *m;

	m->size = old.size ? old.size * 2 : 1024;
	m->keys = malloc(m->size * sizeof *m->keys);
	m->keys2 = malloc(m->size * sizeof *m->keys2);
	m->values = calloc(m->size, sizeof *m->values);
	if (!m->keys || !m->keys2 || !m->values) {
		free(m->keys);
		free(m->keys2);
		free(m->values);
		*m = old;
		return -1;
	}
	for (size_t i = 0; i < old.size; i++)
		if (old.values[i]) {
			size_t j = slot(m, old.keys[i], old.keys2[i]);
			m->keys[j] = old.keys[i];
			m->keys2[j] = old.keys2[i];
			m->values[j] = old.values[i];
		}
	free(old.keys);
	free(old.keys2);
	free(old.values);
	return 0;
}

/* The value slot of (k, k2), made (0) if new; NULL: out of memory. */
static size_t *put(struct map *m, int64_t k, int64_t k2)
{
	if ((m->used + 1) * 2 > m->size && grow(m))
		return NULL;
	size_t i = slot(m, k, k2);
	if (!m->values[i]) {
		m->keys[i] = k;
		m->keys2[i] = k2;
		m->used++;
	}
	return &m->values[i];
}

static void drop(struct map *m)
{
	free(m->keys);
	free(m->keys2);
	free(m->values);
}

/* The integer field name of the payload s, into *out; 0 if it has none
 * of 63 bits or less. */
static int integer(const bt_field *s, const char *name, int64_t *out)
{
	const bt_field *f = bt_field_structure_borrow_member_field_by_name_const(s, name);

	if (!f)
		return 0;
	bt_field_class_type t = bt_field_get_class_type(f);
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER)) {
		*out = bt_field_integer_signed_get_value(f);
		return 1;
	}
	if (!bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
		return 0;
	uint64_t v = bt_field_integer_unsigned_get_value(f);
	*out = (int64_t)v;
	return v <= INT64_MAX;
}

/* The ASCII text field name of s, or NULL. */
static const char *text(const bt_field *s, const char *name, size_t most)
{
	const bt_field *f = bt_field_structure_borrow_member_field_by_name_const(s, name);

	if (!f || bt_field_get_class_type(f) != BT_FIELD_CLASS_TYPE_STRING)
		return NULL;
	const char *v = bt_field_string_get_value(f);
	if (strlen(v) >= most)
		return NULL;
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c >= 0x80)
			return NULL;
	return v;
}

/* Stops with EXIT_WRITE, the reason in db->error, with SQLite's if sql
 * (as conn.c's db_fail and db_sql_fail, which this file does not call:
 * conn.c calls it). */
static int failed(struct db *db, const char *what, int sql)
{
	snprintf(db->error, sizeof db->error, "%s%s%s", what, sql ? ": " : "",
		 sql ? sqlite3_errmsg(db->sql) : "");
	return EXIT_WRITE;
}

static struct message *message(struct pairs *p, int64_t msg, int64_t id,
			       int64_t chan)
{
	size_t *at = put(&p->by_msg, msg, 0);

	if (!at)
		return NULL;
	if (!*at) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 1024;
			struct message *more = realloc(p->msgs, cap * sizeof *more);
			if (!more)
				return NULL;
			p->msgs = more;
			p->cap = cap;
		}
		p->msgs[p->n] = (struct message){.first = id, .chan = chan,
						 .msg = msg};
		*at = ++p->n;
	}
	return &p->msgs[*at - 1];
}

int pairs_event(struct db *db, const char *name, const bt_event *event,
		int64_t id, int64_t ts)
{
	struct pairs *p = db->pairs;
	int send = !strcmp(name, "msg_send"), op_event = !strcmp(name, "chan_op");

	if (p->unsure || !(send || op_event || !strcmp(name, "msg_recv")))
		return 0;
	const bt_field *s = bt_event_borrow_payload_field_const(event);
	int64_t pid, chan, msg, size;
	if (!s || !integer(s, "pid", &pid) || !integer(s, "chan", &chan)) {
		p->unsure = 1;
		return 0;
	}
	if (op_event) {
		const char *op = text(s, "op", 64);
		if (!op)
			p->unsure = 1;
		else if (!strcmp(op, "send_failed")) {
			size_t *last = put(&p->last_send, pid, chan);
			if (!last)
				return failed(db, "out of memory", 0);
			if (*last)
				p->msgs[*last - 1].failed = 1;
		}
		return 0;
	}
	const char *op = text(s, "op", sizeof p->msgs->op);
	if (!op || !integer(s, "msg", &msg) || !integer(s, "size", &size)) {
		p->unsure = 1;
		return 0;
	}
	struct message *m = message(p, msg, id, chan);
	size_t *last = send ? put(&p->last_send, pid, chan) : NULL;
	if (!m || (send && !last))
		return failed(db, "out of memory", 0);
	if (chan != m->chan)
		p->mixed = 1;
	if (send) {
		*last = (size_t)(m - p->msgs) + 1;
		if (m->sends++ && (pid != m->sender || size != m->send_size))
			p->mixed = 1;
		m->send_size = size;
		if (m->sent)
			return 0;
		m->sent = 1;
		m->sender = pid;
		m->send_ts = ts;
	} else {
		if (m->receives++ && pid != m->receiver)
			p->mixed = 1;
		if (m->receives == 1 || size < m->recv_lo)
			m->recv_lo = size;
		if (m->receives == 1 || size > m->recv_hi)
			m->recv_hi = size;
		if (m->received)
			return 0;
		m->received = 1;
		m->receiver = pid;
		m->recv_ts = ts;
		if (m->sent)
			return 0;
	}
	m->size = size;                 /* the send's, else the first's */
	strcpy(m->op, op);
	return 0;
}

/* Columns col and col + 1 of st: a and b, or NULL both if not known. */
static void bind_two(sqlite3_stmt *st, int col, int known, int64_t a, int64_t b)
{
	if (known) {
		sqlite3_bind_int64(st, col, a);
		sqlite3_bind_int64(st, col + 1, b);
	} else {
		sqlite3_bind_null(st, col);
		sqlite3_bind_null(st, col + 1);
	}
}

/* A message's row of message_counts, bound to st. */
static void bind_counts(sqlite3_stmt *st, const struct message *m)
{
	sqlite3_bind_int64(st, 1, m->msg);
	sqlite3_bind_int64(st, 2, m->sends);
	sqlite3_bind_int64(st, 3, m->receives);
	bind_two(st, 4, m->receives != 0, m->recv_lo, m->recv_hi);
}

int pairs_finish(struct db *db)
{
	struct pairs *p = db->pairs;
	sqlite3_stmt *st = NULL, *counts = NULL;
	int status = 0;

	if (p->unsure || !p->n)
		return 0;
	if (sqlite3_exec(db->sql, "CREATE TABLE messages(\"chan\", \"msg\", "
			 "\"sender\", \"send_ts\", \"receiver\", \"recv_ts\", "
			 "\"size\", \"op\", \"failed\" BOOLEAN)", NULL, NULL,
			 NULL) != SQLITE_OK)
		return failed(db, "making the messages table", 1);
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO messages VALUES(?, ?, ?, "
			       "?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return failed(db, "preparing the messages", 1);
	if (!p->mixed &&
	    (sqlite3_exec(db->sql, "CREATE TABLE message_counts(\"msg\", "
			  "\"sends\", \"receives\", \"recv_lo\", \"recv_hi\")",
			  NULL, NULL, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(db->sql, "INSERT INTO message_counts "
				"VALUES(?, ?, ?, ?, ?)", -1, &counts,
				NULL) != SQLITE_OK)) {
		sqlite3_finalize(st);
		return failed(db, "making the message counts", 1);
	}
	for (size_t i = 0; i < p->n && !status; i++) {
		struct message *m = &p->msgs[i];
		sqlite3_bind_int64(st, 1, m->chan);
		sqlite3_bind_int64(st, 2, m->msg);
		bind_two(st, 3, m->sent, m->sender, m->send_ts);
		bind_two(st, 5, m->received, m->receiver, m->recv_ts);
		sqlite3_bind_int64(st, 7, m->size);
		sqlite3_bind_text(st, 8, m->op, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 9, m->failed);
		if (sqlite3_step(st) != SQLITE_DONE)
			status = failed(db, "inserting a message", 1);
		sqlite3_reset(st);
		if (!counts || status)
			continue;
		bind_counts(counts, m);
		if (sqlite3_step(counts) != SQLITE_DONE)
			status = failed(db, "inserting a message's counts", 1);
		sqlite3_reset(counts);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(counts);
	return status;
}

struct pairs *pairs_new(void)
{
	return calloc(1, sizeof(struct pairs));
}

void pairs_free(struct pairs *p)
{
	if (!p)
		return;
	drop(&p->by_msg);
	drop(&p->last_send);
	free(p->msgs);
	free(p);
}
