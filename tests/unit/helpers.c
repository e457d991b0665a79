#include "helpers.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "render/fmt.h"

const char *fixture(const char *rel)
{
	static char bufs[4][4096];
	static unsigned next;
	const char *dir = getenv("TCPDOC_FIXTURES");
	char *b;

	if (!dir || !*dir)
		ck_abort_msg("TCPDOC_FIXTURES is not set: point it at the fixtures directory "
			     "(make unit does: TCPDOC_FIXTURES=/work/shared/fixtures)");
	b = bufs[next++ % 4];
	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, rel);
	return b;
}

char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!fp)
		ck_abort_msg("cannot open %s: %s", path, strerror(errno));
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	ck_assert_msg(!ferror(fp), "read error on %s", path);
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int sockvec_cb(const struct tc_sock *sk, void *arg)
{
	struct sockvec *sv = arg;

	if (sv->n == sv->cap) {
		size_t ncap = sv->cap ? sv->cap * 2 : 64;
		struct tc_sock *nv = realloc(sv->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		sv->v = nv;
		sv->cap = ncap;
	}
	sv->v[sv->n++] = *sk;
	return 1;
}

void sockvec_free(struct sockvec *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void sk_local(const struct tc_sock *sk, char *buf, size_t size)
{
	fmt_endpoint(buf, size, sk->family, sk->src, sk->sport, 1);
}

void sk_peer(const struct tc_sock *sk, char *buf, size_t size)
{
	fmt_endpoint(buf, size, sk->family, sk->dst, sk->dport, 1);
}

const struct tc_sock *sockvec_find(const struct sockvec *sv, const char *local, const char *peer)
{
	char l[80], p[80];

	for (size_t i = 0; i < sv->n; i++) {
		sk_local(&sv->v[i], l, sizeof(l));
		sk_peer(&sv->v[i], p, sizeof(p));
		if (strcmp(l, local) == 0 && strcmp(p, peer) == 0)
			return &sv->v[i];
	}
	return NULL;
}

FILE *capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->fp);
	return c->fp;
}

const char *capture_text(struct capture *c)
{
	if (c->fp) {
		ck_assert_int_eq(fclose(c->fp), 0);
		c->fp = NULL;
	}
	return c->buf ? c->buf : "";
}

void capture_free(struct capture *c)
{
	if (c->fp)
		fclose(c->fp);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

/* ---- a small strict JSON checker (recursive descent) ---- */

struct jc {
	const unsigned char *s;
	size_t len, pos;
	const char *why;
	int depth;
};

static void jc_ws(struct jc *j)
{
	while (j->pos < j->len && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' ||
				   j->s[j->pos] == '\n' || j->s[j->pos] == '\r'))
		j->pos++;
}

static int jc_fail(struct jc *j, const char *why)
{
	if (!j->why)
		j->why = why;
	return 0;
}

static int jc_lit(struct jc *j, const char *lit)
{
	size_t n = strlen(lit);

	if (j->len - j->pos < n || memcmp(j->s + j->pos, lit, n) != 0)
		return jc_fail(j, "bad literal");
	j->pos += n;
	return 1;
}

static int jc_hex4(struct jc *j, unsigned *v)
{
	*v = 0;
	if (j->len - j->pos < 4)
		return jc_fail(j, "short \\u escape");
	for (int i = 0; i < 4; i++) {
		unsigned char c = j->s[j->pos++];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return jc_fail(j, "bad hex digit in \\u escape");
		*v = *v << 4 | d;
	}
	return 1;
}

/* One UTF-8 sequence at j->pos, per RFC 3629 (no overlongs, surrogates or
 * code points above U+10FFFF). */
static int jc_utf8(struct jc *j)
{
	const unsigned char *p = j->s + j->pos;
	size_t left = j->len - j->pos, n;
	unsigned cp;

	if (p[0] < 0x80)
		n = 1, cp = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1fu;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0fu;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07u;
	else
		return jc_fail(j, "invalid UTF-8 lead byte");
	if (left < n)
		return jc_fail(j, "truncated UTF-8");
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return jc_fail(j, "invalid UTF-8 continuation");
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
		return jc_fail(j, "overlong UTF-8");
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return jc_fail(j, "UTF-8 outside Unicode scalar values");
	j->pos += n;
	return 1;
}

