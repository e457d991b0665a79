/* tcpdoc explain: what a state, a topic or a finding means, with this host's
 * live numbers; or the live sockets at ADDR:PORT explained one by one. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/cmd.h"
#include "cmd/gather.h"
#include "cmd/options.h"
#include "cmd/select.h"
#include "kb/kb.h"
#include "model/state.h"
#include "render/findings.h"
#include "render/fmt.h"
#include "render/json.h"
#include "render/out.h"
#include "render/report.h"
#include "render/wrap.h"
#include "source/netlink.h"
#include "source/netns.h"
#include "util/num.h"

const char cmd_explain_usage[] =
    "usage: tcpdoc explain [STATE | TOPIC | FINDING | ADDR:PORT] [-s STATES] [--port P] "
    "[--sport P] [--dport P] [--host A] [--src A] [--dst A] [-4|-6] [-N NETNS] "
    "[--source SRC | --procfs DIR | --diag-file FILE] [--no-live] [-w COLS] [--color WHEN] "
    "[-o table|json | --json]";

void cmd_explain_help(FILE *fp)
{
	fputs("usage: tcpdoc explain                  the topics\n"
	      "       tcpdoc explain STATE|TOPIC|ID   one of them, with this host's numbers\n"
	      "       tcpdoc explain ADDR:PORT        the live sockets at that endpoint\n"
	      "       tcpdoc explain [SELECTION]      the live sockets the options select\n"
	      "\n"
	      "STATE is any spelling of a TCP state (ESTABLISHED, estab, SYN_RCVD, 0A, 8, ...),\n"
	      "including the kernel-internal NEW_SYN_RECV and BOUND_INACTIVE. TOPIC is one of\n"
	      "the topics `tcpdoc explain` lists (handshake, teardown, time-wait, keepalive,\n"
	      "...), and every finding id (close-wait-leak, syn-flood, ...) is a topic too.\n"
	      "ADDR:PORT is 10.0.0.1:80, [::1]:7800 or :8080 (any address); the sockets\n"
	      "whose local or remote end it is are explained one by one: state, side,\n"
	      "timers in words, queues, and the findings that flag them.\n"
	      "\n"
	      "Selection and source: the options of `tcpdoc states` (-s, --port, --sport,\n"
	      "--dport, --host, --src, --dst, -4, -6, -N, --source, --procfs, --diag-file).\n"
	      "\n"
	      "Output:\n"
	      "      --no-live         the text only, without this host's numbers\n"
	      "      --limit N         explain at most N sockets (default 20, 0 = all)\n"
	      "  -w, --width COLS      wrap to COLS columns (default: the terminal, 80 on a pipe)\n"
	      "  -H, --no-header       no header line in the list of topics\n"
	      "  -o, --format FMT      table (default: text) or json\n"
	      "      --json            the same as -o json\n"
	      "      --color WHEN      auto (default; off when NO_COLOR is set), always, never\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         the version\n"
	      "\n"
	      "Exit status: 0 success, 1 unknown topic or failure, 2 usage error.\n"
	      "\n"
	      "Examples:\n"
	      "  tcpdoc explain close-wait           the state, and how many sit there now\n"
	      "  tcpdoc explain keepalive            with this host's keepalive settings\n"
	      "  tcpdoc explain time-wait-ports      what that finding means\n"
	      "  tcpdoc explain 127.0.0.1:8080       the sockets of that endpoint, one by one\n",
	      fp);
}

enum {
	OPT_NO_LIVE = OPT_SELECT_LAST,
	OPT_LIMIT,
};

struct explain_opts {
	struct tc_select sel;
	struct tc_out out;
	int color, live, width, selected;
	unsigned long limit;
	const char *word;
	/* ADDR:PORT */
	int ep_set, ep_has_addr;
	uint8_t ep_family;
	uint8_t ep_addr[16];
	uint16_t ep_port;
};

/* How ss and /proc spell each state, for people coming from them. */
static const char *const ss_names[TC_STATE_MAX + 1] = {
    [TC_STATE_ESTABLISHED] = "ESTAB",	 [TC_STATE_SYN_SENT] = "SYN-SENT",
    [TC_STATE_SYN_RECV] = "SYN-RECV",	 [TC_STATE_FIN_WAIT1] = "FIN-WAIT-1",
    [TC_STATE_FIN_WAIT2] = "FIN-WAIT-2", [TC_STATE_TIME_WAIT] = "TIME-WAIT",
    [TC_STATE_CLOSE] = "UNCONN",	 [TC_STATE_CLOSE_WAIT] = "CLOSE-WAIT",
    [TC_STATE_LAST_ACK] = "LAST-ACK",	 [TC_STATE_LISTEN] = "LISTEN",
    [TC_STATE_CLOSING] = "CLOSING",	 [TC_STATE_NEW_SYN_RECV] = "-",
    [TC_STATE_BOUND_INACTIVE] = "-",
};

/* A state word, including the two kernel-internal ones state_lookup leaves
 * out; -1 if not a state. */
static int explain_state(const char *w)
{
	char key[32];
	size_t j = 0;
	int s = state_lookup(w);

	if (s > 0)
		return s;
	for (size_t i = 0; w[i] && j + 1 < sizeof(key); i++)
		if (w[i] != '-' && w[i] != '_')
			key[j++] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
	key[j] = '\0';
	if (!strcmp(key, "newsynrecv") || !strcmp(key, "12") || !strcmp(key, "0c"))
		return TC_STATE_NEW_SYN_RECV;
	if (!strcmp(key, "boundinactive") || !strcmp(key, "13") || !strcmp(key, "0d"))
		return TC_STATE_BOUND_INACTIVE;
	return -1;
}

