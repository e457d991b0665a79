#include "model/counters.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/io.h"
#include "util/num.h"

static const struct {
	const char *section; /* line prefix without the colon */
	const char *field;
} counter_defs[TC_C_MAX] = {
    [TC_C_LISTEN_OVERFLOWS] = {"TcpExt", "ListenOverflows"},
    [TC_C_LISTEN_DROPS] = {"TcpExt", "ListenDrops"},
    [TC_C_REQQ_FULL_DO_COOKIES] = {"TcpExt", "TCPReqQFullDoCookies"},
    [TC_C_REQQ_FULL_DROP] = {"TcpExt", "TCPReqQFullDrop"},
    [TC_C_SYNCOOKIES_SENT] = {"TcpExt", "SyncookiesSent"},
    [TC_C_SYNCOOKIES_RECV] = {"TcpExt", "SyncookiesRecv"},
    [TC_C_SYNCOOKIES_FAILED] = {"TcpExt", "SyncookiesFailed"},
    [TC_C_SYN_RETRANS] = {"TcpExt", "TCPSynRetrans"},
    [TC_C_TIMEOUTS] = {"TcpExt", "TCPTimeouts"},
    [TC_C_ABORT_ON_TIMEOUT] = {"TcpExt", "TCPAbortOnTimeout"},
    [TC_C_ABORT_ON_DATA] = {"TcpExt", "TCPAbortOnData"},
    [TC_C_ABORT_ON_CLOSE] = {"TcpExt", "TCPAbortOnClose"},
    [TC_C_ABORT_ON_MEMORY] = {"TcpExt", "TCPAbortOnMemory"},
    [TC_C_KEEPALIVE] = {"TcpExt", "TCPKeepAlive"},
    [TC_C_TW] = {"TcpExt", "TW"},
    [TC_C_TW_OVERFLOW] = {"TcpExt", "TCPTimeWaitOverflow"},
    [TC_C_ACTIVE_OPENS] = {"Tcp", "ActiveOpens"},
    [TC_C_PASSIVE_OPENS] = {"Tcp", "PassiveOpens"},
    [TC_C_ATTEMPT_FAILS] = {"Tcp", "AttemptFails"},
    [TC_C_ESTAB_RESETS] = {"Tcp", "EstabResets"},
    [TC_C_CURR_ESTAB] = {"Tcp", "CurrEstab"},
    [TC_C_RETRANS_SEGS] = {"Tcp", "RetransSegs"},
    [TC_C_IN_ERRS] = {"Tcp", "InErrs"},
    [TC_C_OUT_RSTS] = {"Tcp", "OutRsts"},
    [TC_C_SOCK_INUSE] = {"sockstat", "inuse"},
    [TC_C_SOCK_ORPHAN] = {"sockstat", "orphan"},
    [TC_C_SOCK_TW] = {"sockstat", "tw"},
    [TC_C_SOCK_ALLOC] = {"sockstat", "alloc"},
    [TC_C_SOCK_MEM] = {"sockstat", "mem"},
};

const char *counter_name(int c)
{
	static char buf[TC_C_MAX][48];

	if (c < 0 || c >= TC_C_MAX)
		return "unknown";
	if (!buf[c][0])
		snprintf(buf[c], sizeof(buf[c]), "%s.%s", counter_defs[c].section,
			 counter_defs[c].field);
	return buf[c];
}

static void counter_store(struct tc_counters *c, const char *section, size_t slen,
			  const char *field, size_t flen, int64_t v)
{
	for (int i = 0; i < TC_C_MAX; i++) {
		if (strlen(counter_defs[i].section) != slen ||
		    strncmp(counter_defs[i].section, section, slen) != 0)
			continue;
		if (strlen(counter_defs[i].field) != flen ||
		    strncmp(counter_defs[i].field, field, flen) != 0)
			continue;
		c->v[i] = v;
		c->have |= 1ull << i;
		return;
	}
}

/* A counter value: a signed decimal of at most 19 digits within int64. */
static int parse_value(const char *p, size_t n, int64_t *out)
{
	if (n - (n && p[0] == '-') > 19)
		return -1;
	return num_parse_i64(p, n, out);
}

/* Next whitespace-separated token in [*p, end); false at the end. */
static int next_token(const char **p, const char *end, const char **tok, size_t *n)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s >= end)
		return 0;
	*tok = s;
	while (s < end && *s != ' ' && *s != '\t' && *s != '\r')
		s++;
	*n = (size_t)(s - *tok);
	*p = s;
	return 1;
}