static int jc_string(struct jc *j)
{
	if (j->pos >= j->len || j->s[j->pos] != '"')
		return jc_fail(j, "expected string");
	j->pos++;
	while (j->pos < j->len) {
		unsigned char c = j->s[j->pos];

		if (c == '"') {
			j->pos++;
			return 1;
		}
		if (c < 0x20)
			return jc_fail(j, "raw control character in string");
		if (c == '\\') {
			unsigned v;

			j->pos++;
			if (j->pos >= j->len)
				return jc_fail(j, "truncated escape");
			c = j->s[j->pos++];
			if (strchr("\"\\/bfnrt", c) && c)
				continue;
			if (c != 'u')
				return jc_fail(j, "bad escape");
			if (!jc_hex4(j, &v))
				return 0;
			if (v >= 0xdc00 && v <= 0xdfff)
				return jc_fail(j, "lone low surrogate escape");
			if (v >= 0xd800 && v <= 0xdbff) {
				unsigned w;

				if (!jc_lit(j, "\\u") || !jc_hex4(j, &w) || w < 0xdc00 ||
				    w > 0xdfff)
					return jc_fail(j, "lone high surrogate escape");
			}
			continue;
		}
		if (!jc_utf8(j))
			return 0;
	}
	return jc_fail(j, "unterminated string");
}

static int jc_number(struct jc *j)
{
	size_t start = j->pos;

	if (j->pos < j->len && j->s[j->pos] == '-')
		j->pos++;
	if (j->pos >= j->len)
		return jc_fail(j, "truncated number");
	if (j->s[j->pos] == '0') {
		j->pos++;
	} else if (j->s[j->pos] >= '1' && j->s[j->pos] <= '9') {
		while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
			j->pos++;
	} else {
		return jc_fail(j, "bad number");
	}
	if (j->pos < j->len && j->s[j->pos] == '.') {
		size_t d = ++j->pos;

		while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
			j->pos++;
		if (j->pos == d)
			return jc_fail(j, "no digits after decimal point");
	}
	if (j->pos < j->len && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		size_t d;

		j->pos++;
		if (j->pos < j->len && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		d = j->pos;
		while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9')
			j->pos++;
		if (j->pos == d)
			return jc_fail(j, "no digits in exponent");
	}
	return j->pos > start;
}

static int jc_value(struct jc *j);

static int jc_container(struct jc *j, char close, int obj)
{
	j->pos++; /* the opening bracket */
	if (++j->depth > 512)
		return jc_fail(j, "too deep");
	jc_ws(j);
	if (j->pos < j->len && j->s[j->pos] == (unsigned char)close) {
		j->pos++;
		j->depth--;
		return 1;
	}
	for (;;) {
		jc_ws(j);
		if (obj) {
			if (!jc_string(j))
				return 0;
			jc_ws(j);
			if (j->pos >= j->len || j->s[j->pos] != ':')
				return jc_fail(j, "expected ':'");
			j->pos++;
		}
		if (!jc_value(j))
			return 0;
		jc_ws(j);
		if (j->pos >= j->len)
			return jc_fail(j, "unterminated container");
		if (j->s[j->pos] == ',') {
			j->pos++;
			continue;
		}
		if (j->s[j->pos] == (unsigned char)close) {
			j->pos++;
			j->depth--;
			return 1;
		}
		return jc_fail(j, "expected ',' or closing bracket");
	}
}

static int jc_value(struct jc *j)
{
	jc_ws(j);
	if (j->pos >= j->len)
		return jc_fail(j, "expected a value");
	switch (j->s[j->pos]) {
	case '{':
		return jc_container(j, '}', 1);
	case '[':
		return jc_container(j, ']', 0);
	case '"':
		return jc_string(j);
	case 't':
		return jc_lit(j, "true");
	case 'f':
		return jc_lit(j, "false");
	case 'n':
		return jc_lit(j, "null");
	default:
		return jc_number(j);
	}
}

int json_check(const char *s, size_t len, const char **why, size_t *at)
{
	struct jc j = {.s = (const unsigned char *)s, .len = len};

	if (jc_value(&j)) {
		jc_ws(&j);
		if (j.pos == j.len)
			return 1;
		jc_fail(&j, "trailing data after the document");
	}
	if (why)
		*why = j.why ? j.why : "invalid";
	if (at)
		*at = j.pos;
	return 0;
}

void assert_text_eq_at(const char *got, const char *want, const char *file, int line)
{
	size_t i = 0, ls = 0, lineno = 1;
	size_t ge, we;

	if (strcmp(got, want) == 0)
		return;
	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n') {
			ls = i + 1;
			lineno++;
		}
		i++;
	}
	ge = ls;
	while (got[ge] && got[ge] != '\n')
		ge++;
	we = ls;
	while (want[we] && want[we] != '\n')
		we++;
	_ck_assert_failed(
	    file, line, "text differs",
	    "text differs at line %zu, column %zu:\n   got: \"%.*s\"\n  want: \"%.*s\"\n"
	    "(got %zu bytes, want %zu bytes)",
	    lineno, i - ls + 1, (int)(ge - ls), got + ls, (int)(we - ls), want + ls, strlen(got),
	    strlen(want));
}

