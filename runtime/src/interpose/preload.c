/*
 * preload.c - libmp-preload.so starts here: it finds the C library's own
 * definitions, loads the `mp` provider, learns where LTTng's code lies, and
 * offers the runtime its seam (seam.h).
 *
 * usage: LD_PRELOAD=/path/to/libmp-preload.so PROGRAM [ARG...]
 *
 * Environment:
 *   MP_TRACE=0             load nothing, record nothing: every wrapper goes
 *                          straight to the C library.
 *   MP_TP_LIBRARY=PATH     the provider (default: the libmp-tp.so built
 *                          with this library, then "libmp-tp.so").
 *   MP_PRELOAD_SHM=/NAME   the table of byte offsets shared by every process
 *                          of the run, exec'd ones included (streams.c).  The
 *                          launcher chooses the name and removes it after.
 *   MP_PRELOAD_STDIO=0     leave stdio's stdout and stderr alone (output.c).
 *   MP_PRELOAD_MAX_LINES=N lines of output recorded per process (10000).
 *
 * LTTng's own calls are never recorded.  Three things see to it: the
 * provider is loaded inside a quiet section, so the threads liblttng-ust
 * starts then are quiet for life (threads.c); a thread already recording
 * is quiet (ip_depth), which covers the write() by which a tracepoint wakes
 * the consumer; and a call whose return address lies in LTTng's code is
 * quiet, which covers the same wake-up when another part of the program
 * (the runtime) hits a tracepoint.  The same test of the return address
 * keeps quiet the calls made inside a wrapper the program defines itself.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "preload.h"
#include "seam.h"
#include "base/trace.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__thread int ip_depth IP_TLS;
bool ip_ready;
bool ip_started;
bool ip_program_records_life;
void *ip_next_table[IP_N_FN];

#define IP_NAME(name) #name,
static const char *const ip_names[IP_N_FN] = { IP_WRAPPED(IP_NAME) };
#undef IP_NAME

void *ip_next(enum ip_fn fn)
{
	void *f = ip_next_table[fn];

	if (f == NULL) {
		f = dlsym(RTLD_NEXT, ip_names[fn]);
		if (f == NULL) {
			/* Only a program built against a newer C library than
			 * the one it runs with gets here. */
			static const char msg[] = "mp-preload: the C library lacks a function this program calls\n";
			(void)!write(2, msg, sizeof(msg) - 1);
			abort();
		}
		ip_next_table[fn] = f;
	}
	return f;
}

/* ---- code that records for itself ------------------------------------- */

struct range { uintptr_t lo, hi; };
static struct range quiet_code[32];
static int n_quiet_code;
static uint64_t defined_by_program[(IP_N_FN + 63) / 64];

bool ip_quiet_code(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	for (int i = 0; i < n_quiet_code; i++)
		if (a - quiet_code[i].lo < quiet_code[i].hi - quiet_code[i].lo)
			return true;
	return false;
}

bool ip_program_defines(int fn)
{
	return defined_by_program[fn / 64] & (1ull << (fn % 64));
}

static void add_quiet_code(uintptr_t lo, uintptr_t hi)
{
	if (n_quiet_code < (int)(sizeof(quiet_code) / sizeof(quiet_code[0])))
		quiet_code[n_quiet_code++] = (struct range){ lo, hi };
}

/* LTTng's libraries and the provider: every executable segment. */
static int note_lttng_code(struct dl_phdr_info *info, size_t size, void *unused)
{
	const char *name = strrchr(info->dlpi_name, '/');

	name = name ? name + 1 : info->dlpi_name;
	if (strncmp(name, "liblttng-ust", 12) != 0 && strncmp(name, "libmp-tp.", 9) != 0)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X))
			add_quiet_code(info->dlpi_addr + ph->p_vaddr,
				       info->dlpi_addr + ph->p_vaddr + ph->p_memsz);
	}
	return 0;
}

/* The wrapped functions the main program defines itself (the runtime's
 * syscalls.c: fork, wait, waitpid, _exit).  The program's own calls reach
 * its definition first and it records them; ours is reached only from
 * inside it (through dlsym(RTLD_NEXT) or a kin such as wait4), so a call
 * from inside it is quiet. */
static void note_program_wrappers(void)
{
	for (int fn = 0; fn < IP_N_FN; fn++) {
		void *sym = dlsym(RTLD_DEFAULT, ip_names[fn]);
		struct link_map *map = NULL;
		const ElfW(Sym) *entry = NULL;
		Dl_info info;

		if (sym == NULL || !dladdr1(sym, &info, (void **)&map, RTLD_DL_LINKMAP) ||
		    map == NULL || map->l_prev != NULL)	/* the program is loaded first */
			continue;
		defined_by_program[fn / 64] |= 1ull << (fn % 64);
		if (dladdr1(sym, &info, (void **)&entry, RTLD_DL_SYMENT) && entry != NULL)
			add_quiet_code((uintptr_t)sym, (uintptr_t)sym + entry->st_size);
	}
}

/* ---- start-up ----------------------------------------------------------- */

/*
 * Defined after LTTng's constructors (from the header included above, in
 * this same file), so our tracepoints are registered when it records.
 */
__attribute__((constructor)) static void ip_init(void)
{
	for (int i = 0; i < IP_N_FN; i++)
		ip_next_table[i] = dlsym(RTLD_NEXT, ip_names[i]);
	ip_depth++;
	if (!mp__trace_load()) {
		ip_depth--;
		ip_started = true;
		return;
	}
	dl_iterate_phdr(note_lttng_code, NULL);
	note_program_wrappers();
	ip_program_records_life = ip_program_defines(IP__exit);
	ip_streams_attach();
	ip_output_install();
	ip_depth--;
	ip_pid = getpid();
	ip_ready = ip_started = true;
	ip_process_start();
}

/* ---- the seam with the runtime (seam.h) -------------------------------- */

void mp_preload_quiet(int delta)
{
	ip_depth += delta;
}

void mp_preload_own_fd(int fd, int own)
{
	ip_fd_set_owned(fd, own != 0);
}
