/* The counter and sysctl parsers, on the input as a /proc/net/netstat or
 * /proc/net/snmp table, as /proc/net/sockstat and as the text of a sysctl
 * file, each time from a heap copy of exactly the input's size with no NUL
 * after it, so AddressSanitizer sees any read past `len`.
 *
 * Contracts checked beyond "no crash":
 *   - counters_parse_pairs / counters_parse_sockstat return 0 or -EINVAL; a
 *     failure has a message that names the input (`what`); a success marks
 *     only known counters in `have` (sockstat only the sockstat ones).
 *   - Both give the same answer with a newline appended (a missing final
 *     newline does not matter) and with every LF turned into CRLF (the parsers
 *     take '\r' for a blank, so a CRLF copy of a table is the same table; the
 *     error message, too, must be the same).
 *   - sysctl_parse, count 1 and 2, agrees with a direct reading of its
 *     contract ("count integers separated by blanks", then blanks or newlines):
 *     every accepted value is the input's number, exactly, in int64 range;
 *     anything else is refused. Two exceptions may be refused though they fit:
 *     numbers written with more than 19 digits (leading zeros), and
 *     -9223372036854775808 (like counters.c, the parser takes magnitudes up to
 *     INT64_MAX only).
 *   - When either counter parser accepts the input, a lenient reading of the
 *     format written apart from src/ (below) accepts it too, with the same
 *     counters and values.
 *   - counters_read and sysctl_read on a directory tree in /tmp (one per
 *     process, files created once and rewritten per input, removed at exit;
 *     the trees crashed runs leave behind are removed by the next run):
 *     in DIR/a, net/netstat holds the input and net/snmp and net/sockstat fixed
 *     tables; in DIR/b, net/sockstat holds the input and the other two are
 *     missing; under DIR/sys, net/ipv4/ip_local_port_range and tcp_fin_timeout
 *     hold the input, the other sysctls the linux-6.18-zoo values, and
 *     tcp_max_orphans is missing. Both must give what the parsers give on the
 *     same bytes, with the file's path in the error message, and a sysctl file
 *     over 256 bytes must be refused as too large. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "model/counters.h"
#include "model/sysctl.h"

#define SYSCTL_READ_MAX 256 /* read_small_file's max in sysctl_read (src/model/sysctl.c) */

#define BIT64(i) (1ull << (i))
#define ALL_COUNTERS (BIT64(TC_C_MAX) - 1)
#define SOCKSTAT_COUNTERS                                                                          \
	(BIT64(TC_C_SOCK_INUSE) | BIT64(TC_C_SOCK_ORPHAN) | BIT64(TC_C_SOCK_TW) |                  \
	 BIT64(TC_C_SOCK_ALLOC) | BIT64(TC_C_SOCK_MEM))

/* ---- the counter parsers ---- */

struct parsed {
	int r;
	struct tc_counters c;
	struct tc_err err;
};

typedef int (*counters_parser)(const char *, size_t, struct tc_counters *, const char *,
			       struct tc_err *);

static void parse_counters(counters_parser fn, const char *text, size_t len, const char *what,
			   uint64_t allowed, struct parsed *out)
{
	memset(out, 0, sizeof(*out));
	out->r = fn(text, len, &out->c, what, &out->err);
	fuzz_check_err(out->r, &out->err, what);
	if (out->r != 0 && out->r != -EINVAL)
		FUZZ_FAIL("%s: returned %d, not 0 or -EINVAL", what, out->r);
	if (out->r < 0 && !strstr(out->err.msg, what))
		FUZZ_FAIL("%s: error message '%s' does not name the input", what, out->err.msg);
	if (out->r == 0 && (out->c.have & ~allowed))
		FUZZ_FAIL("%s: have = %#llx marks counters outside %#llx", what,
			  (unsigned long long)out->c.have, (unsigned long long)allowed);
	for (int i = 0; i < TC_C_MAX; i++)
		if ((out->c.have >> i) & 1)
			fuzz_sink += (uint64_t)out->c.v[i] + strlen(counter_name(i));
}

