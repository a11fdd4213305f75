/* The database mp-trace-sql writes: a table per event name, made from the
 * event classes as they come.  Nothing here knows the mp provider: a new
 * event, or a new field, needs no change.
 *
 *   meta(key, value)      format, converter, events, discarded
 *   fields(event, name, field, part, type, wrapped, mixed)
 *                         one row per column of an event's table: its SQL
 *                         name, the CTF field it holds, "payload",
 *                         "context" (the stream's, common to its events:
 *                         LTTng's vpid, vtid...) or "event context", its
 *                         type, how many unsigned values
 *                         above 2^63-1 it holds wrapped (as value - 2^64),
 *                         1 if another event class of that name gave the
 *                         field another type (its values are of both)
 *   "EVENT"(id, ts, payload fields..., context fields...)
 *   events                a view: id, ts, name, pid of every event
 *
 * id numbers the events from 0 in the order read, which is time order (the
 * muxer's); ts is ns from the clock's origin.  A column takes the field's
 * name, unless that name is taken (id, ts, or a payload field of the same
 * name as a context field): then "payload_" or "context_" goes before it.
 * docs/trace-sql.md shows the tables to students.
 */
#include "sql.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { SIGNED, UNSIGNED, REAL, STRING };

struct column {
	char *name;             /* the SQL column */
	char *field;            /* the CTF field */
	int part;               /* 0 payload, 1 context, 2 event context */
	int kind, mixed;        /* its type; another came too */
	uint64_t wrapped;
};

struct table {
	char *name;
	struct column *cols;
	size_t ncols;
};

/* One event class: where each of its fields goes. */
struct layout {
	const bt_event_class *cls;
	struct table *table;
	sqlite3_stmt *insert;
	size_t n[3];            /* payload, common and specific context
				   fields, in the statement's order */
	enum kind *kinds;
	size_t *cols;           /* their columns' places in table->cols */
};

struct db {
	sqlite3 *sql;
	struct table **tables;  /* each on its own: layouts point to them */
	size_t ntables;
	struct layout *layouts;
	size_t nlayouts, last;
	int64_t events;
	uint64_t discarded;
	char *buf;              /* a string made valid UTF-8 */
	size_t bufsize;
	char error[512];
};

static const char *const RESERVED[] = {"meta", "fields", "events"};

static int fail(struct db *db, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->error, sizeof db->error, fmt, ap);
	va_end(ap);
	return status;
}

static int sql_fail(struct db *db, const char *what)
{
	return fail(db, EXIT_WRITE, "%s: %s", what, sqlite3_errmsg(db->sql));
}

static int exec(struct db *db, const char *text)
{
	return sqlite3_exec(db->sql, text, NULL, NULL, NULL) == SQLITE_OK
		? 0 : sql_fail(db, text);
}

const char *db_error(const struct db *db)
{
	return db->error;
}

struct db *db_open(const char *path)
{
	struct db *db = calloc(1, sizeof *db);

	if (!db) {
		fprintf(stderr, "mp-trace-sql: out of memory\n");
		return NULL;
	}
	if (sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE,
			    NULL) != SQLITE_OK
	    || exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
		    "PRAGMA locking_mode=EXCLUSIVE; BEGIN; "
		    "CREATE TABLE meta(key TEXT PRIMARY KEY, value);"
		    "CREATE TABLE fields(event TEXT, name TEXT, field TEXT, "
		    "part TEXT, type TEXT, wrapped INTEGER DEFAULT 0, "
		    "mixed INTEGER DEFAULT 0, PRIMARY KEY(event, name))")) {
		fprintf(stderr, "mp-trace-sql: %s: %s\n", path,
			db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
		db_close(db);
		return NULL;
	}
	return db;
}

static enum kind kind_of(const bt_field_class *fc, int *ok)
{
	bt_field_class_type t = bt_field_class_get_type(fc);

	*ok = 1;
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
		return SIGNED;
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
		return UNSIGNED;
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_REAL))
		return REAL;
	if (t == BT_FIELD_CLASS_TYPE_STRING)
		return STRING;
	*ok = 0;
	return STRING;
}

static const char *const TYPES[] = {"INTEGER", "UNSIGNED BIG INT", "REAL",
				    "TEXT"};

