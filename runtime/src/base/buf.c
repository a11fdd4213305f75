/*
 * base/buf.c - growing arrays and byte buffers (buf.h).
 */
#include "base/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The capacity for at least `need` elements: doubling from cap (16 to
 * start), but at most max. */
static size_t grown(size_t cap, size_t need, size_t max)
{
	size_t n = cap ? cap : 16;

	while (n < need && n <= max / 2)
		n *= 2;
	return n < need ? max : n > max ? max : n;
}

/* Reallocates the array at *arrayp to n elements of `size` bytes. */
static int resize(void *arrayp, size_t *cap, size_t n, size_t size)
{
	void *array;

	memcpy(&array, arrayp, sizeof(array));
	array = realloc(array, n * size);
	if (array == NULL)
		return -1;
	memcpy(arrayp, &array, sizeof(array));
	*cap = n;
	return 0;
}

int mp__grow_array(void *arrayp, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	if (need > SIZE_MAX / size) {
		errno = ENOMEM;
		return -1;
	}
	return resize(arrayp, cap, grown(*cap, need, SIZE_MAX / size), size);
}

int mp__buf_grow(struct mp__buf *b, size_t more)
{
	size_t max = b->max ? b->max : SIZE_MAX;

	if (more <= b->cap - b->len)
		return 0;
	if (more > max - b->len) {
		errno = b->max ? ENOBUFS : ENOMEM;
		return -1;
	}
	return resize(&b->data, &b->cap, grown(b->cap, b->len + more, max), 1);
}

void mp__buf_consume(struct mp__buf *b, size_t n)
{
	if (n == 0)
		return;		/* an empty buffer may have no data at all */
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

void mp__buf_free(struct mp__buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
