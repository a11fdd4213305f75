/*
 * layer.c - what every wrapper of the interposition layer stands on: the C
 * library's own definitions (REAL), where LTTng's code lies (a call from
 * there is never recorded), and the quiet half of the seam (seam.h; the fd
 * half, which fds the runtime owns, is in fds.c).  start.c starts it.
 *
 * LTTng's own calls are never recorded.  Three things see to it: the
 * provider is loaded inside a quiet section, so the threads liblttng-ust
 * starts then are quiet for life (threads.c); a thread already recording
 * is quiet (mp__tp raises mp__quiet_depth), which covers the write() by
 * which a tracepoint wakes the consumer; and a call whose return address
 * lies in LTTng's code is quiet, which covers the same wake-up when a
 * tracepoint of another copy of the provider's definitions fills a buffer.
 */
#include "layer.h"
#include "interpose.h"
#include "seam.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

bool ip_ready;
bool ip_started;
bool ip_linked;
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
			static const char msg[] = "mp: the C library lacks a function this program calls\n";
			(void)!write(2, msg, sizeof(msg) - 1);
			abort();
		}
		ip_next_table[fn] = f;
	}
	return f;
}

void ip_next_all(void)
{
	/* Every one now: a wrapper may run where dlsym may not (a signal
	 * handler, a vfork child). */
	for (int i = 0; i < IP_N_FN; i++)
		ip_next_table[i] = dlsym(RTLD_NEXT, ip_names[i]);
}

/* ---- LTTng's code ------------------------------------------------------- */

struct range { uintptr_t lo, hi; };
static struct range quiet_code[16];
static int n_quiet_code;

bool ip_quiet_code(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	for (int i = 0; i < n_quiet_code; i++)
		if (a - quiet_code[i].lo < quiet_code[i].hi - quiet_code[i].lo)
			return true;
	return false;
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

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) &&
		    n_quiet_code < (int)(sizeof(quiet_code) / sizeof(quiet_code[0])))
			quiet_code[n_quiet_code++] = (struct range){
				info->dlpi_addr + ph->p_vaddr,
				info->dlpi_addr + ph->p_vaddr + ph->p_memsz };
	}
	return 0;
}

/* Learns where LTTng's libraries and the provider lie (once the provider
 * is loaded): a call from there is never recorded. */
void ip_note_quiet_code(void)
{
	dl_iterate_phdr(note_lttng_code, NULL);
}

/* ---- the seam (seam.h, interpose.h) -------------------------------------- */

void mp_preload_quiet(int delta)
{
	mp__quiet_depth += delta;
}

