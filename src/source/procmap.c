#include "source/procmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/io.h"

struct pm_slot {
	uint64_t inode; /* 0: empty */
	uint32_t first; /* index into owners */
};

struct pm_owner {
	uint32_t proc; /* index into procs */
	uint32_t next; /* next owner of the same inode, UINT32_MAX at the end */
};

uint64_t procmap_socket_inode(const char *link, size_t len)
{
	uint64_t v = 0;
	size_t i;

	if (len < 10 || memcmp(link, "socket:[", 8) != 0 || link[len - 1] != ']')
		return 0;
	for (i = 8; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT64_MAX / 10)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return i > 8 ? v : 0;
}

static size_t slot_index(const struct tc_procmap *m, uint64_t inode)
{
	uint64_t h = inode * 0x9e3779b97f4a7c15ull;
	size_t i = (size_t)(h >> 20) & (m->cap - 1);

	while (m->slots[i].inode && m->slots[i].inode != inode)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int grow_slots(struct tc_procmap *m, size_t want)
{
	struct pm_slot *old = m->slots;
	size_t oldcap = m->cap, cap = 1024;

	while (cap < want * 2)
		cap *= 2;
	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return -ENOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].inode)
			m->slots[slot_index(m, old[i].inode)] = old[i];
	free(old);
	return 0;
}

static int add_owner(struct tc_procmap *m, uint64_t inode, uint32_t proc)
{
	struct pm_slot *s;
	uint32_t o;

	if ((m->n + 1) * 2 > m->cap && grow_slots(m, m->n + 1) < 0)
		return -ENOMEM;
	s = &m->slots[slot_index(m, inode)];
	/* the same process may hold one socket in several fds: name it once */
	for (o = s->inode ? s->first : UINT32_MAX; o != UINT32_MAX; o = m->owners[o].next)
		if (m->owners[o].proc == proc)
			return 0;
	if (m->nowners == m->owners_cap) {
		size_t ncap = m->owners_cap ? m->owners_cap * 2 : 1024;
		struct pm_owner *n = realloc(m->owners, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->owners = n;
		m->owners_cap = ncap;
	}
	m->owners[m->nowners].proc = proc;
	m->owners[m->nowners].next = s->inode ? s->first : UINT32_MAX;
	if (!s->inode) {
		s->inode = inode;
		m->n++;
	}
	s->first = (uint32_t)m->nowners++;
	return 0;
}

/* comm of a process, without its newline; "?" when it cannot be read. */
static void read_comm(int pidfd, char *comm)
{
	int fd = io_openat(pidfd, "comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? io_read(fd, comm, 15) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		strcpy(comm, "?");
		return;
	}
	comm[n] = '\0';
	if (comm[n - 1] == '\n')
		comm[n - 1] = '\0';
}

static int add_proc(struct tc_procmap *m, uint32_t pid, int pidfd)
{
	struct tc_proc *p;
	struct stat st;

	if (m->nprocs == m->procs_cap) {
		size_t ncap = m->procs_cap ? m->procs_cap * 2 : 256;
		struct tc_proc *n = realloc(m->procs, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->procs = n;
		m->procs_cap = ncap;
	}
	p = &m->procs[m->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->uid = fstat(pidfd, &st) == 0 ? st.st_uid : (uint32_t)-1;
	read_comm(pidfd, p->comm);
	m->nprocs++;
	return 0;
}

/* Every socket fd of one process. A process that exits meanwhile is fine. */
static int scan_process(struct tc_procmap *m, int procfd, const char *pidname, uint32_t pid)
{
	int pidfd, fdfd, r = 0;
	DIR *d;
	struct dirent *e;
	uint32_t idx = UINT32_MAX;
	char link[64];

	pidfd = io_openat(procfd, pidname, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pidfd < 0)
		return 0;
	fdfd = io_openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fdfd < 0) {
		if (errno == EACCES || errno == EPERM)
			m->unreadable++;
		close(pidfd);
		return 0;
	}
	d = fdopendir(fdfd);
	if (!d) {
		close(fdfd);
		close(pidfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		ssize_t n;
		uint64_t ino;

		if (e->d_name[0] == '.')
			continue;
		n = readlinkat(fdfd, e->d_name, link, sizeof(link));
		if (n <= 0 || (size_t)n >= sizeof(link))
			continue;
		ino = procmap_socket_inode(link, (size_t)n);
		if (!ino)
			continue;
		if (idx == UINT32_MAX) {
			r = add_proc(m, pid, pidfd);
			if (r < 0)
				break;
			idx = (uint32_t)(m->nprocs - 1);
		}
		r = add_owner(m, ino, idx);
		if (r < 0)
			break;
	}
	closedir(d);
	close(pidfd);
	return r;
}

int procmap_build(struct tc_procmap *m, const char *proc, size_t hint, struct tc_err *err)
{
	int procfd, r = 0;
	DIR *d;
	struct dirent *e;

	memset(m, 0, sizeof(*m));
	if (grow_slots(m, hint ? hint : 256) < 0)
		return tc_err_set(err, ENOMEM, "out of memory for the process map");
	procfd = io_open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return tc_err_set(err, errno, "cannot open %s: %s", proc, strerror(errno));
	d = fdopendir(procfd);
	if (!d) {
		r = tc_err_set(err, errno, "cannot read %s: %s", proc, strerror(errno));
		close(procfd);
		return r;
	}
	while ((e = readdir(d)) != NULL) {
		char *end;
		unsigned long pid;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		pid = strtoul(e->d_name, &end, 10);
		if (*end || pid > UINT32_MAX)
			continue;
		r = scan_process(m, dirfd(d), e->d_name, (uint32_t)pid);
		if (r < 0) {
			tc_err_set(err, -r, "reading processes: %s", strerror(-r));
			break;
		}
	}
	closedir(d);
	return r;
}

void procmap_free(struct tc_procmap *m)
{
	free(m->slots);
	free(m->owners);
	free(m->procs);
	memset(m, 0, sizeof(*m));
}

size_t procmap_owners(const struct tc_procmap *m, uint64_t inode, const struct tc_proc **out,
		      size_t max)
{
	const struct pm_slot *s;
	size_t n = 0;

	if (!inode || !m->cap)
		return 0;
	s = &m->slots[slot_index(m, inode)];
	if (s->inode != inode)
		return 0;
	for (uint32_t o = s->first; o != UINT32_MAX; o = m->owners[o].next) {
		if (n < max)
			out[n] = &m->procs[m->owners[o].proc];
		n++;
	}
	return n;
}
