/*
 * layer.h - what the files of the interposition layer share.
 *
 * Each file defines functions with the C library's names (fork, pipe,
 * write, sem_post, ...); each does the real work through the next
 * definition (the C library's, found with dlsym(RTLD_NEXT)) and records
 * `mp` events.  The same files are built two ways (README.md):
 *
 *   linked in    part of libmp: every program built with the runtime gets
 *                them, and the linker binds the program's calls (and the
 *                runtime's own) to them.  Started by the runtime's
 *                constructor (mp__layer_start, interpose.h).
 *   preloaded    libmp-preload.so, put in front of the C library with
 *                LD_PRELOAD for any dynamically linked program, as LTTng's
 *                liblttng-ust-fork.so is.  Started by its own constructor
 *                (preload.c), which steps aside in a program that has the
 *                layer linked in.
 *
 * The rules every wrapper keeps:
 *   - It behaves as the call it wraps: same result, same errno, and no
 *     malloc, lock or stdio where the call is async-signal-safe (a vfork
 *     child, a signal handler).  Nothing relies on a destructor: children
 *     leave by _exit.
 *   - A process's life (proc_start, proc_fork, proc_exit, proc_reap) is
 *     recorded whenever tracing is on (ip_life): every process owes the
 *     timeline its start and end.  Everything else only when
 *     ip_may(caller): not in a quiet section (the runtime's own calls,
 *     seam.h), not in one of LTTng's threads or from LTTng's code.
 *   - Bookkeeping (the fd registry, the semaphore registry, a child's reset
 *     after fork) happens whether or not it records.
 *
 * Names private to the layer are ip_* (interpose); none is exported but
 * the wrapped functions and the seam (seam.h).
 */
#ifndef MP_INTERPOSE_LAYER_H
#define MP_INTERPOSE_LAYER_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/trace.h"

/* The C library's start of every dynamically linked program (csu). */
int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
		      void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
		      void *stack_end);
/* The fortified entry points are declared only under _FORTIFY_SOURCE. */
ssize_t __read_chk(int fd, void *buf, size_t nbytes, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *from, socklen_t *fromlen);

/* Everything below is private to the layer; the wrapped functions keep
 * the default visibility of their declarations above. */
#pragma GCC visibility push(hidden)

#define IP_CALLER __builtin_return_address(0)

/* Tracing is on: the layer started and the provider is loaded. */
extern bool ip_ready;
/* The layer started (tracing on or off). */
extern bool ip_started;
/* Linked into the program (else preloaded). */
extern bool ip_linked;

/* Starts the layer (start.c): the C library's definitions, the pid, and
 * if `tracing`, the provider (inside a quiet section: LTTng's threads are
 * quiet for life), LTTng's code, the table of byte counts, stdout and
 * stderr.  Once, before main. */
void ip_start(bool linked, bool tracing);
/* Finds the C library's definitions of every wrapped function: the part
 * of the start a preload that steps aside still needs. */
void ip_next_all(void);

/* Whether `addr` lies in LTTng's code (its libraries, the provider). */
bool ip_quiet_code(const void *addr);
/* Notes where that code lies, once the provider is loaded (start.c). */
void ip_note_quiet_code(void);

/* A vfork() child that has not yet said so (process.c). */
extern __thread pid_t ip_vfork_parent MP__TLS;
void ip_vfork_child_check(void);

/* Whether a process's life is recorded now. */
static inline bool ip_life(void)
{
	if (__builtin_expect(ip_vfork_parent != 0, 0))
		ip_vfork_child_check();
	return ip_ready;
}

/* Whether a wrapper called from `caller` records anything else. */
static inline bool ip_may(const void *caller)
{
	return ip_life() && mp__quiet_depth == 0 && !ip_quiet_code(caller);
}

/* ---- the C library's own definitions ---------------------------------- */

#define IP_WRAPPED(X)							\
	X(fork) X(_Fork) X(vfork) X(clone) X(_exit) X(_Exit)		\
	X(wait) X(waitpid) X(wait3) X(wait4) X(waitid)			\
	X(execve) X(execv) X(execvp) X(execvpe) X(fexecve) X(execveat)	\
	X(posix_spawn) X(posix_spawnp) X(system) X(popen) X(pclose)	\
	X(pipe) X(pipe2) X(socketpair) X(dup) X(dup2) X(dup3) X(close)	\
	X(read) X(write) X(readv) X(writev) X(send) X(recv)		\
	X(sendto) X(recvfrom) X(sendmsg) X(recvmsg)			\
	X(__read_chk) X(__recv_chk) X(__recvfrom_chk)			\
	X(kill) X(killpg) X(raise) X(sigqueue) X(tgkill) X(pthread_kill)	\
	X(signal) X(sigaction)						\
	X(sem_open) X(sem_init) X(sem_close) X(sem_destroy) X(sem_wait)	\
	X(sem_trywait) X(sem_timedwait) X(sem_clockwait) X(sem_post)	\
	X(pthread_create) X(__libc_start_main)

