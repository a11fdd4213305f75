/* mp-trace-sql's rows: each event a row of its table (layout.c says
 * which, and what the tables are), and the database finished: the events
 * view, the fields' notes, the meta rows, one COMMIT. */
#include "tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s, or a copy in db->buf with U+FFFD for every byte that is not part of
 * a well-formed UTF-8 sequence (what Python makes of it: each byte decoded
 * with surrogateescape, each surrogate then replaced). */
static const char *utf8(struct db *db, const char *s, int *fixed);

static int bind_field(struct db *db, sqlite3_stmt *st, int at,
		      const bt_field *f, enum kind kind, struct column *col)
{
	switch (kind) {
	case SIGNED:
		return sqlite3_bind_int64(st, at,
					  bt_field_integer_signed_get_value(f));
	case UNSIGNED: {
		uint64_t v = bt_field_integer_unsigned_get_value(f);
		col->wrapped += v > INT64_MAX;
		return sqlite3_bind_int64(st, at, (int64_t)v);
	}
	case REAL:
		return sqlite3_bind_double(st, at,
			bt_field_get_class_type(f) ==
			BT_FIELD_CLASS_TYPE_SINGLE_PRECISION_REAL
			? bt_field_real_single_precision_get_value(f)
			: bt_field_real_double_precision_get_value(f));
	case STRING: {
		int fixed;
		const char *s = utf8(db, bt_field_string_get_value(f), &fixed);
		if (!s)
			return SQLITE_NOMEM;
		return sqlite3_bind_text(st, at, s, -1, fixed ? SQLITE_TRANSIENT
					 : SQLITE_STATIC);
	}
	}
	return SQLITE_MISUSE;
}

static int bind_struct(struct db *db, struct layout *l, const bt_field *s,
		       size_t first, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const bt_field *f =
			bt_field_structure_borrow_member_field_by_index_const(s, i);
		if (bind_field(db, l->insert, (int)(first + i + 3), f,
			       l->kinds[first + i],
			       &l->table->cols[l->cols[first + i]]))
			return db_sql_fail(db, "binding a field");
	}
	return 0;
}

int db_event(struct db *db, const bt_event *event, int64_t ts)
{
	const bt_event_class *cls = bt_event_borrow_class_const(event);
	struct layout *l = NULL;
	int status;

	if (db->last < db->nlayouts && db->layouts[db->last].cls == cls)
		l = &db->layouts[db->last];
	for (size_t i = 0; !l && i < db->nlayouts; i++)
		if (db->layouts[i].cls == cls)
			l = &db->layouts[db->last = i];
	if (!l && (status = db_layout(db, cls, &l)) != 0)
		return status;
	db->last = (size_t)(l - db->layouts);
	sqlite3_bind_int64(l->insert, 1, db->events);
	sqlite3_bind_int64(l->insert, 2, ts);
	if ((status = bind_struct(db, l, bt_event_borrow_payload_field_const(
					  event), 0, l->n[0]))
	    || (status = bind_struct(
			db, l, bt_event_borrow_common_context_field_const(event),
			l->n[0], l->n[1]))
	    || (status = bind_struct(
			db, l, bt_event_borrow_specific_context_field_const(event),
			l->n[0] + l->n[1], l->n[2])))
		return status;
	if (sqlite3_step(l->insert) != SQLITE_DONE)
		return db_sql_fail(db, "inserting an event");
	sqlite3_reset(l->insert);
	status = pairs_event(db, l->table->name, event, db->events, ts);
	db->events++;
	return status;
}

void db_discarded(struct db *db, uint64_t n)
{
	db->discarded += n;
}

int db_finish(struct db *db)
{
	int status = db_events_view(db);

	if (!status)
		status = pairs_finish(db);
	for (size_t i = 0; !status && i < db->ntables; i++)
		for (size_t j = 0; !status && j < db->tables[i]->ncols; j++) {
			struct column *c = &db->tables[i]->cols[j];
			if (!c->wrapped && !c->mixed)
				continue;
			char *sql = sqlite3_mprintf(
				"UPDATE fields SET wrapped = %llu, mixed = %d "
				"WHERE event = '%q' AND name = '%q'",
				(unsigned long long)c->wrapped, c->mixed,
				db->tables[i]->name, c->name);
			status = sql ? db_exec(db, sql)
				: db_fail(db, EXIT_WRITE, "out of memory");
			sqlite3_free(sql);
		}
	if (status)
		return status;
	char *sql = sqlite3_mprintf(
		"INSERT INTO meta VALUES('format', %d), ('converter', '%q'), "
		"('events', %lld), ('discarded', %llu); COMMIT", SQL_FORMAT,
		SQL_VERSION, (long long)db->events,
		(unsigned long long)db->discarded);
	status = sql ? db_exec(db, sql) : db_fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	return status;
}


/* The length of the well-formed UTF-8 sequence at s (Unicode's table
 * 3-7), or 0. */
static size_t sequence(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2
		: c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	unsigned char lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	unsigned char hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;

	for (size_t i = 1; i < n; i++) {
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
			return 0;
	}
	return n;
}

static const char *utf8(struct db *db, const char *s, int *fixed)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t bad = 0, n;

	for (size_t i = 0; u[i]; i += n ? n : 1) {
		n = sequence(u + i);
		bad += !n;
	}
	*fixed = bad > 0;
	if (!bad)
		return s;
	size_t need = strlen(s) + 2 * bad + 1;
	if (need > db->bufsize) {
		char *more = realloc(db->buf, need);
		if (!more)
			return NULL;
		db->buf = more;
		db->bufsize = need;
	}
	char *out = db->buf;
	for (size_t i = 0; u[i]; i += n ? n : 1) {
		n = sequence(u + i);
		if (n) {
			memcpy(out, s + i, n);
			out += n;
		} else {
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
		}
	}
	*out = '\0';
	return db->buf;
}
