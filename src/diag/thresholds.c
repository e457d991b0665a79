/* Rule thresholds: defaults from the rule table, then the config files, then
 * --threshold, each value remembering where it came from. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/rules.h"
#include "model/counters.h"
#include "util/num.h"

void thresholds_init(struct tc_thresholds *th)
{
	memset(th, 0, sizeof(*th));
	for (int r = 0; r < R_COUNT; r++) {
		for (int p = 0; p < TC_RULE_PARAMS; p++) {
			th->v[r][p] = tc_rules[r].params[p].def;
			snprintf(th->from[r][p], sizeof(th->from[r][p]), "default");
		}
		snprintf(th->off_from[r], sizeof(th->off_from[r]), "default");
	}
}

/* Strict non-negative decimal integer with an optional k/M/G (x1024) suffix. */
static int parse_value(const char *s, int64_t *out)
{
	uint64_t v = 0, mul = 1;
	size_t n = strlen(s);

	if (n && (s[n - 1] == 'k' || s[n - 1] == 'K'))
		mul = 1024, n--;
	else if (n && s[n - 1] == 'M')
		mul = 1024 * 1024, n--;
	else if (n && s[n - 1] == 'G')
		mul = 1024ull * 1024 * 1024, n--;
	/* 85899345911G does not fit: the limit is what still fits after the suffix */
	if (n > 15 || num_parse_u64(s, n, (uint64_t)INT64_MAX / mul, &v) < 0)
		return -1;
	*out = (int64_t)(v * mul);
	return 0;
}

/* Set one "KEY" to "VALUE"; KEY is ID or ID.PARAM. */
static int th_apply(struct tc_thresholds *th, const char *key, size_t klen, const char *value,
		    const char *from, struct tc_err *err)
{
	char id[64];
	const char *dot = memchr(key, '.', klen);
	size_t idlen = dot ? (size_t)(dot - key) : klen;
	const char *param = dot ? dot + 1 : "";
	size_t plen = dot ? klen - idlen - 1 : 0;
	int r, p = -1;
	int64_t v;

	if (idlen == 0 || idlen >= sizeof(id))
		return tc_err_usage(err, "%s: bad setting '%.*s'", from,
				    (int)(klen > 64 ? 64 : klen), key);
	memcpy(id, key, idlen);
	id[idlen] = '\0';
	r = rule_lookup(id);
	if (r < 0)
		return tc_err_usage(err, "%s: unknown rule '%s' (see 'tcpdoc states --rules')",
				    from, id);
	if (!dot && (strcmp(value, "off") == 0 || strcmp(value, "on") == 0)) {
		th->off[r] = strcmp(value, "off") == 0;
		snprintf(th->off_from[r], sizeof(th->off_from[r]), "%s", from);
		return 0;
	}
	for (int i = 0; i < TC_RULE_PARAMS && tc_rules[r].params[i].name; i++)
		if (strlen(tc_rules[r].params[i].name) == plen &&
		    strncmp(tc_rules[r].params[i].name, param, plen) == 0)
			p = i;
	if (p < 0)
		return tc_err_usage(err, "%s: rule %s has no parameter '%.*s'", from, id,
				    (int)(plen > 32 ? 32 : plen), param);
	if (parse_value(value, &v) < 0)
		return tc_err_usage(err,
				    "%s: bad value '%.32s' for %s (want a whole number, or off)",
				    from, value, id);
	th->v[r][p] = v;
	snprintf(th->from[r][p], sizeof(th->from[r][p]), "%s", from);
	return 0;
}

int thresholds_set(struct tc_thresholds *th, const char *setting, const char *from,
		   struct tc_err *err)
{
	const char *eq = strchr(setting, '=');

	if (!eq || eq == setting || !eq[1])
		return tc_err_usage(
		    err, "bad --threshold '%.64s' (want ID=VALUE or ID.PARAM=VALUE)", setting);
	return th_apply(th, setting, (size_t)(eq - setting), eq + 1, from, err);
}

static void trim(const char **p, const char **e)
{
	while (*p < *e && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

int thresholds_parse_config(struct tc_thresholds *th, const char *text, size_t len,
			    const char *file, struct tc_err *err)
{
	const char *p = text, *end = text + len;
	unsigned long lineno = 0;
	char from[96], value[64];

	if (memchr(text, '\0', len))
		return tc_err_set(err, EINVAL, "%s: binary data in a config file", file);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *k = p, *ke, *v, *ve;
		const char *hash = memchr(p, '#', (size_t)(le - p));
		const char *eq;

		lineno++;
		p = nl ? nl + 1 : end;
		if (hash)
			le = hash;
		trim(&k, &le);
		if (k == le)
			continue;
		eq = memchr(k, '=', (size_t)(le - k));
		if (!eq)
			return tc_err_set(err, EINVAL,
					  "%s:%lu: want 'rule = value' or "
					  "'rule.param = value'",
					  file, lineno);
		ke = eq;
		v = eq + 1;
		ve = le;
		trim(&k, &ke);
		trim(&v, &ve);
		if (ve == v || (size_t)(ve - v) >= sizeof(value))
			return tc_err_set(err, EINVAL, "%s:%lu: missing or overlong value", file,
					  lineno);
		memcpy(value, v, (size_t)(ve - v));
		value[ve - v] = '\0';
		snprintf(from, sizeof(from), "%.80s:%lu", file, lineno);
		if (th_apply(th, k, (size_t)(ke - k), value, from, err) < 0) {
			/* a bad config is a runtime failure, not a bad command line */
			err->kind = TC_ERR_RUNTIME;
			return -EINVAL;
		}
	}
	return 0;
}

static int load_one(struct tc_thresholds *th, const char *path, int must, struct tc_err *err)
{
	char *text;
	size_t len;
	int r = read_small_file(path, 64 * 1024, &text, &len);

	if ((r == -ENOENT || r == -EACCES) && !must)
		return 0;
	if (r < 0)
		return tc_err_set(err, -r, "cannot read config %s: %s", path,
				  r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
	r = thresholds_parse_config(th, text, len, path, err);
	free(text);
	return r;
}

int thresholds_load(struct tc_thresholds *th, const char *path, struct tc_err *err)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char user[4096];
	int r;

	if (path && !path[0])
		return tc_err_usage(err, "empty --config file name");
	if (path)
		return load_one(th, path, 1, err);
	r = load_one(th, "/etc/tcpdoc.conf", 0, err);
	if (r < 0)
		return r;
	if (xdg && *xdg)
		snprintf(user, sizeof(user), "%s/tcpdoc/config", xdg);
	else if (home && *home)
		snprintf(user, sizeof(user), "%s/.config/tcpdoc/config", home);
	else
		return 0;
	return load_one(th, user, 0, err);
}
