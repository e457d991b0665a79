#include "source/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/io.h"

int netns_enter(const char *name, struct tc_err *err)
{
	char path[4096];
	int fd, r = 0;

	if (!*name)
		return tc_err_usage(err, "empty namespace name");
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return tc_err_usage(err, "bad namespace name '%s'", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = io_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tc_err_set(err, errno, "network namespace %s: %s", name, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0)
		r = tc_err_set(err, errno, "cannot enter network namespace %s: %s", name,
			       errno == EINVAL ? "not a network namespace" : strerror(errno));
	close(fd);
	return r;
}

struct ns_list {
	struct tc_netns_entry *v;
	size_t n, cap;
};

static struct tc_netns_entry *ns_find(struct ns_list *l, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].dev == dev && l->v[i].ino == ino)
			return &l->v[i];
	return NULL;
}

static struct tc_netns_entry *ns_add(struct ns_list *l, uint64_t dev, uint64_t ino)
{
	struct tc_netns_entry *e;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct tc_netns_entry *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return NULL;
		l->v = nv;
		l->cap = ncap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->dev = dev;
	e->ino = ino;
	return e;
}

/* comm of a process, or "?" */
static void pid_comm(const char *pid, char *comm, size_t size)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	fd = io_open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? io_read(fd, comm, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		snprintf(comm, size, "?");
		return;
	}
	comm[n] = '\0';
	if (comm[n - 1] == '\n')
		comm[n - 1] = '\0';
}

/* Numeric directory names of /proc in increasing order, so each unnamed
 * namespace is named after its lowest pid. */
static int pid_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

int netns_list(struct tc_netns_entry **out, size_t *n, struct tc_err *err)
{
	struct ns_list l = {0};
	struct tc_netns_entry *e;
	struct stat st;
	DIR *d;
	struct dirent *de;
	unsigned long *pids = NULL;
	size_t npids = 0, pcap = 0;

	if (stat("/proc/self/ns/net", &st) < 0)
		return tc_err_set(err, errno, "cannot read /proc/self/ns/net: %s", strerror(errno));
	e = ns_add(&l, st.st_dev, st.st_ino);
	if (!e)
		goto nomem;
	e->self = 1;
	snprintf(e->path, sizeof(e->path), "/proc/self/ns/net");
	d = opendir("/run/netns");
	while (d && (de = readdir(d)) != NULL) {
		char path[sizeof(e->path)];

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(e->name))
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		if (stat(path, &st) < 0)
			continue;
		e = ns_find(&l, st.st_dev, st.st_ino);
		if (e && e->name[0])
			continue; /* a second name for the same namespace */
		if (!e) {
			e = ns_add(&l, st.st_dev, st.st_ino);
			if (!e) {
				closedir(d);
				goto nomem;
			}
			snprintf(e->path, sizeof(e->path), "%s", path);
		}
		snprintf(e->name, sizeof(e->name), "%s", de->d_name);
	}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && (de = readdir(d)) != NULL) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || *end)
			continue;
		if (npids == pcap) {
			size_t ncap = pcap ? pcap * 2 : 256;
			unsigned long *np = realloc(pids, ncap * sizeof(*np));

			if (!np) {
				closedir(d);
				goto nomem;
			}
			pids = np;
			pcap = ncap;
		}
		pids[npids++] = pid;
	}
	if (d)
		closedir(d);
	if (npids)
		qsort(pids, npids, sizeof(pids[0]), pid_cmp);
	for (size_t i = 0; i < npids; i++) {
		char path[sizeof(e->path)], pid[24], comm[32];

		snprintf(pid, sizeof(pid), "%lu", pids[i]);
		snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
		if (stat(path, &st) < 0)
			continue; /* gone, or not ours to read */
		e = ns_find(&l, st.st_dev, st.st_ino);
		if (e && e->name[0])
			continue;
		if (!e) {
			e = ns_add(&l, st.st_dev, st.st_ino);
			if (!e)
				goto nomem;
			snprintf(e->path, sizeof(e->path), "%s", path);
		}
		pid_comm(pid, comm, sizeof(comm));
		snprintf(e->name, sizeof(e->name), "%s/%s", pid, comm);
		if (e->self)
			continue; /* named now; keep its /proc/self path */
	}
	free(pids);
	if (!l.v[0].name[0])
		snprintf(l.v[0].name, sizeof(l.v[0].name), "self");
	*out = l.v;
	*n = l.n;
	return 0;
nomem:
	free(pids);
	free(l.v);
	return tc_err_set(err, ENOMEM, "out of memory listing namespaces");
}

int netns_enter_entry(const struct tc_netns_entry *e, struct tc_err *err)
{
	struct stat st;
	int fd = io_open(e->path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return tc_err_set(err, ENOENT, "network namespace %s is gone", e->name);
	/* the pid may have been reused by a process of another namespace */
	if (fstat(fd, &st) < 0 || st.st_dev != e->dev || st.st_ino != e->ino) {
		close(fd);
		return tc_err_set(err, ENOENT, "network namespace %s is gone", e->name);
	}
	if (setns(fd, CLONE_NEWNET) < 0)
		r = tc_err_set(err, errno, "cannot enter network namespace %s: %s", e->name,
			       strerror(errno));
	close(fd);
	return r;
}
