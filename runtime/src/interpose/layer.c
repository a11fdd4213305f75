/*
 * layer.c - the interposition layer starts here, linked in or preloaded:
 * it finds the C library's own definitions, loads the `mp` provider,
 * learns where LTTng's code lies, and offers its seam (seam.h).
 *
 * Environment (the names say "preload"; they hold linked in too):
 *   MP_TRACE=0             load nothing, record nothing: every wrapper goes
 *                          straight to the C library (base/trace.c).
 *   MP_TP_LIBRARY=PATH     the provider (base/trace.c).
 *   MP_PRELOAD_SHM=/NAME   the table of byte offsets shared by every process
 *                          of the run, exec'd ones included (streams.c).  The
 *                          launcher chooses the name and removes it after.
 *   MP_PRELOAD_STDIO=0     leave stdio's stdout and stderr alone (output.c).
 *   MP_PRELOAD_MAX_LINES=N lines of output recorded per process (10000).
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

/* ---- start-up ------------------------------------------------------------ */

void ip_start(bool linked)
{
	ip_next_all();
	ip_linked = linked;
	mp__pid_cached = getpid();
	pthread_atfork(NULL, NULL, ip_after_fork_child);
	mp__quiet_depth++;
	if (!mp__trace_load()) {
		mp__quiet_depth--;
		ip_started = true;
		return;
	}
	dl_iterate_phdr(note_lttng_code, NULL);
	ip_streams_attach();
	ip_output_install();
	mp__quiet_depth--;
	ip_ready = ip_started = true;
}

void mp__layer_start(void)
{
	ip_start(true);
	/* From the program's own constructor: registered after the C
	 * library's destructor pass, so it runs before (preload.c). */
	on_exit(ip_at_exit, NULL);
}

/* ---- the seam (seam.h, interpose.h) -------------------------------------- */

void mp_preload_quiet(int delta)
{
	mp__quiet_depth += delta;
}

void mp_preload_own_fd(int fd, int own)
{
	ip_fd_set_owned(fd, own != 0);
}

void mp__own_fd(int fd)
{
	ip_fd_set_owned(fd, true);
}

int mp__own_pipe(int fds[2], int flags)
{
	int r;

	mp__quiet(+1);
	r = pipe2(fds, flags);
	mp__quiet(-1);
	if (r == 0) {
		ip_fd_set_owned(fds[0], true);
		ip_fd_set_owned(fds[1], true);
	}
	return r;
}
