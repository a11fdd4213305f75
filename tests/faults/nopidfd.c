/*
 * nopidfd.c - runs a program as on a kernel without pidfd_open().
 *
 * usage: nopidfd PROGRAM [ARG...]
 *
 * Installs a seccomp filter that makes pidfd_open(2) fail with ENOSYS, as
 * it does before Linux 5.3, under some container runtimes' filters, and
 * under valgrind; then runs PROGRAM in this process (execvp).  The filter
 * is inherited by every child, so a whole tree lives without pidfds.
 * Exit status: PROGRAM's; 2 for bad usage; 127 if it cannot be run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "nopidfd: name this machine's AUDIT_ARCH_ here"
#endif

int main(int argc, char **argv)
{
	struct sock_filter code[] = {
		/* Another architecture's call numbers mean other calls: allow. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pidfd_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: nopidfd PROGRAM [ARG...]\n");
		return 2;
	}
	/* Without this, only a privileged process may install a filter. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1) {
		fprintf(stderr, "nopidfd: cannot install the filter: %s\n", strerror(errno));
		return 127;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "nopidfd: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
