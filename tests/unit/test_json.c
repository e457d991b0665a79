/* The streaming JSON writer: exact output, escaping, and documents checked by
 * an independent strict parser, including for random input bytes. */
#include <check.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "render/json.h"
#include "suites.h"

static char *string_of(const char *s)
{
	struct capture c;
	char *r;

	json_write_string(capture_open(&c), s);
	r = strdup(capture_text(&c));
	capture_free(&c);
	ck_assert_ptr_nonnull(r);
	return r;
}

static void assert_valid(const char *doc)
{
	const char *why = NULL;
	size_t at = 0;

	ck_assert_msg(json_check(doc, strlen(doc), &why, &at), "invalid JSON (%s at byte %zu): %s",
		      why, at, doc);
}

/* The checker itself refuses what it must. */
START_TEST(test_checker_refuses)
{
	static const char *const bad[] = {
	    "",
	    "{",
	    "{\"a\":}",
	    "[1,]",
	    "[1 2]",
	    "{\"a\" 1}",
	    "\"\x01\"",
	    "\"\xff\"",
	    "\"\\x41\"",
	    "\"\\u12\"",
	    "01",
	    "1.",
	    "-",
	    "tru",
	    "[]]",
	    "{} {}",
	    "\"\xc0\xaf\"",
	    "\"\xed\xa0\x80\"",
	    "\"\\ud800\"",
	    "{1:2}",
	    "nul",
	    "[\"a\",]",
	    "\"abc",
	};
	static const char *const good[] = {
	    "{}",
	    "[]",
	    "0",
	    "-1.5e3",
	    "\"\"",
	    "\"\\u00e9\\ud83d\\udc27\"",
	    " [1, {\"a\": null}] \n",
	    "\"\xe6\x97\xa5\"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!json_check(bad[i], strlen(bad[i]), NULL, NULL), "accepted: %s",
			      bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_valid(good[i]);
}
END_TEST

static const struct {
	const char *in, *want;
} strings[] = {
    {"", "\"\""},
    {"plain", "\"plain\""},
    {"say \"hi\"", "\"say \\\"hi\\\"\""},
    {"back\\slash", "\"back\\\\slash\""},
    {"a/b", "\"a/b\""},
    {"l1\nl2\r\tx", "\"l1\\nl2\\r\\tx\""},
    {"\b\f", "\"\\u0008\\u000c\""},
    {"\x01\x1f", "\"\\u0001\\u001f\""},
    {"\x1b[31m", "\"\\u001b[31m\""},
    {"del\x7f", "\"del\\u007f\""},
    {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
    {"\xe6\x97\xa5\xe6\x9c\xac", "\"\xe6\x97\xa5\xe6\x9c\xac\""},
    {"\xf0\x9f\x90\xa7", "\"\xf0\x9f\x90\xa7\""},
    {"\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""},
    /* invalid UTF-8 becomes U+FFFD, one per bad byte */
    {"\xff", "\"\\ufffd\""},
    {"a\xfe"
     "b",
     "\"a\\ufffdb\""},
    {"\xc3", "\"\\ufffd\""},
    {"\xc3(", "\"\\ufffd(\""},
    {"\xc0\xaf", "\"\\ufffd\\ufffd\""},
    {"\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""},
    {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},
    {"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"\xe2\x82"
     "A",
     "\"\\ufffd\\ufffdA\""},
    {"\x80", "\"\\ufffd\""},
    {"\xe2\x82", "\"\\ufffd\\ufffd\""},
    {"ok\xe2\x82\xac\xff\"", "\"ok\xe2\x82\xac\\ufffd\\\"\""},
};

START_TEST(test_json_string)
{
	char *got = string_of(strings[_i].in);

	ck_assert_msg(strcmp(got, strings[_i].want) == 0, "string #%d: got %s, want %s", _i, got,
		      strings[_i].want);
	assert_valid(got);
	free(got);
}
END_TEST

START_TEST(test_json_compact_document)
{
	struct capture c;
	struct json_w j;

	json_init(&j, capture_open(&c), 0);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_u64(&j, 1);
	json_key(&j, "b");
	json_str(&j, "x");
	json_key(&j, "c");
	json_arr_begin(&j);
	json_u64(&j, 1);
	json_u64(&j, 2);
	json_arr_begin(&j);
	json_arr_end(&j);
	json_obj_begin(&j);
	json_key(&j, "k");
	json_null(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "d");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_key(&j, "e\"\n");
	json_bool(&j, 1);
	json_key(&j, "f");
	json_bool(&j, 0);
	json_key(&j, "g");
	json_i64(&j, -5);
	json_key(&j, "h");
	json_fixed(&j, 1234, 3);
	json_key(&j, "u");
	json_u64(&j, UINT64_MAX);
	json_key(&j, "i");
	json_i64(&j, INT64_MIN);
	json_obj_end(&j);
	json_end(&j);
	assert_text_eq(
	    capture_text(&c),
	    "{\"a\":1,\"b\":\"x\",\"c\":[1,2,[],{\"k\":null}],\"d\":{},\"e\\\"\\n\":true,"
	    "\"f\":false,\"g\":-5,\"h\":1.234,\"u\":18446744073709551615,"
	    "\"i\":-9223372036854775808}\n");
	assert_valid(capture_text(&c));
	capture_free(&c);
}
END_TEST

START_TEST(test_json_pretty_document)
{
	struct capture c;
	struct json_w j;

	json_init(&j, capture_open(&c), 1);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_u64(&j, 1);
	json_key(&j, "list");
	json_arr_begin(&j);
	json_str(&j, "x");
	json_obj_begin(&j);
	json_key(&j, "k");
	json_bool(&j, 1);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "empty");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_end(&j);
	assert_text_eq(capture_text(&c), "{\n"
					 "  \"a\": 1,\n"
					 "  \"list\": [\n"
					 "    \"x\",\n"
					 "    {\n"
					 "      \"k\": true\n"
					 "    }\n"
					 "  ],\n"
					 "  \"empty\": {}\n"
					 "}\n");
	assert_valid(capture_text(&c));
	capture_free(&c);
}
END_TEST

START_TEST(test_json_top_level_values)
{
	struct capture c;
	struct json_w j;

	json_init(&j, capture_open(&c), 0);
	json_arr_begin(&j);
	for (int i = 0; i < 3; i++) {
		json_arr_begin(&j);
		json_u64(&j, (uint64_t)i);
		json_str(&j, "");
		json_arr_end(&j);
	}
	json_arr_end(&j);
	json_end(&j);
	assert_text_eq(capture_text(&c), "[[0,\"\"],[1,\"\"],[2,\"\"]]\n");
	capture_free(&c);

	json_init(&j, capture_open(&c), 0);
	json_str(&j, "alone");
	json_end(&j);
	assert_text_eq(capture_text(&c), "\"alone\"\n");
	capture_free(&c);
}
END_TEST

/* Nesting to the writer's depth limit still balances and separates. */
START_TEST(test_json_deep)
{
	struct capture c;
	struct json_w j;
	char want[256];
	size_t o = 0;
	const int depth = JSON_DEPTH_MAX - 1;

	json_init(&j, capture_open(&c), 0);
	for (int i = 0; i < depth; i++)
		json_arr_begin(&j);
	json_u64(&j, 1);
	json_u64(&j, 2);
	for (int i = 0; i < depth; i++)
		json_arr_end(&j);
	json_end(&j);
	for (int i = 0; i < depth; i++)
		want[o++] = '[';
	memcpy(want + o, "1,2", 3);
	o += 3;
	for (int i = 0; i < depth; i++)
		want[o++] = ']';
	want[o++] = '\n';
	want[o] = '\0';
	assert_text_eq(capture_text(&c), want);
	capture_free(&c);
}
END_TEST

START_TEST(test_json_fixed)
{
	static const struct {
		uint64_t v;
		int dec;
		const char *want;
	} cases[] = {
	    {1234, 3, "1.234"},	 {5, 3, "0.005"},	   {0, 3, "0.000"},
	    {1234, 0, "1234"},	 {7180950, 3, "7180.950"}, {1, 6, "0.000001"},
	    {15, 6, "0.000015"}, {1000000, 6, "1.000000"}, {UINT64_MAX, 3, "18446744073709551.615"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct capture c;
		struct json_w j;

		json_init(&j, capture_open(&c), 0);
		json_fixed(&j, cases[i].v, cases[i].dec);
		ck_assert_str_eq(capture_text(&c), cases[i].want);
		assert_valid(capture_text(&c));
		capture_free(&c);
	}
}
END_TEST

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Put code point cp as UTF-8 at p; returns the length. */
static size_t utf8_put(char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | cp >> 6);
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xe0 | cp >> 12);
		p[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		p[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (char)(0xf0 | cp >> 18);
	p[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	p[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	p[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* Decode a JSON string literal (as checked valid) back to UTF-8 bytes. */
static size_t json_unquote(const char *q, char *out)
{
	size_t o = 0;

	ck_assert_int_eq(*q, '"');
	for (q++; *q != '"'; q++) {
		uint32_t cp;

		if (*q != '\\') {
			out[o++] = *q;
			continue;
		}
		q++;
		switch (*q) {
		case 'n':
			out[o++] = '\n';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'b':
			out[o++] = '\b';
			break;
		case 'f':
			out[o++] = '\f';
			break;
		case '/':
			out[o++] = '/';
			break;
		case '\\':
			out[o++] = '\\';
			break;
		case '"':
			out[o++] = '"';
			break;
		case 'u':
			cp = (uint32_t)(hexv(q[1]) << 12 | hexv(q[2]) << 8 | hexv(q[3]) << 4 |
					hexv(q[4]));
			q += 4;
			o += utf8_put(out + o, cp);
			break;
		default:
			ck_abort_msg("bad escape \\%c", *q);
		}
	}
	out[o] = '\0';
	return o;
}

/* Any valid UTF-8 text comes back unchanged from its JSON form. */
START_TEST(test_json_round_trip)
{
	for (int it = 0; it < 3000; it++) {
		char in[256], back[512], *q;
		size_t n = 0, len = rnd() % 40;

		for (size_t k = 0; k < len; k++) {
			uint32_t cp;

			switch (rnd() % 6) {
			case 0:
				cp = 1 + rnd() % 0x1f;
				break; /* controls */
			case 1:
				cp = rnd() % 2 ? '"' : '\\';
				break;
			case 2:
				cp = 0x20 + rnd() % 0x60;
				break; /* ASCII incl. DEL */
			case 3:
				cp = 0x80 + rnd() % 0x780;
				break; /* 2 bytes, C1 too */
			case 4:
				cp = 0x800 + rnd() % 0xf800;
				break; /* 3 bytes */
			default:
				cp = 0x10000 + rnd() % 0x100000;
				break; /* 4 bytes */
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			n += utf8_put(in + n, cp);
		}
		in[n] = '\0';
		q = string_of(in);
		assert_valid(q);
		json_unquote(q, back);
		ck_assert_msg(strcmp(back, in) == 0, "iteration %d: round trip changed the text",
			      it);
		free(q);
	}
}
END_TEST

/* Random bytes, valid or not, always give a valid document. */
START_TEST(test_json_random_bytes)
{
	for (int it = 0; it < 5000; it++) {
		char in[64];
		size_t len = rnd() % 60;
		struct capture c;
		struct json_w j;

		for (size_t k = 0; k < len; k++)
			in[k] = (char)(1 + rnd() % 255);
		in[len] = '\0';
		json_init(&j, capture_open(&c), it % 2);
		json_obj_begin(&j);
		json_key(&j, in);
		json_str(&j, in);
		json_key(&j, "list");
		json_arr_begin(&j);
		json_str(&j, in);
		json_str(&j, in + len / 2);
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
		assert_valid(capture_text(&c));
		capture_free(&c);
	}
}
END_TEST

Suite *suite_json(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_checker_refuses);
	tcase_add_loop_test(tc, test_json_string, 0, (int)(sizeof(strings) / sizeof(strings[0])));
	tcase_add_test(tc, test_json_compact_document);
	tcase_add_test(tc, test_json_pretty_document);
	tcase_add_test(tc, test_json_top_level_values);
	tcase_add_test(tc, test_json_deep);
	tcase_add_test(tc, test_json_fixed);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_json_random_bytes);
	suite_add_tcase(s, tc);
	return s;
}
