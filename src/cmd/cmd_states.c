/* tcpdoc states: the state summary, grouped counts, or the socket list. */
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/gather.h"
#include "cmd/options.h"
#include "cmd/select.h"
#include "model/tally.h"
#include "render/out.h"
#include "render/report.h"
#include "source/netlink.h"
#include "source/netns.h"
#include "diag/observe.h"
#include "diag/rules.h"
#include "render/findings.h"
#include "render/owner.h"
#include "source/procmap.h"
#include "util/num.h"
#include "render/fmt.h"

const char cmd_states_usage[] =
    "usage: tcpdoc states [-l [-e]] [-p] [-b KEY [--top N]] [-s STATES] [--port P] [--sport P] "
    "[--dport P] [--host A[/LEN]] [--src A[/LEN]] [--dst A[/LEN]] [-4|-6] [-N NETNS | --all-netns] "
    "[--source auto|netlink|proc | --procfs DIR | --diag-file FILE] [-H] [--color WHEN] "
    "[-o table|json|prom | --json] [--threshold ID=N] [--config FILE] [--no-findings] [--rules] "
    "[--check] [--sample SECONDS]";

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
	      "  -p, --processes       name the processes holding sockets: with -l a PROCESS\n"
	      "                        column (comm/pid, or what a socket without a file is:\n"
	      "                        (timewait), (request), (not-accepted), (orphan)); in\n"
	      "                        findings, who holds their sockets\n"
	      "  -b, --by KEY          per-state counts grouped by lport, rport, peer, local,\n"
	      "                        user or process (netns: see --all-netns)\n"
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
	      "      --all-netns       every network namespace on the host, one summary row\n"
	      "                        each (named ones, then those of processes: PID/comm)\n"
	      "\n"
	      "Source:\n"
	      "      --source SRC      auto (netlink, else /proc with a note), netlink, or proc\n"
	      "      --procfs DIR      read a saved /proc snapshot: DIR/net/tcp and DIR/net/tcp6\n"
	      "      --diag-file FILE  replay raw sock_diag messages as `ss -D FILE` saves them\n"
	      "                        (- for standard input)\n"
	      "\n"
	      "Findings (on by default; the rules and their defaults are in tcpdoc(1)):\n"
	      "      --threshold ID=N  change a rule's threshold; ID.PARAM=N for its other\n"
	      "                        parameters, ID=off to mute it (repeatable)\n"
	      "      --config FILE     thresholds from FILE instead of /etc/tcpdoc.conf and\n"
	      "                        $XDG_CONFIG_HOME/tcpdoc/config (`ID = N` lines)\n"
	      "      --no-findings     counts and lists only\n"
	      "      --rules           list the rules, their thresholds and where each came from\n"
	      "      --check           monitoring plugin mode: a first line `TCPDOC STATUS - ...`\n"
	      "                        and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	      "      --sample SECONDS  read the kernel counters twice, SECONDS apart, so the\n"
	      "                        rules on rates (SYN cookies, listen overflows) can fire\n"
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
	      "awk; with findings, the list gains a FINDING column (the ids that flag each\n"
	      "socket) and a FINDINGS section follows. Exit status: 0 success, 1 failure,\n"
	      "2 usage error (with --check: the plugin codes above).\n"
	      "\n"
	      "Examples:\n"
	      "  tcpdoc states                       counts per state\n"
	      "  tcpdoc states -l -s close-wait      the CLOSE_WAIT sockets\n"
	      "  tcpdoc states -b lport -s time-wait where TIME_WAIT piles up\n"
	      "  tcpdoc states -o prom > /var/lib/node_exporter/tcpdoc.prom\n"
	      "  tcpdoc states --check --sample 5    a Nagios/Icinga check with rates\n",
	      fp);
}

enum {
	OPT_TOP = OPT_SELECT_LAST,
	OPT_THRESHOLD,
	OPT_CONFIG,
	OPT_NO_FINDINGS,
	OPT_RULES,
	OPT_CHECK,
	OPT_SAMPLE,
};