/* ---- the kernel's inet_diag_bc_audit, rewritten from its rules ---- */

/* Is there an op boundary `cc` bytes before the end, walking the yes chain? */
static int audit_valid_cc(const uint8_t *bc, int len, int cc)
{
	while (len >= 0) {
		struct inet_diag_bc_op op;

		if (cc > len)
			return 0;
		if (cc == len)
			return 1;
		if (len < (int)sizeof(op))
			return 0;
		memcpy(&op, bc, sizeof(op));
		if (op.yes < 4 || op.yes & 3)
			return 0;
		len -= op.yes;
		bc += op.yes;
	}
	return 0;
}

/* 0 when the kernel would accept the program; otherwise why not. */
const char *bc_audit(const uint8_t *bytecode, size_t blen)
{
	const uint8_t *bc = bytecode;
	int len = (int)blen;

	if (blen < sizeof(struct inet_diag_bc_op))
		return "shorter than one op";
	while (len > 0) {
		int min_len = (int)sizeof(struct inet_diag_bc_op);
		struct inet_diag_bc_op op;

		if (len < min_len)
			return "op cut short";
		memcpy(&op, bc, sizeof(op));
		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;
			int alen;

			min_len += (int)sizeof(hc);
			if (len < min_len)
				return "hostcond cut short";
			memcpy(&hc, bc + sizeof(op), sizeof(hc));
			if (hc.family == AF_UNSPEC)
				alen = 0;
			else if (hc.family == AF_INET)
				alen = 4;
			else if (hc.family == AF_INET6)
				alen = 16;
			else
				return "hostcond family";
			min_len += alen;
			if (len < min_len)
				return "hostcond address cut short";
			if (hc.prefix_len > 8 * alen)
				return "hostcond prefix longer than the address";
			break;
		}
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_EQ:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
			min_len += (int)sizeof(struct inet_diag_bc_op);
			if (len < min_len)
				return "port comparison without its argument";
			break;
		case INET_DIAG_BC_AUTO:
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
			break;
		default:
			return "unknown op code";
		}
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min_len || op.no > len + 4 || op.no & 3)
				return "bad 'no' jump";
			if (op.no < len && !audit_valid_cc(bytecode, (int)blen, len - op.no))
				return "'no' jump lands inside an op";
		}
		if (op.yes < min_len || op.yes > len + 4 || op.yes & 3)
			return "bad 'yes' jump";
		bc += op.yes;
		len -= op.yes;
	}
	return len == 0 ? NULL : "yes chain does not end exactly at the end";
}