/* "10.0.0.1:80", "[::1]:7800", ":8080", "*:8080". */
static int parse_endpoint_arg(const char *w, struct explain_opts *o)
{
	const char *colon = strrchr(w, ':');
	char addr[INET6_ADDRSTRLEN + 2];
	size_t alen;
	unsigned long port = 0;

	if (!colon || !colon[1] || strlen(colon + 1) > 5)
		return -1;
	for (const char *p = colon + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		port = port * 10 + (unsigned long)(*p - '0');
	}
	if (port > 65535)
		return -1;
	alen = (size_t)(colon - w);
	if (alen >= 2 && w[0] == '[' && w[alen - 1] == ']') {
		w++;
		alen -= 2;
	}
	if (alen >= sizeof(addr))
		return -1;
	memcpy(addr, w, alen);
	addr[alen] = '\0';
	o->ep_port = (uint16_t)port;
	o->ep_set = 1;
	if (alen == 0 || strcmp(addr, "*") == 0)
		return 0;
	o->ep_has_addr = 1;
	if (inet_pton(AF_INET, addr, o->ep_addr) == 1)
		o->ep_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, o->ep_addr) == 1)
		o->ep_family = AF_INET6;
	else
		return -1;
	return 0;
}

static int parse_uint_opt(const char *arg, unsigned long max, unsigned long *v)
{
	uint64_t x;

	if (num_parse_u64(arg, strlen(arg), max, &x) < 0)
		return -1;
	*v = (unsigned long)x;
	return 0;
}

static int explain_parse(int argc, char **argv, struct explain_opts *o, struct tc_err *err)
{
	static const struct option longopts[] = {
	    SELECT_LONGOPTS,
	    {"no-live", no_argument, NULL, OPT_NO_LIVE},
	    {"limit", required_argument, NULL, OPT_LIMIT},
	    {"width", required_argument, NULL, 'w'},
	    OUTPUT_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	unsigned long v;
	int c, r;

	memset(o, 0, sizeof(*o));
	select_init(&o->sel);
	o->live = 1;
	o->limit = 20;
	o->out.header = 1;
	optind = 1;
	opterr = 0;
	/* options may follow the topic word, as in `tcpdoc explain estab -N ns` */
	while ((c = getopt_long(argc, argv, ":" SELECT_SHORTOPTS "w:" OUTPUT_SHORTOPTS, longopts,
				NULL)) != -1) {
		r = select_option(&o->sel, c, optarg, err);
		if (r < 0)
			return r;
		if (r > 0) {
			if (c != 'N' && c != OPT_SOURCE && c != OPT_PROCFS && c != OPT_DIAGFILE)
				o->selected = 1;
			continue;
		}
		r = output_option(c, optarg, &o->out, &o->color,
				  (1u << TC_FMT_TABLE) | (1u << TC_FMT_JSON), err);
		if (r < 0 || r == 'h' || r == 'V')
			return r;
		if (r > 0)
			continue;
		switch (c) {
		case OPT_NO_LIVE:
			o->live = 0;
			break;
		case OPT_LIMIT:
			if (parse_uint_opt(optarg, 1000000000ul, &v) < 0)
				return tc_err_usage(
				    err, "bad --limit '%.32s' (want a number, 0 for all)", optarg);
			o->limit = v;
			break;
		case 'w':
			if (parse_uint_opt(optarg, 1000, &v) < 0 || v < 20)
				return tc_err_usage(
				    err, "bad --width '%.32s' (want 20 to 1000 columns)", optarg);
			o->width = (int)v;
			break;
		default:
			return option_error(c, argv, err);
		}
	}
	if (optind < argc)
		o->word = argv[optind++];
	if (optind < argc)
		return tc_err_usage(err, "one topic at a time: unexpected '%.64s'", argv[optind]);
	if (o->word && !o->word[0])
		return tc_err_usage(err, "empty topic");
	if (o->sel.all_netns)
		return tc_err_usage(err, "explain reads one namespace: use -N");
	return select_finish(&o->sel, err);
}

/* ---- text output ---- */

struct ex {
	struct explain_opts *o;
	FILE *fp;
	int width;
	struct json_w j;
	/* live data */
	struct tc_gather g;
	int live_ok;
	char live_err[512];
	int focus_state; /* for the per-state groups, 0 for none */
	struct tc_tally by_lport, by_peer;
	unsigned long shown, matched;
};

static void heading(struct ex *x, const char *h)
{
	if (x->o->out.color)
		fprintf(x->fp, "\n\033[1m%s\033[0m\n", h);
	else
		fprintf(x->fp, "\n%s\n", h);
}

/* Paragraphs separated by blank lines, each wrapped with a 4-column indent. */
static void paragraphs(struct ex *x, const char *text, int verbatim)
{
	const char *p = text;

	if (verbatim) {
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);

			if (n)
				fprintf(x->fp, "    %.*s\n", (int)n, p);
			else
				fputc('\n', x->fp);
			p += n + (nl ? 1 : 0);
		}
		return;
	}
	while (*p) {
		const char *brk = strstr(p, "\n\n");
		size_t n = brk ? (size_t)(brk - p) : strlen(p);
		char *para = strndup(p, n);

		if (para) {
			wrap_print(x->fp, "    ", para, x->width);
			free(para);
		}
		p += n;
		while (*p == '\n')
			p++;
		if (*p)
			fputc('\n', x->fp);
	}
}