#define MAX_THRESHOLD_OPTS 64

struct states_opts {
	struct tc_select sel;
	struct tc_out out;
	int list, extended, by, color, top_set;
	size_t top;
	int findings;  /* evaluate the rules */
	int processes; /* -p: name the owners */
	int rules;     /* --rules: list them and stop */
	int check;     /* --check: Nagios exit status */
	double sample;
	const char *config;
	const char *thresholds[MAX_THRESHOLD_OPTS];
	int nthresholds;
};

/* One run of the command: the gathered data and the list being printed. */
struct states_run {
	struct states_opts *o;
	struct tc_gather g;
	struct tc_procmap procs;
	int have_procs;
	struct tc_meta meta;
	struct tc_list list;
	int list_begun;
};

/* The list starts at its first socket: only then is the source that really
 * runs known (auto may have fallen back to /proc), which JSON names. */
static void list_begin(struct states_run *r)
{
	if (r->list_begun)
		return;
	r->list_begun = 1;
	r->meta.source = source_name(r->o->sel.source.used);
	report_list_begin(&r->list, &r->o->out, r->o->extended, &r->meta);
}

static int list_cb(const struct tc_sock *sk, void *arg)
{
	struct states_run *r = arg;

	list_begin(r);
	report_list_sock(&r->list, sk);
	return out_failed(&r->o->out) ? 0 : 1;
}

static int parse_top(const char *arg, size_t *top, struct tc_err *err)
{
	uint64_t v;

	if (num_parse_u64(arg, strlen(arg), 1000000000u, &v) < 0)
		return tc_err_usage(err, "bad --top '%.32s' (want a number, 0 for all)", arg);
	*top = (size_t)v;
	return 0;
}

static int parse_sample(const char *arg, double *secs, struct tc_err *err)
{
	if (num_parse_seconds(arg, 0.1, 3600, secs) < 0)
		return tc_err_usage(err, "bad --sample '%.32s' (want seconds, 0.1 to 3600)", arg);
	return 0;
}

static int states_parse(int argc, char **argv, struct states_opts *o, struct tc_err *err)
{
	static const struct option longopts[] = {
	    SELECT_LONGOPTS,
	    {"list", no_argument, NULL, 'l'},
	    {"extended", no_argument, NULL, 'e'},
	    {"processes", no_argument, NULL, 'p'},
	    {"by", required_argument, NULL, 'b'},
	    {"top", required_argument, NULL, OPT_TOP},
	    OUTPUT_LONGOPTS,
	    {"threshold", required_argument, NULL, OPT_THRESHOLD},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"no-findings", no_argument, NULL, OPT_NO_FINDINGS},
	    {"rules", no_argument, NULL, OPT_RULES},
	    {"check", no_argument, NULL, OPT_CHECK},
	    {"sample", required_argument, NULL, OPT_SAMPLE},
	    {NULL, 0, NULL, 0},
	};
	int c, r;

	memset(o, 0, sizeof(*o));
	select_init(&o->sel);
	o->top = 20;
	o->out.header = 1;
	o->findings = 1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:" SELECT_SHORTOPTS "lepb:" OUTPUT_SHORTOPTS,
				longopts, NULL)) != -1) {
		r = select_option(&o->sel, c, optarg, err);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		r = output_option(c, optarg, &o->out, &o->color, 7, err);
		if (r < 0 || r == 'h' || r == 'V')
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
		case 'p':
			o->processes = 1;
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
		case OPT_THRESHOLD:
			if (o->nthresholds == MAX_THRESHOLD_OPTS)
				return tc_err_usage(err, "too many --threshold options");
			o->thresholds[o->nthresholds++] = optarg;
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_NO_FINDINGS:
			o->findings = 0;
			break;
		case OPT_RULES:
			o->rules = 1;
			break;
		case OPT_CHECK:
			o->check = 1;
			break;
		case OPT_SAMPLE:
			if (parse_sample(optarg, &o->sample, err) < 0)
				return -EINVAL;
			break;
		default:
			return option_error(c, argv, err);
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
	if ((o->processes || o->by == TC_BY_PROCESS) &&
	    (o->sel.source.kind == TC_SOURCE_PROCFS || o->sel.source.kind == TC_SOURCE_DIAGFILE))
		return tc_err_usage(err, "process owners come from this host's /proc: -p and -b "
					 "process need a live source");
	if (o->sel.all_netns && (o->list || (o->by && o->by != TC_BY_NETNS)))
		return tc_err_usage(err, "--all-netns gives one summary row per namespace: -l and "
					 "-b work on one namespace (-N)");
	if (o->sel.all_netns && o->sample > 0)
		return tc_err_usage(err, "--sample works on one namespace at a time (-N)");
	if (o->by == TC_BY_NETNS && !o->sel.all_netns)
		return tc_err_usage(err, "-b netns groups namespaces: use it with --all-netns");
	if (o->check && o->list)
		return tc_err_usage(err, "--check sums up the findings: use it without -l");
	if (o->rules && o->out.format == TC_FMT_PROM)
		return tc_err_usage(err, "--rules prints a table or json, not prom");
	if (!o->findings && (o->check || o->sample > 0 || o->nthresholds))
		return tc_err_usage(err, "--no-findings turns off what --check, --sample and "
					 "--threshold act on");
	return select_finish(&o->sel, err);
}

