/* tcpdoc states: the state summary, grouped counts, or the socket list. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/select.h"
#include "model/tally.h"
#include "render/out.h"
#include "render/report.h"
#include "source/netlink.h"
#include "source/netns.h"

const char cmd_states_usage[] =
    "usage: tcpdoc states [-l [-e]] [-b KEY [--top N]] [-s STATES] [--port P] [--sport P] "
    "[--dport P] [--host A[/LEN]] [--src A[/LEN]] [--dst A[/LEN]] [-4|-6] [-N NETNS] "
    "[--source auto|netlink|proc | --procfs DIR | --diag-file FILE] [-H] [--color WHEN] "
    "[-o table|json|prom | --json]";

void cmd_states_help(FILE *fp)
{
	fputs("usage: tcpdoc states [OPTIONS]\n"
	      "       tcpdoc [OPTIONS]\n"
	      "\n"
	      "Count TCP sockets (IPv4 and IPv6) in each of the 11 states, in protocol order,\n"
	      "zeros included, then the total; or group them (-b), or list them (-l).\n"
	      "\n"
	      "What to show:\n"
	      "  -l, --list            one socket a line: state, recv-q, send-q, local, peer\n"
	      "  -e, --extended        with -l: timer, time left, retransmits/probes, idle time,\n"
	      "                        uid, inode, rtt\n"
	      "  -b, --by KEY          per-state counts grouped by lport, rport, peer, local or "
	      "user\n"
	      "      --top N           with -b: the N largest groups (default 20, 0 = all)\n"
	      "\n"
	      "Selection (the kernel filters when the source is netlink):\n"
	      "  -s, --state LIST      comma-separated states: names in any case and spelling\n"
	      "                        (ESTABLISHED estab, SYN_RECV syn-recv SYN_RCVD, TIME_WAIT\n"
	      "                        time-wait, LISTEN LISTENING, CLOSE UNCONN ...), /proc hex\n"
	      "                        codes (0A), and groups: all, connected, synchronized,\n"
	      "                        bucket, big, teardown\n"
	      "      --port P          local or remote port P, or a range LO-HI\n"
	      "      --sport P         local port P or LO-HI\n"
	      "      --dport P         remote port P or LO-HI\n"
	      "      --host A[/LEN]    local or remote address in prefix (IPv4 or IPv6)\n"
	      "      --src A[/LEN]     local address in prefix\n"
	      "      --dst A[/LEN]     remote address in prefix\n"
	      "  -4, --ipv4            IPv4 sockets only\n"
	      "  -6, --ipv6            IPv6 sockets only (v4-mapped peers included)\n"
	      "  -N, --netns NAME|PATH the network namespace /run/netns/NAME or a path such as\n"
	      "                        /proc/PID/ns/net\n"
	      "\n"
	      "Source:\n"
	      "      --source SRC      auto (netlink, else /proc with a note), netlink, or proc\n"
	      "      --procfs DIR      read a saved /proc snapshot: DIR/net/tcp and DIR/net/tcp6\n"
	      "      --diag-file FILE  replay raw sock_diag messages as `ss -D FILE` saves them\n"
	      "                        (- for standard input)\n"
	      "\n"
	      "Output:\n"
	      "  -o, --format FMT      table (default), json, or prom (Prometheus text format)\n"
	      "      --json            the same as -o json\n"
	      "  -H, --no-header       no header line in tables\n"
	      "      --color WHEN      auto (default; off when NO_COLOR is set), always, never\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         the version\n"
	      "\n"
	      "On a pipe the table keeps its columns, separated by single spaces, for grep and\n"
	      "awk. Exit status: 0 success, 1 failure, 2 usage error.\n"
	      "\n"
	      "Examples:\n"
	      "  tcpdoc states                       counts per state\n"
	      "  tcpdoc states -l -s close-wait      the CLOSE_WAIT sockets\n"
	      "  tcpdoc states -b lport -s time-wait where TIME_WAIT piles up\n"
	      "  tcpdoc states -o prom > /var/lib/node_exporter/tcpdoc.prom\n",
	      fp);
}

enum {
	OPT_TOP = OPT_SELECT_LAST,
	OPT_COLOR,
	OPT_JSON
};

struct states_opts {
	struct tc_select sel;
	struct tc_out out;
	int list, extended, by, color, top_set;
	size_t top;
};

/* The list starts at its first socket: only then is the source that really
 * runs known (auto may have fallen back to /proc), which JSON names. */
struct list_ctx {
	struct tc_list list;
	const struct states_opts *o;
	struct tc_meta *meta;
	int begun;
};

static void list_begin(struct list_ctx *c)
{
	if (c->begun)
		return;
	c->begun = 1;
	c->meta->source = source_name(c->o->sel.source.used);
	report_list_begin(&c->list, &c->o->out, c->o->extended, c->meta);
}

static int list_cb(const struct tc_sock *sk, void *arg)
{
	struct list_ctx *c = arg;

	list_begin(c);
	report_list_sock(&c->list, sk);
	return out_failed(c->list.o) ? 0 : 1;
}

