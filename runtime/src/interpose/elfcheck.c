/*
 * elfcheck.c - can a preload library enter this program?  (elfcheck.h)
 *
 * A dynamically linked ELF program names its dynamic linker in a PT_INTERP
 * program header; a static one (static-pie included) has none.  Reading the
 * ELF header and the program headers answers it: no library is loaded.
 */
#define _GNU_SOURCE
#include "elfcheck.h"

#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

const char *mp_exec_kind_name(enum mp_exec_kind kind)
{
	switch (kind) {
	case MP_EXEC_DYNAMIC: return "dynamic";
	case MP_EXEC_STATIC: return "static";
	case MP_EXEC_SETUID: return "setuid";
	default: return "unknown";
	}
}

/* Whether exec'ing `st` (at `path`) would run in secure mode: it changes
 * the user or group, on a file system that honours set-uid bits, or this
 * process already runs with an effective id not its own. */
static bool secure(const char *path, const struct stat *st)
{
	struct statvfs vfs;
	bool nosuid = statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID);

	if (getuid() != geteuid() || getgid() != getegid())
		return true;
	if (nosuid)
		return false;
	return ((st->st_mode & S_ISUID) && st->st_uid != getuid()) ||
	       ((st->st_mode & S_ISGID) && st->st_gid != getgid());
}

/* Whether the ELF file open as fd has a PT_INTERP header; -1 if not ELF.
 * Only p_type is read: the first 32-bit word of a program header in both
 * ELF classes. */
static int has_interp(int fd)
{
	unsigned char ident[EI_NIDENT];
	uint64_t phoff;
	unsigned phnum, phentsize;

	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return -1;
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
			return -1;
		phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
	} else if (ident[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
			return -1;
		phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
	} else {
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		Elf32_Word type;

		if (pread(fd, &type, sizeof(type), (off_t)(phoff + (uint64_t)i * phentsize)) != (ssize_t)sizeof(type))
			return -1;
		if (type == PT_INTERP)
			return 1;
	}
	return 0;
}

static void copy(char *dst, size_t size, const char *src)
{
	if (dst == NULL || size == 0)
		return;
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

enum mp_exec_kind mp_exec_kind(const char *path, char *interp, size_t size)
{
	char script[256];
	struct stat st;

	for (int level = 0; level < 4; level++) {
		copy(interp, size, path);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			return MP_EXEC_UNKNOWN;
		if (secure(path, &st))
			return MP_EXEC_SETUID;

		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd == -1)
			return MP_EXEC_UNKNOWN;
		int dynamic = has_interp(fd);
		ssize_t n = dynamic >= 0 ? 0 : pread(fd, script, sizeof(script) - 1, 0);

		close(fd);
		if (dynamic >= 0)
			return dynamic ? MP_EXEC_DYNAMIC : MP_EXEC_STATIC;
		if (n < 3 || script[0] != '#' || script[1] != '!')
			return MP_EXEC_UNKNOWN;
		/* "#! /path/interp arg": the interpreter is the first word. */
		script[n] = '\0';
		char *start = script + 2;

		start += strspn(start, " \t");
		start[strcspn(start, " \t\n")] = '\0';
		if (*start == '\0')
			return MP_EXEC_UNKNOWN;
		memmove(script, start, strlen(start) + 1);
		path = script;
	}
	return MP_EXEC_UNKNOWN;
}

int mp_exec_search(const char *file, char *buf, size_t size)
{
	const char *dirs = getenv("PATH");

	if (strchr(file, '/') != NULL) {
		copy(buf, size, file);
		return 0;
	}
	if (dirs == NULL)
		dirs = "/bin:/usr/bin";
	while (*dirs != '\0') {
		size_t len = strcspn(dirs, ":");
		size_t flen = strlen(file);

		if (len + 1 + flen < size) {
			/* An empty entry is the current directory. */
			memcpy(buf, len ? dirs : ".", len ? len : 1);
			size_t at = len ? len : 1;

			buf[at] = '/';
			memcpy(buf + at + 1, file, flen + 1);
			if (access(buf, X_OK) == 0)
				return 0;
		}
		dirs += len;
		if (*dirs == ':')
			dirs++;
	}
	return -1;
}