static void print_rules(const struct tc_out *out, const struct tc_thresholds *th)
{
	static const struct tc_col cols[] = {
	    {"RULE", 18, 0}, {"PARAM", 8, 0}, {"VALUE", 8, 1}, {"UNIT", 12, 0}, {"FROM", 7, 0}};
	char name[80], val[32];

	if (out->format == TC_FMT_JSON) {
		struct json_w j;

		json_init(&j, out->fp, 0);
		json_arr_begin(&j);
		for (int r = 0; r < R_COUNT; r++) {
			json_obj_begin(&j);
			json_key(&j, "id");
			json_str(&j, tc_rules[r].id);
			json_key(&j, "summary");
			json_str(&j, tc_rules[r].summary);
			json_key(&j, "enabled");
			json_bool(&j, !th->off[r]);
			json_key(&j, "params");
			json_obj_begin(&j);
			for (int p = 0; p < TC_RULE_PARAMS && tc_rules[r].params[p].name; p++) {
				json_key(&j, tc_rules[r].params[p].name[0]
						 ? tc_rules[r].params[p].name
						 : "threshold");
				json_obj_begin(&j);
				json_key(&j, "value");
				json_i64(&j, th->v[r][p]);
				json_key(&j, "default");
				json_i64(&j, tc_rules[r].params[p].def);
				json_key(&j, "unit");
				json_str(&j, tc_rules[r].params[p].unit);
				json_key(&j, "from");
				json_str(&j, th->from[r][p]);
				json_key(&j, "doc");
				json_str(&j, tc_rules[r].params[p].doc);
				json_obj_end(&j);
			}
			json_obj_end(&j);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_end(&j);
		return;
	}
	table_header(out, cols, 5);
	for (int r = 0; r < R_COUNT; r++) {
		for (int p = 0; p < TC_RULE_PARAMS && tc_rules[r].params[p].name; p++) {
			const struct tc_param_def *d = &tc_rules[r].params[p];
			const char *cells[5];

			snprintf(name, sizeof(name), "%s", tc_rules[r].id);
			snprintf(val, sizeof(val), "%" PRId64, th->v[r][p]);
			cells[0] = name;
			cells[1] = d->name[0] ? d->name : "-";
			cells[2] = th->off[r] && p == 0 ? "off" : val;
			cells[3] = d->unit;
			cells[4] = th->off[r] && p == 0 ? th->off_from[r] : th->from[r][p];
			table_row(out, cols, 5, cells, NULL);
		}
	}
}

static void fallback_note(const struct tc_source *s)
{
	if (s->fell_back)
		fprintf(stderr,
			"tcpdoc: note: sock_diag unavailable (%s), read /proc/net instead\n",
			strerror(s->fallback_err));
}

/* The Nagios/Icinga first line: "TCPDOC WARNING - 2 findings: ... | perfdata". */
static void check_line(const struct states_run *r)
{
	static const char *const status[] = {"OK", "OK", "WARNING", "CRITICAL"};
	const struct tc_findings *f = &r->g.findings;
	size_t shown = 0;

	printf("TCPDOC %s - ", status[f->worst]);
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i].severity < TC_SEV_WARNING)
			continue;
		printf("%s%s %s", shown ? "; " : "", tc_rules[f->v[i].rule].id, f->v[i].scope);
		shown++;
	}
	if (!shown)
		printf("no warnings");
	printf(" |");
	for (int i = 0; i < TC_NSTATES; i++)
		printf(" %s=%" PRIu64, state_label(tc_state_order[i]),
		       tally_state(&r->g.tally, tc_state_order[i]));
	printf("\n");
}

