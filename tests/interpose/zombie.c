/*
 * zombie.c - plain fork, exit, kill and wait, never the runtime: a child
 * that lingers as a zombie, a signal delivered to a handler, a death by
 * signal.
 *
 * usage: zombie
 *
 * 1. The first child _exit(3)s at once; the parent collects it only after
 *    /proc shows it a zombie, so its zombie time is never zero.
 * 2. The second child signals its parent with SIGUSR1 (a sigaction handler)
 *    and waits to be killed; the parent, once its handler ran, sends it
 *    SIGTERM and collects it: exit code -15.
 * 3. The parent raises SIGUSR2 at itself (a signal() handler).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2;

static void on_usr1(int signo, siginfo_t *info, void *context)
{
	got_usr1 = info->si_pid;
}

static void on_usr2(int signo)
{
	got_usr2 = 1;
}

/* The state letter of `pid` in /proc, or '?' */
static char state_of(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return '?';
	char *close_paren = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : '?';
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	struct timespec tick = { 0, 1000000 };
	sigset_t usr1, old;
	int status;

	/* 1: a zombie */
	pid_t first = fork();
	if (first == -1)
		return perror("fork"), 1;
	if (first == 0)
		_exit(3);
	while (state_of(first) != 'Z')
		nanosleep(&tick, NULL);
	if (waitpid(first, &status, 0) != first)
		return perror("waitpid"), 1;
	printf("first child %d: exit status %d after being a zombie\n", first, WEXITSTATUS(status));

	/* 2: SIGUSR1 to a handler, then SIGTERM kills the sender */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);	/* no signal before sigsuspend */
	if (sigaction(SIGUSR1, &sa, NULL) == -1)
		return perror("sigaction"), 1;
	pid_t second = fork();
	if (second == -1)
		return perror("fork"), 1;
	if (second == 0) {
		kill(getppid(), SIGUSR1);
		for (;;)
			pause();
	}
	while (!got_usr1)
		sigsuspend(&old);
	kill(second, SIGTERM);
	if (waitpid(second, &status, 0) != second)
		return perror("waitpid"), 1;
	printf("second child %d: signalled us, then killed by signal %d\n", (int)got_usr1,
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0);

	/* 3: raise() to a signal() handler */
	signal(SIGUSR2, on_usr2);
	raise(SIGUSR2);
	printf("SIGUSR2 handled: %s\n", got_usr2 ? "yes" : "no");
	return 0;
}
