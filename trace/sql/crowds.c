/* mp-trace-sql --crowds DB: the timeline's density bands and the message
 * arrows that stay arrows, from the database's messages table, where
 * Python took seconds to load a million messages as records and walk
 * them.
 *
 * scripts/mptrace/draw/marks/density.py (crowds, band) is the definition
 * and does it itself when this is missing; the same doubles come out,
 * computed with the same operations in the same order (this file is
 * built with -ffp-contract=off).  The plan on stdin, one line each,
 * fields apart by tabs, doubles as Python's repr() writes them:
 *
 *   t0 NS                 ms = (ts - NS) / 1e6
 *   scale LO HI LEFT RIGHT
 *                         px = LEFT + (ms - LO) * (RIGHT - LEFT) / (HI - LO)
 *   cut FROM TO START END a Cut of the time axis (scale.py), in order
 *   lane PID LANE         a lane's process
 *   band SPREAD MIN BIN   style's SPREAD_PX, BAND_MIN, BAND_BIN_PX
 *
 * The arrows are the messages whose sender and receiver both have lanes,
 * two lanes apart; they are sorted by send time shown (ties in the
 * table's order) and grouped by their two lanes (in the order of each
 * pair's first); a run of a pair's arrows breaks where one starts or
 * ends SPREAD px or more from the one before; a run of MIN or more is a
 * crowd.  Written, one line each:
 *
 *   rest ROWID            an arrow that fits, in that order
 *   band L0 L1 COUNT FIRST LAST
 *                         a pair's crowds as one band: its messages'
 *                         count, the first one's rowid, the last receive
 *   slice K R0 R1 N       its slice K (of BIN px of send time): the
 *                         earliest and latest receive shown, the count
 *   members FROM TO       its messages' rowids, as ranges
 *
 * Exit status: 0 written; 2 bad usage or plan; 3 what Python would do
 * otherwise (a value that is not an integer, a time missing); 4 the
 * database could not be read. */
#include "answer.h"
#include "put.h"
#include "sql.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define CUTS_MAX 64
#define LANES_MAX 4096       /* and lane numbers below it */

struct cut { double from, to, start, end; };
struct lane { int64_t pid; int lane; };
struct arrow { double x0, x1, p0, p1; int64_t rowid, recv_ts; int l0, l1, pair; };

struct plan {
	int64_t t0;
	double lo, hi, left, right, spread, bin;
	int64_t least;
	struct cut cuts[CUTS_MAX];
	int ncuts, nlanes, scaled;
	struct lane lanes[LANES_MAX];
};

static int by_pid(const void *a, const void *b)
{
	int64_t x = ((const struct lane *)a)->pid, y = ((const struct lane *)b)->pid;
	return (x > y) - (x < y);
}

static int read_plan(struct plan *p)
{
	char *text = NULL, *f[6];
	size_t size = 0;
	int status = 0;

	while (!status && getline(&text, &size, stdin) > 0) {
		int n = plan_fields(text, f, 6);
		if (n == 2 && !strcmp(f[0], "t0"))
			p->t0 = strtoll(f[1], NULL, 10);
		else if (n == 5 && !strcmp(f[0], "scale")) {
			p->lo = strtod(f[1], NULL);
			p->hi = strtod(f[2], NULL);
			p->left = strtod(f[3], NULL);
			p->right = strtod(f[4], NULL);
			p->scaled = 1;
		} else if (n == 5 && !strcmp(f[0], "cut") && p->ncuts < CUTS_MAX)
			p->cuts[p->ncuts++] = (struct cut){
				strtod(f[1], NULL), strtod(f[2], NULL),
				strtod(f[3], NULL), strtod(f[4], NULL) };
		else if (n == 3 && !strcmp(f[0], "lane") && p->nlanes < LANES_MAX)
			p->lanes[p->nlanes++] = (struct lane){
				strtoll(f[1], NULL, 10), atoi(f[2]) };
		else if (n == 4 && !strcmp(f[0], "band")) {
			p->spread = strtod(f[1], NULL);
			p->least = strtoll(f[2], NULL, 10);
			p->bin = strtod(f[3], NULL);
		} else
			status = EXIT_USAGE;
	}
	free(text);
	if (!p->scaled || p->bin <= 0)
		status = EXIT_USAGE;
	for (int i = 0; i < p->nlanes; i++)
		if (p->lanes[i].lane < 0 || p->lanes[i].lane >= LANES_MAX)
			status = EXIT_USAGE;
	qsort(p->lanes, (size_t)p->nlanes, sizeof *p->lanes, by_pid);
	return status;
}

