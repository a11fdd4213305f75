/*
 * cgroup.c - a cgroup of mprun's own, so the tree can be frozen, killed
 * and capped as one, whatever it does.
 *
 * Two kinds of cgroup exist, and a machine may mount either or both:
 *   - cgroup v2, one hierarchy (a Debian laptop: /sys/fs/cgroup).  Every
 *     cgroup has cgroup.freeze (Linux 5.2) and cgroup.kill (5.14); it has
 *     pids.max only where its parent enables the pids controller for its
 *     children, which a parent holding processes cannot do, so a cgroup
 *     made beside a shell's has no pids.max;
 *   - cgroup v1, a hierarchy per controller: `freezer` (freezer.state) and
 *     `pids` (pids.max), at /sys/fs/cgroup/freezer and /sys/fs/cgroup/pids.
 * mprun makes a directory "mprun-PID" below its own cgroup (found from
 * /proc/self/cgroup and /proc/self/mountinfo) in v2, and in v1 for what v2
 * did not give: the freezer, and pids.max for a cap.  mkdir succeeds for
 * one caller only, so two mpruns never share one (a name taken, by a run
 * in another pid namespace, say, adds "-1", "-2").  Where it may make none
 * (not root, no delegation), the caller stops and counts the tree itself.
 */
#define _GNU_SOURCE
#include "mprun.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct cg_dir {
	int version;		/* 1 or 2 */
	unsigned can;		/* CGROUP_* */
	int procs_fd;		/* its cgroup.procs, open for writing */
	char path[PATH_MAX];
};

struct cgroup {
	struct cg_dir dir[3];	/* v2; v1 freezer; v1 pids */
	int n;
	long max_tasks;
};

static const struct timespec one_ms = { 0, 1000000 };

