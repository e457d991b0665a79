/* The selection and source options every socket-reading command shares
 * (states now; watch and explain later): parsed once, here. */
#ifndef TCPDOC_SELECT_H
#define TCPDOC_SELECT_H

#include <getopt.h>

#include "model/filter.h"
#include "source/source.h"
#include "util/err.h"

struct tc_select {
	struct tc_filter filter;
	struct tc_source source;
	const char *netns; /* -N NAME|PATH */
	int source_set;	   /* a source option was given */
	int all_netns;	   /* --all-netns */
};

/* Long-only option codes, above any character. */
enum {
	OPT_PORT = 256,
	OPT_SPORT,
	OPT_DPORT,
	OPT_HOST,
	OPT_SRC,
	OPT_DST,
	OPT_SOURCE,
	OPT_PROCFS,
	OPT_DIAGFILE,
	OPT_ALL_NETNS,
	OPT_SELECT_LAST,
};

#define SELECT_SHORTOPTS "s:46N:"
/* clang-format off */
#define SELECT_LONGOPTS \
	{"state", required_argument, NULL, 's'}, \
	{"port", required_argument, NULL, OPT_PORT}, \
	{"sport", required_argument, NULL, OPT_SPORT}, \
	{"dport", required_argument, NULL, OPT_DPORT}, \
	{"host", required_argument, NULL, OPT_HOST}, \
	{"src", required_argument, NULL, OPT_SRC}, \
	{"dst", required_argument, NULL, OPT_DST}, \
	{"ipv4", no_argument, NULL, '4'}, \
	{"ipv6", no_argument, NULL, '6'}, \
	{"netns", required_argument, NULL, 'N'}, \
	{"source", required_argument, NULL, OPT_SOURCE}, \
	{"procfs", required_argument, NULL, OPT_PROCFS}, \
	{"diag-file", required_argument, NULL, OPT_DIAGFILE}, \
	{"all-netns", no_argument, NULL, OPT_ALL_NETNS}
/* clang-format on */

void select_init(struct tc_select *s);
/* Handle one option if it is a selection option: 1 handled, 0 not ours,
 * negative -errno with err set. */
int select_option(struct tc_select *s, int opt, const char *arg, struct tc_err *err);
/* A filter typed as one line (watch's `f`): the selection options (-s LIST,
 * --port P, --sport, --dport, --host A, --src, --dst, -4, -6, `--opt=value`
 * too) or bare words: a state list, a port or range, else an address or
 * prefix. Fills and compiles a new filter; an empty line is no filter. */
int select_parse_line(const char *line, struct tc_filter *f, struct tc_err *err);

/* Check the combination and compile the filter. */
int select_finish(struct tc_select *s, struct tc_err *err);

#endif