#define IP_ENUM(name) IP_##name,
enum ip_fn { IP_WRAPPED(IP_ENUM) IP_N_FN };
#undef IP_ENUM

/* The next definition of function number `fn` (the C library's): found
 * once, at start-up or on first use.  Never NULL (aborts if missing). */
void *ip_next(enum ip_fn fn);
extern void *ip_next_table[IP_N_FN];

/* REAL(read)(fd, buf, n) calls the C library's read(). */
#define REAL(name) ((__typeof__(&name))(ip_next_table[IP_##name]	\
		? ip_next_table[IP_##name] : ip_next(IP_##name)))

/* ---- descriptors: fds.c ------------------------------------------------ */

enum ip_kind { IP_OTHER, IP_PIPE, IP_SOCKET };

/* What fd is: a pipe (or FIFO), a socket, or other (file, tty, closed),
 * and its inode.  One fstat(). */
enum ip_kind ip_fd_kind(int fd, uint64_t *ino);
/* The program marked fd as its own (seam.h): nothing about it is recorded. */
bool ip_fd_owned(int fd);
void ip_fd_set_owned(int fd, bool owned);

/* ---- byte streams shared across processes: streams.c ------------------ */

/* Maps the table (named shared memory from MP_PRELOAD_SHM, else memory
 * shared with forked children only).  Start-up only. */
void ip_streams_attach(void);
/* The stream a write to inode `ino` goes into (its own). */
uint64_t ip_stream_for_write(uint64_t ino);
/* The stream a read from inode `ino` takes from: its own for a pipe, the
 * other end's for a socket made by socketpair(). */
uint64_t ip_stream_for_read(uint64_t ino);
/* Reserves n bytes at the writers' end of `stream`: their offset, or
 * UINT64_MAX when the table is full. */
uint64_t ip_stream_reserve(uint64_t stream, uint64_t n);
/* Gives back the part of a reservation not written, when no later writer
 * reserved after it: true if the offsets stay exact. */
bool ip_stream_unreserve(uint64_t stream, uint64_t offset, uint64_t n, uint64_t done);
/* Takes n bytes at the readers' end: their offset, or UINT64_MAX. */
uint64_t ip_stream_take(uint64_t stream, uint64_t n);
/* Records that the two sockets of a socketpair() are each other's peer. */
void ip_stream_pair(uint64_t ino0, uint64_t ino1);

/* ---- a write recorded: writes.c ----------------------------------------- */

/* The recording half of a write of n bytes to fd, done before the write:
 * returns a token for ip_write_done (stream 0: nothing recorded). */
struct ip_write { uint64_t stream, offset, bytes; int fd; };
void ip_write_begin(struct ip_write *w, int fd, size_t n, const char *call);
void ip_write_done(struct ip_write *w, ssize_t result);

/* ---- stdout and stderr: output.c --------------------------------------- */

void ip_output_install(void);		/* start-up: stdio's stdout/stderr */
void ip_output(int fd, const void *buf, size_t n);	/* bytes written to fd 1 or 2 */
void ip_output_flush(void);		/* a partial last line, as a line (exit, exec) */
void ip_output_after_fork(void);	/* a child starts with no partial line */

/* ---- signals: signals.c ------------------------------------------------- */

void ip_signals_after_fork(void);	/* a child starts with the lock free */

/* ---- processes: process.c, wait.c, exec.c ------------------------------- */

/* Registered with pthread_atfork at start-up: the pid and the books of a
 * new child, and its proc_start if no wrapper records it. */
void ip_after_fork_child(void);
/* The exit handler: the last lines, then proc_exit.  Registered as the
 * runtime starts, or as a preloaded program's main() starts. */
void ip_at_exit(int status, void *unused);
/* The name of a child of a plain fork, and of the main process under the
 * preload: "child" linked in (the runtime names its own), the program's
 * name preloaded (python3). */
const char *ip_child_name(void);
/* Records `untraced` if the program `file` (searched in PATH if `search`)
 * will run without the preload, given the environment envp. */
void ip_exec_check(const char *file, bool search, char *const envp[]);
/* An exec that missed (nothing at its path) and was not followed by
 * another: recorded now, as the process exits. */
void ip_exec_flush(void);
/* Joins argv into buf (at most size bytes, always terminated). */
void ip_join_argv(char *buf, size_t size, char *const argv[]);

#pragma GCC visibility pop

#endif /* MP_INTERPOSE_LAYER_H */
