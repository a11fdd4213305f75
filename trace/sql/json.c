/* mp-trace-sql --json-messages DB: the messages of trace-json's export (a
 * short slice at each end of a message, and the arrow from its send to
 * its receive), written from the database's messages table as the JSON
 * text Python's json module would make of them, where Python took
 * seconds to format a million.
 *
 * scripts/mptrace/perfetto.py (Export.message_texts) is their definition
 * and writes them itself when this is missing; it hands over a plan on
 * stdin, one line each, fields apart by tabs:
 *
 *   origin NS          times are written in us from NS
 *   comma 0|1          1: a comma before the first event too
 *   flows N            the arrows so far: this one's are N+1, N+2...
 *   pid PID TID        a process of the lesson and its messages track
 *   name OP SIZE FAILED SENT RECEIVED
 *                      the names (JSON strings) of the two ends of a
 *                      message of this op, size and failure (0 or 1)
 *
 * The ends of the lesson's processes are sorted by time (ties in the
 * table's order, a send before its receive), grouped by process (in the
 * order of each one's first), each MSG_SLICE_NS long or half the way to
 * its process's next; then an arrow for each message sent and received
 * by the lesson's processes that did not fail, in the table's order.
 *
 * Exit status: 0 written; 2 bad usage or plan; 3 what Python would write
 * otherwise (a name the plan lacks, a time past 2^52 ns): Python writes
 * them itself; 4 the database could not be read. */
#include "answer.h"
#include "put.h"
#include "sql.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define MSG_SLICE_NS 1000
#define NAMES_MAX 4096

struct name { char *op, *sent, *received; int64_t size; int failed; };
struct pid { int64_t pid, tid; size_t rank; };
struct message {
	int64_t msg, chan, size, sender, send_ts, receiver, recv_ts;
	int name, failed, has_sender, has_receiver;
};
struct end { int64_t ts; size_t seq; struct pid *who; };

struct plan {
	int64_t origin, flows;
	int comma;
	struct name names[NAMES_MAX];
	int nnames;
	struct pid pids[NAMES_MAX];
	int npids;
};

static int by_pid(const void *a, const void *b)
{
	int64_t x = ((const struct pid *)a)->pid, y = ((const struct pid *)b)->pid;
	return (x > y) - (x < y);
}

static int by_time(const void *pa, const void *pb)
{
	const struct end *a = pa, *b = pb;
	if (a->ts != b->ts)
		return (a->ts > b->ts) - (a->ts < b->ts);
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int read_plan(struct plan *p)
{
	char *text = NULL, *f[7];
	size_t size = 0;
	int status = 0;

	while (!status && getline(&text, &size, stdin) > 0) {
		int n = plan_fields(text, f, 7);
		if (n == 2 && !strcmp(f[0], "origin"))
			p->origin = strtoll(f[1], NULL, 10);
		else if (n == 2 && !strcmp(f[0], "comma"))
			p->comma = f[1][0] == '1';
		else if (n == 2 && !strcmp(f[0], "flows"))
			p->flows = strtoll(f[1], NULL, 10);
		else if (n == 3 && !strcmp(f[0], "pid") && p->npids < NAMES_MAX)
			p->pids[p->npids++] = (struct pid){
				.pid = strtoll(f[1], NULL, 10),
				.tid = strtoll(f[2], NULL, 10) };
		else if (n == 6 && !strcmp(f[0], "name") && p->nnames < NAMES_MAX)
			p->names[p->nnames++] = (struct name){
				strdup(f[1]), strdup(f[4]), strdup(f[5]),
				strtoll(f[2], NULL, 10), f[3][0] == '1' };
		else
			status = EXIT_USAGE;
	}
	free(text);
	qsort(p->pids, (size_t)p->npids, sizeof *p->pids, by_pid);
	return status;
}

static struct pid *lesson(struct plan *p, int64_t pid)
{
	struct pid key = { .pid = pid };
	return bsearch(&key, p->pids, (size_t)p->npids, sizeof *p->pids,
		       by_pid);
}

static int name_of(const struct plan *p, const char *op, int64_t size,
		   int failed)
{
	for (int i = 0; op && i < p->nnames; i++)
		if (p->names[i].size == size && p->names[i].failed == failed &&
		    !strcmp(p->names[i].op, op))
			return i;
	return -1;
}

/* The messages table, in its order.  0 or an exit status. */
static int messages(sqlite3 *db, const struct plan *p, struct message **out,
		    size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, last = -1;

	if (sqlite3_prepare_v2(db, "SELECT msg, chan, size, sender, send_ts, "
			       "receiver, recv_ts, op, CAST(failed AS TEXT) "
			       "FROM messages ORDER BY rowid", -1, &st, NULL))
		return EXIT_WRITE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (!(*out = realloc(*out, cap * sizeof **out))) {
				sqlite3_finalize(st);
				return EXIT_WRITE;
			}
		}
		struct message *m = &(*out)[(*n)++];
		const char *op = (const char *)sqlite3_column_text(st, 7);
		const char *failed = (const char *)sqlite3_column_text(st, 8);
		*m = (struct message){
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
			sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
			sqlite3_column_int64(st, 6), 0,
			failed && !strcmp(failed, "1"),
			sqlite3_column_type(st, 3) != SQLITE_NULL,
			sqlite3_column_type(st, 5) != SQLITE_NULL };
		if (last < 0 || p->names[last].size != m->size ||
		    p->names[last].failed != m->failed || !op ||
		    strcmp(p->names[last].op, op))
			last = name_of(p, op, m->size, m->failed);
		if (last < 0) {
			sqlite3_finalize(st);
			return EXIT_UNSUPPORTED;
		}
		m->name = last;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : EXIT_WRITE;
}

