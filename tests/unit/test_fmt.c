/* Addresses, endpoints, durations, and escaping of outside text before it
 * reaches a terminal. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "helpers.h"
#include "render/fmt.h"
#include "render/wrap.h"
#include "suites.h"
#include "util/err.h"
#include "util/num.h"

static void endpoint(char *buf, size_t size, const char *addr, uint16_t port, int star)
{
	uint8_t a[16] = {0};
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;

	ck_assert_int_eq(inet_pton(fam, addr, a), 1);
	fmt_endpoint(buf, size, fam, a, port, star);
}

START_TEST(test_fmt_endpoint)
{
	static const struct {
		const char *addr;
		uint16_t port;
		int star;
		const char *want;
	} cases[] = {
	    {"10.0.0.1", 22, 0, "10.0.0.1:22"},
	    {"10.0.0.1", 22, 1, "10.0.0.1:22"},
	    {"0.0.0.0", 0, 1, "0.0.0.0:*"},
	    {"0.0.0.0", 0, 0, "0.0.0.0:0"},
	    {"255.255.255.255", 65535, 1, "255.255.255.255:65535"},
	    {"::1", 7800, 1, "[::1]:7800"},
	    {"::", 0, 1, "[::]:*"},
	    {"::", 0, 0, "[::]:0"},
	    {"::ffff:127.0.0.1", 7801, 1, "[::ffff:127.0.0.1]:7801"},
	    {"fe80::56e1:adff:fe7c:6609", 51073, 0, "[fe80::56e1:adff:fe7c:6609]:51073"},
	    {"2001:569:bc16:5700:be6e:9064:4dcd:9e00", 54534, 1,
	     "[2001:569:bc16:5700:be6e:9064:4dcd:9e00]:54534"},
	    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535, 1,
	     "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[80];

		endpoint(buf, sizeof(buf), cases[i].addr, cases[i].port, cases[i].star);
		ck_assert_str_eq(buf, cases[i].want);
	}
}
END_TEST

START_TEST(test_fmt_endpoint_small_buffer)
{
	char buf[64];

	/* cut, NUL-terminated, never past size */
	memset(buf, 'Z', sizeof(buf));
	endpoint(buf, 8, "192.168.100.200", 65535, 0);
	ck_assert_uint_eq(strlen(buf), 7);
	ck_assert_int_eq(buf[8], 'Z');
	ck_assert_int_eq(strncmp(buf, "192.168", 7), 0);
	memset(buf, 'Z', sizeof(buf));
	endpoint(buf, 5, "2001:db8::1", 80, 0);
	ck_assert_uint_le(strlen(buf), 4);
	ck_assert_int_eq(buf[5], 'Z');
}
END_TEST

START_TEST(test_fmt_addr)
{
	uint8_t a[16] = {10, 9, 9, 16};
	char buf[64];

	fmt_addr(buf, sizeof(buf), AF_INET, a);
	ck_assert_str_eq(buf, "10.9.9.16");
	memset(a, 0, sizeof(a));
	a[15] = 1;
	fmt_addr(buf, sizeof(buf), AF_INET6, a);
	ck_assert_str_eq(buf, "::1");
	/* does not fit: a placeholder, not half an address */
	fmt_addr(buf, 3, AF_INET, (const uint8_t[4]){192, 168, 1, 1});
	ck_assert_str_eq(buf, "?");
}
END_TEST

/* fmt_ip writes what inet_ntop writes (ss prints with inet_ntop): the
 * shorthand rules, by example, then against inet_ntop itself. */
