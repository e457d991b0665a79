/*
 * faultshim: an LD_PRELOAD library that makes tcpdoc's system calls fail the
 * ways a real host can, so test_faults.sh can prove what tcpdoc does then.
 * Each fault is off unless its variable is set:
 *
 *   FAULT_NETLINK=ERRNO      socket(AF_NETLINK, ...) fails with ERRNO (a number:
 *                            13 EACCES, 93 EPROTONOSUPPORT)
 *   FAULT_ENOENT=PATH        open/openat of exactly PATH fails with ENOENT
 *   FAULT_DUMP_INTR=N[,N..]  netlink dumps number N (1 the first request sent,
 *                            one per address family and walk) carry
 *                            NLM_F_DUMP_INTR on the last socket message of
 *                            their first reply, as the kernel marks a dump
 *                            the socket tables changed under
 *   FAULT_NLMSG_ERROR=ERRNO  the first netlink reply holding sockets has an
 *                            NLMSG_ERROR of -ERRNO in place of its second
 *                            socket message, and ends there: an error in the
 *                            middle of a dump (FAULT_NLMSG_ERROR_AT=0: in
 *                            place of the first, before any socket)
 *   FAULT_REPEAT=1           each netlink reply holding sockets gets a copy of
 *                            its first socket message at its end, as when the
 *                            kernel resumes a dump in a bucket that changed
 *   FAULT_EINTR=1            every other read, recvmsg, sendto, open and
 *                            openat fails with EINTR before doing anything,
 *                            as when a signal arrives
 *
 * Build: gcc -shared -fPIC -o faultshim.so faultshim.c -ldl
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

int socket(int domain, int type, int protocol);
int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);
ssize_t read(int fd, void *buf, size_t n);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
	       socklen_t tolen);

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f)
		abort();
	return f;
}

static int env_int(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : 0;
}

/* FAULT_EINTR: fail every other call of each kind */
static int eintr_now(unsigned *calls)
{
	if (!env_int("FAULT_EINTR"))
		return 0;
	if ((*calls)++ % 2)
		return 0;
	errno = EINTR;
	return 1;
}

static int enoent_path(const char *path)
{
	const char *p = getenv("FAULT_ENOENT");

	if (p && *p && path && strcmp(p, path) == 0) {
		errno = ENOENT;
		return 1;
	}
	return 0;
}

int socket(int domain, int type, int protocol)
{
	int (*f)(int, int, int) = (int (*)(int, int, int))real("socket");
	int e = env_int("FAULT_NETLINK");

	if (domain == AF_NETLINK && e > 0) {
		errno = e;
		return -1;
	}
	return f(domain, type, protocol);
}

static unsigned open_calls;

