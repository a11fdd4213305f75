/*
 * streams.c - a byte count per pipe, shared by every process of the run,
 * so that a read can be matched with the write its bytes came from.
 *
 * A stream is the bytes written into one pipe (or into one socket of a
 * socketpair, bound for its peer).  The table keeps, per stream, how many
 * bytes writers have put in and readers have taken out.  A writer reserves
 * its range [offset, offset + n) before it writes and records it (io_write);
 * a reader takes its range after it has read and records it (io_read).  The
 * picture draws an arrow from each write to every read whose range overlaps
 * it.  So a read is never recorded before the write of its bytes.
 *
 * Exact when each end has one user at a time: one writer (or writers that
 * take a lock around their writes, as Python's queues do), one reader (or
 * readers under a lock, as a Pool's workers are).  Approximate otherwise:
 * two writers that reserve in one order and reach the kernel in the other
 * swap their ranges, and so do two readers.  Bytes that moved while nothing
 * counted (before the session, or in a program the preload cannot enter)
 * shift every later offset of that stream by their number.
 *
 * The table lives in shared memory: named (MP_PRELOAD_SHM=/NAME, opened by
 * every process, exec'd ones too, the launcher removes it), or else
 * anonymous, shared with forked children only; an exec'd program then
 * counts on its own, which stays exact for a pipe with one writer and one
 * reader, as in `ls | wc`.  Slots are claimed with compare-and-swap and
 * never freed; a full table records UINT64_MAX as the offset.
 */
#include "layer.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define SLOTS 4096			/* a power of two */
#define PROBES 64
#define MAGIC 0x6d7073747231ull		/* "mpstr1" */

struct stream {
	_Atomic uint64_t ino;		/* 0: free */
	_Atomic uint64_t peer;		/* a socketpair socket: the other's inode */
	_Atomic uint64_t written;	/* bytes reserved by writers */
	_Atomic uint64_t taken;		/* bytes taken by readers */
};

struct table {
	_Atomic uint64_t magic;
	struct stream slot[SLOTS];
};

static struct table *table;

static struct table *map_named(const char *name)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	struct stat st;
	void *p;

	if (fd == -1)
		return NULL;
	/* Two processes may grow it at once: both to the same size. */
	if (fstat(fd, &st) == -1 || (st.st_size < (off_t)sizeof(struct table) &&
				     ftruncate(fd, sizeof(struct table)) == -1)) {
		REAL(close)(fd);
		return NULL;
	}
	p = mmap(NULL, sizeof(struct table), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REAL(close)(fd);
	return p == MAP_FAILED ? NULL : p;
}

void ip_streams_attach(void)
{
	const char *name = getenv("MP_PRELOAD_SHM");
	struct table *t = NULL;
	uint64_t zero = 0;

	if (name != NULL && name[0] == '/')
		t = map_named(name);
	if (t == NULL) {
		void *p = mmap(NULL, sizeof(struct table), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		t = p == MAP_FAILED ? NULL : p;
	}
	if (t == NULL)
		return;
	/* A fresh table is all zeros; stamp it, or accept the stamp. */
	if (!atomic_compare_exchange_strong(&t->magic, &zero, MAGIC) && zero != MAGIC) {
		munmap(t, sizeof(*t));
		return;
	}
	table = t;
}

/* The slot of inode `ino`, claimed if new; NULL if the table is full. */
static struct stream *slot_of(uint64_t ino)
{
	if (table == NULL || ino == 0)
		return NULL;
	uint64_t h = (ino * 0x9e3779b97f4a7c15ull) >> 52;	/* 12 bits: SLOTS */

	for (int i = 0; i < PROBES; i++) {
		struct stream *s = &table->slot[(h + i) & (SLOTS - 1)];
		uint64_t seen = atomic_load(&s->ino);

		if (seen == ino)
			return s;
		if (seen == 0) {
			if (atomic_compare_exchange_strong(&s->ino, &seen, ino) || seen == ino)
				return s;
		}
	}
	return NULL;
}

void ip_stream_pair(uint64_t ino0, uint64_t ino1)
{
	struct stream *a = slot_of(ino0), *b = slot_of(ino1);

	if (a == NULL || b == NULL)
		return;
	atomic_store(&a->peer, ino1);
	atomic_store(&b->peer, ino0);
}

uint64_t ip_stream_for_write(uint64_t ino)
{
	return ino;
}

uint64_t ip_stream_for_read(uint64_t ino)
{
	struct stream *s = slot_of(ino);
	uint64_t peer = s ? atomic_load(&s->peer) : 0;

	return peer ? peer : ino;
}

uint64_t ip_stream_reserve(uint64_t stream, uint64_t n)
{
	struct stream *s = slot_of(stream);

	return s ? atomic_fetch_add(&s->written, n) : UINT64_MAX;
}

bool ip_stream_unreserve(uint64_t stream, uint64_t offset, uint64_t n, uint64_t done)
{
	struct stream *s = slot_of(stream);
	uint64_t end = offset + n;

	if (s == NULL || offset == UINT64_MAX)
		return false;
	return atomic_compare_exchange_strong(&s->written, &end, offset + done);
}

uint64_t ip_stream_take(uint64_t stream, uint64_t n)
{
	struct stream *s = slot_of(stream);

	return s ? atomic_fetch_add(&s->taken, n) : UINT64_MAX;
}
