#include "source/diagfile.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdint.h>
#include <string.h>

#include "source/netlink.h"
#include "source/seen.h"

/* Larger than any inet_diag message a kernel sends (tcp_info and friends are
 * well under 1 KiB); a length beyond it is a lie, not a socket. */
#define DIAGFILE_MSG_MAX (64 * 1024)

#define READ_FAILED (-2) /* from read_full: errno says why */

/* Read exactly n bytes; returns n, 0 at a clean end of file, -1 when the
 * file ends in the middle, READ_FAILED when reading fails (a directory, an
 * I/O error). A signal (EINTR) does not end it. */
static long read_full(FILE *fp, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t k = fread((char *)buf + got, 1, n - got, fp);

		got += k;
		if (k == 0 && ferror(fp)) {
			if (errno != EINTR)
				return READ_FAILED;
			clearerr(fp);
			continue;
		}
		if (k == 0)
			break;
	}
	if (got == n)
		return (long)n;
	return got == 0 ? 0 : -1;
}

static int read_failed(const char *name, struct tc_err *err)
{
	int e = errno ? errno : EIO;

	return tc_err_set(err, e, "cannot read %s: %s", name, strerror(e));
}

int diagfile_walk_stream(FILE *fp, const char *name, const struct tc_filter *f, tc_sock_cb cb,
			 void *arg, struct tc_err *err)
{
	static uint8_t buf[DIAGFILE_MSG_MAX];
	static struct tc_seen seen;
	struct nlmsghdr *nlh = (struct nlmsghdr *)(void *)buf;
	unsigned long off = 0, nmsg = 0;
	struct tc_sock sk;
	int r;

	seen_reset(&seen);
	for (;;) {
		long got = read_full(fp, buf, NLMSG_HDRLEN);
		size_t body, pad;
		const char *why;

		if (got == 0)
			break;
		if (got == READ_FAILED)
			return read_failed(name, err);
		if (got < 0)
			return tc_err_set(err, EINVAL, "%s: offset %lu: truncated message header",
					  name, off);
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > DIAGFILE_MSG_MAX)
			return tc_err_set(err, EINVAL, "%s: offset %lu: bad message length %u",
					  name, off, nlh->nlmsg_len);
		body = nlh->nlmsg_len - NLMSG_HDRLEN;
		pad = NLMSG_ALIGN(nlh->nlmsg_len) - nlh->nlmsg_len;
		got = body ? read_full(fp, buf + NLMSG_HDRLEN, body) : 0;
		if (got == READ_FAILED)
			return read_failed(name, err);
		if (got != (long)body)
			return tc_err_set(
			    err, EINVAL,
			    "%s: offset %lu: message of %u bytes cut short by end of file", name,
			    off, nlh->nlmsg_len);
		/* Alignment padding may be absent after the very last message. */
		if (pad && read_full(fp, buf + nlh->nlmsg_len, pad) == READ_FAILED)
			return read_failed(name, err);
		nmsg++;
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE: /* end of one family's dump: the next may follow */
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR:
			return tc_err_set(err, EINVAL,
					  "%s: offset %lu: the dump holds an error message", name,
					  off);
		case SOCK_DIAG_BY_FAMILY:
			if (nl_decode(buf, nlh->nlmsg_len, &sk, &why) < 0)
				return tc_err_set(err, EINVAL, "%s: offset %lu: %s", name, off,
						  why);
			/* the kernel's repeats, as the live dump drops them */
			if ((f && !filter_match(f, &sk)) || seen_repeat(&seen, sk.cookie))
				break;
			r = cb(&sk, arg);
			if (r <= 0)
				return r;
			break;
		default:
			return tc_err_set(err, EINVAL, "%s: offset %lu: unexpected message type %u",
					  name, off, nlh->nlmsg_type);
		}
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (ferror(fp))
		return tc_err_set(err, EIO, "%s: read error", name);
	if (nmsg == 0)
		return tc_err_set(err, EINVAL, "%s: empty file, not a sock_diag dump", name);
	return 1;
}

int diagfile_walk(const char *path, const struct tc_filter *f, tc_sock_cb cb, void *arg,
		  struct tc_err *err)
{
	FILE *fp;
	int r;

	if (strcmp(path, "-") == 0)
		return diagfile_walk_stream(stdin, "standard input", f, cb, arg, err);
	do
		fp = fopen(path, "rbe");
	while (!fp && errno == EINTR);
	if (!fp)
		return tc_err_set(err, errno, "cannot open %s: %s", path, strerror(errno));
	r = diagfile_walk_stream(fp, path, f, cb, arg, err);
	fclose(fp);
	return r;
}