static int same_counters(const struct tc_counters *a, const struct tc_counters *b)
{
	if (a->have != b->have)
		return 0;
	for (int i = 0; i < TC_C_MAX; i++)
		if (((a->have >> i) & 1) && a->v[i] != b->v[i])
			return 0;
	return 1;
}

/* The same verdict, and on success the same counters. */
static void expect_same(const struct parsed *a, const struct parsed *b, const char *what,
			const char *how)
{
	if ((a->r == 0) != (b->r == 0))
		FUZZ_FAIL("%s: returned %d '%s' on the input, but %d '%s' %s", what, a->r,
			  a->err.msg, b->r, b->err.msg, how);
	if (a->r == 0 && !same_counters(&a->c, &b->c))
		FUZZ_FAIL("%s: different counters %s", what, how);
}

/* The input with every LF line end turned into CRLF (a '\n' already after a
 * '\r' stays as it is), in an exact-size buffer. */
static char *to_crlf(const char *text, size_t len, size_t *out_len)
{
	size_t n = len, o = 0;
	char *c;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n' && (i == 0 || text[i - 1] != '\r');
	c = malloc(n ? n : 1);
	if (!c)
		abort();
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
			c[o++] = '\r';
		c[o++] = text[i];
	}
	*out_len = n;
	return c;
}

/* ---- a lenient reading of both formats, for the values ----
 * Written apart from src/model/counters.c: lines split first, numbers read by
 * value. It accepts a superset of what the parsers must accept (any line of
 * blanks is blank, a number may have any count of leading zeros), so when a
 * parser succeeds this must too, with the same counters. */

static int tok_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next token of [*p, e), or NULL at the end. */
static const char *token(const char **p, const char *e, size_t *len)
{
	const char *q = *p, *t;

	while (q < e && tok_sep(*q))
		q++;
	if (q == e)
		return NULL;
	t = q;
	while (q < e && !tok_sep(*q))
		q++;
	*len = (size_t)(q - t);
	*p = q;
	return t;
}

static int ref_number(const char *t, size_t n, int64_t *out)
{
	uint64_t mag = 0;
	int neg = n && t[0] == '-';

	if ((size_t)neg == n)
		return -1;
	for (size_t i = (size_t)neg; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return -1;
		if (__builtin_mul_overflow(mag, 10, &mag) ||
		    __builtin_add_overflow(mag, (uint64_t)(t[i] - '0'), &mag))
			return -1;
	}
	if (mag > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = !neg ? (int64_t)mag : mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	return 0;
}

static void ref_store(struct tc_counters *c, const char *sec, size_t sl, const char *f, size_t fl,
		      int64_t v)
{
	for (int i = 0; i < TC_C_MAX; i++) {
		const char *name = counter_name(i);

		if (strlen(name) == sl + 1 + fl && memcmp(name, sec, sl) == 0 && name[sl] == '.' &&
		    memcmp(name + sl + 1, f, fl) == 0) {
			c->v[i] = v;
			c->have |= BIT64(i);
		}
	}
}

struct ref_line {
	const char *p, *e;
};

static size_t ref_lines(const char *text, size_t len, struct ref_line *l)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		l[n].p = p;
		l[n++].e = nl ? nl : end;
		p = nl ? nl + 1 : end;
	}
	return n;
}

static int ref_blank(const struct ref_line *l)
{
	for (const char *q = l->p; q < l->e; q++)
		if (!tok_sep(*q))
			return 0;
	return 1;
}