static const struct lane *lane_of(const struct plan *p, int64_t pid)
{
	struct lane key = { .pid = pid };
	return bsearch(&key, p->lanes, (size_t)p->nlanes, sizeof *p->lanes,
		       by_pid);
}

/* Cut.shown and Cuts.shown of scale.py. */
static double shown(const struct plan *p, double ms)
{
	if (!p->ncuts)
		return ms;
	const struct cut *c = &p->cuts[0];
	for (int i = p->ncuts - 1; i >= 0; i--)
		if (p->cuts[i].from <= ms) {
			c = &p->cuts[i];
			break;
		}
	if (ms <= c->from)
		return c->start - (c->from - ms);
	if (ms >= c->to)
		return c->end + (ms - c->to);
	return c->start + (ms - c->from) * (c->end - c->start) / (c->to - c->from);
}

static double px(const struct plan *p, double ms)
{
	return p->left + (ms - p->lo) * (p->right - p->left) / (p->hi - p->lo);
}

/* Python's float floor division, x // y (Objects/floatobject.c). */
static double floor_div(double vx, double wx)
{
	double mod = fmod(vx, wx), div = (vx - mod) / wx, floordiv;

	if (mod) {
		if ((wx < 0) != (mod < 0))
			div -= 1.0;
	}
	if (div) {
		floordiv = floor(div);
		if (div - floordiv > 0.5)
			floordiv += 1.0;
	} else
		floordiv = copysign(0.0, vx / wx);
	return floordiv;
}

/* The arrows, in the table's order.  0 or an exit status. */
static int arrows(sqlite3 *db, const struct plan *p, struct arrow **out,
		  size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, status = 0;

	if (sqlite3_prepare_v2(db, "SELECT rowid, sender, receiver, send_ts, "
			       "recv_ts FROM messages ORDER BY rowid", -1, &st,
			       NULL))
		return EXIT_WRITE;
	while (!status && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int ends[2] = {1, 2};
		const struct lane *l[2] = {NULL, NULL};
		for (int i = 0; i < 2; i++) {
			int t = sqlite3_column_type(st, ends[i]);
			if (t == SQLITE_INTEGER)
				l[i] = lane_of(p, sqlite3_column_int64(st, ends[i]));
			else if (t != SQLITE_NULL)
				status = EXIT_UNSUPPORTED;
		}
		if (status || !l[0] || !l[1] || l[0]->lane == l[1]->lane)
			continue;
		if (sqlite3_column_type(st, 3) != SQLITE_INTEGER ||
		    sqlite3_column_type(st, 4) != SQLITE_INTEGER) {
			status = EXIT_UNSUPPORTED;
			continue;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			struct arrow *more = realloc(*out, cap * sizeof **out);
			if (!more) {
				status = EXIT_WRITE;
				continue;
			}
			*out = more;
		}
		int64_t send = sqlite3_column_int64(st, 3);
		int64_t recv = sqlite3_column_int64(st, 4);
		struct arrow *a = &(*out)[(*n)++];
		a->rowid = sqlite3_column_int64(st, 0);
		a->recv_ts = recv;
		a->l0 = l[0]->lane;
		a->l1 = l[1]->lane;
		a->x0 = shown(p, (double)(send - p->t0) / 1e6);
		a->x1 = shown(p, (double)(recv - p->t0) / 1e6);
		a->p0 = px(p, a->x0);
		a->p1 = px(p, a->x1);
	}
	sqlite3_finalize(st);
	if (status)
		return status;
	return rc == SQLITE_DONE ? 0 : EXIT_WRITE;
}

static int by_x0(const void *pa, const void *pb)
{
	const struct arrow *a = pa, *b = pb;
	if (a->x0 != b->x0)
		return (a->x0 > b->x0) - (a->x0 < b->x0);
	return (a->rowid > b->rowid) - (a->rowid < b->rowid);
}

static int by_pair(const void *pa, const void *pb)
{
	const struct arrow *a = pa, *b = pb;
	if (a->pair != b->pair)
		return (a->pair > b->pair) - (a->pair < b->pair);
	return by_x0(pa, pb);
}

static int by_value(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return (a > b) - (a < b);
}