/* The line starting at p (to its newline or end) and where the next begins. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

int counters_parse_pairs(const char *text, size_t len, struct tc_counters *c, const char *what,
			 struct tc_err *err)
{
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;

	if (memchr(text, '\0', len))
		return tc_err_set(err, EINVAL, "%s: binary data in a counter table", what);
	while (p < end) {
		const char *h_end = line_end(p, end), *v, *v_end, *hp, *vp;
		const char *colon = memchr(p, ':', (size_t)(h_end - p));
		const char *hn, *vn;
		size_t slen, hl, vl;
		int64_t val;

		lineno++;
		if (h_end == p || (h_end == p + 1 && *p == '\r')) { /* blank line (CRLF too) */
			p = h_end < end ? h_end + 1 : end;
			continue;
		}
		if (!colon)
			return tc_err_set(err, EINVAL, "%s:%lu: no 'Section:' prefix", what,
					  lineno);
		slen = (size_t)(colon - p);
		if (h_end >= end)
			return tc_err_set(err, EINVAL, "%s:%lu: header line without a value line",
					  what, lineno);
		v = h_end + 1;
		v_end = line_end(v, end);
		lineno++;
		if ((size_t)(v_end - v) <= slen || strncmp(v, p, slen) != 0 || v[slen] != ':')
			return tc_err_set(err, EINVAL,
					  "%s:%lu: value line does not match its header", what,
					  lineno);
		hp = colon + 1;
		vp = v + slen + 1;
		for (;;) {
			int hh = next_token(&hp, h_end, &hn, &hl);
			int vv = next_token(&vp, v_end, &vn, &vl);

			if (hh != vv)
				return tc_err_set(
				    err, EINVAL,
				    "%s:%lu: %.*s has a different number of names and values", what,
				    lineno, (int)(slen > 32 ? 32 : slen), p);
			if (!hh)
				break;
			if (parse_value(vn, vl, &val) < 0)
				return tc_err_set(err, EINVAL, "%s:%lu: bad number '%.*s'", what,
						  lineno, (int)(vl > 24 ? 24 : vl), vn);
			counter_store(c, p, slen, hn, hl, val);
		}
		p = v_end < end ? v_end + 1 : end;
	}
	return 0;
}

int counters_parse_sockstat(const char *text, size_t len, struct tc_counters *c, const char *what,
			    struct tc_err *err)
{
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;

	if (memchr(text, '\0', len))
		return tc_err_set(err, EINVAL, "%s: binary data in sockstat", what);
	while (p < end) {
		const char *le = line_end(p, end), *q, *k, *v;
		size_t kl, vl;
		int64_t val;

		lineno++;
		if ((size_t)(le - p) >= 4 && strncmp(p, "TCP:", 4) == 0) {
			q = p + 4;
			while (next_token(&q, le, &k, &kl)) {
				if (!next_token(&q, le, &v, &vl))
					return tc_err_set(err, EINVAL,
							  "%s:%lu: '%.*s' has no value", what,
							  lineno, (int)(kl > 24 ? 24 : kl), k);
				if (parse_value(v, vl, &val) < 0)
					return tc_err_set(err, EINVAL, "%s:%lu: bad number '%.*s'",
							  what, lineno, (int)(vl > 24 ? 24 : vl),
							  v);
				counter_store(c, "sockstat", 8, k, kl, val);
			}
		}
		p = le < end ? le + 1 : end;
	}
	return 0;
}

int read_small_file(const char *path, size_t max, char **out, size_t *len)
{
	char *buf = malloc(max + 1);
	size_t n = 0;
	int fd, r = 0;

	if (!buf)
		return -ENOMEM;
	fd = io_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(buf);
		return r;
	}
	for (;;) {
		ssize_t got;

		if (n == max) {
			r = -EFBIG;
			break;
		}
		got = io_read(fd, buf + n, max - n);
		if (got < 0) {
			r = -errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

#define COUNTER_FILE_MAX (256 * 1024)

int counters_read(const char *dir, struct tc_counters *c, struct tc_err *err)
{
	static const char *const files[] = {"netstat", "snmp", "sockstat"};
	char path[4096];

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 3; i++) {
		char *text;
		size_t len;
		int r;

		snprintf(path, sizeof(path), "%s/net/%s", dir, files[i]);
		r = read_small_file(path, COUNTER_FILE_MAX, &text, &len);
		if (r == -ENOENT)
			continue;
		if (r == -EFBIG)
			return tc_err_set(err, EFBIG, "%s: larger than %d KiB, not a counter table",
					  path, COUNTER_FILE_MAX / 1024);
		if (r < 0)
			return tc_err_set(err, -r, "cannot read %s: %s", path, strerror(-r));
		if (i == 2)
			r = counters_parse_sockstat(text, len, c, path, err);
		else
			r = counters_parse_pairs(text, len, c, path, err);
		free(text);
		if (r < 0)
			return r;
	}
	return 0;
}