/* One "label: words" line of a related list, when the list is not empty. */
static void related(struct ex *x, const char *label, const char *list)
{
	char lead[32];

	if (!list || !*list)
		return;
	snprintf(lead, sizeof(lead), "    %-10s", label);
	wrap_print(x->fp, lead, list, x->width);
}

/* "net.ipv4.tcp_fin_timeout = 60" for each sysctl in the list, live. */
static void related_sysctls(struct ex *x, const char *list)
{
	char word[64], line[160];
	const char *p = list;

	if (!list || !*list)
		return;
	while (*p) {
		size_t n = strcspn(p, " ");
		int which = -1;

		snprintf(word, sizeof(word), "%.*s", (int)(n < 63 ? n : 63), p);
		p += n;
		while (*p == ' ')
			p++;
		for (int i = 0; i < TC_S_MAX; i++)
			if (strcmp(sysctl_name(i), word) == 0 && i != TC_S_PORT_HI)
				which = i;
		if (which >= 0 && x->live_ok && sysctl_has(&x->g.sys, which)) {
			if (which == TC_S_PORT_LO)
				snprintf(line, sizeof(line), "%s = %" PRId64 " %" PRId64, word,
					 x->g.sys.v[TC_S_PORT_LO], x->g.sys.v[TC_S_PORT_HI]);
			else
				snprintf(line, sizeof(line), "%s = %" PRId64, word,
					 x->g.sys.v[which]);
		} else {
			snprintf(line, sizeof(line), "%s", word);
		}
		wrap_print(x->fp, "    sysctl:   ", line, x->width);
	}
}

/* The Related section; sysctls here only when there are no live values
 * (the live section lists them with their values). */
static void related_lists(struct ex *x, const char *states, const char *errnos,
			  const char *findings, const char *topics, const char *sysctls)
{
	heading(x, "Related");
	related(x, "states:", states);
	related(x, "errnos:", errnos);
	related(x, "findings:", findings);
	related(x, "topics:", topics);
	if (!x->live_ok)
		related_sysctls(x, sysctls);
}

/* ---- live data ---- */

static int focus_cb(const struct tc_sock *sk, void *arg)
{
	struct ex *x = arg;

	if (x->focus_state && sk->state == x->focus_state) {
		if (tally_add(&x->by_lport, sk) < 0 || tally_add(&x->by_peer, sk) < 0)
			return -ENOMEM;
	}
	return 1;
}

/* Read this host's sockets, counters and sysctls, and run the rules. A
 * failure is noted, not fatal: the text stands without the numbers. */
static void live_read(struct ex *x, int focus_state)
{
	struct tc_err err = {0};

	x->focus_state = focus_state;
	x->g.extra_cb = focus_cb;
	x->g.extra_arg = x;
	if (gather_run(&x->g, &err) < 0) {
		snprintf(x->live_err, sizeof(x->live_err), "%s", err.msg[0] ? err.msg : "failed");
		return;
	}
	x->live_ok = 1;
	if (x->g.findings.n && gather_can_rewalk(&x->g) &&
	    gather_rewalk(&x->g, NULL, NULL, &err) < 0)
		x->live_ok = 1; /* examples are a bonus */
}

static void top_groups(struct ex *x, struct tc_tally *t, const char *label)
{
	char key[64], line[512];
	size_t n = tally_sort_groups(t, 5), o = 0;

	if (!n)
		return;
	line[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(line); i++) {
		tally_group_key(t, &t->groups[i], key, sizeof(key));
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s (%" PRIu64 ")",
				      i ? ", " : "", key, t->groups[i].total);
	}
	wrap_print(x->fp, label, line, x->width);
}