START_TEST(test_fmt_ip_shorthand)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"::", "::"},
	    {"::1", "::1"},
	    {"::2", "::2"},			  /* 7 zero groups: not dotted */
	    {"::1:2", "::0.1.0.2"},		  /* 6 zero groups: dotted */
	    {"::ffff:1.2.3.4", "::ffff:1.2.3.4"}, /* v4-mapped */
	    {"::ffff:0:0", "::ffff:0.0.0.0"},
	    {"::ffff:0:1.2.3.4", "::ffff:0:102:304"}, /* not v4-mapped */
	    {"1::", "1::"},
	    {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},	    /* the longest run */
	    {"1:0:0:2:0:0:3:4", "1::2:0:0:3:4"},    /* the first of equal runs */
	    {"1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"}, /* one zero group stays */
	    {"0:0:1:0:0:0:0:0", "0:0:1::"},
	    {"fe80::a:b0:c00:d000", "fe80::a:b0:c00:d000"},
	    {"0.0.0.0", "0.0.0.0"},
	    {"9.10.99.100", "9.10.99.100"},
	    {"255.255.255.255", "255.255.255.255"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t a[16] = {0};
		int fam = strchr(cases[i].in, ':') ? AF_INET6 : AF_INET;
		char buf[FMT_IP_MAX];

		ck_assert_int_eq(inet_pton(fam, cases[i].in, a), 1);
		ck_assert_uint_eq(fmt_ip(buf, fam, a), strlen(cases[i].want));
		ck_assert_str_eq(buf, cases[i].want);
	}
}
END_TEST

static void same_as_inet_ntop(int fam, const uint8_t *a)
{
	char want[INET6_ADDRSTRLEN], got[FMT_IP_MAX];

	ck_assert_ptr_nonnull(inet_ntop(fam, a, want, sizeof(want)));
	ck_assert_uint_eq(fmt_ip(got, fam, a), strlen(want));
	ck_assert_str_eq(got, want);
}

START_TEST(test_fmt_ip_as_inet_ntop)
{
	static const unsigned groups[] = {1, 0xa, 0xb0, 0xc00, 0xd000, 0xffff};
	uint32_t x = 12345;
	uint8_t a[16];

	/* every octet value in every IPv4 position */
	for (int pos = 0; pos < 4; pos++)
		for (unsigned v = 0; v < 256; v++) {
			memset(a, 7, sizeof(a));
			a[pos] = (uint8_t)v;
			same_as_inet_ntop(AF_INET, a);
		}
	/* every pattern of zero groups, with each kind of non-zero group */
	for (unsigned zeros = 0; zeros < 256; zeros++)
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			for (int i = 0; i < 8; i++) {
				unsigned w = zeros >> i & 1 ? 0 : groups[(g + (size_t)i) % 6];

				a[2 * i] = (uint8_t)(w >> 8);
				a[2 * i + 1] = (uint8_t)w;
			}
			same_as_inet_ntop(AF_INET6, a);
			a[10] = a[11] = 0xff; /* the v4-mapped prefix, where it applies */
			same_as_inet_ntop(AF_INET6, a);
		}
	/* random addresses, with bytes often zero so that runs happen */
	for (int n = 0; n < 200000; n++) {
		for (int i = 0; i < 16; i++) {
			x = x * 1103515245u + 12345u;
			a[i] = (x >> 16 & 3) ? 0 : (uint8_t)(x >> 24);
		}
		same_as_inet_ntop(AF_INET6, a);
		same_as_inet_ntop(AF_INET, a);
	}
}
END_TEST

START_TEST(test_fmt_duration)
{
	static const struct {
		uint64_t ms;
		const char *want;
	} cases[] = {
	    {0, "0ms"},		  {1, "1ms"},
	    {350, "350ms"},	  {999, "999ms"},
	    {1000, "1.0s"},	  {1484, "1.4s"},
	    {4200, "4.2s"},	  {9999, "9.9s"},
	    {10000, "10s"},	  {59000, "59s"},
	    {59999, "59s"},	  {60000, "1m00s"},
	    {125000, "2m05s"},	  {598560, "9m58s"},
	    {3599999, "59m59s"},  {3600000, "1h00m"},
	    {7153358, "1h59m"},	  {7860000, "2h11m"},
	    {86399999, "23h59m"}, {86400000, "1d00h"},
	    {273600000, "3d04h"}, {8640000000ull, "100d00h"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];

		fmt_duration_ms(buf, sizeof(buf), cases[i].ms);
		ck_assert_msg(strcmp(buf, cases[i].want) == 0, "%llu ms: \"%s\", want \"%s\"",
			      (unsigned long long)cases[i].ms, buf, cases[i].want);
	}
}
END_TEST