/* One pass over /proc/PID/fd, when an output needs owners. */
static int load_procs(struct states_run *r, struct tc_err *err)
{
	int ret;

	if (r->have_procs)
		return 0;
	ret = procmap_build(&r->procs, "/proc", r->g.tally.total, err);
	if (ret < 0)
		return ret;
	r->have_procs = 1;
	if (r->procs.unreadable)
		fprintf(stderr,
			"tcpdoc: note: %lu processes could not be read: their sockets show as "
			"(unknown); root sees every owner\n",
			r->procs.unreadable);
	return 0;
}

/* Who holds a finding's example sockets ("nginx/812, nginx/813"). */
static void annotate_owners(struct states_run *r)
{
	for (size_t i = 0; i < r->g.findings.n; i++) {
		struct tc_finding *f = &r->g.findings.v[i];
		char seen[512] = "", one[160];
		size_t o = 0, n = 0;

		for (int e = 0; e < f->nexamples && n < 3; e++) {
			if (!f->examples[e].inode)
				continue;
			owner_describe(&r->procs, &f->examples[e], one, sizeof(one));
			if (one[0] == '(' || strstr(seen, one))
				continue;
			o += (size_t)snprintf(seen + o, sizeof(seen) - o, "%s%s", n ? ", " : "",
					      one);
			n++;
		}
		if (n)
			snprintf(f->owners, sizeof(f->owners), "%s", seen);
	}
}

static int states_run_all(struct states_run *r, struct tc_err *err)
{
	struct states_opts *o = r->o;
	struct tc_gather *g = &r->g;
	int ret;

	if (o->by == TC_BY_PROCESS) {
		ret = load_procs(r, err);
		if (ret < 0)
			return ret;
		g->tally.owner = owner_for_group;
		g->tally.owner_arg = &r->procs;
	}
	/* The first walk counts and feeds the rules; a plain list needs none. */
	if (!o->list || o->findings) {
		g->count = !o->list;
		ret = gather_run(g, err);
		fallback_note(&o->sel.source);
		if (ret < 0)
			return ret;
		if (o->findings) {
			r->meta.findings = &g->findings;
			r->meta.obs = &g->obs;
		}
	}
	if (o->list && o->processes) {
		ret = load_procs(r, err);
		if (ret < 0)
			return ret;
		r->meta.procs = &r->procs;
	}
	/* The second walk: the list, or example sockets for the findings. */
	/* Example sockets cost a second dump: only for warnings and worse, or
	 * when -p wants to name who holds the sockets of any finding. */
	if (o->list || ((g->findings.worst >= TC_SEV_WARNING || (o->processes && g->findings.n)) &&
			gather_can_rewalk(g))) {
		ret = gather_rewalk(g, o->list ? list_cb : NULL, r, err);
		if (!o->findings)
			fallback_note(&o->sel.source);
		if (ret < 0)
			return ret;
	}
	/* -p: name who holds the flagged sockets. Reading every process's fds
	 * costs as much as the dump on a big host, so only when asked. */
	if (o->processes && g->findings.n && load_procs(r, err) == 0)
		annotate_owners(r);
	memset(err, 0, sizeof(*err)); /* owners are a bonus; their absence is not a failure */
	if (o->check)
		check_line(r);
	r->meta.source = source_name(o->sel.source.used);
	if (o->list) {
		list_begin(r);
		report_list_end(&r->list);
	} else if (o->by) {
		report_groups(&o->out, &g->tally, tally_sort_groups(&g->tally, o->top), &r->meta);
	} else {
		report_summary(&o->out, &g->tally, &r->meta);
	}
	if (o->check)
		return g->findings.worst >= TC_SEV_WARNING ? g->findings.worst - 1 : 0;
	return 0;
}