static int finding_related(const struct tc_finding *f, int state, const char *ids)
{
	const char *id = tc_rules[f->rule].id;
	size_t n = strlen(id);

	if (state > 0 && state <= TC_NSTATES && f->has_match && (f->match.states & (1u << state)))
		return 1;
	for (const char *p = ids; p && (p = strstr(p, id)) != NULL; p += n)
		if ((p == ids || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

static void live_findings(struct ex *x, int state, const char *ids)
{
	char lead[200];
	int any = 0;

	for (size_t i = 0; i < x->g.findings.n; i++) {
		const struct tc_finding *f = &x->g.findings.v[i];

		if (!finding_related(f, state, ids))
			continue;
		snprintf(lead, sizeof(lead), "    finding:  %s %s %s: ", severity_name(f->severity),
			 tc_rules[f->rule].id, f->scope);
		wrap_print(x->fp, lead, f->message, x->width);
		if (f->check[0])
			wrap_print(x->fp, "              check: ", f->check, x->width);
		any = 1;
	}
	if (!any)
		fprintf(x->fp, "    findings: none here now\n");
}

static void live_header(struct ex *x)
{
	char h[160];

	snprintf(h, sizeof(h), "On this host now (%s%s%s)", source_name(x->o->sel.source.used),
		 x->o->sel.netns ? ", network namespace " : "",
		 x->o->sel.netns ? x->o->sel.netns : "");
	heading(x, h);
}

static void live_unavailable(struct ex *x)
{
	heading(x, "On this host now");
	wrap_print(x->fp, "    ", x->live_err[0] ? x->live_err : "not read (--no-live)", x->width);
}

/* ---- a state ---- */

static void state_live(struct ex *x, const struct kb_state *k)
{
	const struct tc_tally *t = &x->g.tally;
	char line[256];
	int st = k->state;

	live_header(x);
	if (st > TC_NSTATES) {
		wrap_print(x->fp, "    ",
			   "The kernel never reports this state; its sockets are counted under the "
			   "state it shows them as.",
			   x->width);
	} else {
		snprintf(line, sizeof(line),
			 "%" PRIu64 " of %" PRIu64 " sockets %s in %s (%" PRIu64 " IPv4, %" PRIu64
			 " IPv6).",
			 tally_state(t, (unsigned)st), t->total,
			 tally_state(t, (unsigned)st) == 1 ? "is" : "are", state_name((unsigned)st),
			 t->count[0][st], t->count[1][st]);
		wrap_print(x->fp, "    ", line, x->width);
		top_groups(x, &x->by_lport, "    local ports: ");
		top_groups(x, &x->by_peer, "    peers:       ");
	}
	live_findings(x, st, k->findings);
	related_sysctls(x, k->sysctls);
}

static void explain_state_text(struct ex *x, const struct kb_state *k)
{
	char title[160];
	int st = k->state;

	if (st <= TC_NSTATES)
		snprintf(title, sizeof(title), "%s  (state %d; ss: %s; /proc: %02X)",
			 state_name((unsigned)st), st, ss_names[st], st);
	else
		snprintf(title, sizeof(title), "%s  (state %d; kernel-internal)",
			 state_name((unsigned)st), st);
	if (x->o->out.color)
		fprintf(x->fp, "\033[1m%s\033[0m\n", title);
	else
		fprintf(x->fp, "%s\n", title);
	wrap_print(x->fp, "", k->summary, x->width);
	heading(x, "Who is in it");
	paragraphs(x, k->side, 0);
	heading(x, "How a socket gets here");
	paragraphs(x, k->into, 0);
	heading(x, "How it leaves");
	paragraphs(x, k->out, 0);
	heading(x, "How long it stays");
	paragraphs(x, k->duration, 0);
	heading(x, "When many sockets sit here");
	paragraphs(x, k->many, 0);
	heading(x, "Investigate");
	paragraphs(x, k->investigate, 1);
	related_lists(x, NULL, k->errnos, k->findings, k->topics, k->sysctls);
	if (x->live_ok)
		state_live(x, k);
	else if (x->o->live)
		live_unavailable(x);
}

/* ---- a topic ---- */

static void topic_live(struct ex *x, const struct kb_topic *k)
{
	const struct tc_sysctls *s = &x->g.sys;
	char line[320];
	const char *p = k->states;

	live_header(x);
	/* counts of the related states */
	while (p && *p) {
		char w[32];
		size_t n = strcspn(p, " ");
		int st;

		snprintf(w, sizeof(w), "%.*s", (int)(n < 31 ? n : 31), p);
		p += n;
		while (*p == ' ')
			p++;
		st = state_lookup(w);
		if (st <= 0)
			continue;
		snprintf(line, sizeof(line), "%s: %" PRIu64 " sockets", state_name((unsigned)st),
			 tally_state(&x->g.tally, (unsigned)st));
		wrap_print(x->fp, "    ", line, x->width);
	}
	if (strcmp(k->name, "keepalive") == 0 && sysctl_has(s, TC_S_KEEPALIVE_TIME) &&
	    sysctl_has(s, TC_S_KEEPALIVE_INTVL) && sysctl_has(s, TC_S_KEEPALIVE_PROBES)) {
		int64_t t = s->v[TC_S_KEEPALIVE_TIME], i = s->v[TC_S_KEEPALIVE_INTVL],
			n = s->v[TC_S_KEEPALIVE_PROBES];
		char d[32];

		fmt_duration_ms(d, sizeof(d), (uint64_t)(t + n * i) * 1000);
		snprintf(line, sizeof(line),
			 "With these settings a socket with SO_KEEPALIVE and no options of its own "
			 "notices a dead peer after %" PRId64 " + %" PRId64 " x %" PRId64
			 " = %" PRId64 " s (%s) of silence.",
			 t, n, i, t + n * i, d);
		wrap_print(x->fp, "    ", line, x->width);
		snprintf(line, sizeof(line),
			 "%" PRIu64 " sockets have a keepalive timer running now.",
			 x->g.obs.keepalive);
		wrap_print(x->fp, "    ", line, x->width);
	}
	if (strcmp(k->name, "port-exhaustion") == 0 && sysctl_has(s, TC_S_PORT_LO)) {
		snprintf(line, sizeof(line),
			 "The ephemeral range holds %" PRId64
			 " ports: that many connections at most from one local address to one "
			 "remote address and port, TIME_WAIT included.",
			 s->v[TC_S_PORT_HI] - s->v[TC_S_PORT_LO] + 1);
		wrap_print(x->fp, "    ", line, x->width);
	}
	live_findings(x, 0, k->findings[0] ? k->findings : k->name);
	related_sysctls(x, k->sysctls);
}

static void explain_topic_text(struct ex *x, const struct kb_topic *k)
{
	int rule = rule_lookup(k->name);

	if (x->o->out.color)
		fputs("\033[1m", x->fp);
	wrap_print(x->fp, "", k->title, x->width);
	if (x->o->out.color)
		fputs("\033[0m", x->fp);
	wrap_print(x->fp, "", k->summary, x->width);
	for (int i = 0; i < KB_SECTIONS && k->sections[i].heading; i++) {
		heading(x, k->sections[i].heading);
		paragraphs(x, k->sections[i].text, k->sections[i].verbatim);
	}
	if (rule >= 0) {
		/* the rule's parameters as they are in force here */
		heading(x, "Thresholds in force");
		for (int p = 0; p < TC_RULE_PARAMS && tc_rules[rule].params[p].name; p++) {
			char line[256];

			snprintf(line, sizeof(line),
				 "%s%s%s = %" PRId64 " %s (%s; default %" PRId64 ")", k->name,
				 tc_rules[rule].params[p].name[0] ? "." : "",
				 tc_rules[rule].params[p].name, x->g.th.v[rule][p],
				 tc_rules[rule].params[p].unit, x->g.th.from[rule][p],
				 tc_rules[rule].params[p].def);
			wrap_print(x->fp, "    ", line, x->width);
		}
	}
	related_lists(x, k->states, k->errnos, k->findings, k->topics, k->sysctls);
	if (x->live_ok)
		topic_live(x, k);
	else if (x->o->live)
		live_unavailable(x);
}

/* ---- JSON ---- */

static void json_list_words(struct json_w *j, const char *key, const char *list)
{
	const char *p = list ? list : "";

	json_key(j, key);
	json_arr_begin(j);
	while (*p) {
		char w[96];
		size_t n = strcspn(p, " ");

		snprintf(w, sizeof(w), "%.*s", (int)(n < 95 ? n : 95), p);
		if (n)
			json_str(j, w);
		p += n;
		while (*p == ' ')
			p++;
	}
	json_arr_end(j);
}

static void json_section(struct json_w *j, const char *heading, const char *text, int verbatim)
{
	json_obj_begin(j);
	json_key(j, "heading");
	json_str(j, heading);
	json_key(j, "text");
	json_str(j, text);
	json_key(j, "verbatim");
	json_bool(j, verbatim);
	json_obj_end(j);
}

static void json_live(struct ex *x, int state, const char *ids)
{
	struct json_w *j = &x->j;

	json_key(j, "live");
	if (!x->live_ok) {
		json_obj_begin(j);
		json_key(j, "error");
		json_str(j, x->live_err[0] ? x->live_err : "not read (--no-live)");
		json_obj_end(j);
		return;
	}
	json_obj_begin(j);
	json_key(j, "source");
	json_str(j, source_name(x->o->sel.source.used));
	json_key(j, "netns");
	if (x->o->sel.netns)
		json_str(j, x->o->sel.netns);
	else
		json_null(j);
	json_key(j, "total");
	json_u64(j, x->g.tally.total);
	json_key(j, "states");
	json_obj_begin(j);
	for (int i = 0; i < TC_NSTATES; i++) {
		json_key(j, state_name(tc_state_order[i]));
		json_u64(j, tally_state(&x->g.tally, tc_state_order[i]));
	}
	json_obj_end(j);
	json_key(j, "sysctls");
	json_obj_begin(j);
	for (int i = 0; i < TC_S_MAX; i++) {
		if (i == TC_S_PORT_HI || !sysctl_has(&x->g.sys, i))
			continue;
		json_key(j, sysctl_name(i));
		if (i == TC_S_PORT_LO) {
			json_arr_begin(j);
			json_i64(j, x->g.sys.v[TC_S_PORT_LO]);
			json_i64(j, x->g.sys.v[TC_S_PORT_HI]);
			json_arr_end(j);
		} else {
			json_i64(j, x->g.sys.v[i]);
		}
	}
	json_obj_end(j);
	{
		/* the related findings only */
		struct tc_findings sub = {0};
		struct tc_finding keep[64];

		for (size_t i = 0; i < x->g.findings.n && sub.n < 64; i++)
			if (finding_related(&x->g.findings.v[i], state, ids))
				keep[sub.n++] = x->g.findings.v[i];
		sub.v = keep;
		findings_json(j, &sub);
	}
	json_obj_end(j);
}

static void explain_state_json(struct ex *x, const struct kb_state *k)
{
	struct json_w *j = &x->j;

	json_obj_begin(j);
	json_key(j, "kind");
	json_str(j, "state");
	json_key(j, "name");
	json_str(j, state_name((unsigned)k->state));
	json_key(j, "number");
	json_u64(j, (uint64_t)k->state);
	json_key(j, "ss");
	json_str(j, ss_names[k->state]);
	json_key(j, "summary");
	json_str(j, k->summary);
	json_key(j, "sections");
	json_arr_begin(j);
	json_section(j, "Who is in it", k->side, 0);
	json_section(j, "How a socket gets here", k->into, 0);
	json_section(j, "How it leaves", k->out, 0);
	json_section(j, "How long it stays", k->duration, 0);
	json_section(j, "When many sockets sit here", k->many, 0);
	json_section(j, "Investigate", k->investigate, 1);
	json_arr_end(j);
	json_key(j, "related");
	json_obj_begin(j);
	json_list_words(j, "sysctls", k->sysctls);
	json_list_words(j, "errnos", k->errnos);
	json_list_words(j, "findings", k->findings);
	json_list_words(j, "topics", k->topics);
	json_obj_end(j);
	json_live(x, k->state, k->findings);
	json_obj_end(j);
	json_end(j);
}

static void explain_topic_json(struct ex *x, const struct kb_topic *k)
{
	struct json_w *j = &x->j;

	json_obj_begin(j);
	json_key(j, "kind");
	json_str(j, rule_lookup(k->name) >= 0 ? "finding" : "topic");
	json_key(j, "name");
	json_str(j, k->name);
	json_key(j, "title");
	json_str(j, k->title);
	json_key(j, "summary");
	json_str(j, k->summary);
	json_key(j, "sections");
	json_arr_begin(j);
	for (int i = 0; i < KB_SECTIONS && k->sections[i].heading; i++)
		json_section(j, k->sections[i].heading, k->sections[i].text,
			     k->sections[i].verbatim);
	json_arr_end(j);
	json_key(j, "related");
	json_obj_begin(j);
	json_list_words(j, "states", k->states);
	json_list_words(j, "sysctls", k->sysctls);
	json_list_words(j, "errnos", k->errnos);
	json_list_words(j, "findings", k->findings);
	json_list_words(j, "topics", k->topics);
	json_obj_end(j);
	json_live(x, 0, k->findings[0] ? k->findings : k->name);
	json_obj_end(j);
	json_end(j);
}

/* ---- the list of topics ---- */

static void explain_list(struct ex *x)
{
	static const struct tc_col cols[] = {{"KIND", 7, 0}, {"NAME", 20, 0}, {"SUMMARY", 0, 0}};
	const struct tc_out *out = &x->o->out;

	if (out->format == TC_FMT_JSON) {
		struct json_w *j = &x->j;

		json_obj_begin(j);
		json_key(j, "states");
		json_arr_begin(j);
		for (size_t i = 0; i < kb_nstates; i++) {
			json_obj_begin(j);
			json_key(j, "name");
			json_str(j, state_name((unsigned)kb_states[i].state));
			json_key(j, "summary");
			json_str(j, kb_states[i].summary);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_key(j, "topics");
		json_arr_begin(j);
		for (size_t i = 0; i < kb_ntopics; i++) {
			json_obj_begin(j);
			json_key(j, "name");
			json_str(j, kb_topics[i].name);
			json_key(j, "kind");
			json_str(j, rule_lookup(kb_topics[i].name) >= 0 ? "finding" : "topic");
			json_key(j, "summary");
			json_str(j, kb_topics[i].summary);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
		json_end(j);
		return;
	}
	table_header(out, cols, 3);
	for (size_t i = 0; i < kb_nstates; i++) {
		const char *cells[3] = {"state", state_name((unsigned)kb_states[i].state),
					kb_states[i].summary};

		table_row(out, cols, 3, cells, NULL);
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < kb_ntopics; i++) {
			int is_rule = rule_lookup(kb_topics[i].name) >= 0;
			const char *cells[3] = {is_rule ? "finding" : "topic", kb_topics[i].name,
						kb_topics[i].summary};

			if (is_rule == pass)
				table_row(out, cols, 3, cells, NULL);
		}
}

/* ---- live sockets ---- */

static int endpoint_matches(const struct explain_opts *o, const struct tc_sock *sk)
{
	size_t alen = sk->family == AF_INET ? 4 : 16;

	if (!o->ep_set)
		return 1;
	if (sk->sport == o->ep_port &&
	    (!o->ep_has_addr || (sk->family == o->ep_family && !memcmp(sk->src, o->ep_addr, alen))))
		return 1;
	return sk->dport == o->ep_port && (!o->ep_has_addr || (sk->family == o->ep_family &&
							       !memcmp(sk->dst, o->ep_addr, alen)));
}

static void timer_words(const struct tc_sock *sk, char *buf, size_t size)
{
	char in[32];

	fmt_duration_ms(in, sizeof(in), sk->expires_ms);
	switch (sk->timer) {
	case TC_TIMER_RETRANS:
		if (sk->state == TC_STATE_SYN_SENT)
			snprintf(buf, size, "retransmitting SYN, attempt %u, next in %s",
				 sk->retrans + 1, in);
		else if (sk->state == TC_STATE_SYN_RECV)
			snprintf(buf, size, "resending SYN-ACK, attempt %u, next in %s",
				 sk->retrans + 1, in);
		else if (sk->retrans == 0)
			snprintf(buf, size,
				 "retransmission timer armed (or a loss probe), fires in %s", in);
		else
			snprintf(
			    buf, size,
			    "retransmitting unacknowledged data, %u times in a row, next in %s",
			    sk->retrans, in);
		break;
	case TC_TIMER_KEEPALIVE:
		if (sk->state == TC_STATE_FIN_WAIT2)
			snprintf(buf, size, "orphaned FIN_WAIT2, dropped in %s", in);
		else if (sk->retrans)
			snprintf(buf, size, "keepalive: %u probes unanswered, next in %s",
				 sk->retrans, in);
		else
			snprintf(buf, size, "keepalive probe in %s", in);
		break;
	case TC_TIMER_TIMEWAIT:
		if (sk->state == TC_STATE_FIN_WAIT2)
			snprintf(buf, size,
				 "orphaned FIN_WAIT2 (closed by its program), dropped in %s", in);
		else
			snprintf(buf, size, "TIME_WAIT ends in %s", in);
		break;
	case TC_TIMER_PROBE:
		snprintf(buf, size, "zero-window probe %u, next in %s", sk->retrans + 1, in);
		break;
	default:
		snprintf(buf, size, "no timer running");
	}
}

static void side_words(const struct ex *x, const struct tc_sock *sk, char *buf, size_t size)
{
	int listening = x->g.obs_ready && obs_port(&x->g.obs, sk->sport)->listeners > 0;

	if (sk->state == TC_STATE_LISTEN)
		snprintf(buf, size, "server: listening on port %u", sk->sport);
	else if (sk->state == TC_STATE_SYN_RECV)
		snprintf(buf, size, "server: a handshake in progress on listening port %u",
			 sk->sport);
	else if (listening)
		snprintf(buf, size, "server side: accepted on listening port %u", sk->sport);
	else
		snprintf(buf, size, "client side: this host opened the connection (local port %u)",
			 sk->sport);
}

static void queue_words(const struct tc_sock *sk, char *buf, size_t size)
{
	if (sk->state == TC_STATE_LISTEN)
		snprintf(buf, size, "accept queue holds %u connections%s", sk->rqueue,
			 sk->wqueue ? "" : " (the backlog is not known from /proc)");
	else
		snprintf(
		    buf, size,
		    "Recv-Q %u bytes the program has not read; Send-Q %u bytes the peer has not "
		    "acknowledged",
		    sk->rqueue, sk->wqueue);
	if (sk->state == TC_STATE_LISTEN && sk->wqueue) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, " of a backlog of %u", sk->wqueue);
	}
}

static int socket_cb(const struct tc_sock *sk, void *arg)
{
	struct ex *x = arg;
	const struct kb_state *k = kb_state(sk->state);
	char loc[64], peer[64], side[128], timer[160], queues[200], idle[160], marks[256], d[32];

	if (!endpoint_matches(x->o, sk))
		return 1;
	x->matched++;
	if (x->o->limit && x->shown >= x->o->limit)
		return 1;
	x->shown++;
	fmt_endpoint(loc, sizeof(loc), sk->family, sk->src, sk->sport, 1);
	fmt_endpoint(peer, sizeof(peer), sk->family, sk->dst, sk->dport, 1);
	side_words(x, sk, side, sizeof(side));
	timer_words(sk, timer, sizeof(timer));
	queue_words(sk, queues, sizeof(queues));
	idle[0] = '\0';
	if ((sk->have & TC_HAVE_INFO) && sk->state != TC_STATE_LISTEN) {
		fmt_duration_ms(d, sizeof(d), sk->last_data_recv_ms);
		snprintf(idle, sizeof(idle), "%s since data was last received%s", d,
			 sk->state == TC_STATE_ESTABLISHED && sk->timer != TC_TIMER_KEEPALIVE
			     ? ", no keepalive"
			     : "");
	}
	findings_marks(&x->g.findings, &x->g.obs, sk, marks, sizeof(marks));
	if (x->o->out.format == TC_FMT_JSON) {
		struct json_w *j = &x->j;

		json_obj_begin(j);
		json_key(j, "state");
		json_str(j, state_name(sk->state));
		json_key(j, "local");
		json_str(j, loc);
		json_key(j, "peer");
		json_str(j, peer);
		json_key(j, "side");
		json_str(j, side);
		json_key(j, "meaning");
		json_str(j, k ? k->summary : "");
		json_key(j, "timer");
		json_str(j, timer);
		json_key(j, "idle");
		if (idle[0])
			json_str(j, idle);
		else
			json_null(j);
		json_key(j, "queues");
		json_str(j, queues);
		json_list_words(j, "findings", strcmp(marks, "-") ? marks : "");
		json_obj_end(j);
		return 1;
	}
	if (x->shown > 1)
		fputc('\n', x->fp);
	if (x->o->out.color)
		fprintf(x->fp, "\033[1m%s %s -> %s\033[0m\n", state_name(sk->state), loc, peer);
	else
		fprintf(x->fp, "%s %s -> %s\n", state_name(sk->state), loc, peer);
	if (k)
		wrap_print(x->fp, "    state:    ", k->summary, x->width);
	wrap_print(x->fp, "    side:     ", side, x->width);
	wrap_print(x->fp, "    timer:    ", timer, x->width);
	if (idle[0])
		wrap_print(x->fp, "    idle:     ", idle, x->width);
	wrap_print(x->fp, "    queues:   ", queues, x->width);
	if (!sk->inode && sk->state != TC_STATE_LISTEN)
		wrap_print(x->fp, "    owner:    ",
			   "none: a TIME_WAIT or request socket, an orphan the program already "
			   "closed, or a connection still waiting in the accept queue",
			   x->width);
	for (size_t i = 0; i < x->g.findings.n; i++) {
		const struct tc_finding *f = &x->g.findings.v[i];
		char lead[200];

		if (!finding_matches(f, &x->g.obs, sk))
			continue;
		snprintf(lead, sizeof(lead), "    finding:  %s %s: ", severity_name(f->severity),
			 tc_rules[f->rule].id);
		wrap_print(x->fp, lead, f->message, x->width);
	}
	return out_failed(&x->o->out) ? 0 : 1;
}

static int explain_sockets(struct ex *x, struct tc_err *err)
{
	struct explain_opts *o = x->o;
	int r;

	if (o->ep_set) {
		/* let the kernel narrow it down; socket_cb checks the exact end */
		if (!o->sel.filter.port.set) {
			o->sel.filter.port.set = 1;
			o->sel.filter.port.lo = o->sel.filter.port.hi = o->ep_port;
		}
		if (o->ep_has_addr && !o->sel.filter.host.set) {
			struct tc_prefix *h = &o->sel.filter.host;

			h->set = 1;
			h->family = o->ep_family;
			h->len = o->ep_family == AF_INET ? 32 : 128;
			memcpy(h->addr, o->ep_addr, 16);
		}
		r = filter_compile(&o->sel.filter, err);
		if (r < 0)
			return r;
	}
	{
		/* The first walk sees every socket, so listeners tell which side a
		 * connection is on and findings cover the whole host; the second
		 * walk, with the selection, prints. */
		struct tc_filter selected = o->sel.filter;

		memset(&o->sel.filter, 0, sizeof(o->sel.filter));
		o->sel.filter.family = selected.family;
		r = gather_run(&x->g, err);
		o->sel.filter = selected;
	}
	if (r < 0)
		return r;
	x->live_ok = 1;
	if (!gather_can_rewalk(&x->g))
		return tc_err_usage(err, "explaining sockets reads them twice: --diag-file - "
					 "(standard input) cannot be");
	if (o->out.format == TC_FMT_JSON) {
		json_obj_begin(&x->j);
		json_key(&x->j, "sockets");
		json_arr_begin(&x->j);
		x->j.break_depth = x->j.depth;
	}
	/* each socket's explanation tells its idle time and retransmissions */
	o->sel.source.want |= NL_WANT_INFO;
	r = gather_rewalk(&x->g, socket_cb, x, err);
	if (r < 0)
		return r;
	if (o->out.format == TC_FMT_JSON) {
		x->j.break_depth = 0;
		json_arr_end(&x->j);
		json_key(&x->j, "matched");
		json_u64(&x->j, x->matched);
		json_obj_end(&x->j);
		json_end(&x->j);
	} else if (x->matched == 0) {
		fprintf(x->fp, "No socket matches%s%s.\n", o->word ? " " : "",
			o->word ? o->word : "");
	} else if (x->matched > x->shown) {
		fprintf(x->fp, "\n(%lu more; --limit 0 shows them all)\n", x->matched - x->shown);
	}
	return 0;
}

int cmd_explain(int argc, char **argv, struct tc_err *err)
{
	return explain_to(stdout, argc, argv, err);
}

int explain_to(FILE *fp, int argc, char **argv, struct tc_err *err)
{
	struct explain_opts o;
	struct ex *x;
	const struct kb_state *ks = NULL;
	const struct kb_topic *kt = NULL;
	int r, st;

	r = explain_parse(argc, argv, &o, err);
	if (cmd_help_version(r, cmd_explain_help, fp))
		return 0;
	if (r < 0)
		return r;
	if (o.word) {
		/* an exact topic name first: "time-wait" is the topic, while
		 * "TIME_WAIT" and "timewait" are the state */
		kt = kb_topic(o.word);
		st = kt ? -1 : explain_state(o.word);
		if (st > 0)
			ks = kb_state(st);
		if (!ks && !kt && parse_endpoint_arg(o.word, &o) < 0) {
			char esc[128];

			fmt_escape(esc, sizeof(esc), o.word);
			return tc_err_set(
			    err, ENOENT,
			    "no topic, state or endpoint '%s' (`tcpdoc explain` lists "
			    "the topics)",
			    esc);
		}
	}
	out_setup(&o.out, fp, o.color);
	x = calloc(1, sizeof(*x));
	if (!x)
		return tc_err_set(err, ENOMEM, "out of memory");
	x->o = &o;
	x->fp = fp;
	x->width = o.width ? o.width : wrap_width(fp);
	json_init(&x->j, fp, 0);
	gather_init(&x->g, &o.sel, TC_BY_NONE);
	tally_init(&x->by_lport, TC_BY_LPORT);
	tally_init(&x->by_peer, TC_BY_PEER);
	r = gather_thresholds(&x->g, NULL, NULL, 0, err);
	if (r == 0 && o.sel.netns && netns_enter(o.sel.netns, err) < 0)
		r = -EINVAL;
	if (r < 0) {
		/* the text stands without live numbers; a bad config or
		 * namespace is still worth saying */
		if (ks || kt) {
			snprintf(x->live_err, sizeof(x->live_err), "%s", err->msg);
			memset(err, 0, sizeof(*err));
			r = 0;
			o.live = 1;
		} else {
			goto out;
		}
	} else if ((ks || kt) && o.live) {
		live_read(x, ks ? ks->state : 0);
	}
	if (ks) {
		if (o.out.format == TC_FMT_JSON)
			explain_state_json(x, ks);
		else
			explain_state_text(x, ks);
	} else if (kt) {
		if (o.out.format == TC_FMT_JSON)
			explain_topic_json(x, kt);
		else
			explain_topic_text(x, kt);
	} else if (o.ep_set || o.selected) {
		r = explain_sockets(x, err);
	} else {
		explain_list(x);
	}
out:
	gather_free(&x->g);
	tally_free(&x->by_lport);
	tally_free(&x->by_peer);
	free(x);
	return r;
}