static void comma(struct out *o, int *first)
{
	if (!*first)
		put(o, ",", 1);
	*first = 0;
}

/* The slices, then the arrows.  0 or EXIT_UNSUPPORTED. */
/* One end of a message's arrow: a flow event of phase ph ("s" at the
 * send, "f" at the receive) at ts (ns since the origin) on at's track,
 * closed by tail.  Nonzero if ts cannot be written as Python would. */
static int flow_end(struct out *o, const char *ph, int64_t ts,
		    const struct pid *at, int64_t id, const char *tail)
{
	int bad;

	put_s(o, "{\"name\":\"message\",\"cat\":\"message\",\"ph\":\"");
	put_s(o, ph);
	put_s(o, "\",\"ts\":");
	bad = put_us(o, ts);
	put_s(o, ",\"pid\":");
	put_i64(o, at->pid);
	put_s(o, ",\"tid\":");
	put_i64(o, at->tid);
	put_s(o, ",\"id\":");
	put_i64(o, id);
	put_s(o, tail);
	return bad;
}

static int write_all(struct plan *p, const struct message *m, size_t n,
		     struct out *o)
{
	struct end *ends = malloc((2 * n + 1) * sizeof *ends);
	struct end *grouped = malloc((2 * n + 1) * sizeof *grouped);
	size_t count[NAMES_MAX + 1] = {0}, k = 0, ranks = 0;
	int first = !p->comma, bad = 0;

	if (!ends || !grouped) {
		free(ends);
		free(grouped);
		return EXIT_WRITE;
	}
	for (size_t i = 0; i < n; i++) {
		struct pid *s = m[i].has_sender ? lesson(p, m[i].sender) : NULL;
		struct pid *r = m[i].has_receiver ? lesson(p, m[i].receiver) : NULL;
		if (s)
			ends[k++] = (struct end){ m[i].send_ts, 2 * i, s };
		if (r)
			ends[k++] = (struct end){ m[i].recv_ts, 2 * i + 1, r };
	}
	qsort(ends, k, sizeof *ends, by_time);
	for (int i = 0; i < p->npids; i++)
		p->pids[i].rank = NAMES_MAX;
	for (size_t i = 0; i < k; i++)          /* each process's first */
		if (ends[i].who->rank == NAMES_MAX)
			ends[i].who->rank = ranks++;
	for (size_t i = 0; i < k; i++)
		count[ends[i].who->rank + 1]++;
	for (size_t r = 1; r <= ranks; r++)
		count[r] += count[r - 1];
	for (size_t i = 0; i < k; i++)          /* stable: by process */
		grouped[count[ends[i].who->rank]++] = ends[i];
	for (size_t i = 0; i < k && !bad; i++) {
		const struct end *e = &grouped[i];
		const struct message *msg = &m[e->seq / 2];
		const struct name *name = &p->names[msg->name];
		int64_t dur = MSG_SLICE_NS;
		if (i + 1 < k && grouped[i + 1].who == e->who &&
		    (grouped[i + 1].ts - e->ts) / 2 < dur)
			dur = (grouped[i + 1].ts - e->ts) / 2;
		comma(o, &first);
		put_s(o, "{\"name\":");
		put_s(o, e->seq % 2 ? name->received : name->sent);
		put_s(o, ",\"cat\":\"message\",\"ph\":\"X\",\"ts\":");
		bad |= put_us(o, e->ts - p->origin);
		put_s(o, ",\"pid\":");
		put_i64(o, e->who->pid);
		put_s(o, ",\"tid\":");
		put_i64(o, e->who->tid);
		put_s(o, ",\"dur\":");
		bad |= put_us(o, dur);
		put_s(o, ",\"args\":{\"msg\":");
		put_i64(o, msg->msg);
		put_s(o, ",\"chan\":");
		put_i64(o, msg->chan);
		put_s(o, ",\"size\":");
		put_i64(o, msg->size);
		put_s(o, "}}");
	}
	for (size_t i = 0; i < n && !bad; i++) {
		struct pid *s = m[i].has_sender ? lesson(p, m[i].sender) : NULL;
		struct pid *r = m[i].has_receiver ? lesson(p, m[i].receiver) : NULL;
		if (!s || !r || m[i].failed)
			continue;
		int64_t id = ++p->flows;
		comma(o, &first);
		bad |= flow_end(o, "s", m[i].send_ts - p->origin, s, id, "}");
		put_s(o, ",");
		bad |= flow_end(o, "f", m[i].recv_ts - p->origin, r, id,
				",\"bp\":\"e\"}");
	}
	free(ends);
	free(grouped);
	return bad ? EXIT_UNSUPPORTED : 0;
}

static int json_answer(sqlite3 *db, struct out *o, void *arg)
{
	struct plan *plan = arg;
	struct message *m = NULL;
	size_t n = 0;
	int status = read_plan(plan);

	if (!status)
		status = messages(db, plan, &m, &n);
	if (!status)
		status = write_all(plan, m, n, o);
	free(m);
	for (int i = 0; i < plan->nnames; i++) {
		free(plan->names[i].op);
		free(plan->names[i].sent);
		free(plan->names[i].received);
	}
	return status;
}

int json_main(const char *path)
{
	static struct plan plan;

	return answer(path, json_answer, &plan);
}