/* Prometheus for --all-netns: the tcpdoc_sockets family once, a netns label
 * on every series. */
static void prom_all_netns(const struct tc_out *out, const struct tc_netns_entry *ns,
			   const uint64_t (*counts)[2][TC_NSTATES + 1], size_t n,
			   const struct tc_findings *f)
{
	char label[160];

	fputs("# HELP tcpdoc_sockets TCP sockets by state and address family.\n"
	      "# TYPE tcpdoc_sockets gauge\n",
	      out->fp);
	for (size_t i = 0; i < n; i++) {
		fmt_prom_label(label, sizeof(label), ns[i].name);
		for (int fam = 0; fam < 2; fam++)
			for (int s = 0; s < TC_NSTATES; s++)
				fprintf(out->fp,
					"tcpdoc_sockets{state=\"%s\",family=\"%s\",netns=\"%s\"} "
					"%" PRIu64 "\n",
					state_label(tc_state_order[s]), fam ? "ipv6" : "ipv4",
					label, counts[i][fam][tc_state_order[s]]);
	}
	if (f)
		findings_prom(out, f, "");
}

/* --all-netns: every namespace in turn, one summary row each, the findings
 * of all of them tagged with their namespace. */
static int states_all_netns(struct states_run *r, struct tc_err *err)
{
	struct states_opts *o = r->o;
	struct tc_netns_entry *ns = NULL;
	struct tc_group *groups = NULL;
	uint64_t(*counts)[2][TC_NSTATES + 1] = NULL;
	struct tc_findings all;
	struct tc_tally t;
	size_t nns = 0, k = 0;
	int ret;

	findings_init(&all);
	ret = netns_list(&ns, &nns, err);
	if (ret < 0)
		return ret;
	groups = calloc(nns, sizeof(*groups));
	counts = calloc(nns, sizeof(*counts));
	if (!groups || !counts) {
		ret = tc_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nns; i++) {
		struct tc_gather g;
		struct tc_err e = {0};

		if (netns_enter_entry(&ns[i], &e) < 0) {
			fprintf(stderr, "tcpdoc: note: %s\n", e.msg);
			continue;
		}
		gather_init(&g, &o->sel, TC_BY_NONE);
		g.th = r->g.th;
		g.evaluate = o->findings;
		/* the commands the findings suggest must name the namespace */
		o->sel.netns = ns[i].self				     ? NULL
			       : strncmp(ns[i].path, "/run/netns/", 11) == 0 ? ns[i].name
									     : ns[i].path;
		ret = gather_run(&g, &e);
		if (ret >= 0 &&
		    (g.findings.worst >= TC_SEV_WARNING || (o->processes && g.findings.n)))
			ret = gather_rewalk(&g, NULL, NULL, &e);
		if (ret < 0) {
			char esc[200];

			fmt_escape(esc, sizeof(esc), ns[i].name);
			fprintf(stderr, "tcpdoc: note: network namespace %s: %s\n", esc, e.msg);
			gather_free(&g);
			ret = 0;
			continue;
		}
		ret = 0;
		snprintf(groups[k].name, sizeof(groups[k].name), "%s", ns[i].name);
		for (int s = 0; s <= TC_NSTATES; s++)
			groups[k].count[s] = tally_state(&g.tally, (unsigned)s);
		groups[k].total = g.tally.total;
		memcpy(counts[k], g.tally.count, sizeof(counts[k]));
		o->sel.netns = NULL;
		for (size_t f = 0; f < g.findings.n; f++) {
			struct tc_finding *x;

			if (all.n == all.cap) {
				size_t ncap = all.cap ? all.cap * 2 : 16;
				struct tc_finding *nv = realloc(all.v, ncap * sizeof(*nv));

				if (!nv) {
					gather_free(&g);
					ret = tc_err_set(err, ENOMEM, "out of memory");
					goto out;
				}
				all.v = nv;
				all.cap = ncap;
			}
			x = &all.v[all.n++];
			*x = g.findings.v[f];
			x->netns = ns[i].name;
			if (x->severity > all.worst)
				all.worst = x->severity;
		}
		/* count rows in the tally too, for --check's perfdata */
		for (int fam = 0; fam < 2; fam++)
			for (int s = 0; s <= TC_NSTATES; s++)
				r->g.tally.count[fam][s] += g.tally.count[fam][s];
		r->g.tally.total += g.tally.total;
		k++;
		gather_free(&g);
	}
	r->g.findings = all;
	all.v = NULL; /* owned by r->g now */
	if (o->processes && r->g.findings.n && load_procs(r, err) == 0)
		annotate_owners(r);
	memset(err, 0, sizeof(*err));
	if (o->check)
		check_line(r);
	if (o->out.format == TC_FMT_PROM) {
		prom_all_netns(&o->out, ns, (const uint64_t(*)[2][TC_NSTATES + 1]) counts, k,
			       o->findings ? &r->g.findings : NULL);
	} else {
		memset(&t, 0, sizeof(t));
		t.by = TC_BY_NETNS;
		t.groups = groups;
		t.ngroups = k;
		r->meta.source = source_name(o->sel.source.used);
		r->meta.findings = o->findings ? &r->g.findings : NULL;
		report_groups(&o->out, &t, k, &r->meta);
	}
	if (o->check)
		ret = r->g.findings.worst >= TC_SEV_WARNING ? r->g.findings.worst - 1 : 0;
out:
	findings_free(&all);
	free(groups);
	free(counts);
	free(ns);
	return ret;
}