START_TEST(test_fmt_duration_extremes)
{
	char buf[32];

	fmt_duration_ms(buf, sizeof(buf), UINT64_MAX);
	ck_assert_str_eq(buf, "213503982334d14h");
	memset(buf, 'Z', sizeof(buf));
	fmt_duration_ms(buf, 4, 125000);
	ck_assert_str_eq(buf, "2m0");
	ck_assert_int_eq(buf[4], 'Z');
}
END_TEST

static const struct {
	const char *in;
	const char *want;
} escapes[] = {
    {"", ""},
    {"nginx", "nginx"},
    {"java -jar app.jar", "java -jar app.jar"},
    {"a\\b", "a\\\\b"},
    {"\\", "\\\\"},
    {"tab\there", "tab\\x09here"},
    {"new\nline", "new\\x0aline"},
    {"cr\r", "cr\\x0d"},
    {"\x01\x1f", "\\x01\\x1f"},
    {"del\x7f", "del\\x7f"},
    /* terminal escape sequences: ESC never gets through */
    {"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"},
    {"\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"},
    {"\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"},
    {"\x1bP+q\x1b\\", "\\x1bP+q\\x1b\\\\"},
    /* C1 controls, 8-bit CSI and OSC as UTF-8 (U+009B, U+009D) and NEL */
    {"\xc2\x9b"
     "31m",
     "\\xc2\\x9b31m"},
    {"\xc2\x9d"
     "0;t\xc2\x9c",
     "\\xc2\\x9d0;t\\xc2\\x9c"},
    {"\xc2\x85", "\\xc2\\x85"},
    {"\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f"},
    /* bare C1 bytes are invalid UTF-8 */
    {"\x9b"
     "31m",
     "\\x9b31m"},
    {"\x85", "\\x85"},
    /* valid UTF-8 passes: NBSP, accents, CJK, emoji */
    {"\xc2\xa0", "\xc2\xa0"},
    {"caf\xc3\xa9", "caf\xc3\xa9"},
    {"\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"},
    {"\xf0\x9f\x90\xa7", "\xf0\x9f\x90\xa7"},
    {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},
    /* invalid UTF-8: each bad byte alone */
    {"\xff", "\\xff"},
    {"\xfe\xff", "\\xfe\\xff"},
    {"\xc3", "\\xc3"},
    {"\xc3(", "\\xc3("},
    {"\xc0\xaf", "\\xc0\\xaf"},			  /* overlong '/' */
    {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},	  /* overlong, 3 bytes */
    {"\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"}, /* overlong, 4 bytes */
    {"\xed\xa0\x80", "\\xed\\xa0\\x80"},	  /* UTF-16 surrogate */
    {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, /* above U+10FFFF */
    {"\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80"},
    {"\xe2\x82", "\\xe2\\x82"}, /* cut short at the end */
    {"\xe2\x82"
     "A",
     "\\xe2\\x82A"},
    {"\x80", "\\x80"}, /* lone continuation */
    {"ok\xe2\x82\xac\xff", "ok\xe2\x82\xac\\xff"},
};

START_TEST(test_fmt_escape)
{
	char buf[256];

	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, sizeof(buf), escapes[_i].in);
	ck_assert_msg(strcmp(buf, escapes[_i].want) == 0, "escape #%d: got \"%s\", want \"%s\"", _i,
		      buf, escapes[_i].want);
	/* nothing that could drive a terminal is left */
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "escape #%d: control byte 0x%02x left", _i,
			      *p);
		ck_assert_msg(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0),
			      "escape #%d: C1 control left", _i);
	}
}
END_TEST