static int open_common(const char *name, int dirfd, const char *path, int flags, mode_t mode)
{
	if (eintr_now(&open_calls) || enoent_path(path))
		return -1;
	if (dirfd == -1) {
		int (*f)(const char *, int, ...) = (int (*)(const char *, int, ...))real(name);

		return f(path, flags, mode);
	} else {
		int (*f)(int, const char *, int, ...) =
		    (int (*)(int, const char *, int, ...))real(name);

		return f(dirfd, path, flags, mode);
	}
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_common("open", -1, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_common("open64", -1, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_common("openat", dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open_common("openat64", dirfd, path, flags, mode);
}

static unsigned read_calls;

ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t (*f)(int, void *, size_t) = (ssize_t(*)(int, void *, size_t))real("read");

	if (eintr_now(&read_calls))
		return -1;
	return f(fd, buf, n);
}

static int is_netlink(int fd)
{
	int domain = 0;
	socklen_t len = sizeof(domain);

	return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_NETLINK;
}

static unsigned dump_no; /* netlink requests sent so far */
static int dump_flagged; /* the current dump got its NLM_F_DUMP_INTR */
static int nlmsg_error_done;

/* Whether dump number n is in the list FAULT_DUMP_INTR. */
static int dump_listed(unsigned n)
{
	const char *p = getenv("FAULT_DUMP_INTR");
	char *end;

	while (p && *p) {
		unsigned long v = strtoul(p, &end, 10);

		if (end == p)
			return 0;
		if (v == n)
			return 1;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* The k-th socket message of a reply (0 the first), or NULL. */
static struct nlmsghdr *sock_msg(char *buf, size_t len, int k)
{
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY && k-- == 0)
			return h;
	return NULL;
}

/* Mark the last socket message of the first reply of a listed dump. */
static void flag_dump_intr(char *buf, size_t len)
{
	struct nlmsghdr *last = NULL;

	if (dump_flagged || !dump_listed(dump_no))
		return;
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY)
			last = h;
	if (last) {
		last->nlmsg_flags |= NLM_F_DUMP_INTR;
		dump_flagged = 1;
	}
}

/* Put an NLMSG_ERROR of -e in place of socket message number `at` and cut
 * the reply there; returns the new length. */
static size_t inject_error(char *buf, size_t len, size_t room, int e, int at)
{
	struct nlmsghdr *h = sock_msg(buf, len, at), *first = sock_msg(buf, len, 0);
	struct nlmsgerr *ne;
	size_t off, need = NLMSG_LENGTH(sizeof(struct nlmsgerr));

	if (nlmsg_error_done || !h)
		return len;
	off = (size_t)((char *)h - buf);
	if (off + need > room)
		return len;
	nlmsg_error_done = 1;
	h->nlmsg_len = (unsigned)need;
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = 0;
	h->nlmsg_seq = first->nlmsg_seq;
	h->nlmsg_pid = first->nlmsg_pid;
	ne = NLMSG_DATA(h);
	memset(ne, 0, sizeof(*ne));
	ne->error = -e;
	return off + need;
}

/* Copy the first socket message to the end of the reply, before a final
 * NLMSG_DONE if there is one; returns the new length. */
static size_t repeat_first(char *buf, size_t len, size_t room)
{
	struct nlmsghdr *first = sock_msg(buf, len, 0), *h, *done = NULL;
	size_t n = len, flen, at;

	if (!first)
		return len;
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
		if (h->nlmsg_type == NLMSG_DONE)
			done = h;
	flen = NLMSG_ALIGN(first->nlmsg_len);
	if (len + flen > room)
		return len;
	at = done ? (size_t)((char *)done - buf) : len;
	memmove(buf + at + flen, buf + at, len - at);
	memcpy(buf + at, first, flen);
	return len + flen;
}

static unsigned sendto_calls;

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
	       socklen_t tolen)
{
	ssize_t (*f)(int, const void *, size_t, int, const struct sockaddr *, socklen_t) =
	    (ssize_t(*)(int, const void *, size_t, int, const struct sockaddr *, socklen_t))real(
		"sendto");

	if (eintr_now(&sendto_calls))
		return -1;
	if (is_netlink(fd)) {
		dump_no++;
		dump_flagged = 0;
	}
	return f(fd, buf, n, flags, to, tolen);
}

static unsigned recvmsg_calls;

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	ssize_t (*f)(int, struct msghdr *, int) =
	    (ssize_t(*)(int, struct msghdr *, int))real("recvmsg");
	ssize_t n;
	char *buf;
	size_t room;
	int e;

	if (eintr_now(&recvmsg_calls))
		return -1;
	n = f(fd, msg, flags);
	if (n <= 0 || msg->msg_iovlen != 1 || !is_netlink(fd))
		return n;
	buf = msg->msg_iov[0].iov_base;
	room = msg->msg_iov[0].iov_len;
	if (env_int("FAULT_REPEAT"))
		n = (ssize_t)repeat_first(buf, (size_t)n, room);
	flag_dump_intr(buf, (size_t)n);
	e = env_int("FAULT_NLMSG_ERROR");
	if (e > 0) {
		const char *at = getenv("FAULT_NLMSG_ERROR_AT");

		n = (ssize_t)inject_error(buf, (size_t)n, room, e, at && *at ? atoi(at) : 1);
	}
	return n;
}