int cmd_states(int argc, char **argv, struct tc_err *err)
{
	struct states_opts o;
	struct states_run *r;
	int ret;

	ret = states_parse(argc, argv, &o, err);
	if (cmd_help_version(ret, cmd_states_help, stdout))
		return 0;
	if (ret < 0)
		return ret;
	out_setup(&o.out, stdout, o.color);
	r = calloc(1, sizeof(*r));
	if (!r)
		return tc_err_set(err, ENOMEM, "out of memory");
	r->o = &o;
	gather_init(&r->g, &o.sel, o.by);
	r->g.evaluate = o.findings;
	r->g.sample = o.sample;
	ret = gather_thresholds(&r->g, o.config, o.thresholds, o.nthresholds, err);
	if (ret == 0 && o.rules) {
		print_rules(&o.out, &r->g.th);
	} else if (ret == 0) {
		if (o.sel.netns && netns_enter(o.sel.netns, err) < 0)
			ret = -EINVAL;
		if (ret == 0 && o.list && o.extended)
			o.sel.source.want |= NL_WANT_INFO;
		r->meta.netns = o.sel.netns;
		if (ret == 0 && o.sel.all_netns)
			ret = states_all_netns(r, err);
		else if (ret == 0)
			ret = states_run_all(r, err);
	}
	gather_free(&r->g);
	if (r->have_procs)
		procmap_free(&r->procs);
	free(r);
	/* --check: a failure is UNKNOWN (3), with the reason as its one line */
	if (ret < 0 && o.check && err->kind != TC_ERR_USAGE) {
		printf("TCPDOC UNKNOWN - %s\n", err->msg[0] ? err->msg : strerror(-ret));
		return 3;
	}
	return ret;
}
