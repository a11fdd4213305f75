/*
 * base/buf.h - growing arrays and byte buffers.
 *
 * An array grows by doubling, so n appends cost O(n) copying in all; a
 * failed growth leaves the array as it was (ENOMEM).
 */
#ifndef MP_BASE_BUF_H
#define MP_BASE_BUF_H

#include <stddef.h>
#include <string.h>

/* The slow paths of the inline calls below: they reallocate. */
int mp__grow_array(void *arrayp, size_t *cap, size_t need, size_t size);
struct mp__buf;
int mp__buf_grow(struct mp__buf *b, size_t more);

/* Makes the array at *arrayp (of *cap elements of `size` bytes) hold at
 * least `need` elements.  arrayp is the address of the array's pointer:
 * mp__grow(&items, &cap, n + 1, sizeof(*items)).  0, or -1 and ENOMEM. */
static inline int mp__grow(void *arrayp, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? 0 : mp__grow_array(arrayp, cap, need, size);
}

/* Bytes: data[0..len) are used, data[len..cap) are room; the buffer never
 * grows past max bytes (0: no limit).  Zero it to start. */
struct mp__buf {
	unsigned char *data;
	size_t len, cap;
	size_t max;
};

/* Room for `more` bytes past len.  0, or -1 and errno: ENOBUFS (past
 * max), ENOMEM.  (Inline: a pool's worker appends twice a task.) */
static inline int mp__buf_reserve(struct mp__buf *b, size_t more)
{
	return more <= b->cap - b->len ? 0 : mp__buf_grow(b, more);
}

/* Appends p[0..n).  0, or -1 and errno as mp__buf_reserve. */
static inline int mp__buf_append(struct mp__buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (mp__buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

/* Drops the first n bytes (they have been used). */
void mp__buf_consume(struct mp__buf *b, size_t n);

/* Frees the bytes; b is empty again (its max stays). */
void mp__buf_free(struct mp__buf *b);

#endif /* MP_BASE_BUF_H */
