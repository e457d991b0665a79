#include "render/fmt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

_Static_assert(FMT_IP_MAX == INET6_ADDRSTRLEN, "FMT_IP_MAX holds what inet_ntop writes");

/* One to three decimal digits of an octet. */
static size_t put_octet(char *o, unsigned v)
{
	size_t n = 0;

	if (v >= 100)
		o[n++] = (char)('0' + v / 100);
	if (v >= 10)
		o[n++] = (char)('0' + v / 10 % 10);
	o[n++] = (char)('0' + v % 10);
	return n;
}

static size_t put_ipv4(char *o, const uint8_t *a)
{
	size_t n = put_octet(o, a[0]);

	for (int i = 1; i < 4; i++) {
		o[n++] = '.';
		n += put_octet(o + n, a[i]);
	}
	return n;
}

/* A 16-bit group in lowercase hex without leading zeros. */
static size_t put_group(char *o, unsigned v)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (int shift = 12; shift > 0; shift -= 4)
		if (n || v >> shift)
			o[n++] = hex[v >> shift & 15];
	o[n++] = hex[v & 15];
	return n;
}

/* IPv6 as glibc's inet_ntop (and so ss) writes it: the first longest run of
 * two or more zero groups becomes "::", and the last 32 bits are written as
 * dotted IPv4 after 80 zero bits and ffff (v4-mapped), or after 96 zero bits
 * when the 7th group is not zero ("::1:2" is "::0.1.0.2", "::2" stays). */
static size_t put_ipv6(char *o, const uint8_t *a)
{
	unsigned w[8];
	int best = -1, best_len = 0, run = -1;
	size_t n = 0;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (run < 0)
				run = i;
			continue;
		}
		if (run >= 0 && i - run > best_len) {
			best = run;
			best_len = i - run;
		}
		run = -1;
	}
	if (best_len < 2) /* no "::": no group falls in the run below */
		best_len = 0;
	for (int i = 0; i < 8; i++) {
		if (i >= best && i < best + best_len) {
			if (i == best)
				o[n++] = ':';
			continue;
		}
		if (i)
			o[n++] = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return n + put_ipv4(o + n, a + 12);
		n += put_group(o + n, w[i]);
	}
	if (best + best_len == 8)
		o[n++] = ':';
	return n;
}

size_t fmt_ip(char *buf, int family, const uint8_t *addr)
{
	size_t n = family == AF_INET6 ? put_ipv6(buf, addr) : put_ipv4(buf, addr);

	buf[n] = '\0';
	return n;
}

void fmt_addr(char *buf, size_t size, int family, const uint8_t *addr)
{
	char t[FMT_IP_MAX];
	size_t n = fmt_ip(t, family, addr);

	if (n < size)
		memcpy(buf, t, n + 1);
	else
		snprintf(buf, size, "?");
}

size_t fmt_u64(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/* The list prints one of these per socket: no printf on this path. */
void fmt_endpoint(char *buf, size_t size, int family, const uint8_t *addr, uint16_t port, int star)
{
	char t[FMT_IP_MAX + 8]; /* "[" addr "]:" 5 digits */
	size_t o;

	if (size == 0)
		return;
	if (family == AF_INET6) {
		t[0] = '[';
		o = fmt_ip(t + 1, family, addr) + 1;
		t[o++] = ']';
	} else {
		o = fmt_ip(t, family, addr);
	}
	t[o++] = ':';
	if (star && port == 0) {
		t[o++] = '*';
		t[o] = '\0';
	} else {
		o += fmt_u64(t + o, port);
	}
	/* cut like snprintf when buf is short */
	if (o >= size)
		o = size - 1;
	memcpy(buf, t, o);
	buf[o] = '\0';
}

void fmt_duration_ms(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, size, "%llums", (unsigned long long)ms);
	else if (s < 10)
		snprintf(buf, size, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000 / 100));
	else if (s < 60)
		snprintf(buf, size, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, size, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, size, "%llud%02lluh", (unsigned long long)(s / 86400),
			 (unsigned long long)(s % 86400 / 3600));
}

size_t fmt_utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlongs and surrogates */
	if (n == 3 && s[0] == 0xe0 && s[1] < 0xa0)
		return 0;
	if (n == 3 && s[0] == 0xed && s[1] >= 0xa0)
		return 0;
	if (n == 4 && s[0] == 0xf0 && s[1] < 0x90)
		return 0;
	if (n == 4 && s[0] == 0xf4 && s[1] >= 0x90)
		return 0;
	return n;
}

static void escape(char *buf, size_t size, const char *in, int double_backslash)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	if (size == 0)
		return;
	while (*s) {
		size_t n = fmt_utf8_len(s);
		char tmp[16];
		size_t tn;

		if (n == 1 && (*s < 0x20 || *s == 0x7f)) {
			tn = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", *s);
		} else if (n == 1 && *s == '\\' && double_backslash) {
			tn = 2;
			memcpy(tmp, "\\\\", 2);
		} else if (n == 0) {
			tn = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", *s);
			n = 1;
		} else if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0) {
			/* C1 controls (U+0080..U+009F) act on some terminals */
			tn = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x\\x%02x", s[0], s[1]);
		} else {
			tn = n;
			memcpy(tmp, s, n);
		}
		if (o + tn + 1 > size)
			break;
		memcpy(buf + o, tmp, tn);
		o += tn;
		s += n;
	}
	buf[o] = '\0';
}

void fmt_escape(char *buf, size_t size, const char *s)
{
	escape(buf, size, s, 1);
}

void fmt_escape_controls(char *buf, size_t size, const char *s)
{
	escape(buf, size, s, 0);
}

void fmt_prom_label(char *buf, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	if (!size)
		return;
	/* Prometheus wants valid UTF-8 with \\, \" and \n escaped: other control
	 * bytes and invalid sequences become U+FFFD. */
	while (*s && o + 4 < size) {
		size_t n = fmt_utf8_len(s);

		if (n == 1 && (*s == '\\' || *s == '"')) {
			buf[o++] = '\\';
			buf[o++] = (char)*s;
		} else if (n == 1 && *s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else if (n == 0 || (n == 1 && (*s < 0x20 || *s == 0x7f))) {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
		} else {
			memcpy(buf + o, s, n);
			o += n;
		}
		s += n;
	}
	buf[o] = '\0';
}
