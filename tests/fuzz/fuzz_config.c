/* Rule thresholds from outside: the input as a config file for
 * thresholds_parse_config (a heap copy of exactly its size, no NUL after it),
 * then each of its lines as a --threshold setting for thresholds_set. Every
 * call starts from a fresh thresholds_init.
 *
 * Contracts checked beyond "no crash":
 *   - thresholds_parse_config returns 0 or -EINVAL, a runtime error (not a
 *     usage one) whose message starts "FILE:LINE:" with LINE a non-blank line
 *     of the input; the one exception is a NUL byte anywhere, refused as a
 *     whole with "FILE: binary data". The lines before LINE parse on their
 *     own, and LINE on its own fails as line 1.
 *   - On success every threshold is the default with `from` "default", or
 *     comes from a line "FILE:N" that exists and sets that rule, with the
 *     value that line's text means: a whole number with an optional k/K/M/G
 *     (x1024) suffix, exactly, within int64 range (one too large for int64
 *     must be refused; more than 15 digits may be refused). The same lines
 *     given one by one to thresholds_set as "key=value" give the same result.
 *   - thresholds_set on each raw line returns 0 or -EINVAL; a failure is a
 *     usage error naming --threshold; a success changes exactly one value (or
 *     one rule's on/off), with from "--threshold" and the value above. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/rules.h"
#include "fuzz_common.h"

#define FILE_NAME "fuzz.conf"
#define SET_FROM "--threshold"
#define MAX_SET_LINES 256 /* lines given to thresholds_set one by one */

static struct tc_thresholds fresh; /* thresholds_init's result */

/* ---- what the input's lines mean ---- */

struct line {
	const char *start; /* the raw line, without its '\n' */
	size_t len;
	const char *k, *ke, *v, *ve; /* key and value, trimmed; k == NULL: blank */
};

static void trim(const char **p, const char **e)
{
	while (*p < *e && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

/* Split into lines as the config format defines them: '\n' ends a line, '#'
 * starts a comment, blanks around key and value do not count. */
static size_t split_lines(const char *text, size_t len, struct line *lines)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *hash, *k = p, *eq;
		struct line *l = &lines[n++];

		memset(l, 0, sizeof(*l));
		l->start = p;
		l->len = (size_t)(le - p);
		p = nl ? nl + 1 : end;
		hash = memchr(l->start, '#', l->len);
		if (hash)
			le = hash;
		trim(&k, &le);
		if (k == le)
			continue;
		l->k = k;
		eq = memchr(k, '=', (size_t)(le - k));
		l->ke = eq ? eq : le;
		l->v = eq ? eq + 1 : le;
		l->ve = le;
		trim(&l->k, &l->ke);
		trim(&l->v, &l->ve);
	}
	return n;
}

enum {
	O_REFUSE,
	O_ACCEPT,
	O_EITHER
};

/* A whole number with an optional k/K/M/G suffix (x1024), exactly. Refused
 * past int64; O_EITHER for one that fits but has more than 15 digits. */
static int value_oracle(const char *s, size_t n, int64_t *out)
{
	uint64_t v = 0, mul = 1;
	int over = 0;

	if (n && (s[n - 1] == 'k' || s[n - 1] == 'K'))
		mul = 1024, n--;
	else if (n && s[n - 1] == 'M')
		mul = 1024 * 1024, n--;
	else if (n && s[n - 1] == 'G')
		mul = 1024ull * 1024 * 1024, n--;
	if (n == 0)
		return O_REFUSE;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return O_REFUSE;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
			over = 1;
	}
	if (over || __builtin_mul_overflow(v, mul, &v) || v > (uint64_t)INT64_MAX)
		return O_REFUSE;
	*out = (int64_t)v;
	return n > 15 ? O_EITHER : O_ACCEPT;
}

static int key_is(const char *k, size_t klen, const char *id, const char *param)
{
	size_t il = strlen(id), pl = strlen(param);

	if (klen < il || memcmp(k, id, il) != 0)
		return 0;
	if (klen == il) /* ID alone is the main threshold (so is "ID.") */
		return pl == 0;
	return k[il] == '.' && klen - il - 1 == pl && memcmp(k + il + 1, param, pl) == 0;
}