static int ref_pairs(const char *text, size_t len, struct tc_counters *c)
{
	struct ref_line *l = malloc((len + 1) * sizeof(*l));
	size_t n = ref_lines(text, len, l), i = 0;
	int r = 0;

	memset(c, 0, sizeof(*c));
	if (memchr(text, '\0', len))
		r = -1;
	while (r == 0 && i < n) {
		const char *colon, *hp, *vp;
		size_t sl;

		if (ref_blank(&l[i])) {
			i++;
			continue;
		}
		colon = memchr(l[i].p, ':', (size_t)(l[i].e - l[i].p));
		sl = colon ? (size_t)(colon - l[i].p) : 0;
		if (!colon || i + 1 == n || (size_t)(l[i + 1].e - l[i + 1].p) <= sl ||
		    memcmp(l[i + 1].p, l[i].p, sl + 1) != 0) {
			r = -1;
			break;
		}
		hp = colon + 1;
		vp = l[i + 1].p + sl + 1;
		for (;;) {
			size_t hl, vl;
			const char *h = token(&hp, l[i].e, &hl), *v = token(&vp, l[i + 1].e, &vl);
			int64_t val;

			if (!h != !v || (v && ref_number(v, vl, &val) < 0)) {
				r = -1;
				break;
			}
			if (!h)
				break;
			ref_store(c, l[i].p, sl, h, hl, val);
		}
		i += 2;
	}
	free(l);
	return r;
}

static int ref_sockstat(const char *text, size_t len, struct tc_counters *c)
{
	struct ref_line *l = malloc((len + 1) * sizeof(*l));
	size_t n = ref_lines(text, len, l);
	int r = memchr(text, '\0', len) ? -1 : 0;

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (l[i].e - l[i].p < 4 || memcmp(l[i].p, "TCP:", 4) != 0)
			continue;
		const char *q = l[i].p + 4;

		for (;;) {
			size_t kl, vl;
			const char *key = token(&q, l[i].e, &kl), *v;
			int64_t val;

			if (!key)
				break;
			v = token(&q, l[i].e, &vl);
			if (!v || ref_number(v, vl, &val) < 0) {
				r = -1;
				break;
			}
			ref_store(c, "sockstat", 8, key, kl, val);
		}
	}
	free(l);
	return r;
}

static void fuzz_counter_parsers(const char *text, size_t len)
{
	static const struct {
		counters_parser fn;
		int (*ref)(const char *, size_t, struct tc_counters *);
		const char *what;
		uint64_t allowed;
	} parsers[] = {
	    {counters_parse_pairs, ref_pairs, "fuzz/netstat", ALL_COUNTERS},
	    {counters_parse_sockstat, ref_sockstat, "fuzz/sockstat", SOCKSTAT_COUNTERS},
	};
	size_t crlf_len;
	char *nl = malloc(len + 1), *crlf = to_crlf(text, len, &crlf_len);
	struct parsed plain, more;

	if (!nl)
		abort();
	memcpy(nl, text, len);
	nl[len] = '\n';
	for (size_t k = 0; k < sizeof(parsers) / sizeof(parsers[0]); k++) {
		parse_counters(parsers[k].fn, text, len, parsers[k].what, parsers[k].allowed,
			       &plain);
		if (plain.r == 0) {
			struct tc_counters ref;

			if (parsers[k].ref(text, len, &ref) < 0)
				FUZZ_FAIL("%s: accepted, but the lenient reading refuses it (a "
					  "number out of int64 range, or a broken table)",
					  parsers[k].what);
			for (int i = 0; i < TC_C_MAX; i++)
				if (((plain.c.have ^ ref.have) >> i) & 1 ||
				    (((plain.c.have >> i) & 1) && plain.c.v[i] != ref.v[i]))
					FUZZ_FAIL("%s: %s is %s%lld, the input says %s%lld",
						  parsers[k].what, counter_name(i),
						  (plain.c.have >> i) & 1 ? "" : "unset ",
						  (long long)plain.c.v[i],
						  (ref.have >> i) & 1 ? "" : "unset ",
						  (long long)ref.v[i]);
		}
		parse_counters(parsers[k].fn, nl, len + 1, parsers[k].what, parsers[k].allowed,
			       &more);
		expect_same(&plain, &more, parsers[k].what, "with a newline appended");
		parse_counters(parsers[k].fn, crlf, crlf_len, parsers[k].what, parsers[k].allowed,
			       &more);
		expect_same(&plain, &more, parsers[k].what, "with CRLF line ends");
		if (plain.r < 0 && strcmp(plain.err.msg, more.err.msg) != 0)
			FUZZ_FAIL("%s: error '%s' with LF but '%s' with CRLF", parsers[k].what,
				  plain.err.msg, more.err.msg);
	}
	free(nl);
	free(crlf);
}