static struct column *find_column(struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

static const char *const PARTS[] = {"payload", "context", "event context"};

/* The place in t->cols of field (of part: see PARTS), added if new. */
static int column(struct db *db, struct table *t, const char *field,
		  int part, enum kind kind, size_t *out)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (t->cols[i].part == part
		    && strcmp(t->cols[i].field, field) == 0) {
			t->cols[i].mixed |= t->cols[i].kind != (int)kind;
			return *out = i, 0;
		}
	char *name = sqlite3_mprintf("%s", field);
	if (name && (!strcmp(name, "id") || !strcmp(name, "ts")
		     || find_column(t, name))) {
		sqlite3_free(name);
		name = sqlite3_mprintf("%s_%s", part ? "context" : "payload",
				       field);
	}
	struct column *more = realloc(t->cols, (t->ncols + 1) * sizeof *more);
	if (!name || !more) {
		sqlite3_free(name);
		if (more)
			t->cols = more;
		return fail(db, EXIT_WRITE, "out of memory");
	}
	t->cols = more;
	if (find_column(t, name)) {
		sqlite3_free(name);
		return fail(db, EXIT_UNSUPPORTED, "event %s: two fields "
			    "called %s", t->name, field);
	}
	struct column *c = &t->cols[t->ncols++];
	*c = (struct column){name, sqlite3_mprintf("%s", field), part,
			     (int)kind, 0, 0};
	char *sql = sqlite3_mprintf(
		"ALTER TABLE \"%w\" ADD COLUMN \"%w\" %s; "
		"INSERT INTO fields(event, name, field, part, type) "
		"VALUES('%q', '%q', '%q', '%s', '%s')", t->name, name,
		TYPES[kind], t->name, name, field,
		PARTS[part], TYPES[kind]);
	int status = sql && c->field ? exec(db, sql)
		: fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	*out = t->ncols - 1;
	return status;
}

static int table(struct db *db, const char *name, struct table **out)
{
	for (size_t i = 0; i < db->ntables; i++)
		if (strcmp(db->tables[i]->name, name) == 0)
			return *out = db->tables[i], 0;
	for (size_t i = 0; i < sizeof RESERVED / sizeof *RESERVED; i++)
		if (strcmp(name, RESERVED[i]) == 0 || !strncmp(name, "sqlite_", 7))
			return fail(db, EXIT_UNSUPPORTED, "an event is called "
				    "%s, as a table of the database", name);
	struct table **more = realloc(db->tables,
				      (db->ntables + 1) * sizeof *more);
	struct table *t = calloc(1, sizeof *t);
	if (more)
		db->tables = more;
	if (!more || !t || !(t->name = sqlite3_mprintf("%s", name))) {
		free(t);
		return fail(db, EXIT_WRITE, "out of memory");
	}
	db->tables[db->ntables++] = t;
	char *sql = sqlite3_mprintf("CREATE TABLE \"%w\"(id INTEGER PRIMARY "
				    "KEY, ts INTEGER NOT NULL)", name);
	int status = sql ? exec(db, sql) : fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	*out = t;
	return status;
}

static uint64_t member_count(const bt_field_class *fc)
{
	return fc ? bt_field_class_structure_get_member_count(fc) : 0;
}

/* The members of part (0 payload, 1 common context, 2 specific context)
 * of an event class, a structure field class (NULL: none), as columns. */
static int members(struct db *db, struct layout *l, const bt_field_class *fc,
		   int part)
{
	uint64_t n = member_count(fc);

	for (uint64_t i = 0; i < n; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(fc, i);
		const char *field = bt_field_class_structure_member_get_name(m);
		int ok;
		size_t at = l->n[0] + l->n[1] + l->n[2];
		enum kind kind = kind_of(
			bt_field_class_structure_member_borrow_field_class_const(m),
			&ok);
		if (!ok)
			return fail(db, EXIT_UNSUPPORTED, "event %s: field %s is "
				    "of a type mp-trace-sql does not convert",
				    l->table->name, field);
		l->kinds[at] = kind;
		int status = column(db, l->table, field, part, kind,
				    &l->cols[at]);
		if (status)
			return status;
		l->n[part]++;
	}
	return 0;
}

/* The INSERT of one event class's rows. */
static int statement(struct db *db, struct layout *l)
{
	size_t n = l->n[0] + l->n[1] + l->n[2];
	sqlite3_str *s = sqlite3_str_new(db->sql);

	sqlite3_str_appendf(s, "INSERT INTO \"%w\"(id, ts", l->table->name);
	for (size_t i = 0; i < n; i++)
		sqlite3_str_appendf(s, ", \"%w\"", l->table->cols[l->cols[i]].name);
	sqlite3_str_appendall(s, ") VALUES(?, ?");
	for (size_t i = 0; i < n; i++)
		sqlite3_str_appendall(s, ", ?");
	sqlite3_str_appendall(s, ")");
	char *sql = sqlite3_str_finish(s);
	int status = sql && sqlite3_prepare_v3(db->sql, sql, -1,
					       SQLITE_PREPARE_PERSISTENT,
					       &l->insert, NULL) == SQLITE_OK
		? 0 : sql_fail(db, "preparing an insert");
	sqlite3_free(sql);
	return status;
}