static void show(char *buf, size_t size, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
	}
	buf[o] = '\0';
}

/* A value that thresholds_parse_config or thresholds_set took from `s`. */
static void check_value(int64_t got, const char *s, size_t n, const char *where)
{
	int64_t want = 0;
	int o = value_oracle(s, n, &want);
	char shown[160];

	show(shown, sizeof(shown), s, n);
	if (o == O_REFUSE)
		FUZZ_FAIL("%s: value '%s' taken as %lld; it is not a whole number within int64",
			  where, shown, (long long)got);
	if (got != want)
		FUZZ_FAIL("%s: value '%s' taken as %lld, want %lld", where, shown, (long long)got,
			  (long long)want);
}

/* Line number in "FILE:N" (from or an error message); 0 if it is not one.
 * *rest points after the digits. */
static unsigned long file_line(const char *s, const char **rest)
{
	const size_t fl = strlen(FILE_NAME);
	unsigned long n = 0;
	const char *p;

	if (strncmp(s, FILE_NAME ":", fl + 1) != 0)
		return 0;
	for (p = s + fl + 1; *p >= '0' && *p <= '9' && n < 1000000; p++)
		n = n * 10 + (unsigned long)(*p - '0');
	if (p == s + fl + 1)
		return 0;
	*rest = p;
	return n;
}

/* ---- thresholds_parse_config ---- */

static int parse_config(const char *text, size_t len, struct tc_thresholds *th, struct tc_err *err)
{
	char *copy = fuzz_dup(text, len);
	int r;

	*th = fresh;
	memset(err, 0, sizeof(*err));
	r = thresholds_parse_config(th, copy, len, FILE_NAME, err);
	free(copy);
	fuzz_check_err(r, err, "thresholds_parse_config");
	if (r != 0 && r != -EINVAL)
		FUZZ_FAIL("thresholds_parse_config returned %d", r);
	if (r < 0 && err->kind != TC_ERR_RUNTIME)
		FUZZ_FAIL("a bad config is a usage error (kind %d): %s", err->kind, err->msg);
	return r;
}

static void check_failure(const char *text, size_t len, const struct line *lines, size_t nlines,
			  const struct tc_err *err)
{
	struct tc_thresholds th;
	struct tc_err e2;
	const char *rest = NULL;
	unsigned long n = file_line(err->msg, &rest);
	const struct line *l;
	size_t before;

	if (memchr(text, '\0', len)) {
		if (strcmp(err->msg, FILE_NAME ": binary data in a config file") != 0)
			FUZZ_FAIL("input with a NUL refused with '%s'", err->msg);
		return;
	}
	if (!n || *rest != ':')
		FUZZ_FAIL("error '%s' does not start with " FILE_NAME ":LINE:", err->msg);
	if (n > nlines)
		FUZZ_FAIL("error '%s' names line %lu of %zu", err->msg, n, nlines);
	l = &lines[n - 1];
	if (!l->k)
		FUZZ_FAIL("error '%s' names a blank or comment line", err->msg);
	/* everything before that line is fine on its own */
	before = (size_t)(l->start - text);
	if (parse_config(text, before, &th, &e2) < 0)
		FUZZ_FAIL("'%s' for the whole input, but the lines before it fail: '%s'", err->msg,
			  e2.msg);
	/* and that line alone fails, as line 1 */
	if (parse_config(l->start, l->len, &th, &e2) == 0)
		FUZZ_FAIL("'%s' for the whole input, but that line alone parses", err->msg);
	n = file_line(e2.msg, &rest);
	if (n != 1 || *rest != ':')
		FUZZ_FAIL("'%s' for the whole input, '%s' for that line alone", err->msg, e2.msg);
}