/* ---- sysctl_parse and what its contract says ---- */

enum {
	O_REFUSE,
	O_ACCEPT,
	O_EITHER
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* `count` integers separated by blanks, optional blanks before, blanks and
 * newlines after; each value in int64 range. O_EITHER when every number is in
 * range but one has more than 19 digits or is INT64_MIN. */
static int sysctl_oracle(const char *t, size_t len, int count, int64_t *vals)
{
	size_t i = 0;
	int either = 0;

	if (memchr(t, '\0', len))
		return O_REFUSE;
	while (i < len && is_blank(t[i]))
		i++;
	for (int k = 0; k < count; k++) {
		size_t start;
		uint64_t mag = 0;
		int neg = 0, over = 0;

		if (k > 0) {
			start = i;
			while (i < len && is_blank(t[i]))
				i++;
			if (i == start)
				return O_REFUSE;
		}
		if (i < len && t[i] == '-') {
			neg = 1;
			i++;
		}
		start = i;
		for (; i < len && t[i] >= '0' && t[i] <= '9'; i++)
			if (__builtin_mul_overflow(mag, 10, &mag) ||
			    __builtin_add_overflow(mag, (uint64_t)(t[i] - '0'), &mag))
				over = 1;
		if (i == start)
			return O_REFUSE;
		if (over || mag > (uint64_t)INT64_MAX + neg)
			return O_REFUSE;
		if (i - start > 19 || (neg && mag == (uint64_t)INT64_MAX + 1))
			either = 1;
		vals[k] = !neg				   ? (int64_t)mag
			  : mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
							   : -(int64_t)mag;
	}
	while (i < len && (is_blank(t[i]) || t[i] == '\n'))
		i++;
	if (i != len)
		return O_REFUSE;
	return either ? O_EITHER : O_ACCEPT;
}

static void describe(char *buf, size_t size, const char *t, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < size; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			buf[o++] = (char)ch;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
	}
	buf[o] = '\0';
}

static void show_values(char *buf, size_t size, const int64_t *v, int count)
{
	if (count == 1)
		snprintf(buf, size, "%lld", (long long)v[0]);
	else
		snprintf(buf, size, "%lld %lld", (long long)v[0], (long long)v[1]);
}

/* sysctl_parse's answer, checked; returns it. */
static int fuzz_sysctl_parse(const char *text, size_t len, int count, int64_t *vals)
{
	int64_t want[2] = {0, 0};
	int r, o = sysctl_oracle(text, len, count, want);
	char shown[128], got_s[48], want_s[48];

	vals[0] = vals[1] = 0;
	r = sysctl_parse(text, len, vals, count);
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		FUZZ_FAIL("sysctl_parse(count %d) returned %d", count, r);
	describe(shown, sizeof(shown), text, len);
	show_values(got_s, sizeof(got_s), vals, count);
	show_values(want_s, sizeof(want_s), want, count);
	if (o == O_REFUSE && r == 0)
		FUZZ_FAIL("sysctl_parse(count %d) accepted '%s' as %s; it is not %d number(s) "
			  "within int64 separated by blanks",
			  count, shown, got_s, count);
	if (o == O_ACCEPT && r != 0)
		FUZZ_FAIL("sysctl_parse(count %d) refused '%s' (%d); want %s", count, shown, r,
			  want_s);
	if (r == 0 && (vals[0] != want[0] || (count == 2 && vals[1] != want[1])))
		FUZZ_FAIL("sysctl_parse(count %d) read '%s' as %s, want %s", count, shown, got_s,
			  want_s);
	return r;
}

