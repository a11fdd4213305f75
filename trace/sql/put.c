/* Text out through a buffer of our own, numbers written by hand: for
 * mp-trace-sql --tsv (tsv.c), where printf took most of the time of a
 * million rows.  put.h says what each writes. */
#include "put.h"

#include <stdio.h>
#include <string.h>

void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n > sizeof o->buf) {
		fwrite(o->buf, 1, o->n, o->f);
		o->n = 0;
		if (n > sizeof o->buf) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

void put_s(struct out *o, const char *s) { put(o, s, strlen(s)); }

void put_double(struct out *o, double v)
{
	char text[32];
	put(o, text, (size_t)snprintf(text, sizeof text, "%.17g", v));
}

void put_u64(struct out *o, uint64_t v)
{
	char digits[20];
	int i = sizeof digits;

	do
		digits[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(o, digits + i, sizeof digits - i);
}

void put_i64(struct out *o, int64_t v)
{
	if (v < 0)
		put(o, "-", 1);
	put_u64(o, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

/* ns as ms, "%.3f" of the double ns / 1e6 (as Python writes it).  Below
 * 2^50 ns, the double is within 1.2e-7 ms of ns / 1e6 exactly, and a
 * whole ns (1e-6 ms) from a place where the rounding turns unless ns ends
 * in 500: those and the rest are left to snprintf. */
void put_ms(struct out *o, int64_t ns)
{
	if (ns >= 0 && ns < (int64_t)1 << 50 && ns % 1000 != 500) {
		uint64_t us = ((uint64_t)ns + 500) / 1000;
		char three[4] = { '.', (char)('0' + us / 100 % 10),
				  (char)('0' + us / 10 % 10), (char)('0' + us % 10) };
		put_u64(o, us / 1000);
		put(o, three, 4);
	} else {
		char text[64];
		int n = snprintf(text, sizeof text, "%.3f", (double)ns / 1e6);
		put(o, text, (size_t)n);
	}
}

/* A text, \\, \t and \n escaped. */
void put_escaped(struct out *o, const unsigned char *s, int n)
{
	int from = 0;

	for (int i = 0; i < n; i++) {
		const char *instead = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t"
			: s[i] == '\n' ? "\\n" : NULL;
		if (instead) {
			put(o, (const char *)s + from, (size_t)(i - from));
			put(o, instead, 2);
			from = i + 1;
		}
	}
	put(o, (const char *)s + from, (size_t)(n - from));
}

void put_flush(struct out *o)
{
	fwrite(o->buf, 1, o->n, o->f);
	o->n = 0;
}

int put_us(struct out *o, int64_t ns)
{
	if (ns <= -((int64_t)1 << 52) || ns >= (int64_t)1 << 52)
		return -1;
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	char frac[4] = { '.', (char)('0' + a / 100 % 10),
			 (char)('0' + a / 10 % 10), (char)('0' + a % 10) };
	size_t n = 4;

	while (n > 2 && frac[n - 1] == '0')
		n--;
	if (ns < 0)
		put(o, "-", 1);
	put_u64(o, a / 1000);
	put(o, frac, n);
	return 0;
}