static void check_success(const struct tc_thresholds *th, const struct line *lines, size_t nlines)
{
	struct tc_thresholds replay = fresh;
	char where[160], setting[160];
	struct tc_err err;

	for (int r = 0; r < R_COUNT; r++) {
		const char *rest = NULL;
		unsigned long n;

		for (int p = 0; p < TC_RULE_PARAMS; p++) {
			const struct tc_param_def *pd = &tc_rules[r].params[p];
			const struct line *l;

			if (th->v[r][p] < 0)
				FUZZ_FAIL("%s param %d: negative threshold %lld", tc_rules[r].id, p,
					  (long long)th->v[r][p]);
			if (strcmp(th->from[r][p], "default") == 0) {
				if (th->v[r][p] != fresh.v[r][p])
					FUZZ_FAIL(
					    "%s param %d: %lld from 'default', default is %lld",
					    tc_rules[r].id, p, (long long)th->v[r][p],
					    (long long)fresh.v[r][p]);
				continue;
			}
			n = file_line(th->from[r][p], &rest);
			if (!n || *rest || n > nlines || !lines[n - 1].k)
				FUZZ_FAIL("%s param %d: from '%s', not a line of the input (%zu "
					  "lines)",
					  tc_rules[r].id, p, th->from[r][p], nlines);
			if (!pd->name)
				FUZZ_FAIL("%s: unused parameter %d set from '%s'", tc_rules[r].id,
					  p, th->from[r][p]);
			l = &lines[n - 1];
			if (!key_is(l->k, (size_t)(l->ke - l->k), tc_rules[r].id, pd->name))
				FUZZ_FAIL("%s.%s from '%s', a line that sets something else",
					  tc_rules[r].id, pd->name, th->from[r][p]);
			snprintf(where, sizeof(where), "%s%s%s from %s", tc_rules[r].id,
				 pd->name[0] ? "." : "", pd->name, th->from[r][p]);
			check_value(th->v[r][p], l->v, (size_t)(l->ve - l->v), where);
		}
		if (strcmp(th->off_from[r], "default") == 0) {
			if (th->off[r])
				FUZZ_FAIL("%s off from 'default'", tc_rules[r].id);
		} else {
			const struct line *l;
			size_t vl;

			n = file_line(th->off_from[r], &rest);
			if (!n || *rest || n > nlines || !lines[n - 1].k)
				FUZZ_FAIL("%s: on/off from '%s', not a line of the input",
					  tc_rules[r].id, th->off_from[r]);
			l = &lines[n - 1];
			vl = (size_t)(l->ve - l->v);
			if (!key_is(l->k, (size_t)(l->ke - l->k), tc_rules[r].id, "") ||
			    !((vl == 3 && memcmp(l->v, "off", 3) == 0 && th->off[r] == 1) ||
			      (vl == 2 && memcmp(l->v, "on", 2) == 0 && th->off[r] == 0)))
				FUZZ_FAIL("%s: off = %d from '%s', which does not say so",
					  tc_rules[r].id, th->off[r], th->off_from[r]);
		}
	}

	/* The same lines as "key=value" settings, in order, give the same thresholds. */
	for (size_t i = 0; i < nlines; i++) {
		const struct line *l = &lines[i];

		if (!l->k)
			continue;
		snprintf(setting, sizeof(setting), "%.*s=%.*s", (int)(l->ke - l->k), l->k,
			 (int)(l->ve - l->v), l->v);
		snprintf(where, sizeof(where), FILE_NAME ":%zu", i + 1);
		memset(&err, 0, sizeof(err));
		if (thresholds_set(&replay, setting, where, &err) < 0)
			FUZZ_FAIL("the config parses, but its line %zu as '%s' does not: %s", i + 1,
				  setting, err.msg);
	}
	for (int r = 0; r < R_COUNT; r++) {
		if (replay.off[r] != th->off[r] || strcmp(replay.off_from[r], th->off_from[r]))
			FUZZ_FAIL("%s: off %d from %s in the file, %d from %s line by line",
				  tc_rules[r].id, th->off[r], th->off_from[r], replay.off[r],
				  replay.off_from[r]);
		for (int p = 0; p < TC_RULE_PARAMS; p++)
			if (replay.v[r][p] != th->v[r][p] ||
			    strcmp(replay.from[r][p], th->from[r][p]))
				FUZZ_FAIL("%s param %d: %lld from %s in the file, %lld from %s "
					  "line by line",
					  tc_rules[r].id, p, (long long)th->v[r][p], th->from[r][p],
					  (long long)replay.v[r][p], replay.from[r][p]);
	}
}