/* ---- counters_read and sysctl_read on a tree in /tmp ---- */

#define TREE_PREFIX "tcpdoc-fuzz_counters." /* then PID.XXXXXX, in /tmp */
#define STALE_SECONDS 600

static char dir[64];	 /* /tmp/tcpdoc-fuzz_counters.PID.XXXXXX */
static char dir_a[96];	 /* DIR/a: net/netstat the input, net/snmp and net/sockstat fixed */
static char dir_b[96];	 /* DIR/b: net/sockstat the input, no netstat or snmp */
static char sysroot[96]; /* DIR/sys */
static int fd_netstat = -1, fd_sockstat = -1, fd_range = -1, fd_fin = -1;
static struct tc_sysctls sys_base; /* sysctl_read of the tree as created */

static const char fixed_snmp[] = "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens "
				 "PassiveOpens CurrEstab OutRsts\n"
				 "Tcp: 1 200 120000 -1 1207 1180 46 341\n";
static const char fixed_sockstat[] = "sockets: used 56\n"
				     "TCP: inuse 48 orphan 0 tw 5 alloc 198067 mem 3051\n"
				     "UDP: inuse 0 mem 0\n";

/* linux-6.18-zoo/sys (fixtures), but tcp_max_orphans, left out on purpose. */
static const struct {
	const char *path, *text;
	int *fd; /* rewritten per input when set */
} sys_files[] = {
    {"net/core/somaxconn", "4096\n", NULL},
    {"net/ipv4/ip_local_port_range", "32768\t60999\n", &fd_range},
    {"net/ipv4/tcp_fin_timeout", "60\n", &fd_fin},
    {"net/ipv4/tcp_keepalive_intvl", "75\n", NULL},
    {"net/ipv4/tcp_keepalive_probes", "9\n", NULL},
    {"net/ipv4/tcp_keepalive_time", "7200\n", NULL},
    {"net/ipv4/tcp_max_syn_backlog", "2048\n", NULL},
    {"net/ipv4/tcp_max_tw_buckets", "131072\n", NULL},
    {"net/ipv4/tcp_orphan_retries", "0\n", NULL},
    {"net/ipv4/tcp_syn_retries", "6\n", NULL},
    {"net/ipv4/tcp_synack_retries", "5\n", NULL},
    {"net/ipv4/tcp_syncookies", "1\n", NULL},
    {"net/ipv4/tcp_tw_reuse", "2\n", NULL},
};

static void overwrite(int fd, const void *p, size_t n)
{
	size_t done = 0;

	/* write, then cut: truncating to 0 first costs ext4 three times as much */
	while (done < n) {
		ssize_t w = pwrite(fd, (const char *)p + done, n - done, (off_t)done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	if (ftruncate(fd, (off_t)n) < 0)
		abort();
}

static int make_file(const char *rel, const char *text)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(path);
		abort();
	}
	overwrite(fd, text, strlen(text));
	return fd;
}