/* A full buffer cuts between escapes, never inside one, and never overruns. */
START_TEST(test_fmt_escape_truncation)
{
	char buf[32];

	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 6, "\x1b[31m");
	ck_assert_str_eq(buf, "\\x1b[");
	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 5, "\x1b[31m");
	ck_assert_str_eq(buf, "\\x1b");
	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 4, "\x1b[31m");
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(buf[4], 'Z');
	/* a multi-byte character is not split */
	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 4, "ab\xe6\x97\xa5");
	ck_assert_str_eq(buf, "ab");
	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 3, "a\\b");
	ck_assert_str_eq(buf, "a");
	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 1, "anything");
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(buf[1], 'Z');
	/* size 0 writes nothing */
	memset(buf, 'Z', sizeof(buf));
	fmt_escape(buf, 0, "anything");
	ck_assert_int_eq(buf[0], 'Z');
}
END_TEST

/* Every single byte value, alone and before a valid character: the output is
 * printable and valid UTF-8 (checked with the JSON checker's decoder). */
START_TEST(test_fmt_escape_all_bytes)
{
	for (int b = 1; b < 256; b++) {
		char in[8], out[64], quoted[80];
		const char *why = NULL;

		snprintf(in, sizeof(in), "%cx\xc3\xa9", b);
		fmt_escape(out, sizeof(out), in);
		for (const unsigned char *p = (const unsigned char *)out; *p; p++)
			ck_assert_msg(*p >= 0x20 && *p != 0x7f, "byte 0x%02x: control left", b);
		/* valid UTF-8: wrap it as a JSON string, backslashes doubled already */
		snprintf(quoted, sizeof(quoted), "\"%s\"", out);
		for (char *p = quoted + 1; p[1]; p++) {
			/* \xHH is not a JSON escape and a quote would end the string:
			 * the UTF-8 is what is checked here */
			if (*p == '\\')
				*p = '/';
			if (*p == '"')
				*p = '\'';
		}
		ck_assert_msg(json_check(quoted, strlen(quoted), &why, NULL),
			      "byte 0x%02x: not valid UTF-8 after escaping (%s): %s", b, why, out);
	}
}
END_TEST

/* Paragraph wrapping, golden at 80 and 40 columns: the lead on the first
 * line, its width of blanks after, words never cut, long words kept whole. */
START_TEST(test_wrap_golden)
{
	static const char text[] =
	    "The peer has closed its half and the kernel acknowledged; the connection waits "
	    "for this host's program to call close(). A-very-long-word-that-cannot-be-split-"
	    "anywhere-at-all stays whole.";
	struct capture c;

	wrap_print(capture_open(&c), "  why:    ", text, 80);
	ck_assert_str_eq(
	    capture_text(&c),
	    "  why:    The peer has closed its half and the kernel acknowledged; the\n"
	    "          connection waits for this host's program to call close().\n"
	    "          A-very-long-word-that-cannot-be-split-anywhere-at-all stays whole.\n");
	capture_free(&c);
	wrap_print(capture_open(&c), "    ", text, 40);
	ck_assert_str_eq(capture_text(&c),
			 "    The peer has closed its half and the\n"
			 "    kernel acknowledged; the connection\n"
			 "    waits for this host's program to\n"
			 "    call close().\n"
			 "    A-very-long-word-that-cannot-be-split-anywhere-at-all\n"
			 "    stays whole.\n");
	capture_free(&c);
	/* multi-byte characters count as one column each */
	wrap_print(capture_open(&c), "", "\xc3\xa9\xc3\xa9\xc3\xa9 abc", 7);
	ck_assert_str_eq(capture_text(&c), "\xc3\xa9\xc3\xa9\xc3\xa9 abc\n");
	capture_free(&c);
}
END_TEST