static int layout(struct db *db, const bt_event_class *cls,
		  struct layout **out)
{
	const char *name = bt_event_class_get_name(cls);
	const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(cls);
	const bt_field_class *payload =
		bt_event_class_borrow_payload_field_class_const(cls);
	const bt_field_class *common =
		bt_stream_class_borrow_event_common_context_field_class_const(sc);
	const bt_field_class *specific =
		bt_event_class_borrow_specific_context_field_class_const(cls);
	size_t n = member_count(payload) + member_count(common)
		+ member_count(specific);
	struct layout *more = realloc(db->layouts,
				      (db->nlayouts + 1) * sizeof *more);

	if (!more)
		return fail(db, EXIT_WRITE, "out of memory");
	db->layouts = more;
	struct layout *l = &db->layouts[db->nlayouts];
	*l = (struct layout){.cls = cls};
	l->kinds = calloc(n + 1, sizeof *l->kinds);
	l->cols = calloc(n + 1, sizeof *l->cols);
	if (!l->kinds || !l->cols) {
		free(l->kinds);
		free(l->cols);
		return fail(db, EXIT_WRITE, "out of memory");
	}
	db->nlayouts++;
	if (!name)
		return fail(db, EXIT_READ, "an event class without a name");
	if (!bt_stream_class_borrow_default_clock_class_const(sc))
		return fail(db, EXIT_READ, "event %s: no clock", name);
	/* "mp:msg_send" -> msg_send, as the Python reader names events */
	const char *colon = strchr(name, ':');
	int status = table(db, colon ? colon + 1 : name, &l->table);
	if (!status)
		status = members(db, l, payload, 0);
	if (!status)
		status = members(db, l, common, 1);
	if (!status)
		status = members(db, l, specific, 2);
	if (!status)
		status = statement(db, l);
	*out = l;
	return status;
}

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
			return sql_fail(db, "binding a field");
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
	if (!l && (status = layout(db, cls, &l)) != 0)
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
		return sql_fail(db, "inserting an event");
	sqlite3_reset(l->insert);
	db->events++;
	return 0;
}

void db_discarded(struct db *db, uint64_t n)
{
	db->discarded += n;
}

/* The events view: id, ts, name, pid of every table. */
static int events_view(struct db *db)
{
	sqlite3_str *s = sqlite3_str_new(db->sql);

	sqlite3_str_appendall(s, "CREATE VIEW events AS ");
	for (size_t i = 0; i < db->ntables; i++) {
		struct table *t = db->tables[i];
		struct column *pid = find_column(t, "pid");
		sqlite3_str_appendf(s, "%sSELECT id, ts, '%q' AS name, %s AS pid "
				    "FROM \"%w\"", i ? " UNION ALL " : "",
				    t->name, pid && !pid->part ? "pid"
				    : "NULL", t->name);
	}
	if (!db->ntables)
		sqlite3_str_appendall(s, "SELECT 0 AS id, 0 AS ts, '' AS name, "
				      "0 AS pid WHERE 0");
	char *sql = sqlite3_str_finish(s);
	int status = sql ? exec(db, sql) : fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	return status;
}

int db_finish(struct db *db)
{
	int status = events_view(db);

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
			status = sql ? exec(db, sql)
				: fail(db, EXIT_WRITE, "out of memory");
			sqlite3_free(sql);
		}
	if (status)
		return status;
	char *sql = sqlite3_mprintf(
		"INSERT INTO meta VALUES('format', %d), ('converter', '%q'), "
		"('events', %lld), ('discarded', %llu); COMMIT", SQL_FORMAT,
		SQL_VERSION, (long long)db->events,
		(unsigned long long)db->discarded);
	status = sql ? exec(db, sql) : fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	return status;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nlayouts; i++) {
		sqlite3_finalize(db->layouts[i].insert);
		free(db->layouts[i].kinds);
		free(db->layouts[i].cols);
	}
	for (size_t i = 0; i < db->ntables; i++) {
		struct table *t = db->tables[i];
		for (size_t j = 0; j < t->ncols; j++) {
			sqlite3_free(t->cols[j].name);
			sqlite3_free(t->cols[j].field);
		}
		free(t->cols);
		sqlite3_free(t->name);
		free(t);
	}
	free(db->layouts);
	free(db->tables);
	free(db->buf);
	sqlite3_close(db->sql);
	free(db);
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
