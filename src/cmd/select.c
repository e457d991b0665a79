#include "cmd/select.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "model/state.h"

#define LINE_WORDS 32

void select_init(struct tc_select *s)
{
	memset(s, 0, sizeof(*s));
	s->source.kind = TC_SOURCE_AUTO;
}

/* --source, --procfs and --diag-file each name the one source to read. */
static int select_source_once(struct tc_select *s, struct tc_err *err)
{
	if (s->source_set)
		return tc_err_usage(err, "give one source: --source, --procfs or --diag-file");
	s->source_set = 1;
	return 0;
}

int select_option(struct tc_select *s, int opt, const char *arg, struct tc_err *err)
{
	struct tc_filter *f = &s->filter;
	uint32_t mask;
	int r;

	switch (opt) {
	case 's':
		r = state_parse_list(arg, &mask, err);
		if (r < 0)
			return r;
		f->states |= mask;
		return 1;
	case OPT_PORT:
		return filter_parse_ports(arg, &f->port, err) < 0 ? -EINVAL : 1;
	case OPT_SPORT:
		return filter_parse_ports(arg, &f->sport, err) < 0 ? -EINVAL : 1;
	case OPT_DPORT:
		return filter_parse_ports(arg, &f->dport, err) < 0 ? -EINVAL : 1;
	case OPT_HOST:
		return filter_parse_prefix(arg, &f->host, err) < 0 ? -EINVAL : 1;
	case OPT_SRC:
		return filter_parse_prefix(arg, &f->src, err) < 0 ? -EINVAL : 1;
	case OPT_DST:
		return filter_parse_prefix(arg, &f->dst, err) < 0 ? -EINVAL : 1;
	case '4':
		f->family = f->family == AF_INET6 ? -1 : AF_INET;
		return 1;
	case '6':
		f->family = f->family == AF_INET ? -1 : AF_INET6;
		return 1;
	case 'N':
		s->netns = arg;
		return 1;
	case OPT_SOURCE:
		if (select_source_once(s, err) < 0)
			return -EINVAL;
		return source_parse(arg, &s->source, err) < 0 ? -EINVAL : 1;
	case OPT_PROCFS:
	case OPT_DIAGFILE:
		if (select_source_once(s, err) < 0)
			return -EINVAL;
		/* "" would name the root's net/tcp, or nothing at all */
		if (!arg[0])
			return tc_err_usage(err, "empty %s path",
					    opt == OPT_PROCFS ? "--procfs" : "--diag-file");
		s->source.kind = opt == OPT_PROCFS ? TC_SOURCE_PROCFS : TC_SOURCE_DIAGFILE;
		s->source.path = arg;
		return 1;
	case OPT_ALL_NETNS:
		s->all_netns = 1;
		return 1;
	default:
		return 0;
	}
}

int select_finish(struct tc_select *s, struct tc_err *err)
{
	/* -4 and -6 together mean both, as in ss */
	if (s->filter.family == -1)
		s->filter.family = 0;
	if (s->netns &&
	    (s->source.kind == TC_SOURCE_PROCFS || s->source.kind == TC_SOURCE_DIAGFILE))
		return tc_err_usage(err,
				    "--netns reads a live namespace; it cannot be combined with "
				    "--procfs or --diag-file");
	if (s->all_netns && s->netns)
		return tc_err_usage(err, "-N picks one namespace, --all-netns every one: not both");
	if (s->all_netns &&
	    (s->source.kind == TC_SOURCE_PROCFS || s->source.kind == TC_SOURCE_DIAGFILE))
		return tc_err_usage(err, "--all-netns reads the live host; it cannot be combined "
					 "with --procfs or --diag-file");
	return filter_compile(&s->filter, err);
}

static const struct {
	const char *name;
	int opt;
	int arg;
} line_opts[] = {
    {"-s", 's', 1},
    {"--state", 's', 1},
    {"--port", OPT_PORT, 1},
    {"--sport", OPT_SPORT, 1},
    {"--dport", OPT_DPORT, 1},
    {"--host", OPT_HOST, 1},
    {"--src", OPT_SRC, 1},
    {"--dst", OPT_DST, 1},
    {"-4", '4', 0},
    {"--ipv4", '4', 0},
    {"-6", '6', 0},
    {"--ipv6", '6', 0},
};

/* A bare word: states if it parses as a list of them, a port if it is
 * digits (and a dash), else an address. */
static int line_guess(const char *w)
{
	struct tc_err ignored = {0};
	uint32_t mask;

	if (state_parse_list(w, &mask, &ignored) == 0 && !(w[0] >= '0' && w[0] <= '9'))
		return 's';
	if (strspn(w, "0123456789-") == strlen(w))
		return OPT_PORT;
	return OPT_HOST;
}

int select_parse_line(const char *line, struct tc_filter *f, struct tc_err *err)
{
	char buf[512], *words[LINE_WORDS], *save = NULL, *w;
	struct tc_select s;
	int n = 0, r;

	if (strlen(line) >= sizeof(buf))
		return tc_err_usage(err, "filter too long");
	snprintf(buf, sizeof(buf), "%s", line);
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == LINE_WORDS)
			return tc_err_usage(err, "filter has too many words");
		words[n++] = w;
	}
	select_init(&s);
	for (int i = 0; i < n; i++) {
		const char *arg = NULL, *eq;
		size_t len;
		int opt = 0, k = -1;

		/* an option by its name first: -4 and -6 begin like a number */
		eq = strchr(words[i], '=');
		len = eq ? (size_t)(eq - words[i]) : strlen(words[i]);
		if (words[i][0] == '-')
			for (size_t j = 0; j < sizeof(line_opts) / sizeof(line_opts[0]); j++)
				if (strlen(line_opts[j].name) == len &&
				    strncmp(line_opts[j].name, words[i], len) == 0)
					k = (int)j;
		if (k >= 0) {
			opt = line_opts[k].opt;
			if (!line_opts[k].arg && eq)
				return tc_err_usage(err, "%.*s takes no value", (int)len, words[i]);
			if (line_opts[k].arg)
				arg = eq ? eq + 1 : (i + 1 < n ? words[++i] : NULL);
			if (line_opts[k].arg && (!arg || !arg[0]))
				return tc_err_usage(err, "%.*s needs a value", (int)len, words[i]);
		} else if (words[i][0] != '-' || (words[i][1] >= '0' && words[i][1] <= '9')) {
			opt = line_guess(words[i]);
			arg = words[i];
		} else {
			return tc_err_usage(err,
					    "'%.32s' is not a filter option (-s, --port, "
					    "--sport, --dport, --host, --src, --dst, -4, -6)",
					    words[i]);
		}
		r = select_option(&s, opt, arg, err);
		if (r < 0)
			return r;
	}
	r = select_finish(&s, err);
	if (r < 0)
		return r;
	*f = s.filter;
	return 0;
}