/* Error messages quote outside text: it arrives one line long and inert,
 * backslashes left alone (callers may have escaped their part), and cut
 * whole characters at a time when long. */
START_TEST(test_err_message_escaped)
{
	struct tc_err e = {0};
	char longname[600];

	ck_assert_int_eq(tc_err_set(&e, ENOENT, "cannot open %s", "/tmp/a\nb\033[31m\x7f"),
			 -ENOENT);
	ck_assert_str_eq(e.msg, "cannot open /tmp/a\\x0ab\\x1b[31m\\x7f");
	memset(&e, 0, sizeof(e));
	tc_err_usage(&e, "unknown rule '%s'", "\xff\xfe \xc2\x9b \xc3\xa9 a\\b");
	ck_assert_str_eq(e.msg, "unknown rule '\\xff\\xfe \\xc2\\x9b \xc3\xa9 a\\b'");
	ck_assert_int_eq(e.kind, TC_ERR_USAGE);
	/* the first error stays */
	tc_err_set(&e, EIO, "second");
	ck_assert_int_eq(e.code, EINVAL);
	/* long: cut, never in the middle of an escape or a character */
	memset(longname, 0x1b, sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memset(&e, 0, sizeof(e));
	tc_err_set(&e, EINVAL, "%s", longname);
	ck_assert_uint_eq(strlen(e.msg) % 4, 0);
	ck_assert_uint_gt(strlen(e.msg), sizeof(e.msg) - 8);
	ck_assert_ptr_null(strchr(e.msg, 0x1b));
	for (size_t i = 0; i + 2 < sizeof(longname); i += 2)
		memcpy(longname + i, "\xc3\xa9", 2);
	longname[sizeof(longname) - 2] = '\0'; /* whole characters */
	memset(&e, 0, sizeof(e));
	tc_err_set(&e, EINVAL, "x%s", longname);
	ck_assert_uint_eq(strlen(e.msg) % 2, 1);
}
END_TEST

/* --sample and --interval: plain decimals only, in range */
START_TEST(test_num_parse_seconds)
{
	static const char *const good[] = {"0.1", "2", ".5", "1.", "3600", "0010.250"};
	static const double want[] = {0.1, 2, 0.5, 1, 3600, 10.25};
	static const char *const bad[] = {
	    "",	    ".",      "0.05", "3601",
	    "1e3",  "0x1p-1", " 5",   "5 ",
	    "+1",   "-1",     "inf",  "nan",
	    "1..2", "1.2.3",  "1,5",  "000000000000000000000000000000001"};
	double v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = -1;
		ck_assert_msg(num_parse_seconds(good[i], 0.1, 3600, &v) == 0, "'%s' refused",
			      good[i]);
		ck_assert_double_eq_tol(v, want[i], 1e-9);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = -1;
		ck_assert_msg(num_parse_seconds(bad[i], 0.1, 3600, &v) < 0, "'%s' taken", bad[i]);
		ck_assert_double_eq(v, -1);
	}
}
END_TEST

Suite *suite_fmt(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fmt_endpoint);
	tcase_add_test(tc, test_num_parse_seconds);
	tcase_add_test(tc, test_fmt_endpoint_small_buffer);
	tcase_add_test(tc, test_fmt_addr);
	tcase_add_test(tc, test_fmt_ip_shorthand);
	tcase_add_test(tc, test_fmt_ip_as_inet_ntop);
	tcase_add_test(tc, test_fmt_duration);
	tcase_add_test(tc, test_fmt_duration_extremes);
	tcase_add_loop_test(tc, test_fmt_escape, 0, (int)(sizeof(escapes) / sizeof(escapes[0])));
	tcase_add_test(tc, test_fmt_escape_truncation);
	tcase_add_test(tc, test_fmt_escape_all_bytes);
	tcase_add_test(tc, test_wrap_golden);
	tcase_add_test(tc, test_err_message_escaped);
	suite_add_tcase(s, tc);
	return s;
}