/* ---- thresholds_set on a raw line ---- */

static void fuzz_set(const char *start, size_t len)
{
	struct tc_thresholds th = fresh;
	struct tc_err err = {0};
	char *setting = malloc(len + 1), where[64];
	const char *eq;
	int r, changed = 0;

	if (!setting)
		abort();
	memcpy(setting, start, len);
	setting[len] = '\0';
	r = thresholds_set(&th, setting, SET_FROM, &err);
	fuzz_check_err(r, &err, "thresholds_set");
	if (r != 0 && r != -EINVAL)
		FUZZ_FAIL("thresholds_set returned %d", r);
	if (r < 0) {
		if (err.kind != TC_ERR_USAGE)
			FUZZ_FAIL("thresholds_set: not a usage error (kind %d): %s", err.kind,
				  err.msg);
		if (!strstr(err.msg, SET_FROM))
			FUZZ_FAIL("thresholds_set: error '%s' does not name " SET_FROM, err.msg);
		free(setting);
		return;
	}
	eq = strchr(setting, '=');
	if (!eq)
		FUZZ_FAIL("thresholds_set took '%s', which has no '='", setting);
	for (int i = 0; i < R_COUNT; i++) {
		if (strcmp(th.off_from[i], fresh.off_from[i]) != 0) {
			changed++;
			if (strcmp(th.off_from[i], SET_FROM) != 0 ||
			    th.off[i] != (strcmp(eq + 1, "off") == 0) ||
			    (strcmp(eq + 1, "off") != 0 && strcmp(eq + 1, "on") != 0))
				FUZZ_FAIL("'%s' set %s to %s from '%s'", setting, tc_rules[i].id,
					  th.off[i] ? "off" : "on", th.off_from[i]);
		} else if (th.off[i] != fresh.off[i]) {
			FUZZ_FAIL("'%s' turned %s off without saying where from", setting,
				  tc_rules[i].id);
		}
		for (int p = 0; p < TC_RULE_PARAMS; p++) {
			if (strcmp(th.from[i][p], fresh.from[i][p]) == 0) {
				if (th.v[i][p] != fresh.v[i][p])
					FUZZ_FAIL("'%s' changed %s param %d without saying where "
						  "from",
						  setting, tc_rules[i].id, p);
				continue;
			}
			changed++;
			if (strcmp(th.from[i][p], SET_FROM) != 0 || !tc_rules[i].params[p].name)
				FUZZ_FAIL("'%s' set %s param %d from '%s'", setting, tc_rules[i].id,
					  p, th.from[i][p]);
			snprintf(where, sizeof(where), SET_FROM " %s param %d", tc_rules[i].id, p);
			check_value(th.v[i][p], eq + 1, strlen(eq + 1), where);
		}
	}
	if (changed != 1)
		FUZZ_FAIL("thresholds_set '%s' changed %d settings", setting, changed);
	free(setting);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	thresholds_init(&fresh);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct line *lines = malloc((size + 1) * sizeof(*lines));
	struct tc_thresholds th;
	struct tc_err err;
	size_t nlines;
	int r;

	if (!lines)
		abort();
	nlines = split_lines(text, size, lines);
	r = parse_config(text, size, &th, &err);
	if (r < 0)
		check_failure(text, size, lines, nlines, &err);
	else
		check_success(&th, lines, nlines);
	for (size_t i = 0; i < nlines && i < MAX_SET_LINES; i++)
		fuzz_set(lines[i].start, lines[i].len);
	free(lines);
	return 0;
}