/* Whether the comma-separated list holds the word. */
static bool has_word(const char *list, size_t len, const char *word)
{
	size_t w = strlen(word);

	for (const char *p = list, *end = list + len; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
		if (n == w && memcmp(p, word, w) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

/* mprun's own cgroup in the hierarchy of `controller` (v1), or in v2
 * (NULL), as a path from that hierarchy's root: from /proc/self/cgroup,
 * whose lines read "ID:CONTROLLERS:PATH" ("0::PATH" for v2). */
static int own_path(const char *controller, char *out, size_t size)
{
	char text[4096];

	if (sysfile_read("/proc/self/cgroup", text, sizeof(text)) < 0)
		return -1;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		bool v2 = c1 == line + 1 && line[0] == '0' && c2 == c1 + 1;
		if (controller ? has_word(c1 + 1, (size_t)(c2 - c1 - 1), controller) : v2) {
			snprintf(out, size, "%s", c2 + 1);
			return 0;
		}
	}
	return -1;
}

/* The directory of mprun's own cgroup in that hierarchy: where it is
 * mounted (/proc/self/mountinfo: "ID PARENT DEV ROOT MOUNTPOINT ... -
 * FSTYPE SOURCE OPTIONS") joined to its path below the mount's root. */
static int own_dir(const char *controller, char *out, size_t size)
{
	char path[PATH_MAX], line[2048];
	bool found = false;
	FILE *f;

	if (own_path(controller, path, sizeof(path)) == -1)
		return -1;
	f = fopen("/proc/self/mountinfo", "re");
	if (f == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char root[PATH_MAX], point[PATH_MAX], type[32], opts[512];
		char *dash = strstr(line, " - ");
		if (dash == NULL || sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    sscanf(dash + 3, "%31s %*s %511s", type, opts) != 2)
			continue;
		if (controller ? strcmp(type, "cgroup") != 0 || !has_word(opts, strlen(opts), controller)
			       : strcmp(type, "cgroup2") != 0)
			continue;
		size_t r = strcmp(root, "/") == 0 ? 0 : strlen(root);
		if (strncmp(path, root, r) != 0 || (path[r] != '/' && path[r] != '\0'))
			continue;	/* mprun's cgroup is not below this mount */
		snprintf(out, size, "%s%s", point, strcmp(path + r, "/") == 0 ? "" : path + r);
		found = true;
	}
	fclose(f);
	return found ? 0 : -1;
}

/* Makes "mprun-PID" (or "mprun-PID-K" if taken) in parent. */
static int make_dir(const char *parent, char *out, size_t size)
{
	for (int k = 0; k < 100; k++) {
		char name[32];
		snprintf(name, sizeof(name), k ? "mprun-%d-%d" : "mprun-%d", (int)getpid(), k);
		path_join(out, size, parent, name);
		if (out[0] == '\0') {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (mkdir(out, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	path_join(path, sizeof(path), dir, name);
	return access(path, F_OK) == 0;
}

static int write_in(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];

	path_join(path, sizeof(path), dir, name);
	return sysfile_write(path, text);
}

/* Appends a reason to why, after "; " if it holds one already. */
static void add_reason(char *why, size_t size, const char *fmt, ...)
{
	size_t len = strlen(why);
	va_list ap;

	if (len > 0)
		len += (size_t)snprintf(why + len, size - len, "; ");
	va_start(ap, fmt);
	if (len < size)
		vsnprintf(why + len, size - len, fmt, ap);
	va_end(ap);
}

/* Makes a directory in one hierarchy and sees what it can do there. */
static void try_hierarchy(struct cgroup *cg, int version, const char *controller,
			  char *why, size_t size)
{
	struct cg_dir *d = &cg->dir[cg->n];
	char parent[PATH_MAX], name[PATH_MAX];

	if (own_dir(controller, parent, sizeof(parent)) == -1) {
		add_reason(why, size, controller ? "no cgroup v1 %s hierarchy" : "no cgroup v2",
			   controller);
		return;
	}
	if (make_dir(parent, d->path, sizeof(d->path)) == -1) {
		add_reason(why, size, "cannot make a cgroup in %s: %s", parent, strerror(errno));
		return;
	}
	d->version = version;
	d->can = 0;
	if (exists(d->path, version == 2 ? "cgroup.freeze" : "freezer.state"))
		d->can |= CGROUP_FREEZE;
	if (version == 2 && exists(d->path, "cgroup.kill"))
		d->can |= CGROUP_KILL;
	if (cg->max_tasks > 0 && exists(d->path, "pids.max")) {
		char max[32];
		snprintf(max, sizeof(max), "%ld", cg->max_tasks);
		if (write_in(d->path, "pids.max", max) == 0)
			d->can |= CGROUP_CAP;
	}
	path_join(name, sizeof(name), d->path, "cgroup.procs");
	d->procs_fd = open(name, O_WRONLY | O_CLOEXEC);
	if (d->procs_fd == -1)
		add_reason(why, size, "cannot open %s: %s", name, strerror(errno));
	if (d->procs_fd == -1 || d->can == 0) {
		if (d->procs_fd >= 0)
			close(d->procs_fd);
		rmdir(d->path);
		return;
	}
	cg->n++;
}

bool cgroup_can(const struct cgroup *cg, unsigned what)
{
	for (int i = 0; cg != NULL && i < cg->n; i++)
		if (cg->dir[i].can & what)
			return true;
	return false;
}

struct cgroup *cgroup_create(enum cgroup_mode mode, long max_tasks, char *why, size_t size)
{
	struct cgroup *cg;

	why[0] = '\0';
	if (mode == CGROUP_NONE) {
		snprintf(why, size, "--no-cgroup");
		return NULL;
	}
	cg = calloc(1, sizeof(*cg));
	if (cg == NULL) {
		snprintf(why, size, "%s", strerror(errno));
		return NULL;
	}
	cg->max_tasks = max_tasks;
	if (mode != CGROUP_V1)
		try_hierarchy(cg, 2, NULL, why, size);
	if (mode != CGROUP_V2 && !cgroup_can(cg, CGROUP_FREEZE))
		try_hierarchy(cg, 1, "freezer", why, size);
	if (mode != CGROUP_V2 && max_tasks > 0 && !cgroup_can(cg, CGROUP_CAP))
		try_hierarchy(cg, 1, "pids", why, size);
	if (cg->n == 0) {
		free(cg);
		return NULL;
	}
	return cg;
}

int cgroup_join_fds(const struct cgroup *cg, int *fds, int max)
{
	int n = 0;

	for (int i = 0; i < cg->n && n < max; i++)
		fds[n++] = cg->dir[i].procs_fd;
	return n;
}

bool cgroup_cap_reached(const struct cgroup *cg)
{
	char path[PATH_MAX], text[256];

	for (int i = 0; i < cg->n; i++) {
		if (!(cg->dir[i].can & CGROUP_CAP))
			continue;
		/* "max N": how many forks pids.max refused.  In v2 pids.events
		 * also counts a nested cgroup's refusals; .local (Linux 6.13)
		 * counts only its own. */
		path_join(path, sizeof(path), cg->dir[i].path, "pids.events.local");
		if (sysfile_read(path, text, sizeof(text)) < 0) {
			path_join(path, sizeof(path), cg->dir[i].path, "pids.events");
			if (sysfile_read(path, text, sizeof(text)) < 0)
				return false;
		}
		for (char *line = text; line; line = strchr(line, '\n')) {
			line += *line == '\n';
			if (strncmp(line, "max ", 4) == 0)
				return atol(line + 4) > 0;
		}
	}
	return false;
}

/* Writes the freeze (or thaw), without waiting for it: safe in a signal
 * handler.  The directory that can freeze, or NULL. */
static struct cg_dir *freeze_write(struct cgroup *cg, bool frozen)
{
	for (int i = 0; i < cg->n; i++) {
		struct cg_dir *d = &cg->dir[i];
		if (!(d->can & CGROUP_FREEZE))
			continue;
		if (d->version == 2)
			write_in(d->path, "cgroup.freeze", frozen ? "1" : "0");
		else
			write_in(d->path, "freezer.state", frozen ? "FROZEN" : "THAWED");
		return d;
	}
	return NULL;
}

int cgroup_freeze(struct cgroup *cg, bool frozen, double seconds)
{
	struct cg_dir *d = freeze_write(cg, frozen);
	char path[PATH_MAX], text[256];

	if (d == NULL)
		return -1;
	if (!frozen)
		return 0;
	/* The freeze completes when every task has stopped: v2 says "frozen 1"
	 * in cgroup.events, v1 "FROZEN" in freezer.state (until then,
	 * "FREEZING", and writing FROZEN again tries again). */
	path_join(path, sizeof(path), d->path, d->version == 2 ? "cgroup.events" : "freezer.state");
	for (int64_t end = mp__now_ns() + (int64_t)(seconds * 1e9); mp__now_ns() < end;) {
		if (sysfile_read(path, text, sizeof(text)) < 0)
			return -1;
		if (d->version == 2 ? strstr(text, "frozen 1") != NULL
				    : strncmp(text, "FROZEN", 6) == 0)
			return 0;
		if (d->version == 1)
			write_in(d->path, "freezer.state", "FROZEN");
		nanosleep(&one_ms, NULL);
	}
	return -1;
}

static void kill_pid(pid_t pid, void *arg)
{
	(void)arg;
	kill(pid, SIGKILL);
}

void cgroup_kill(struct cgroup *cg)
{
	char path[PATH_MAX];

	for (int i = 0; i < cg->n; i++) {
		struct cg_dir *d = &cg->dir[i];
		if ((d->can & CGROUP_KILL) && write_in(d->path, "cgroup.kill", "1") == 0)
			return;		/* the kernel kills them all, forks in flight too */
	}
	for (int i = 0; i < cg->n; i++) {
		path_join(path, sizeof(path), cg->dir[i].path, "cgroup.procs");
		sysfile_each_pid(path, kill_pid, NULL);
	}
}

/* rmdir, again for up to `tries` ms while the last processes exit (a
 * zombie has left its cgroup already).  Safe in a signal handler. */
static int remove_dir(struct cg_dir *d, int tries)
{
	while (rmdir(d->path) == -1) {
		if (errno == ENOENT)
			return 0;
		if (errno != EBUSY || --tries <= 0)
			return -1;
		nanosleep(&one_ms, NULL);
	}
	return 0;
}

int cgroup_remove(struct cgroup *cg)
{
	int status = 0;

	for (int i = 0; i < cg->n; i++) {
		close(cg->dir[i].procs_fd);
		if (remove_dir(&cg->dir[i], 1000) == -1) {
			fprintf(stderr, "mprun: cannot remove cgroup %s: %s\n",
				cg->dir[i].path, strerror(errno));
			status = -1;
		}
	}
	free(cg);
	return status;
}

void cgroup_end_now(struct cgroup *cg)
{
	freeze_write(cg, true);
	cgroup_kill(cg);
	freeze_write(cg, false);	/* a frozen v1 task dies only once thawed */
	for (int i = 0; i < cg->n; i++)
		remove_dir(&cg->dir[i], 100);
}

void cgroup_describe(const struct cgroup *cg, FILE *out)
{
	for (int i = 0; i < cg->n; i++) {
		const struct cg_dir *d = &cg->dir[i];
		fprintf(out, "mprun: cgroup v%d %s:%s%s", d->version, d->path,
			d->can & CGROUP_FREEZE ? " freeze" : "", d->can & CGROUP_KILL ? ", kill" : "");
		if (d->can & CGROUP_CAP)
			fprintf(out, "%s pids.max %ld", d->can & ~CGROUP_CAP ? "," : "", cg->max_tasks);
		fputc('\n', out);
	}
}