/* One pair's band: the crowds among a[0..n), in order. */
static int band(const struct plan *p, const struct arrow *a, size_t n,
		const char *crowded, struct out *o)
{
	size_t count = 0, first = n, nslices = 0;
	int64_t last = 0;
	int64_t *rows = malloc((n + 1) * sizeof *rows);
	struct slice { int64_t k, n; double r0, r1; } *s = malloc((n + 1) * sizeof *s);

	if (!rows || !s) {
		free(rows);
		free(s);
		return EXIT_WRITE;
	}
	for (size_t i = 0; i < n; i++) {
		if (!crowded[i])
			continue;
		if (first == n || a[i].recv_ts > last)
			last = a[i].recv_ts;
		if (first == n)
			first = i;
		rows[count++] = a[i].rowid;
		int64_t k = (int64_t)floor_div(a[i].p0 - p->left, p->bin);
		if (nslices && s[nslices - 1].k == k) {
			struct slice *at = &s[nslices - 1];
			at->r0 = at->r0 <= a[i].x1 ? at->r0 : a[i].x1;
			at->r1 = at->r1 >= a[i].x1 ? at->r1 : a[i].x1;
			at->n++;
		} else
			s[nslices++] = (struct slice){ k, 1, a[i].x1, a[i].x1 };
	}
	put_s(o, "band\t");
	put_i64(o, a[first].l0);
	put_s(o, "\t");
	put_i64(o, a[first].l1);
	put_s(o, "\t");
	put_u64(o, count);
	put_s(o, "\t");
	put_i64(o, a[first].rowid);
	put_s(o, "\t");
	put_i64(o, last);
	put_s(o, "\n");
	for (size_t i = 0; i < nslices; i++) {
		put_s(o, "slice\t");
		put_i64(o, s[i].k);
		put_s(o, "\t");
		put_double(o, s[i].r0);
		put_s(o, "\t");
		put_double(o, s[i].r1);
		put_s(o, "\t");
		put_i64(o, s[i].n);
		put_s(o, "\n");
	}
	qsort(rows, count, sizeof *rows, by_value);
	for (size_t i = 0; i < count;) {
		size_t j = i;
		while (j + 1 < count && rows[j + 1] == rows[j] + 1)
			j++;
		put_s(o, "members\t");
		put_i64(o, rows[i]);
		put_s(o, "\t");
		put_i64(o, rows[j]);
		put_s(o, "\n");
		i = j + 1;
	}
	free(rows);
	free(s);
	return 0;
}

/* The runs of each pair, the rest, then the bands.  0 or an exit status. */
static int write_all(const struct plan *p, struct arrow *a, size_t n,
		     struct out *o)
{
	int pairs = 0, status = 0, lanes = 0;
	char *crowded = calloc(n + 1, 1);
	int *pair_of;

	for (int i = 0; i < p->nlanes; i++)
		lanes = p->lanes[i].lane >= lanes ? p->lanes[i].lane + 1 : lanes;
	pair_of = malloc(((size_t)lanes * (size_t)lanes + 1) * sizeof *pair_of);
	if (!crowded || !pair_of) {
		free(crowded);
		free(pair_of);
		return EXIT_WRITE;
	}
	for (size_t i = 0; i < (size_t)lanes * (size_t)lanes; i++)
		pair_of[i] = -1;
	qsort(a, n, sizeof *a, by_x0);
	for (size_t i = 0; i < n; i++) {        /* each pair's first */
		int *at = &pair_of[(size_t)a[i].l0 * (size_t)lanes + (size_t)a[i].l1];
		if (*at < 0)
			*at = pairs++;
		a[i].pair = *at;
	}
	free(pair_of);
	qsort(a, n, sizeof *a, by_pair);        /* stable: x0, then rowid */
	for (size_t i = 0; i < n;) {            /* runs: crowds or rest */
		size_t j = i + 1;
		while (j < n && a[j].pair == a[i].pair &&
		       !(a[j].p0 - a[j - 1].p0 >= p->spread ||
			 fabs(a[j].p1 - a[j - 1].p1) >= p->spread))
			j++;
		for (size_t k = i; k < j; k++) {
			crowded[k] = (int64_t)(j - i) >= p->least;
			if (!crowded[k]) {
				put_s(o, "rest\t");
				put_i64(o, a[k].rowid);
				put_s(o, "\n");
			}
		}
		i = j;
	}
	for (size_t i = 0; i < n && !status;) {  /* a band per pair */
		size_t j = i, any = 0;
		while (j < n && a[j].pair == a[i].pair)
			any |= (size_t)crowded[j++];
		if (any)
			status = band(p, a + i, j - i, crowded + i, o);
		i = j;
	}
	free(crowded);
	return status;
}

static int crowds_answer(sqlite3 *db, struct out *o, void *arg)
{
	struct plan *plan = arg;
	struct arrow *a = NULL;
	size_t n = 0;
	int status = read_plan(plan);

	if (!status)
		status = arrows(db, plan, &a, &n);
	if (!status)
		status = write_all(plan, a, n, o);
	free(a);
	return status;
}

int crowds_main(const char *path)
{
	static struct plan plan;

	return answer(path, crowds_answer, &plan);
}