static int tally_cb(const struct tc_sock *sk, void *arg)
{
	return tally_add(arg, sk) < 0 ? -ENOMEM : 1;
}

static int parse_top(const char *arg, size_t *top, struct tc_err *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	if (arg[0] < '0' || arg[0] > '9')
		return tc_err_usage(err, "bad --top '%.32s' (want a number, 0 for all)", arg);
	v = strtoul(arg, &end, 10);
	if (errno || *end || v > 1000000000ul)
		return tc_err_usage(err, "bad --top '%.32s' (want a number, 0 for all)", arg);
	*top = v;
	return 0;
}

static int states_parse(int argc, char **argv, struct states_opts *o, struct tc_err *err)
{
	static const struct option longopts[] = {
	    SELECT_LONGOPTS,
	    {"list", no_argument, NULL, 'l'},
	    {"extended", no_argument, NULL, 'e'},
	    {"by", required_argument, NULL, 'b'},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"no-header", no_argument, NULL, 'H'},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"format", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c, r;

	memset(o, 0, sizeof(*o));
	select_init(&o->sel);
	o->top = 20;
	o->out.header = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" SELECT_SHORTOPTS "leb:Ho:hV", longopts, NULL)) !=
	       -1) {
		r = select_option(&o->sel, c, optarg, err);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		switch (c) {
		case 'l':
			o->list = 1;
			break;
		case 'e':
			o->extended = 1;
			break;
		case 'b':
			if (tally_parse_by(optarg, &o->by, err) < 0)
				return -EINVAL;
			break;
		case OPT_TOP:
			if (parse_top(optarg, &o->top, err) < 0)
				return -EINVAL;
			o->top_set = 1;
			break;
		case 'H':
			o->out.header = 0;
			break;
		case OPT_COLOR:
			if (out_parse_color(optarg, &o->color, err) < 0)
				return -EINVAL;
			break;
		case 'o':
			if (out_parse_format(optarg, &o->out.format, err) < 0)
				return -EINVAL;
			break;
		case OPT_JSON:
			o->out.format = TC_FMT_JSON;
			break;
		case 'h':
			return 'h';
		case 'V':
			return 'V';
		case ':':
			return tc_err_usage(err, "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				return tc_err_usage(err, "unknown option '-%c'", optopt);
			return tc_err_usage(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return tc_err_usage(err, "unexpected argument '%.64s'", argv[optind]);
	if (o->list && o->by)
		return tc_err_usage(err,
				    "-l and -b do not go together: list sockets or group them");
	if (o->top_set && !o->by)
		return tc_err_usage(err, "--top picks the largest groups: use it with -b");
	if (o->extended && !o->list)
		return tc_err_usage(err, "-e extends the socket list: use it with -l");
	if (o->list && o->out.format == TC_FMT_PROM)
		return tc_err_usage(err,
				    "prom output holds counts, not a socket list (use -o json)");
	return select_finish(&o->sel, err);
}

int cmd_states(int argc, char **argv, struct tc_err *err)
{
	struct states_opts o;
	struct tc_meta meta;
	int r;

	r = states_parse(argc, argv, &o, err);
	if (r == 'h') {
		cmd_states_help(stdout);
		return 0;
	}
	if (r == 'V') {
		printf("tcpdoc %s\n", TCPDOC_VERSION);
		return 0;
	}
	if (r < 0)
		return r;
	if (o.sel.netns && netns_enter(o.sel.netns, err) < 0)
		return -EINVAL;
	out_setup(&o.out, stdout, o.color);
	if (o.list && o.extended)
		o.sel.source.want |= NL_WANT_INFO;
	meta.netns = o.sel.netns;

	if (o.list) {
		struct list_ctx c = {.o = &o, .meta = &meta};

		r = source_walk(&o.sel.source, &o.sel.filter, list_cb, &c, err);
		if (o.sel.source.fell_back)
			fprintf(
			    stderr,
			    "tcpdoc: note: sock_diag unavailable (%s), read /proc/net instead\n",
			    strerror(o.sel.source.fallback_err));
		if (r < 0)
			return r;
		list_begin(&c);
		report_list_end(&c.list);
		return 0;
	}

	{
		struct tc_tally t;

		tally_init(&t, o.by);
		r = source_walk(&o.sel.source, &o.sel.filter, tally_cb, &t, err);
		if (o.sel.source.fell_back)
			fprintf(
			    stderr,
			    "tcpdoc: note: sock_diag unavailable (%s), read /proc/net instead\n",
			    strerror(o.sel.source.fallback_err));
		if (r < 0) {
			tally_free(&t);
			if (r == -ENOMEM && !err->msg[0])
				tc_err_set(err, ENOMEM, "out of memory grouping sockets");
			return r;
		}
		meta.source = source_name(o.sel.source.used);
		if (o.by)
			report_groups(&o.out, &t, tally_sort_groups(&t, o.top), &meta);
		else
			report_summary(&o.out, &t, &meta);
		tally_free(&t);
	}
	return 0;
}