static void make_dirs(const char *const *rel, size_t n)
{
	char path[256];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, rel[i]);
		if (mkdir(path, 0700) < 0) {
			perror(path);
			abort();
		}
	}
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_tree(void)
{
	if (dir[0])
		nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* A crash ends the process without atexit, leaving its tree: remove the trees
 * of processes that are gone and have not written them for 10 minutes (a live
 * one rewrites a/net/netstat for every input). */
static void remove_stale_trees(void)
{
	const size_t pl = strlen(TREE_PREFIX);
	time_t now = time(NULL);
	struct dirent *e;
	DIR *d = opendir("/tmp");

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[320], *end;
		struct stat st;
		long pid;

		if (strncmp(e->d_name, TREE_PREFIX, pl) != 0)
			continue;
		pid = strtol(e->d_name + pl, &end, 10);
		if (end == e->d_name + pl || *end != '.' || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s/a/net/netstat", e->d_name);
		if (stat(path, &st) == 0 && now - st.st_mtime < STALE_SECONDS)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", e->d_name);
		nftw(path, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

static void make_tree(void)
{
	static const char *const dirs[] = {"a",	      "a/net",	      "b",	     "b/net", "sys",
					   "sys/net", "sys/net/core", "sys/net/ipv4"};
	struct tc_err err = {0};
	int fd;

	remove_stale_trees();
	snprintf(dir, sizeof(dir), "/tmp/" TREE_PREFIX "%ld.XXXXXX", (long)getpid());
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		abort();
	}
	atexit(remove_tree);
	make_dirs(dirs, sizeof(dirs) / sizeof(dirs[0]));
	fd_netstat = make_file("a/net/netstat", "");
	close(make_file("a/net/snmp", fixed_snmp));
	close(make_file("a/net/sockstat", fixed_sockstat));
	fd_sockstat = make_file("b/net/sockstat", "");
	for (size_t i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "sys/%s", sys_files[i].path);
		fd = make_file(rel, sys_files[i].text);
		if (sys_files[i].fd)
			*sys_files[i].fd = fd;
		else
			close(fd);
	}
	snprintf(dir_a, sizeof(dir_a), "%s/a", dir);
	snprintf(dir_b, sizeof(dir_b), "%s/b", dir);
	snprintf(sysroot, sizeof(sysroot), "%s/sys", dir);
	if (sysctl_read(sysroot, &sys_base, &err) < 0 ||
	    sys_base.have != ((1u << TC_S_MAX) - 1 - (1u << TC_S_MAX_ORPHANS))) {
		fprintf(stderr, "fuzz_counters: sysctl_read of the fixed tree: %s (have %#x)\n",
			err.msg, sys_base.have);
		abort();
	}
}

/* counters_read(d) must give what its parsers give on the same bytes. */
static void expect_read(const char *d, const struct parsed *want)
{
	struct parsed got;

	memset(&got.c, 0xa5, sizeof(got.c)); /* counters_read clears it */
	memset(&got.err, 0, sizeof(got.err));
	got.r = counters_read(d, &got.c, &got.err);
	fuzz_check_err(got.r, &got.err, "counters_read");
	if (got.r != want->r || strcmp(got.err.msg, want->err.msg) != 0)
		FUZZ_FAIL("counters_read(%s) returned %d '%s'; its parsers on the same bytes %d "
			  "'%s'",
			  d, got.r, got.err.msg, want->r, want->err.msg);
	if (got.r == 0 && !same_counters(&got.c, &want->c))
		FUZZ_FAIL("counters_read(%s): counters differ from its parsers' on the same bytes",
			  d);
}

static void fuzz_counters_read(const char *text, size_t len)
{
	char path[160];
	struct parsed want;

	overwrite(fd_netstat, text, len);
	overwrite(fd_sockstat, text, len);

	/* netstat, snmp, sockstat, in that order, stopping at the first error */
	memset(&want, 0, sizeof(want));
	snprintf(path, sizeof(path), "%s/net/netstat", dir_a);
	want.r = counters_parse_pairs(text, len, &want.c, path, &want.err);
	snprintf(path, sizeof(path), "%s/net/snmp", dir_a);
	if (want.r == 0)
		want.r = counters_parse_pairs(fixed_snmp, sizeof(fixed_snmp) - 1, &want.c, path,
					      &want.err);
	snprintf(path, sizeof(path), "%s/net/sockstat", dir_a);
	if (want.r == 0)
		want.r = counters_parse_sockstat(fixed_sockstat, sizeof(fixed_sockstat) - 1,
						 &want.c, path, &want.err);
	expect_read(dir_a, &want);

	/* missing files leave their counters unset */
	memset(&want, 0, sizeof(want));
	snprintf(path, sizeof(path), "%s/net/sockstat", dir_b);
	want.r = counters_parse_sockstat(text, len, &want.c, path, &want.err);
	expect_read(dir_b, &want);
}

static void fuzz_sysctl_read(const char *text, size_t len, int r2, const int64_t *v2, int r1,
			     const int64_t *v1)
{
	struct tc_sysctls s, want = sys_base;
	struct tc_err err = {0};
	char msg[sizeof(err.msg)];
	int r;

	overwrite(fd_range, text, len);
	overwrite(fd_fin, text, len);
	r = sysctl_read(sysroot, &s, &err);
	fuzz_check_err(r, &err, "sysctl_read");
	/* read_small_file is documented to take files of "at most max bytes"
	 * but refuses one of exactly max bytes: either answer is let through. */
	if (len == SYSCTL_READ_MAX && r == -EFBIG)
		return;
	if (len > SYSCTL_READ_MAX) {
		snprintf(msg, sizeof(msg),
			 "cannot read %s/net/ipv4/ip_local_port_range: too large for a sysctl",
			 sysroot);
		if (r != -EFBIG || strcmp(err.msg, msg) != 0)
			FUZZ_FAIL("sysctl_read of a %zu-byte file: %d '%s', want %d '%s'", len, r,
				  err.msg, -EFBIG, msg);
		return;
	}
	/* a port range is two numbers in 0-65535, low first */
	if (r2 == 0 && (v2[0] < 0 || v2[1] > 65535 || v2[0] > v2[1])) {
		snprintf(msg, sizeof(msg),
			 "%s/net/ipv4/ip_local_port_range: not a port range (0-65535, low first)",
			 sysroot);
		if (r != -EINVAL || strcmp(err.msg, msg) != 0)
			FUZZ_FAIL("sysctl_read returned %d '%s', want %d '%s'", r, err.msg, -EINVAL,
				  msg);
		return;
	}
	if (r2 < 0 || r1 < 0) {
		snprintf(msg, sizeof(msg), "%s/net/ipv4/%s", sysroot,
			 r2 < 0 ? "ip_local_port_range: not two numbers"
				: "tcp_fin_timeout: not a number");
		if (r != -EINVAL || strcmp(err.msg, msg) != 0)
			FUZZ_FAIL("sysctl_read returned %d '%s', want %d '%s'", r, err.msg, -EINVAL,
				  msg);
		return;
	}
	want.v[TC_S_PORT_LO] = v2[0];
	want.v[TC_S_PORT_HI] = v2[1];
	want.v[TC_S_FIN_TIMEOUT] = v1[0];
	if (r != 0)
		FUZZ_FAIL("sysctl_read failed (%s) on files sysctl_parse accepts", err.msg);
	if (s.have != want.have)
		FUZZ_FAIL("sysctl_read: have %#x, want %#x", s.have, want.have);
	for (int i = 0; i < TC_S_MAX; i++) {
		if (sysctl_has(&s, i) && s.v[i] != want.v[i])
			FUZZ_FAIL("sysctl_read: %s = %lld, want %lld", sysctl_name(i),
				  (long long)s.v[i], (long long)want.v[i]);
		fuzz_sink += strlen(sysctl_name(i));
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_tree();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_dup(data, size);
	int64_t v1[2], v2[2];
	int r1, r2;

	fuzz_counter_parsers(text, size);
	r1 = fuzz_sysctl_parse(text, size, 1, v1);
	r2 = fuzz_sysctl_parse(text, size, 2, v2);
	fuzz_counters_read(text, size);
	fuzz_sysctl_read(text, size, r2, v2, r1, v1);
	free(text);
	return 0;
}
