#include "cmd/select.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "model/state.h"

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
